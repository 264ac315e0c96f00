import type { Executor } from '../../db/tables.js';

export interface CheckInRow {
  participant_id: number;
  checked_in_at: number;
  volunteer_id: number;
  volunteer_name: string | null;
  nonce: string | null;
}

/**
 * One query for both questions: undefined when there is no such participant (or they were deleted), else their
 * check-in if any.
 */
export async function findParticipantCheckIn(
  ex: Executor,
  participantId: number,
): Promise<{ checkIn: CheckInRow | undefined } | undefined> {
  const row = await ex
    .selectFrom('participants')
    .leftJoin('check_ins', 'check_ins.participant_id', 'participants.id')
    .leftJoin('api_keys', 'api_keys.id', 'check_ins.volunteer_id')
    .select(['check_ins.checked_in_at', 'check_ins.volunteer_id', 'check_ins.nonce', 'api_keys.name as volunteer_name'])
    .where('participants.id', '=', participantId)
    .where('participants.deleted_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  const { checked_in_at: checkedInAt, volunteer_id: volunteerId } = row;
  return {
    checkIn:
      checkedInAt === null || volunteerId === null
        ? undefined
        : {
            participant_id: participantId,
            checked_in_at: checkedInAt,
            volunteer_id: volunteerId,
            volunteer_name: row.volunteer_name,
            nonce: row.nonce,
          },
  };
}

/** The primary key on participant_id lets exactly one insert win; the losers get false. */
export async function insertCheckIn(
  ex: Executor,
  row: { participant_id: number; checked_in_at: number; recorded_at: number; volunteer_id: number; nonce: string | null },
): Promise<boolean> {
  const inserted = await ex
    .insertInto('check_ins')
    .values(row)
    .onConflict((oc) => oc.column('participant_id').doNothing())
    .returning('participant_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Whom this key checked in with this nonce, if anyone (served by the (volunteer_id, nonce) index). */
export async function findCheckInByNonce(ex: Executor, volunteerId: number, nonce: string): Promise<number | undefined> {
  const row = await ex
    .selectFrom('check_ins')
    .select('participant_id')
    .where('volunteer_id', '=', volunteerId)
    .where('nonce', '=', nonce)
    .executeTakeFirst();
  return row?.participant_id;
}
