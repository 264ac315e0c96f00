import { sql } from 'kysely';
import type { Db } from '../src/db/tables.js';

export interface ParticipantTally {
  checkpoint_id: number;
  participant_id: number;
  /** What checkpoint_participants says... */
  accepted: number;
  /** ... and what the scans say: accepted, not annulled. */
  recount: number;
  per_participant_limit: number | null;
}

/**
 * Every participant's kept count at every checkpoint beside a recount from the scans themselves: what the
 * race tests and the bench audit after hammering the scan route.
 */
export async function participantTallies(db: Db): Promise<ParticipantTally[]> {
  const rows = await db
    .selectFrom('checkpoint_participants as cp')
    .innerJoin('checkpoints as c', 'c.id', 'cp.checkpoint_id')
    .select([
      'cp.checkpoint_id',
      'cp.participant_id',
      'cp.accepted',
      'c.per_participant_limit',
      (eb) =>
        eb
          .selectFrom('checkpoint_scans as s')
          .select(sql<number>`count(*)`.as('n'))
          .whereRef('s.checkpoint_id', '=', 'cp.checkpoint_id')
          .whereRef('s.participant_id', '=', 'cp.participant_id')
          .where('s.outcome', '=', 'accepted')
          .where('s.annulled_at', 'is', null)
          .as('recount'),
    ])
    .execute();
  return rows.map((row) => ({ ...row, accepted: Number(row.accepted), recount: Number(row.recount) }));
}
