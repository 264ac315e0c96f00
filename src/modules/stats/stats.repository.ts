import { PostgresAdapter, sql } from 'kysely';
import type { Executor } from '../../db/tables.js';

const HOUR_MS = 3_600_000;

/** Every maintained counter ('participants', 'tokens', 'order:<status>', 'ledger:<kind>:in|out', 'webhook:<status>'), its shards summed. */
export async function readCounters(ex: Executor): Promise<Map<string, number>> {
  const rows = await ex
    .selectFrom('stats_counters')
    .select(['counter', sql<number>`cast(sum(value) as bigint)`.as('value')])
    .groupBy('counter')
    .execute();
  return new Map(rows.map((row) => [row.counter, Number(row.value)]));
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

/** Check-ins per hour, as [hour start in epoch ms, count], oldest first; hours with none left out. */
export async function checkInsPerHour(ex: Executor): Promise<{ hourStart: number; count: number }[]> {
  const rows = await ex
    .selectFrom('stats_check_in_hours')
    .select(['hour', sql<number>`cast(sum(count) as bigint)`.as('count')])
    .groupBy('hour')
    .having(sql<number>`sum(count)`, '>', 0)
    .orderBy('hour')
    .execute();
  return rows.map((row) => ({ hourStart: Number(row.hour) * HOUR_MS, count: Number(row.count) }));
}

/**
 * PostgreSQL: adds the counter rows of backends that have exited into shard 0, so the rows to sum stay about
 * as many as the live backends. Rows another transaction holds are skipped, never waited for (a reused
 * process id may be writing its row); shard 0 rows are taken in one order, so two folds cannot deadlock.
 * SQLite has shard 0 only.
 */
export async function foldIdleShards(ex: Executor): Promise<void> {
  if (!(ex.getExecutor().adapter instanceof PostgresAdapter)) return;
  await foldIdleShardsOf(ex, 'stats_counters', 'counter', 'value');
  await foldIdleShardsOf(ex, 'stats_check_in_hours', 'hour', 'count');
}

/** One sharded table's fold: its rows are keyed by (`key`, shard) and hold `value`. */
async function foldIdleShardsOf(ex: Executor, table: string, key: string, value: string): Promise<void> {
  const [rows, k, v] = [sql.table(table), sql.ref(key), sql.ref(value)];
  const live = sql`select pid from pg_stat_activity where pid is not null`;
  await sql`
    with idle as (
      select ${k}, shard from ${rows} where shard <> 0 and shard not in (${live}) for update skip locked
    ), folded as (
      delete from ${rows} t using idle where t.${k} = idle.${k} and t.shard = idle.shard
      returning t.${k}, t.${v}
    )
    insert into ${rows} as t (${k}, shard, ${v})
    select ${k}, 0, sum(${v}) from folded group by ${k} order by ${k}
    on conflict (${k}, shard) do update set ${v} = t.${v} + excluded.${v}`.execute(ex);
}
