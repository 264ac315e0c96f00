import type { Executor } from '../../db/database.js';

export interface CheckInRow {
  participant_id: number;
  checked_in_at: number;
  volunteer_id: number;
}

export async function participantExists(ex: Executor, participantId: number): Promise<boolean> {
  const row = await ex.selectFrom('participants').select('id').where('id', '=', participantId).executeTakeFirst();
  return row !== undefined;
}

export async function findCheckIn(ex: Executor, participantId: number): Promise<CheckInRow | undefined> {
  return ex
    .selectFrom('check_ins')
    .select(['participant_id', 'checked_in_at', 'volunteer_id'])
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
}

/** The primary key on participant_id lets exactly one insert win; the losers get undefined. */
export async function insertCheckIn(ex: Executor, row: CheckInRow): Promise<CheckInRow | undefined> {
  return ex
    .insertInto('check_ins')
    .values(row)
    .onConflict((oc) => oc.column('participant_id').doNothing())
    .returning(['participant_id', 'checked_in_at', 'volunteer_id'])
    .executeTakeFirst();
}
