import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Migrations are frozen history: they use Kysely<any> and no application code.

const STATUSES = ['Placed', 'In Progress', 'Out for Delivery', 'Delivered', 'Cancelled'];
const HOUR_MS = 3_600_000;

/**
 * The dashboard's counts, kept by triggers so that every writer keeps them right: the API, the import and
 * keys CLIs, other API processes, a hand-written statement. GET /stats then reads a few rows instead of
 * counting and summing every participant, order and check-in.
 *
 * Counters are split into shards. SQLite has one writer and uses shard 0 only. On PostgreSQL each backend
 * writes the shard named by its process id, so two transactions never wait for the same counter row (every
 * token write changes the token total: one shared row would queue them all, and a transaction holding it
 * while it waits for a participant's row could deadlock with another). A reader sums the shards; rows of
 * backends that have gone are folded into shard 0 from time to time by the API.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('stats_counters')
    .addColumn('counter', 'text', (col) => col.notNull())
    .addColumn('shard', 'integer', (col) => col.notNull())
    .addColumn('value', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('stats_counters_pk', ['counter', 'shard'])
    .execute();
  await db.schema
    .createTable('stats_check_in_hours')
    // Whole hours since the epoch: checked_in_at / 3,600,000.
    .addColumn('hour', 'bigint', (col) => col.notNull())
    .addColumn('shard', 'integer', (col) => col.notNull())
    .addColumn('count', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('stats_check_in_hours_pk', ['hour', 'shard'])
    .execute();

  // Triggers first, then the counts of what exists: a write committed in between is in the counts, and
  // the backfill sets (not adds) its values, so nothing is counted twice.
  if (db.getExecutor().adapter instanceof PostgresAdapter) await createPostgresTriggers(db);
  else await createSqliteTriggers(db);
  await backfill(db);
}

async function backfill(db: Kysely<any>): Promise<void> {
  const counts = sql`
    select 'participants' as counter, count(*) as value from participants
    union all select 'tokens', coalesce(sum(bbt_tokens), 0) from participants
    ${sql.join(
      STATUSES.map((status) => sql`union all select ${`order:${status}`}, count(*) from boba_orders where status = ${status}`),
      sql` `,
    )}`;
  await sql`
    insert into stats_counters (counter, shard, value) select counter, 0, value from (${counts}) as counts where true
    on conflict (counter, shard) do update set value = excluded.value`.execute(db);
  await sql`
    insert into stats_check_in_hours (hour, shard, count)
    select checked_in_at / ${sql.lit(HOUR_MS)}, 0, count(*) from check_ins group by checked_in_at / ${sql.lit(HOUR_MS)}
    on conflict (hour, shard) do update set count = excluded.count`.execute(db);
}

async function createSqliteTriggers(db: Kysely<any>): Promise<void> {
  // The backfill creates every counter's row; an UPDATE costs the hot write path less than an upsert.
  const add = (counter: string, delta: string, when = 'true') =>
    `update stats_counters set value = value + (${delta}) where counter = ${counter} and shard = 0 and ${when};`;
  const addHour = (at: string, delta: number) =>
    `insert into stats_check_in_hours (hour, shard, count) values (${at} / ${HOUR_MS}, 0, ${delta})
       on conflict (hour, shard) do update set count = count + excluded.count;`;
  const statements = [
    `create trigger stats_participants_insert after insert on participants begin
       ${add(`'participants'`, '1')} ${add(`'tokens'`, 'new.bbt_tokens', 'new.bbt_tokens <> 0')} end`,
    `create trigger stats_participants_delete after delete on participants begin
       ${add(`'participants'`, '-1')} ${add(`'tokens'`, '-old.bbt_tokens', 'old.bbt_tokens <> 0')} end`,
    `create trigger stats_participants_tokens after update of bbt_tokens on participants
       when new.bbt_tokens <> old.bbt_tokens begin ${add(`'tokens'`, 'new.bbt_tokens - old.bbt_tokens')} end`,
    `create trigger stats_orders_insert after insert on boba_orders begin ${add(`'order:' || new.status`, '1')} end`,
    `create trigger stats_orders_delete after delete on boba_orders begin ${add(`'order:' || old.status`, '-1')} end`,
    `create trigger stats_orders_status after update of status on boba_orders when new.status <> old.status begin
       ${add(`'order:' || old.status`, '-1')} ${add(`'order:' || new.status`, '1')} end`,
    `create trigger stats_check_ins_insert after insert on check_ins begin ${addHour('new.checked_in_at', 1)} end`,
    `create trigger stats_check_ins_delete after delete on check_ins begin ${addHour('old.checked_in_at', -1)} end`,
    `create trigger stats_check_ins_time after update of checked_in_at on check_ins
       when new.checked_in_at <> old.checked_in_at begin ${addHour('old.checked_in_at', -1)} ${addHour('new.checked_in_at', 1)} end`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/**
 * Inserts and deletes are counted per statement from their transition tables, so a bulk load or a reset
 * changes each counter row once, not once per row. Updates are counted per row, and only when the counted
 * column changes (a token write changes one or two rows). TRUNCATE empties the counts of its table.
 */
async function createPostgresTriggers(db: Kysely<any>): Promise<void> {
  // The functions name their tables with this schema, so a session with another search_path still counts here.
  const { schema } = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!;
  const counters = `${quoteIdent(schema)}.stats_counters`;
  const hours = `${quoteIdent(schema)}.stats_check_in_hours`;
  // Deltas are summed per row first: ON CONFLICT may not change one row twice (a check-in moved within its hour).
  const addCounters = (select: string) =>
    `insert into ${counters} as c (counter, shard, value)
       select counter, pg_backend_pid(), sum(delta) from (${select}) as d(counter, delta) group by counter having sum(delta) <> 0 order by counter
       on conflict (counter, shard) do update set value = c.value + excluded.value;`;
  const addHours = (select: string) =>
    `insert into ${hours} as h (hour, shard, count)
       select hour, pg_backend_pid(), sum(delta) from (${select}) as d(hour, delta) group by hour having sum(delta) <> 0 order by hour
       on conflict (hour, shard) do update set count = h.count + excluded.count;`;
  const hourOf = (column: string) => `${column} / ${HOUR_MS}`;

  const functions: Record<string, string> = {
    stats_participants_inserted: addCounters(
      `select 'participants', count(*) from new_rows union all select 'tokens', coalesce(sum(bbt_tokens), 0) from new_rows`,
    ),
    stats_participants_deleted: addCounters(
      `select 'participants', -count(*) from old_rows union all select 'tokens', -coalesce(sum(bbt_tokens), 0) from old_rows`,
    ),
    // Every token write runs this one: a single VALUES row, nothing to sum.
    stats_participant_tokens_changed: `insert into ${counters} as c (counter, shard, value)
       values ('tokens', pg_backend_pid(), new.bbt_tokens::bigint - old.bbt_tokens)
       on conflict (counter, shard) do update set value = c.value + excluded.value;`,
    stats_participants_truncated: `delete from ${counters} where counter in ('participants', 'tokens');`,
    stats_orders_inserted: addCounters(`select 'order:' || status, count(*) from new_rows group by status`),
    stats_orders_deleted: addCounters(`select 'order:' || status, -count(*) from old_rows group by status`),
    stats_order_status_changed: addCounters(`select 'order:' || old.status, -1 union all select 'order:' || new.status, 1`),
    stats_orders_truncated: `delete from ${counters} where counter like 'order:%';`,
    stats_check_ins_inserted: addHours(`select ${hourOf('checked_in_at')}, count(*) from new_rows group by 1`),
    stats_check_ins_deleted: addHours(`select ${hourOf('checked_in_at')}, -count(*) from old_rows group by 1`),
    stats_check_in_time_changed: addHours(
      `select ${hourOf('old.checked_in_at')}, -1 union all select ${hourOf('new.checked_in_at')}, 1`,
    ),
    stats_check_ins_truncated: `delete from ${hours};`,
  };
  for (const [name, body] of Object.entries(functions)) {
    await sql
      .raw(`create function ${name}() returns trigger language plpgsql as $$ begin ${body} return null; end $$`)
      .execute(db);
  }

  const triggers = [
    `create trigger stats_participants_insert after insert on participants referencing new table as new_rows
       for each statement execute function stats_participants_inserted()`,
    `create trigger stats_participants_delete after delete on participants referencing old table as old_rows
       for each statement execute function stats_participants_deleted()`,
    `create trigger stats_participants_tokens after update of bbt_tokens on participants for each row
       when (new.bbt_tokens <> old.bbt_tokens) execute function stats_participant_tokens_changed()`,
    `create trigger stats_participants_truncate after truncate on participants for each statement execute function stats_participants_truncated()`,
    `create trigger stats_orders_insert after insert on boba_orders referencing new table as new_rows
       for each statement execute function stats_orders_inserted()`,
    `create trigger stats_orders_delete after delete on boba_orders referencing old table as old_rows
       for each statement execute function stats_orders_deleted()`,
    `create trigger stats_orders_status after update of status on boba_orders for each row
       when (new.status <> old.status) execute function stats_order_status_changed()`,
    `create trigger stats_orders_truncate after truncate on boba_orders for each statement execute function stats_orders_truncated()`,
    `create trigger stats_check_ins_insert after insert on check_ins referencing new table as new_rows
       for each statement execute function stats_check_ins_inserted()`,
    `create trigger stats_check_ins_delete after delete on check_ins referencing old table as old_rows
       for each statement execute function stats_check_ins_deleted()`,
    `create trigger stats_check_ins_time after update of checked_in_at on check_ins for each row
       when (new.checked_in_at <> old.checked_in_at) execute function stats_check_in_time_changed()`,
    `create trigger stats_check_ins_truncate after truncate on check_ins for each statement execute function stats_check_ins_truncated()`,
  ];
  for (const statement of triggers) await sql.raw(statement).execute(db);
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const triggers: [string, string][] = [
    ['stats_participants_insert', 'participants'],
    ['stats_participants_delete', 'participants'],
    ['stats_participants_tokens', 'participants'],
    ['stats_orders_insert', 'boba_orders'],
    ['stats_orders_delete', 'boba_orders'],
    ['stats_orders_status', 'boba_orders'],
    ['stats_check_ins_insert', 'check_ins'],
    ['stats_check_ins_delete', 'check_ins'],
    ['stats_check_ins_time', 'check_ins'],
    ...(postgres
      ? ([
          ['stats_participants_truncate', 'participants'],
          ['stats_orders_truncate', 'boba_orders'],
          ['stats_check_ins_truncate', 'check_ins'],
        ] as [string, string][])
      : []),
  ];
  for (const [name, table] of triggers) await sql.raw(`drop trigger ${name}${postgres ? ` on ${table}` : ''}`).execute(db);
  if (postgres) {
    for (const name of [
      'stats_participants_inserted',
      'stats_participants_deleted',
      'stats_participant_tokens_changed',
      'stats_participants_truncated',
      'stats_orders_inserted',
      'stats_orders_deleted',
      'stats_order_status_changed',
      'stats_orders_truncated',
      'stats_check_ins_inserted',
      'stats_check_ins_deleted',
      'stats_check_in_time_changed',
      'stats_check_ins_truncated',
    ]) {
      await sql.raw(`drop function ${name}()`).execute(db);
    }
  }
  await db.schema.dropTable('stats_check_in_hours').execute();
  await db.schema.dropTable('stats_counters').execute();
}
