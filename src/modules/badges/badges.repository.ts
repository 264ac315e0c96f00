import type { Executor } from '../../db/tables.js';

export interface BadgeHolderRow {
  id: number;
  name: string;
  checked_in_at: number | null;
}

export async function findHolder(ex: Executor, badgeCode: string): Promise<BadgeHolderRow | undefined> {
  return ex
    .selectFrom('participants')
    .leftJoin('check_ins', 'check_ins.participant_id', 'participants.id')
    .select(['participants.id', 'participants.name', 'check_ins.checked_in_at'])
    .where('participants.badge_code', '=', badgeCode)
    .executeTakeFirst();
}

export async function findBadgeCode(ex: Executor, participantId: number): Promise<string | undefined> {
  const row = await ex.selectFrom('participants').select('badge_code').where('id', '=', participantId).executeTakeFirst();
  return row?.badge_code;
}

export async function replaceBadgeCode(ex: Executor, participantId: number, badgeCode: string, now: number): Promise<boolean> {
  const row = await ex
    .updateTable('participants')
    .set({ badge_code: badgeCode, updated_at: now })
    .where('id', '=', participantId)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
