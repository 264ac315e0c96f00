import type { Static } from 'typebox';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/tables.js';
import { DomainError, type ErrorCode, rejected } from '../../errors.js';
import { toIso } from '../../http/instants.js';
import type { BadgeSigner } from '../badges/badge-signing.js';
import { claimedParticipant, participantForBadge } from '../badges/badges.service.js';
import type { CheckInService } from '../checkin/checkin.service.js';
import type { CheckpointsService } from '../checkpoints/checkpoints.service.js';
import { scanInstant } from '../checkpoints/checkpoints.time.js';
import type { Actor } from '../keys/keys.service.js';
import { parseTags } from '../participants/tags.js';
import * as repository from './sync.repository.js';
import type * as schemas from './sync.schemas.js';

type Roster = Static<typeof schemas.Roster>;
type RosterParticipant = Static<typeof schemas.RosterParticipant>;
type QueuedScan = Static<typeof schemas.QueuedScan>;
type UploadResult = Static<typeof schemas.UploadResult>;

/**
 * How far before the start of a read the next cursor points. A change is stamped with its API process's clock
 * before its transaction commits, so a change stamped earlier than a read may become visible only after it;
 * re-sending the last five minutes' changes each time covers slow commits and API clocks minutes apart, and
 * costs only the participants changed in them.
 */
const CURSOR_OVERLAP_MS = 5 * 60_000;

/** A door check-in's badge or id that matched nobody: like a checkpoint's, an answer rather than an error. */
const NOBODY = new Set<ErrorCode>(['badge_not_found', 'participant_not_found']);

function toRosterParticipant(row: repository.RosterParticipantRow, scans: Record<string, number>): RosterParticipant {
  return {
    id: row.id,
    name: row.name,
    tags: parseTags(row.tags),
    dietary_restrictions: row.dietary_restrictions,
    checked_in: row.checked_in_at !== null,
    badge_version: row.badge_version,
    scans,
  };
}

/** What an offline scanner needs to decide alone, and the upload of what it let through meanwhile. */
export class SyncService {
  constructor(
    private readonly db: Db,
    private readonly signer: BadgeSigner,
    private readonly checkpoints: CheckpointsService,
    private readonly checkIns: CheckInService,
    private readonly clock: Clock,
  ) {}

  /**
   * The roster, or with `since` (`<epoch>.<time>`) only what changed since that time, and who was deleted since
   * (to drop). The epoch is raised by a reset import, which replaces everyone: a cursor from before it gets
   * everyone again.
   */
  async roster(since: string | undefined): Promise<Roster> {
    const readAt = this.clock.now();
    const epoch = await repository.findRosterEpoch(this.db);
    const [sinceEpoch, sinceTime] = since === undefined ? [] : since.split('.').map(Number);
    const changedSince = sinceEpoch === epoch ? sinceTime : undefined;
    const rows = await repository.findRosterParticipants(this.db, changedSince);
    const scans = new Map<number, Record<string, number>>();
    for (const count of await repository.findRosterCounts(this.db, changedSince)) {
      const own = scans.get(count.participant_id) ?? {};
      own[count.checkpoint_id] = count.accepted;
      scans.set(count.participant_id, own);
    }
    return {
      cursor: `${epoch}.${Math.max(0, readAt - CURSOR_OVERLAP_MS)}`,
      full: changedSince === undefined,
      synced_at: toIso(readAt),
      badge_key: { algorithm: 'Ed25519', public_key: this.signer.publicKey },
      checkpoints: await this.checkpoints.list(true),
      participants: rows.map((row) => toRosterParticipant(row, scans.get(row.id) ?? {})),
      // A full roster has nobody deleted in it: nothing to drop.
      removed: changedSince === undefined ? [] : await repository.findRosterRemovals(this.db, changedSince),
    };
  }

  /** Applies each queued scan once, in order; one scan's error is its own result, never the batch's. */
  async upload(queued: QueuedScan[], scanner: Actor): Promise<UploadResult[]> {
    const results: UploadResult[] = [];
    for (const scan of queued) {
      try {
        results.push(await this.apply(scan, scanner));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        results.push({
          nonce: scan.nonce,
          ...(scan.check_in ? { check_in: true } : { checkpoint_id: scan.checkpoint_id }),
          status: NOBODY.has(error.code) ? 'unknown' : 'error',
          code: error.code,
          error: error.message,
        });
      }
    }
    return results;
  }

  private async apply(scan: QueuedScan, scanner: Actor): Promise<UploadResult> {
    if ((scan.checkpoint_id === undefined) === (scan.check_in === undefined)) {
      throw rejected('target_required', 'Give either checkpoint_id or check_in: true');
    }
    if (scan.checkpoint_id === undefined) return this.checkIn(scan, scanner);
    const result = await this.checkpoints.scan(
      scan.checkpoint_id,
      {
        target: { badge: scan.badge, participantId: scan.participant_id },
        nonce: scan.nonce,
        scannedAt: scan.scanned_at,
        offline: true,
      },
      scanner,
    );
    return { nonce: scan.nonce, checkpoint_id: scan.checkpoint_id, ...result.body, status: result.status };
  }

  /**
   * A door check-in made offline, dated when the participant walked in. Someone checked in meanwhile by
   * another scanner is no conflict (they are in either way): the answer says who did it, and when.
   */
  private async checkIn(scan: QueuedScan, volunteer: Actor): Promise<UploadResult> {
    if ((scan.badge === undefined) === (scan.participant_id === undefined)) {
      throw rejected('target_required', 'Give either participant_id or badge');
    }
    const answerFor = (participantId: number) => ({
      nonce: scan.nonce,
      check_in: true as const,
      offline: true,
      participant_id: participantId,
    });
    // A repeat is answered before the badge is looked up: rotated meanwhile, it would match nobody now.
    const claimed = scan.participant_id ?? (await claimedParticipant(this.db, this.signer, scan.badge as string));
    const earlier = await this.checkIns.byNonce(scan.nonce, volunteer, claimed);
    if (earlier) return { ...answerFor(earlier.participant_id), status: 'accepted', check_in_status: earlier };
    const participantId =
      scan.badge === undefined ? (scan.participant_id as number) : await participantForBadge(this.db, this.signer, scan.badge);
    const answer = answerFor(participantId);
    try {
      const status = await this.checkIns.checkIn({ participantId }, volunteer, {
        nonce: scan.nonce,
        at: (now) => scanInstant(scan.scanned_at, now),
      });
      return { ...answer, status: 'accepted', check_in_status: status };
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'already_checked_in') throw error;
      const status = await this.checkIns.status(participantId);
      return { ...answer, status: 'refused', code: error.code, error: error.message, check_in_status: status };
    }
  }
}
