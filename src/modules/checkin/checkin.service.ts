import type { Static } from 'typebox';
import type { Clock } from '../../clock.js';
import type { Db, Executor, Trx } from '../../db/tables.js';
import type { TransactionRunner } from '../../db/transactions.js';
import { auditStaffChange } from '../audit/audit.service.js';
import { recordEvents } from '../events/events.repository.js';
import { enqueueWebhookEvent } from '../webhooks/webhooks.outbox.js';
import { rejected, unprocessable } from '../../errors.js';
import type { BadgeSigner } from '../badges/badge-signing.js';
import { participantForBadge } from '../badges/badges.service.js';
import type { Actor } from '../keys/keys.service.js';
import { lockLiveParticipant } from '../participants/participants.repository.js';
import { participantNotFound } from '../participants/participants.errors.js';
import * as repository from './checkin.repository.js';
import type { CheckInStatus } from './checkin.schemas.js';

type CheckInView = Static<typeof CheckInStatus>;

const nonceReused = () => unprocessable('idempotency_key_reused', 'This nonce was already used for another check-in');

/** Who to check in: by id, or by the code on a scanned badge. */
export type CheckInTarget = { participantId?: number; badge?: string };

export interface CheckInOptions {
  /** The scanner's id for this check-in: the same key repeating it is answered as the first time. */
  nonce?: string;
  /**
   * When an offline scanner let the participant in (ms), from the time the check-in is recorded; default now.
   * Judged only for a new check-in: a repeat of its nonce answers as the first time, however late.
   */
  at?: (now: number) => number;
}

const toView = (participantId: number, row: repository.CheckInRow | undefined): CheckInView =>
  row
    ? {
        participant_id: participantId,
        checked_in: true,
        check_in_time: Math.floor(row.checked_in_at / 1000),
        volunteer_id: row.volunteer_id,
        ...(row.volunteer_name === null ? {} : { volunteer_name: row.volunteer_name }),
      }
    : { participant_id: participantId, checked_in: false };

export class CheckInService {
  constructor(
    private readonly db: Db,
    private readonly transact: TransactionRunner,
    private readonly signer: BadgeSigner,
    private readonly clock: Clock,
  ) {}

  async status(participantId: number, ex: Executor = this.db): Promise<CheckInView> {
    const found = await repository.findParticipantCheckIn(ex, participantId);
    if (!found) throw participantNotFound();
    return toView(participantId, found.checkIn);
  }

  /** The volunteer is the key making the request, never a number in the body. */
  async checkIn(target: CheckInTarget, volunteer: Actor, options: CheckInOptions = {}): Promise<CheckInView> {
    if ((target.participantId === undefined) === (target.badge === undefined)) {
      throw rejected('target_required', 'Give either participant_id or badge');
    }
    const participantId =
      target.badge === undefined
        ? (target.participantId as number)
        : await participantForBadge(this.db, this.signer, target.badge);
    return this.transact(async (trx) => {
      // Share-locked (PostgreSQL): a deletion racing this check-in waits for it, or wins and it answers 404.
      if (!(await lockLiveParticipant(trx, participantId))) throw participantNotFound();
      const now = this.clock.now();
      if (options.nonce !== undefined) {
        const nonceHolder = await repository.findCheckInByNonce(trx, volunteer.keyId, options.nonce);
        if (nonceHolder !== undefined && nonceHolder !== participantId) throw nonceReused();
      }
      // A check-in already there answers before the time is judged: a late repeat still gets its first answer.
      const earlier = await this.repeatOf(trx, participantId, volunteer, options.nonce);
      if (earlier) return earlier;
      const checkedInAt = options.at?.(now) ?? now;
      const inserted = await repository.insertCheckIn(trx, {
        participant_id: participantId,
        checked_in_at: checkedInAt,
        recorded_at: now,
        volunteer_id: volunteer.keyId,
        nonce: options.nonce ?? null,
      });
      if (!inserted) return (await this.repeatOf(trx, participantId, volunteer, options.nonce)) as CheckInView;
      const view = await this.status(participantId, trx);
      await recordEvents(
        trx,
        [{ type: 'checkin', participantId, payload: { participant_id: participantId, check_in: view } }],
        now,
      );
      const checkIn = { checked_in_at: new Date(checkedInAt).toISOString(), offline: options.at !== undefined };
      await auditStaffChange(
        trx,
        volunteer,
        { action: 'check_in.create', target: `participant:${participantId}`, after: checkIn },
        now,
      );
      await enqueueWebhookEvent(trx, 'check_in', { participant_id: participantId, ...checkIn }, now);
      return view;
    });
  }

  /**
   * The check-in this key made with this nonce, as it is now, when it was of `claimed` (the participant the
   * repeat names, if it can still tell); undefined when there is none; 422 when it was of someone else.
   */
  async byNonce(nonce: string, volunteer: Actor, claimed: number | undefined): Promise<CheckInView | undefined> {
    const participantId = await repository.findCheckInByNonce(this.db, volunteer.keyId, nonce);
    if (participantId === undefined) return undefined;
    if (claimed !== undefined && claimed !== participantId) throw nonceReused();
    return this.status(participantId);
  }

  /**
   * The answer to a participant already checked in: the first answer again when this key sent this nonce,
   * else already_checked_in; undefined when they are not checked in.
   */
  private async repeatOf(
    trx: Trx,
    participantId: number,
    volunteer: Actor,
    nonce: string | undefined,
  ): Promise<CheckInView | undefined> {
    const existing = (await repository.findParticipantCheckIn(trx, participantId))?.checkIn;
    if (!existing) return undefined;
    if (nonce !== undefined && existing.nonce === nonce && existing.volunteer_id === volunteer.keyId) {
      return toView(participantId, existing);
    }
    throw rejected('already_checked_in', 'Already checked in');
  }
}
