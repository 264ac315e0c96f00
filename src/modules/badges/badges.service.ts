import QRCode from 'qrcode';
import type { Static } from 'typebox';
import type { Clock } from '../../clock.js';
import type { Db, Executor } from '../../db/tables.js';
import type { TransactionRunner } from '../../db/transactions.js';
import { notFound } from '../../errors.js';
import { auditStaffChange } from '../audit/audit.service.js';
import type { Actor } from '../keys/keys.service.js';
import { participantNotFound } from '../participants/participants.errors.js';
import { parseSignedBadge } from '../../shared/badge-token.js';
import { newBadgeCode } from './badge-code.js';
import type { BadgeSigner } from './badge-signing.js';
import * as repository from './badges.repository.js';
import type * as schemas from './badges.schemas.js';

type BadgeHolder = Static<typeof schemas.BadgeHolder>;
type BadgeView = Static<typeof schemas.Badge>;

const badgeNotFound = () => notFound('badge_not_found', 'Badge not found');

/**
 * How to look a scanned code up: a signed badge by the participant and version it names, once its signature
 * checks out (undefined when it does not: a forgery matches nobody); any other code as a pre-signing badge.
 */
export function badgeLookup(signer: BadgeSigner, badgeCode: string): repository.BadgeLookup | undefined {
  if (!parseSignedBadge(badgeCode)) return { legacyCode: badgeCode };
  return signer.verify(badgeCode);
}

/** The participant a scanned badge code belongs to; 404 for a code that is unknown, forged or rotated away. */
export async function participantForBadge(ex: Executor, signer: BadgeSigner, badgeCode: string): Promise<number> {
  const lookup = badgeLookup(signer, badgeCode);
  const holder = lookup && (await repository.findHolder(ex, lookup));
  if (!holder) throw badgeNotFound();
  return holder.id;
}

/**
 * Whom a badge code names, even when it no longer works (rotated away): a signed code says so itself, a
 * pre-signing one while it is current. For telling whether a repeated nonce is for the same person.
 */
export async function claimedParticipant(ex: Executor, signer: BadgeSigner, badgeCode: string): Promise<number | undefined> {
  const signed = parseSignedBadge(badgeCode);
  if (signed) return signer.verify(badgeCode)?.participantId;
  return (await repository.findHolder(ex, { legacyCode: badgeCode }))?.id;
}

export class BadgesService {
  constructor(
    private readonly db: Db,
    private readonly transact: TransactionRunner,
    private readonly signer: BadgeSigner,
    private readonly publicUrl: string,
    private readonly clock: Clock,
  ) {}

  /** What a phone camera opens: the web app's scan flow for this badge. */
  urlFor(badgeCode: string): string {
    return `${this.publicUrl}/b/${encodeURIComponent(badgeCode)}`;
  }

  async lookup(badgeCode: string): Promise<BadgeHolder> {
    const lookup = badgeLookup(this.signer, badgeCode);
    const holder = lookup && (await repository.findHolder(this.db, lookup));
    if (!holder) throw badgeNotFound();
    return { participant_id: holder.id, name: holder.name, checked_in: holder.checked_in_at !== null };
  }

  async badgeOf(participantId: number): Promise<BadgeView> {
    const version = await repository.findBadgeVersion(this.db, participantId);
    if (version === undefined) throw participantNotFound();
    return this.view(participantId, version);
  }

  private view(participantId: number, version: number): BadgeView {
    const code = this.signer.sign(participantId, version);
    return { participant_id: participantId, badge: code, version, url: this.urlFor(code) };
  }

  async svg(participantId: number): Promise<string> {
    const { url } = await this.badgeOf(participantId);
    return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  }

  async png(participantId: number): Promise<Buffer> {
    const { url } = await this.badgeOf(participantId);
    return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 512 });
  }

  /** Issues a new badge version; every older badge stops working at once, printed ones included. */
  async rotate(participantId: number, actor: Actor): Promise<BadgeView> {
    const version = await this.transact(async (trx) => {
      const now = this.clock.now();
      const rotated = await repository.rotateBadge(trx, participantId, newBadgeCode(), now);
      if (rotated === undefined) throw participantNotFound();
      const entry = { action: 'badge.rotate', target: `participant:${participantId}`, after: { badge_version: rotated } };
      await auditStaffChange(trx, actor, entry, now);
      return rotated;
    });
    return this.view(participantId, version);
  }
}
