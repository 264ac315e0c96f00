import type { ExpressionBuilder } from 'kysely';
import type { Database, Executor } from '../../db/tables.js';
import { participantWithCheckIn, type ScannedParticipantRow } from '../checkpoints/checkpoints.repository.js';

export type RosterParticipantRow = ScannedParticipantRow & { badge_version: number };

export interface RosterCountRow {
  participant_id: number;
  checkpoint_id: number;
  accepted: number;
}

/**
 * Participants whose roster entry changed at or after `since`: their own fields or badge, their check-in, or
 * a count of theirs at a checkpoint. Each of the three keeps its change time, with an index.
 */
const changedSince = (since: number) => (eb: ExpressionBuilder<Database, 'participants'>) =>
  eb.or([
    eb('participants.updated_at', '>=', since),
    eb('participants.id', 'in', eb.selectFrom('check_ins').select('participant_id').where('recorded_at', '>=', since)),
    eb(
      'participants.id',
      'in',
      eb.selectFrom('checkpoint_participants').select('participant_id').where('updated_at', '>=', since),
    ),
  ]);

/** Everyone, or with `since` only those changed since; in id order. Deleted participants are left out. */
export async function findRosterParticipants(ex: Executor, since: number | undefined): Promise<RosterParticipantRow[]> {
  let query = participantWithCheckIn(ex).select('participants.badge_version');
  if (since !== undefined) query = query.where(changedSince(since));
  return query.orderBy('participants.id').execute();
}

/**
 * The non-zero counts of the participants findRosterParticipants picks. A separate read: a count that changes
 * between the two is also a change the next delta sends.
 */
export async function findRosterCounts(ex: Executor, since: number | undefined): Promise<RosterCountRow[]> {
  let query = ex
    .selectFrom('checkpoint_participants')
    .select(['participant_id', 'checkpoint_id', 'accepted'])
    .where('accepted', '>', 0);
  if (since !== undefined) {
    query = query.where('participant_id', 'in', (eb) =>
      eb.selectFrom('participants').select('participants.id').where(changedSince(since)),
    );
  }
  return query.execute();
}

/**
 * Participants deleted at or after `since`, in id order: a deletion stamps updated_at with deleted_at, so the
 * updated_at index finds them.
 */
export async function findRosterRemovals(ex: Executor, since: number): Promise<number[]> {
  const rows = await ex
    .selectFrom('participants')
    .select('id')
    .where('updated_at', '>=', since)
    .where('deleted_at', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

/** Raised by a reset import, which starts the participants again: a roster from before it is no use. */
export async function findRosterEpoch(ex: Executor): Promise<number> {
  const row = await ex.selectFrom('event_settings').select('badge_version_floor').where('id', '=', 1).executeTakeFirstOrThrow();
  return row.badge_version_floor;
}
