import type { Insertable, Selectable, Updateable } from 'kysely';
import { preparedQuery } from '../../db/prepared.js';
import type { CheckpointScansTable, CheckpointsTable, Executor, Trx } from '../../db/tables.js';
import { type BadgeLookup, whereBadge } from '../badges/badges.repository.js';

export type CheckpointRow = Selectable<CheckpointsTable>;
export type NewCheckpointRow = Insertable<CheckpointsTable>;
export type CheckpointChanges = Updateable<CheckpointsTable>;
export type ScanRow = Selectable<CheckpointScansTable>;
export type NewScanRow = Omit<Insertable<CheckpointScansTable>, 'id'>;
/** A scan with the names a list shows beside it. */
export type ListedScanRow = ScanRow & { participant_name: string | null; key_name: string | null };

export interface CheckpointCountsRow {
  accepted_count: number;
  participant_count: number;
  refused_count: number;
  conflict_count: number;
}

export interface ScannedParticipantRow {
  id: number;
  name: string;
  tags: string;
  dietary_restrictions: string;
  checked_in_at: number | null;
}

const SCANS_PER_PAGE = 100;

export async function insertCheckpoint(ex: Executor, row: NewCheckpointRow): Promise<CheckpointRow> {
  return ex.insertInto('checkpoints').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateCheckpoint(ex: Executor, id: number, changes: CheckpointChanges): Promise<CheckpointRow | undefined> {
  return ex.updateTable('checkpoints').set(changes).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function findCheckpoints(ex: Executor, includeArchived: boolean): Promise<CheckpointRow[]> {
  let query = ex.selectFrom('checkpoints').selectAll().orderBy('id');
  if (!includeArchived) query = query.where('archived_at', 'is', null);
  return query.execute();
}

const findCheckpointQuery = preparedQuery((ex, p: { id: number }) =>
  ex.selectFrom('checkpoints').selectAll().where('id', '=', p.id),
);

export async function findCheckpoint(ex: Executor, id: number): Promise<CheckpointRow | undefined> {
  return (await findCheckpointQuery(ex, { id }))[0];
}

const lockCheckpointQuery = preparedQuery((ex, p: { id: number }) =>
  ex
    .updateTable('checkpoints')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', p.id)
    .returningAll(),
);

/**
 * The checkpoint as it is now, its row locked until the transaction ends (an update that changes nothing:
 * the same statement on both databases). A scan decides on the limit, capacity and hours it reads here, so
 * an edit or archive waits for the scans under way and every later scan sees it.
 */
export async function lockCheckpoint(trx: Trx, id: number): Promise<CheckpointRow | undefined> {
  return (await lockCheckpointQuery(trx, { id }))[0];
}

/**
 * A participant with what the checkpoint rules read about them: tags, dietary restrictions, check-in time.
 * A deleted participant is nobody: scanned, lent to or listed in a roster, they are unknown.
 */
export const participantWithCheckIn = (ex: Executor) =>
  ex
    .selectFrom('participants')
    .leftJoin('check_ins', 'check_ins.participant_id', 'participants.id')
    .select([
      'participants.id',
      'participants.name',
      'participants.tags',
      'participants.dietary_restrictions',
      'check_ins.checked_in_at',
    ])
    .where('participants.deleted_at', 'is', null);

const participantByBadgeQuery = preparedQuery((ex, p: BadgeLookup) => participantWithCheckIn(ex).where(whereBadge(p)));
const participantByIdQuery = preparedQuery((ex, p: { id: number }) =>
  participantWithCheckIn(ex).where('participants.id', '=', p.id),
);

export async function findScannedParticipant(
  ex: Executor,
  target: { badge: BadgeLookup } | { participantId: number },
): Promise<ScannedParticipantRow | undefined> {
  const rows =
    'badge' in target
      ? await participantByBadgeQuery(ex, target.badge)
      : await participantByIdQuery(ex, { id: target.participantId });
  return rows[0];
}

const ensureTallyQuery = preparedQuery((ex, p: { checkpointId: number; participantId: number }) =>
  ex
    .insertInto('checkpoint_participants')
    .values({ checkpoint_id: p.checkpointId, participant_id: p.participantId, accepted: 0 })
    .onConflict((oc) => oc.columns(['checkpoint_id', 'participant_id']).doNothing()),
);

const countUnderLimitQuery = preparedQuery((ex, p: { checkpointId: number; participantId: number; limit: number; now: number }) =>
  ex
    .updateTable('checkpoint_participants')
    .set((eb) => ({ accepted: eb('accepted', '+', 1), updated_at: p.now }))
    .where('checkpoint_id', '=', p.checkpointId)
    .where('participant_id', '=', p.participantId)
    .where('accepted', '<', p.limit)
    .returning('accepted'),
);

/**
 * Counts one more accepted scan of the participant here unless that would pass `limit`: a conditional UPDATE,
 * so on PostgreSQL a racing scan waits for the row and re-checks the condition. Returns the new count, or
 * undefined when the limit was already reached.
 */
export async function countUnderLimit(
  trx: Trx,
  checkpointId: number,
  participantId: number,
  limit: number,
  now: number,
): Promise<number | undefined> {
  await ensureTallyQuery(trx, { checkpointId, participantId });
  return (await countUnderLimitQuery(trx, { checkpointId, participantId, limit, now }))[0]?.accepted;
}

/** The participant's latest accepted scan here that still counts, and who made it: what a volunteer refusing them is told. */
export async function findLastAccepted(
  ex: Executor,
  checkpointId: number,
  participantId: number,
): Promise<{ scanned_at: number; key_name: string | null } | undefined> {
  return ex
    .selectFrom('checkpoint_scans')
    .leftJoin('api_keys', 'api_keys.id', 'checkpoint_scans.key_id')
    .select(['checkpoint_scans.scanned_at', 'api_keys.name as key_name'])
    .where('checkpoint_scans.checkpoint_id', '=', checkpointId)
    .where('checkpoint_scans.participant_id', '=', participantId)
    .where('checkpoint_scans.outcome', '=', 'accepted')
    .where('checkpoint_scans.annulled_at', 'is', null)
    .orderBy('checkpoint_scans.id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

const uncountQuery = preparedQuery((ex, p: { checkpointId: number; participantId: number; now: number }) =>
  ex
    .updateTable('checkpoint_participants')
    .set((eb) => ({ accepted: eb('accepted', '-', 1), updated_at: p.now }))
    .where('checkpoint_id', '=', p.checkpointId)
    .where('participant_id', '=', p.participantId)
    .where('accepted', '>', 0)
    .returning('accepted'),
);

/** Takes one accepted scan off the participant's count here; returns what is left. */
export async function uncount(trx: Trx, checkpointId: number, participantId: number, now: number): Promise<number> {
  const [row] = await uncountQuery(trx, { checkpointId, participantId, now });
  if (!row) throw new Error(`checkpoint ${checkpointId} has no accepted scan of participant ${participantId} to take off`);
  return row.accepted;
}

const COUNTS = ['accepted_count', 'participant_count', 'refused_count', 'conflict_count'] as const;

const admitQuery = preparedQuery((ex, p: { id: number; newcomer: number; capacity: number }) =>
  ex
    .updateTable('checkpoints')
    .set((eb) => ({
      accepted_count: eb('accepted_count', '+', 1),
      participant_count: eb('participant_count', '+', p.newcomer),
    }))
    .where('id', '=', p.id)
    .where((eb) => eb.or([eb(eb.val(p.newcomer), '=', 0), eb('participant_count', '<', p.capacity)]))
    .returning(COUNTS),
);

/**
 * Adds an accepted scan to the checkpoint's counts; a newcomer (first accepted scan here) also takes a place
 * of the capacity, and only while one is free. Undefined when the capacity is full.
 */
export async function admit(
  trx: Trx,
  checkpointId: number,
  newcomer: boolean,
  capacity: number,
): Promise<CheckpointCountsRow | undefined> {
  return (await admitQuery(trx, { id: checkpointId, newcomer: newcomer ? 1 : 0, capacity }))[0];
}

type CountChanges = { accepted: number; participants: number; refused: number; conflicts: number };

const adjustCountsQuery = preparedQuery((ex, p: CountChanges & { id: number }) =>
  ex
    .updateTable('checkpoints')
    .set((eb) => ({
      accepted_count: eb('accepted_count', '+', p.accepted),
      participant_count: eb('participant_count', '+', p.participants),
      refused_count: eb('refused_count', '+', p.refused),
      conflict_count: eb('conflict_count', '+', p.conflicts),
    }))
    .where('id', '=', p.id)
    .returning(COUNTS),
);

export async function adjustCounts(trx: Trx, checkpointId: number, by: CountChanges): Promise<CheckpointCountsRow> {
  const [row] = await adjustCountsQuery(trx, { id: checkpointId, ...by });
  if (!row) throw new Error(`checkpoint ${checkpointId} vanished during a scan`);
  return row;
}

const insertScanQuery = preparedQuery((ex, scan: NewScanRow) =>
  ex
    .insertInto('checkpoint_scans')
    .values(scan)
    .onConflict((oc) => oc.columns(['checkpoint_id', 'key_id', 'nonce']).doNothing())
    .returning('id'),
);

/** Undefined when this key already used the nonce here: the unique index decides between racing repeats. */
export async function insertScan(trx: Trx, scan: NewScanRow): Promise<number | undefined> {
  return (await insertScanQuery(trx, scan))[0]?.id;
}

const findScanByNonceQuery = preparedQuery((ex, p: { checkpointId: number; keyId: number; nonce: string }) =>
  ex
    .selectFrom('checkpoint_scans')
    .selectAll()
    .where('checkpoint_id', '=', p.checkpointId)
    .where('key_id', '=', p.keyId)
    .where('nonce', '=', p.nonce),
);

export async function findScanByNonce(
  ex: Executor,
  checkpointId: number,
  keyId: number,
  nonce: string,
): Promise<ScanRow | undefined> {
  return (await findScanByNonceQuery(ex, { checkpointId, keyId, nonce }))[0];
}

/** Marks an accepted scan annulled unless it already is; false when another undo got there first. */
export async function annulScan(trx: Trx, scanId: number, now: number, keyId: number): Promise<boolean> {
  const row = await trx
    .updateTable('checkpoint_scans')
    .set({ annulled_at: now, annulled_by: keyId })
    .where('id', '=', scanId)
    .where('annulled_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

const listedScans = (ex: Executor) =>
  ex
    .selectFrom('checkpoint_scans')
    .leftJoin('participants', 'participants.id', 'checkpoint_scans.participant_id')
    .leftJoin('api_keys', 'api_keys.id', 'checkpoint_scans.key_id')
    .selectAll('checkpoint_scans')
    .select(['participants.name as participant_name', 'api_keys.name as key_name']);

export type ScanFilter = 'accepted' | 'refused' | 'annulled';

/** A page of a checkpoint's scans, newest first. */
export async function findCheckpointScans(
  ex: Executor,
  checkpointId: number,
  filter: ScanFilter | undefined,
  page: number,
): Promise<ListedScanRow[]> {
  let query = listedScans(ex).where('checkpoint_scans.checkpoint_id', '=', checkpointId);
  if (filter === 'annulled') query = query.where('checkpoint_scans.annulled_at', 'is not', null);
  else if (filter !== undefined) {
    query = query.where('checkpoint_scans.outcome', '=', filter).where('checkpoint_scans.annulled_at', 'is', null);
  }
  return query
    .orderBy('checkpoint_scans.id', 'desc')
    .limit(SCANS_PER_PAGE)
    .offset((page - 1) * SCANS_PER_PAGE)
    .execute();
}

/** The stored answers of a participant's scans, replayed to a repeated nonce. */
export async function findScanAnswersOf(trx: Trx, participantId: number): Promise<{ id: number; answer: string }[]> {
  return trx.selectFrom('checkpoint_scans').select(['id', 'answer']).where('participant_id', '=', participantId).execute();
}

export async function setScanAnswer(trx: Trx, scanId: number, answer: string): Promise<void> {
  await trx.updateTable('checkpoint_scans').set({ answer }).where('id', '=', scanId).execute();
}

export async function findParticipantScans(ex: Executor, participantId: number): Promise<ListedScanRow[]> {
  return listedScans(ex).where('checkpoint_scans.participant_id', '=', participantId).orderBy('checkpoint_scans.id').execute();
}

export async function findListedScan(ex: Executor, scanId: number): Promise<ListedScanRow | undefined> {
  return listedScans(ex).where('checkpoint_scans.id', '=', scanId).executeTakeFirst();
}
