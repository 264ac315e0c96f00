import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { BobaStatus } from '../../db/tables.js';

const HOUR_MS = 3_600_000;

export async function participantTotals(ex: Executor): Promise<{ participants: number; tokens: number }> {
  const row = await ex
    .selectFrom('participants')
    .select((eb) => [eb.fn.countAll<number>().as('participants'), eb.fn.sum<number>('bbt_tokens').as('tokens')])
    .executeTakeFirstOrThrow();
  return { participants: Number(row.participants), tokens: Number(row.tokens ?? 0) };
}

export async function ordersByStatus(ex: Executor): Promise<{ status: BobaStatus; count: number }[]> {
  const rows = await ex
    .selectFrom('boba_orders')
    .select((eb) => ['status', eb.fn.countAll<number>().as('count')])
    .groupBy('status')
    .execute();
  return rows.map((row) => ({ status: row.status, count: Number(row.count) }));
}

export async function topSkills(ex: Executor, limit: number) {
  return ex
    .selectFrom('skills')
    .select(['name', 'frequency', 'rating_sum'])
    .where('frequency', '>', 0)
    .orderBy('frequency', 'desc')
    .orderBy('name')
    .limit(limit)
    .execute();
}

/** Check-ins per hour, as [hour start in epoch ms, count], oldest first. */
export async function checkInsPerHour(ex: Executor): Promise<{ hourStart: number; count: number }[]> {
  const rows = await ex
    .selectFrom('check_ins')
    // A literal divisor: a bound number arrives in SQLite as a REAL, and the division would not truncate.
    .select((eb) => [eb('checked_in_at', '/', sql.lit(HOUR_MS)).as('hour'), eb.fn.countAll<number>().as('count')])
    .groupBy('hour')
    .orderBy('hour')
    .execute();
  return rows.map((row) => ({ hourStart: Math.floor(Number(row.hour)) * HOUR_MS, count: Number(row.count) }));
}
