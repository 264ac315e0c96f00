import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Migrations are frozen history: they use Kysely<any> and no application code.

/**
 * Two more kinds of counter in stats_counters (migration 20261201_06, sharded the same way), for GET /metrics:
 * `ledger:<kind>:in` and `ledger:<kind>:out`, the tokens each kind of ledger row has given and taken, and
 * `webhook:<status>`, the webhook deliveries in each status. Summing the ledger at every scrape took 90 ms
 * on SQLite at 200,000 rows (measured), all of it on the event loop; these make a scrape read a few rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Triggers first, then the counts: a table's trigger creation waits for its writers and holds them off
  // until this migration commits, and the backfill sets its values rather than adding to them.
  if (db.getExecutor().adapter instanceof PostgresAdapter) await createPostgresTriggers(db);
  else await createSqliteTriggers(db);
  await sql`
    insert into stats_counters (counter, shard, value)
    select counter, 0, value from (
      select 'ledger:' || kind || ':in' as counter, sum(amount) as value from token_ledger where amount > 0 group by kind
      union all select 'ledger:' || kind || ':out', sum(-amount) from token_ledger where amount < 0 group by kind
      union all select 'webhook:' || status, count(*) from webhook_deliveries group by status
    ) as counts where true
    on conflict (counter, shard) do update set value = excluded.value`.execute(db);
}

/** The counter a ledger row counts in; `row` names it inside a row trigger (new, old). */
const ledgerCounter = (row?: string) => {
  const column = (name: string) => (row ? `${row}.${name}` : name);
  return `'ledger:' || ${column('kind')} || case when ${column('amount')} > 0 then ':in' else ':out' end`;
};

/** `if not exists`: SQLite's DDL here is not in one transaction, so a start cut short may have made some. */
async function createSqliteTriggers(db: Kysely<any>): Promise<void> {
  const add = (counter: string, delta: string) =>
    `insert into stats_counters (counter, shard, value) values (${counter}, 0, ${delta})
       on conflict (counter, shard) do update set value = value + excluded.value;`;
  const statements = [
    `create trigger if not exists stats_ledger_insert after insert on token_ledger when new.amount <> 0 begin
       ${add(ledgerCounter('new'), 'abs(new.amount)')} end`,
    `create trigger if not exists stats_ledger_delete after delete on token_ledger when old.amount <> 0 begin
       ${add(ledgerCounter('old'), '-abs(old.amount)')} end`,
    `create trigger if not exists stats_webhook_deliveries_insert after insert on webhook_deliveries begin
       ${add(`'webhook:' || new.status`, '1')} end`,
    `create trigger if not exists stats_webhook_deliveries_delete after delete on webhook_deliveries begin
       ${add(`'webhook:' || old.status`, '-1')} end`,
    `create trigger if not exists stats_webhook_deliveries_status after update of status on webhook_deliveries
       when new.status <> old.status begin ${add(`'webhook:' || old.status`, '-1')} ${add(`'webhook:' || new.status`, '1')} end`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** As in migration 20261201_06: inserts and deletes counted per statement, status changes per row. */
async function createPostgresTriggers(db: Kysely<any>): Promise<void> {
  const { schema } = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!;
  const counters = `${quoteIdent(schema)}.stats_counters`;
  const addCounters = (select: string) =>
    `insert into ${counters} as c (counter, shard, value)
       select counter, pg_backend_pid(), sum(delta) from (${select}) as d(counter, delta) group by counter having sum(delta) <> 0 order by counter
       on conflict (counter, shard) do update set value = c.value + excluded.value;`;

  const functions: Record<string, string> = {
    stats_ledger_inserted: addCounters(`select ${ledgerCounter()}, abs(amount) from new_rows where amount <> 0`),
    stats_ledger_deleted: addCounters(`select ${ledgerCounter()}, -abs(amount) from old_rows where amount <> 0`),
    stats_ledger_truncated: `delete from ${counters} where counter like 'ledger:%';`,
    stats_webhook_deliveries_inserted: addCounters(`select 'webhook:' || status, count(*) from new_rows group by status`),
    stats_webhook_deliveries_deleted: addCounters(`select 'webhook:' || status, -count(*) from old_rows group by status`),
    stats_webhook_delivery_status_changed: addCounters(
      `select 'webhook:' || old.status, -1 union all select 'webhook:' || new.status, 1`,
    ),
    stats_webhook_deliveries_truncated: `delete from ${counters} where counter like 'webhook:%';`,
  };
  for (const [name, body] of Object.entries(functions)) {
    await sql
      .raw(`create function ${name}() returns trigger language plpgsql as $$ begin ${body} return null; end $$`)
      .execute(db);
  }
  const triggers = [
    `create trigger stats_ledger_insert after insert on token_ledger referencing new table as new_rows
       for each statement execute function stats_ledger_inserted()`,
    `create trigger stats_ledger_delete after delete on token_ledger referencing old table as old_rows
       for each statement execute function stats_ledger_deleted()`,
    `create trigger stats_ledger_truncate after truncate on token_ledger for each statement execute function stats_ledger_truncated()`,
    `create trigger stats_webhook_deliveries_insert after insert on webhook_deliveries referencing new table as new_rows
       for each statement execute function stats_webhook_deliveries_inserted()`,
    `create trigger stats_webhook_deliveries_delete after delete on webhook_deliveries referencing old table as old_rows
       for each statement execute function stats_webhook_deliveries_deleted()`,
    `create trigger stats_webhook_deliveries_status after update of status on webhook_deliveries for each row
       when (new.status <> old.status) execute function stats_webhook_delivery_status_changed()`,
    `create trigger stats_webhook_deliveries_truncate after truncate on webhook_deliveries
       for each statement execute function stats_webhook_deliveries_truncated()`,
  ];
  for (const statement of triggers) await sql.raw(statement).execute(db);
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const triggers: [string, string][] = [
    ['stats_ledger_insert', 'token_ledger'],
    ['stats_ledger_delete', 'token_ledger'],
    ['stats_webhook_deliveries_insert', 'webhook_deliveries'],
    ['stats_webhook_deliveries_delete', 'webhook_deliveries'],
    ['stats_webhook_deliveries_status', 'webhook_deliveries'],
    ...(postgres
      ? ([
          ['stats_ledger_truncate', 'token_ledger'],
          ['stats_webhook_deliveries_truncate', 'webhook_deliveries'],
        ] as [string, string][])
      : []),
  ];
  for (const [name, table] of triggers) await sql.raw(`drop trigger ${name}${postgres ? ` on ${table}` : ''}`).execute(db);
  if (postgres) {
    for (const name of [
      'stats_ledger_inserted',
      'stats_ledger_deleted',
      'stats_ledger_truncated',
      'stats_webhook_deliveries_inserted',
      'stats_webhook_deliveries_deleted',
      'stats_webhook_delivery_status_changed',
      'stats_webhook_deliveries_truncated',
    ]) {
      await sql.raw(`drop function ${name}()`).execute(db);
    }
  }
  await sql`delete from stats_counters where counter like 'ledger:%' or counter like 'webhook:%'`.execute(db);
}
