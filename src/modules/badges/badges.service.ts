import QRCode from 'qrcode';
import type { Static } from 'typebox';
import type { Clock } from '../../clock.js';
import type { Db, Executor } from '../../db/tables.js';
import { notFound } from '../../errors.js';
import { participantNotFound } from '../participants/participants.errors.js';
import { newBadgeCode } from './badge-code.js';
import * as repository from './badges.repository.js';
import type * as schemas from './badges.schemas.js';

type BadgeHolder = Static<typeof schemas.BadgeHolder>;
type BadgeView = Static<typeof schemas.Badge>;

const badgeNotFound = () => notFound('badge_not_found', 'Badge not found');

/** The participant a scanned badge code belongs to; 404 for a code that is unknown or was rotated away. */
export async function participantForBadge(ex: Executor, badgeCode: string): Promise<number> {
  const holder = await repository.findHolder(ex, badgeCode);
  if (!holder) throw badgeNotFound();
  return holder.id;
}

export class BadgesService {
  constructor(
    private readonly db: Db,
    private readonly publicUrl: string,
    private readonly clock: Clock,
  ) {}

  /** What a phone camera opens: the web app's scan flow for this badge. */
  urlFor(badgeCode: string): string {
    return `${this.publicUrl}/b/${encodeURIComponent(badgeCode)}`;
  }

  async lookup(badgeCode: string): Promise<BadgeHolder> {
    const holder = await repository.findHolder(this.db, badgeCode);
    if (!holder) throw badgeNotFound();
    return { participant_id: holder.id, name: holder.name, checked_in: holder.checked_in_at !== null };
  }

  async badgeOf(participantId: number): Promise<BadgeView> {
    const code = await repository.findBadgeCode(this.db, participantId);
    if (code === undefined) throw participantNotFound();
    return { participant_id: participantId, badge: code, url: this.urlFor(code) };
  }

  async svg(participantId: number): Promise<string> {
    const { url } = await this.badgeOf(participantId);
    return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  }

  async png(participantId: number): Promise<Buffer> {
    const { url } = await this.badgeOf(participantId);
    return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 512 });
  }

  /** Issues a new code; the old one stops working at once, printed badges included. */
  async rotate(participantId: number): Promise<BadgeView> {
    const code = newBadgeCode();
    if (!(await repository.replaceBadgeCode(this.db, participantId, code, this.clock.now()))) throw participantNotFound();
    return { participant_id: participantId, badge: code, url: this.urlFor(code) };
  }
}
