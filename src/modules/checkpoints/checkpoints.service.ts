import { createHash } from 'node:crypto';
import type { Static } from 'typebox';
import type { Clock } from '../../clock.js';
import type { Db, Trx } from '../../db/tables.js';
import { limitRefusal, type ScanRefusal } from '../../shared/checkpoint-rules.js';
import type { TransactionRunner } from '../../db/transactions.js';
import { conflict, forbidden, notFound, rejected, unprocessable } from '../../errors.js';
import { toIso, toIsoOrNull } from '../../http/instants.js';
import { keyedRows } from '../../http/schemas.js';
import { auditStaffChange } from '../audit/audit.service.js';
import { type NewEvent, recordEvents } from '../events/events.repository.js';
import { enqueueWebhookEvent } from '../webhooks/webhooks.outbox.js';
import type { Actor } from '../keys/keys.service.js';
import { lockLiveParticipant, participantExists } from '../participants/participants.repository.js';
import { participantNotFound } from '../participants/participants.errors.js';
import { parseTags, storedTags } from '../participants/tags.js';
import * as repository from './checkpoints.repository.js';
import type * as schemas from './checkpoints.schemas.js';
import { parseInstant, scanInstant } from './checkpoints.time.js';
import type { BadgeSigner } from '../badges/badge-signing.js';
import { badgeLookup } from '../badges/badges.service.js';
import {
  answerBody,
  decideBeforeCounting,
  refuse,
  type ScanAnswerBody,
  type ScanDecision,
  scanResult,
  type ScanResult,
} from './scan-rules.js';

type CheckpointView = Static<typeof schemas.Checkpoint>;
type NewCheckpoint = Static<typeof schemas.NewCheckpoint>;
type CheckpointPatch = Static<typeof schemas.CheckpointPatch>;
type ScanView = Static<typeof schemas.Scan>;
export type ScanFilter = repository.ScanFilter;

/** Who a scan is for: the scanned badge code or a participant picked by hand. */
type ScanTarget = { badge?: string; participantId?: number };

export interface ScanRequest {
  target: ScanTarget;
  nonce: string;
  scannedAt?: string;
  /** Made by an offline scanner that let the participant through: a refusal now is an offline_conflict. */
  offline?: boolean;
}

/** A limit or capacity of null never stops anyone; larger than any count a 32-bit column holds. */
const NO_LIMIT = 2_147_483_647;

/** Who a scan asks about, as stored with it; a badge code is kept only as its hash. */
const targetKeyOf = (target: ScanTarget) =>
  target.badge === undefined
    ? `participant:${target.participantId}`
    : `badge:${createHash('sha256').update(target.badge).digest('base64url')}`;

const checkpointNotFound = () => notFound('checkpoint_not_found', 'Checkpoint not found');

const countsView = (row: repository.CheckpointCountsRow) => ({
  accepted: row.accepted_count,
  participants: row.participant_count,
  refused: row.refused_count,
  conflicts: row.conflict_count,
});

/** The live update of a scan made or undone, with the checkpoint's counts after it. */
function scanEvent(scan: {
  checkpointId: number;
  scanId: number;
  status: 'accepted' | 'refused' | 'annulled';
  reason?: ScanRefusal | null;
  participantId: number | null;
  counts: repository.CheckpointCountsRow | undefined;
}): NewEvent {
  return {
    type: 'scan',
    participantId: scan.participantId,
    payload: {
      checkpoint_id: scan.checkpointId,
      scan_id: scan.scanId,
      status: scan.status,
      reason: scan.reason ?? null,
      participant_id: scan.participantId,
      counts: scan.counts && countsView(scan.counts),
    },
  };
}

function toCheckpointView(row: repository.CheckpointRow): CheckpointView {
  return {
    name: row.name,
    kind: row.kind,
    opens_at: toIsoOrNull(row.opens_at),
    closes_at: toIsoOrNull(row.closes_at),
    per_participant_limit: row.per_participant_limit,
    capacity: row.capacity,
    requires_check_in: row.requires_check_in === 1,
    allowed_tags: row.allowed_tags === null ? null : parseTags(row.allowed_tags),
    archived: row.archived_at !== null,
    counts: countsView(row),
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}

function toScanView(row: repository.ListedScanRow): ScanView {
  return {
    checkpoint_id: row.checkpoint_id,
    participant_id: row.participant_id,
    participant_name: row.participant_name,
    outcome: row.outcome,
    reason: row.reason,
    annulled: row.annulled_at !== null,
    annulled_at: toIsoOrNull(row.annulled_at),
    annulled_by: row.annulled_by,
    key_id: row.key_id,
    key_name: row.key_name,
    scanned_at: toIso(row.scanned_at),
    received_at: toIso(row.received_at),
    offline: row.offline === 1,
  };
}

/** The stored columns for a checkpoint's fields as given; absent fields are left out. */
function checkpointColumns(fields: CheckpointPatch): repository.CheckpointChanges {
  const instant = (field: 'opens_at' | 'closes_at') => {
    const value = fields[field];
    return value === undefined ? undefined : value === null ? null : parseInstant(field, value);
  };
  return {
    name: fields.name?.trim(),
    kind: fields.kind,
    opens_at: instant('opens_at'),
    closes_at: instant('closes_at'),
    per_participant_limit: fields.per_participant_limit,
    capacity: fields.capacity,
    requires_check_in: fields.requires_check_in === undefined ? undefined : fields.requires_check_in ? 1 : 0,
    allowed_tags: fields.allowed_tags === undefined ? undefined : fields.allowed_tags && storedTags(fields.allowed_tags),
  };
}

function assertWindow(opensAt: number | null, closesAt: number | null) {
  if (opensAt !== null && closesAt !== null && closesAt <= opensAt) {
    throw rejected('invalid_time', 'closes_at must be after opens_at');
  }
}

class NonceTaken extends Error {}

export class CheckpointsService {
  constructor(
    private readonly db: Db,
    private readonly transact: TransactionRunner,
    private readonly signer: BadgeSigner,
    private readonly clock: Clock,
    private readonly undoWindowMs: number,
  ) {}

  async list(includeArchived: boolean): Promise<Record<string, CheckpointView>> {
    return keyedRows(await repository.findCheckpoints(this.db, includeArchived), toCheckpointView);
  }

  async get(id: number): Promise<CheckpointView> {
    const row = await repository.findCheckpoint(this.db, id);
    if (!row) throw checkpointNotFound();
    return toCheckpointView(row);
  }

  async create(fields: NewCheckpoint, actor: Actor): Promise<{ id: number; checkpoint: CheckpointView }> {
    const columns = checkpointColumns(fields);
    assertWindow(columns.opens_at ?? null, columns.closes_at ?? null);
    return this.transact(async (trx) => {
      const now = this.clock.now();
      const row = await repository.insertCheckpoint(trx, {
        ...columns,
        name: columns.name ?? fields.name,
        kind: fields.kind,
        per_participant_limit: fields.per_participant_limit === undefined ? 1 : fields.per_participant_limit,
        requires_check_in: columns.requires_check_in ?? 1,
        created_at: now,
        updated_at: now,
      });
      const checkpoint = await this.announce(trx, row, now);
      await auditStaffChange(trx, actor, { action: 'checkpoint.create', target: `checkpoint:${row.id}`, after: checkpoint }, now);
      return { id: row.id, checkpoint };
    });
  }

  async update(id: number, patch: CheckpointPatch, actor: Actor): Promise<CheckpointView> {
    const columns = checkpointColumns(patch);
    return this.transact(async (trx) => {
      const current = await repository.lockCheckpoint(trx, id);
      if (!current) throw checkpointNotFound();
      assertWindow(
        columns.opens_at === undefined ? current.opens_at : columns.opens_at,
        columns.closes_at === undefined ? current.closes_at : columns.closes_at,
      );
      // Archiving keeps the first archive time; restoring clears it.
      const archivedAt =
        patch.archived === undefined ? undefined : patch.archived ? (current.archived_at ?? this.clock.now()) : null;
      const before = toCheckpointView(current);
      const after = await this.change(trx, id, { ...columns, archived_at: archivedAt });
      const action = patch.archived === true && Object.keys(patch).length === 1 ? 'checkpoint.archive' : 'checkpoint.update';
      await auditStaffChange(trx, actor, { action, target: `checkpoint:${id}`, before, after }, this.clock.now());
      return after;
    });
  }

  /**
   * Archived checkpoints keep their scans and refuse new ones as closed; a restore (archived: false) lets
   * them scan again, with every count where it was.
   */
  async archive(id: number, actor: Actor): Promise<CheckpointView> {
    return this.update(id, { archived: true }, actor);
  }

  private async change(trx: Trx, id: number, columns: repository.CheckpointChanges): Promise<CheckpointView> {
    const now = this.clock.now();
    const row = await repository.updateCheckpoint(trx, id, { ...columns, updated_at: now });
    if (!row) throw checkpointNotFound();
    return this.announce(trx, row, now);
  }

  private async announce(trx: Trx, row: repository.CheckpointRow, now: number): Promise<CheckpointView> {
    const checkpoint = toCheckpointView(row);
    await recordEvents(trx, [{ type: 'checkpoint', participantId: null, payload: { checkpoint_id: row.id, checkpoint } }], now);
    return checkpoint;
  }

  /**
   * Scans a participant at a checkpoint. Every scan becomes a row, refused ones too; a nonce this key already
   * used here gets the first answer back and records nothing.
   */
  async scan(checkpointId: number, request: ScanRequest, scanner: Actor): Promise<ScanResult> {
    const { target, nonce } = request;
    if ((target.badge === undefined) === (target.participantId === undefined)) {
      throw rejected('target_required', 'Give either badge or participant_id');
    }
    const targetKey = targetKeyOf(target);
    // A repeat is answered before the time is judged: retried late, it still gets its first answer.
    const repeated = await repository.findScanByNonce(this.db, checkpointId, scanner.keyId, nonce);
    if (repeated) return this.replay(repeated, targetKey);
    const receivedAt = this.clock.now();
    const scannedAt = scanInstant(request.scannedAt, receivedAt);
    try {
      return await this.transact(async (trx) => {
        const checkpoint = await repository.lockCheckpoint(trx, checkpointId);
        if (!checkpoint) throw checkpointNotFound();
        const participant = await this.findParticipant(trx, target);
        let decision = participant
          ? (decideBeforeCounting(checkpoint, participant, scannedAt) ??
            (await this.count(trx, checkpoint, participant, this.clock.now())))
          : refuse(target.badge === undefined ? 'participant_not_found' : 'unknown_badge');
        if (decision.outcome === 'refused') {
          // The scanner let them through offline, so the refusal is a conflict to sort out, not a turned-away guest.
          if (request.offline) decision = { ...decision, conflictOf: decision.reason, reason: 'offline_conflict' };
          const conflicts = request.offline ? 1 : 0;
          const counts = await repository.adjustCounts(trx, checkpointId, {
            accepted: 0,
            participants: 0,
            refused: 1,
            conflicts,
          });
          decision = { ...decision, counts };
        }
        const body: ScanAnswerBody = { ...answerBody(decision), ...(request.offline ? { offline: true } : {}) };
        const scanId = await repository.insertScan(trx, {
          checkpoint_id: checkpointId,
          participant_id: participant?.id ?? null,
          outcome: decision.outcome,
          reason: decision.outcome === 'refused' ? decision.reason : null,
          answer: JSON.stringify(body),
          key_id: scanner.keyId,
          nonce,
          target: targetKey,
          scanned_at: scannedAt,
          received_at: receivedAt,
          offline: request.offline ? 1 : 0,
        });
        if (scanId === undefined) throw new NonceTaken();
        const event = scanEvent({
          checkpointId,
          scanId,
          status: decision.outcome,
          reason: decision.outcome === 'refused' ? decision.reason : null,
          participantId: participant?.id ?? null,
          counts: decision.counts,
        });
        await recordEvents(trx, [event], receivedAt);
        const scan = {
          scan_id: scanId,
          checkpoint_id: checkpointId,
          checkpoint_name: checkpoint.name,
          participant_id: participant?.id ?? null,
          outcome: decision.outcome,
          reason: decision.outcome === 'refused' ? decision.reason : null,
          scanned_at: new Date(scannedAt).toISOString(),
        };
        if (participant && decision.outcome === 'accepted') {
          await auditStaffChange(
            trx,
            scanner,
            { action: 'scan.accept', target: `participant:${participant.id}`, after: scan },
            receivedAt,
          );
        }
        await enqueueWebhookEvent(trx, 'scan', scan, receivedAt);
        return scanResult(scanId, body);
      });
    } catch (error) {
      if (!(error instanceof NonceTaken)) throw error;
      // A racing repeat of this nonce committed first; its answer is this one's.
      const first = await repository.findScanByNonce(this.db, checkpointId, scanner.keyId, nonce);
      if (!first) throw new Error('a scan nonce was taken but its scan is not there');
      return this.replay(first, targetKey);
    }
  }

  /**
   * Whom the scan is of; a signed badge whose signature fails, or that was rotated away, is nobody's. Share-locked:
   * the stored answer holds their name and diet, so a deletion must not erase the answers before this one is in.
   */
  private async findParticipant(trx: Trx, target: ScanTarget): Promise<repository.ScannedParticipantRow | undefined> {
    const lookup = target.badge === undefined ? undefined : badgeLookup(this.signer, target.badge);
    const participant =
      target.badge === undefined
        ? await repository.findScannedParticipant(trx, { participantId: target.participantId as number })
        : lookup && (await repository.findScannedParticipant(trx, { badge: lookup }));
    return participant && (await lockLiveParticipant(trx, participant.id)) ? participant : undefined;
  }

  /**
   * The counting rules of src/shared/checkpoint-rules.ts (decideScan), enforced by the database: the
   * participant's limit, then the capacity.
   */
  private async count(
    trx: Trx,
    checkpoint: repository.CheckpointRow,
    participant: repository.ScannedParticipantRow,
    now: number,
  ): Promise<ScanDecision> {
    const limit = checkpoint.per_participant_limit;
    const count = await repository.countUnderLimit(trx, checkpoint.id, participant.id, limit ?? NO_LIMIT, now);
    if (count === undefined) {
      const last = await repository.findLastAccepted(trx, checkpoint.id, participant.id);
      return {
        ...refuse(limitRefusal(limit), participant),
        ...(last ? { lastAccepted: { at: last.scanned_at, by: last.key_name } } : {}),
      };
    }
    const admitted = await repository.admit(trx, checkpoint.id, count === 1, checkpoint.capacity ?? NO_LIMIT);
    if (!admitted) {
      await repository.uncount(trx, checkpoint.id, participant.id, now);
      return refuse('capacity_reached', participant);
    }
    return { outcome: 'accepted', participant, count, remaining: limit === null ? null : limit - count, counts: admitted };
  }

  /** The first answer to a nonce, when it is repeated for the same target. */
  private replay(scan: repository.ScanRow, targetKey: string): ScanResult {
    if (scan.target !== targetKey) {
      throw unprocessable('idempotency_key_reused', 'This nonce was already used for another scan');
    }
    return scanResult(scan.id, JSON.parse(scan.answer) as ScanAnswerBody);
  }

  /**
   * Annuls an accepted scan: it stays, with who and when, and no longer counts. The key that scanned may undo
   * within the undo window; an admin at any time.
   */
  async undo(scanId: number, actor: Actor): Promise<ScanView> {
    return this.transact(async (trx) => {
      const scan = await repository.findListedScan(trx, scanId);
      if (!scan) throw notFound('scan_not_found', 'Scan not found');
      // The checkpoint first, as a scan takes it: an undo and a scan there never wait on each other in a cycle.
      await repository.lockCheckpoint(trx, scan.checkpoint_id);
      const now = this.clock.now();
      if (actor.role !== 'admin') {
        if (scan.key_id !== actor.keyId) throw forbidden('only the key that scanned, or an admin, may undo a scan');
        if (now - scan.received_at > this.undoWindowMs) throw forbidden('the undo window of this scan has passed');
      }
      if (scan.outcome !== 'accepted' || scan.participant_id === null) {
        throw conflict('scan_not_accepted', 'Only an accepted scan can be undone');
      }
      if (!(await repository.annulScan(trx, scanId, now, actor.keyId))) {
        throw conflict('already_annulled', 'This scan was already undone');
      }
      const left = await repository.uncount(trx, scan.checkpoint_id, scan.participant_id, now);
      const counts = await repository.adjustCounts(trx, scan.checkpoint_id, {
        accepted: -1,
        participants: left === 0 ? -1 : 0,
        refused: 0,
        conflicts: 0,
      });
      await recordEvents(
        trx,
        [scanEvent({ checkpointId: scan.checkpoint_id, scanId, status: 'annulled', participantId: scan.participant_id, counts })],
        now,
      );
      const entry = {
        action: 'scan.undo',
        target: `participant:${scan.participant_id}`,
        before: { scan_id: scanId, checkpoint_id: scan.checkpoint_id, annulled: false },
        after: { scan_id: scanId, checkpoint_id: scan.checkpoint_id, annulled: true },
      };
      await auditStaffChange(trx, actor, entry, now);
      return toScanView({ ...scan, annulled_at: now, annulled_by: actor.keyId });
    });
  }

  async scans(checkpointId: number, filter: ScanFilter | undefined, page: number): Promise<Record<string, ScanView>> {
    if (!(await repository.findCheckpoint(this.db, checkpointId))) throw checkpointNotFound();
    return keyedRows(await repository.findCheckpointScans(this.db, checkpointId, filter, page), toScanView);
  }

  async participantScans(participantId: number): Promise<Record<string, ScanView>> {
    if (!(await participantExists(this.db, participantId))) throw participantNotFound();
    return keyedRows(await repository.findParticipantScans(this.db, participantId), toScanView);
  }
}

/**
 * A scan's stored answer names the participant with their name, tags and dietary restrictions: a participant
 * being deleted is named as the tombstone they become, in the deletion's transaction. The scans stay.
 */
export async function eraseScanAnswersOf(trx: Trx, participantId: number): Promise<void> {
  const erased: ScanAnswerBody['participant'] = {
    id: participantId,
    name: 'Deleted participant',
    tags: [],
    dietary_restrictions: '',
  };
  for (const scan of await repository.findScanAnswersOf(trx, participantId)) {
    const body = JSON.parse(scan.answer) as ScanAnswerBody;
    if (body.participant) await repository.setScanAnswer(trx, scan.id, JSON.stringify({ ...body, participant: erased }));
  }
}
