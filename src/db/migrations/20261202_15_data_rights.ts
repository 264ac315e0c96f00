import { type Kysely, PostgresAdapter, sql } from 'kysely';
import { identity } from './column-helpers.js';

// Migrations are frozen history: they use Kysely<any> and no application code.

/**
 * Deletion, the audit log and webhooks.
 *
 * A deleted participant stays as a row without personal data (`deleted_at` set), so the ledger, orders, scans
 * and loans that name it keep their totals; the participant counter stops counting it when it is erased.
 *
 * The audit log is append-only in the database: a row may only be redacted once (its before and after dropped
 * when the participant it describes is deleted), never otherwise changed or deleted.
 *
 * Webhooks: an endpoint subscribes to event names (`loan.*` for a family); a change writes one delivery per
 * subscribed endpoint in its own transaction, and a dispatcher sends each endpoint's deliveries in id order.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const id = identity(db);

  await db.schema.alterTable('participants').addColumn('deleted_at', 'bigint').execute();
  if (postgres) await countErasedParticipantsOnPostgres(db);
  else await countErasedParticipantsOnSqlite(db);

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'integer', id)
    .addColumn('actor_key_id', 'integer')
    .addColumn('actor_name', 'text', (col) => col.notNull())
    .addColumn('actor_role', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('target', 'text', (col) => col.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('redacted_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'id']).execute();
  await db.schema.createIndex('audit_log_target').on('audit_log').columns(['target', 'id']).execute();
  await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_key_id', 'id']).execute();
  if (postgres) await makeAuditAppendOnlyOnPostgres(db);
  else await makeAuditAppendOnlyOnSqlite(db);

  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'integer', id)
    .addColumn('url', 'text', (col) => col.notNull())
    .addColumn('format', 'text', (col) => col.notNull().check(sql`format in ('json', 'discord', 'slack')`))
    // Standard Webhooks secret (`whsec_` + base64), shown once when created; needed in clear to sign.
    .addColumn('secret', 'text', (col) => col.notNull())
    .addColumn('key_id', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute();

  await db.schema
    .createTable('webhook_subscriptions')
    .addColumn('endpoint_id', 'integer', (col) => col.notNull().references('webhook_endpoints.id').onDelete('cascade'))
    // An event name (`check_in`, `order.moved`) or a family (`loan.*`).
    .addColumn('event', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('webhook_subscriptions_pk', ['endpoint_id', 'event'])
    .execute();
  await db.schema
    .createIndex('webhook_subscriptions_event')
    .on('webhook_subscriptions')
    .columns(['event', 'endpoint_id'])
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'integer', id)
    .addColumn('endpoint_id', 'integer', (col) => col.notNull().references('webhook_endpoints.id').onDelete('cascade'))
    .addColumn('event', 'text', (col) => col.notNull())
    // The event's data as JSON; the body sent is built from it in the endpoint's format.
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('pending', 'delivered', 'failed', 'cancelled')`))
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (col) => col.notNull())
    // Set while one API process is sending it; another may take it over once it has passed.
    .addColumn('lease_until', 'bigint')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_pending')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'id'])
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema.createIndex('webhook_deliveries_endpoint').on('webhook_deliveries').columns(['endpoint_id', 'id']).execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', 'integer', id)
    .addColumn('delivery_id', 'integer', (col) => col.notNull().references('webhook_deliveries.id').onDelete('cascade'))
    .addColumn('attempted_at', 'bigint', (col) => col.notNull())
    .addColumn('duration_ms', 'integer', (col) => col.notNull())
    .addColumn('status_code', 'integer')
    // The start of the receiver's answer, or why there was none (timeout, refused connection).
    .addColumn('response', 'text')
    .addColumn('error', 'text')
    .execute();
  await db.schema.createIndex('webhook_attempts_delivery').on('webhook_attempts').columns(['delivery_id', 'id']).execute();
}

/** The participant counter's delete trigger, counting every row or (`erasedLeftAlready`) live ones only. */
const sqliteDeleteTrigger = (erasedLeftAlready: boolean) =>
  `create trigger stats_participants_delete after delete on participants begin
     update stats_counters set value = value - 1 where counter = 'participants' and shard = 0${erasedLeftAlready ? ' and old.deleted_at is null' : ''};
     update stats_counters set value = value - old.bbt_tokens where counter = 'tokens' and shard = 0 and old.bbt_tokens <> 0; end`;

const postgresDeletedCounts = (erasedLeftAlready: boolean) =>
  `select 'participants', -count(*)${erasedLeftAlready ? ' filter (where deleted_at is null)' : ''} from old_rows
   union all select 'tokens', -coalesce(sum(bbt_tokens), 0) from old_rows`;

async function countErasedParticipantsOnSqlite(db: Kysely<any>): Promise<void> {
  const statements = [
    // A reset deletes erased participants too: they left the count when they were erased.
    `drop trigger stats_participants_delete`,
    sqliteDeleteTrigger(true),
    `create trigger stats_participants_erased after update of deleted_at on participants
       when old.deleted_at is null and new.deleted_at is not null begin
       update stats_counters set value = value - 1 where counter = 'participants' and shard = 0; end`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

async function countersTable(db: Kysely<any>): Promise<string> {
  const { schema } = (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]!;
  return `"${schema.replaceAll('"', '""')}".stats_counters`;
}

/** Replaces the function that counts deleted participants (as migration 06 made it, or live ones only). */
async function replacePostgresDeleteFunction(db: Kysely<any>, erasedLeftAlready: boolean): Promise<void> {
  const counters = await countersTable(db);
  const body = `insert into ${counters} as c (counter, shard, value)
       select counter, pg_backend_pid(), sum(delta) from (${postgresDeletedCounts(erasedLeftAlready)}) as d(counter, delta)
       group by counter having sum(delta) <> 0 order by counter
       on conflict (counter, shard) do update set value = c.value + excluded.value;`;
  await sql
    .raw(
      `create or replace function stats_participants_deleted() returns trigger language plpgsql as $$ begin ${body} return null; end $$`,
    )
    .execute(db);
}

async function countErasedParticipantsOnPostgres(db: Kysely<any>): Promise<void> {
  await replacePostgresDeleteFunction(db, true);
  const counters = await countersTable(db);
  const erased = `insert into ${counters} as c (counter, shard, value) values ('participants', pg_backend_pid(), -1)
       on conflict (counter, shard) do update set value = c.value + excluded.value;`;
  await sql
    .raw(`create function stats_participant_erased() returns trigger language plpgsql as $$ begin ${erased} return null; end $$`)
    .execute(db);
  await sql
    .raw(
      `create trigger stats_participants_erased after update of deleted_at on participants for each row
       when (old.deleted_at is null and new.deleted_at is not null) execute function stats_participant_erased()`,
    )
    .execute(db);
}

/** The one change allowed: redacting a row once, which drops its before and after and keeps the rest. */
const REDACTION_ONLY = `old.redacted_at is null and new.redacted_at is not null and new.before is null and new.after is null
  and new.id = old.id and new.action = old.action and new.target = old.target and new.created_at = old.created_at
  and new.actor_name = old.actor_name and new.actor_role = old.actor_role
  and coalesce(new.actor_key_id, -1) = coalesce(old.actor_key_id, -1)`;

async function makeAuditAppendOnlyOnSqlite(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `create trigger audit_log_no_update before update on audit_log when not (${REDACTION_ONLY})
       begin select raise(abort, 'audit_log is append-only'); end`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger audit_log_no_delete before delete on audit_log begin select raise(abort, 'audit_log is append-only'); end`,
    )
    .execute(db);
}

async function makeAuditAppendOnlyOnPostgres(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `create function audit_log_append_only() returns trigger language plpgsql as $$ begin
         if tg_op = 'UPDATE' and ${REDACTION_ONLY} then return new; end if;
         raise exception 'audit_log is append-only';
       end $$`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger audit_log_append_only before update or delete on audit_log for each row execute function audit_log_append_only()`,
    )
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const table of ['webhook_attempts', 'webhook_deliveries', 'webhook_subscriptions', 'webhook_endpoints', 'audit_log']) {
    await db.schema.dropTable(table).execute();
  }
  if (postgres) {
    await sql.raw(`drop function audit_log_append_only()`).execute(db);
    await sql.raw(`drop trigger stats_participants_erased on participants`).execute(db);
    await sql.raw(`drop function stats_participant_erased()`).execute(db);
    await replacePostgresDeleteFunction(db, false);
  } else {
    await sql.raw(`drop trigger stats_participants_erased`).execute(db);
    await sql.raw(`drop trigger stats_participants_delete`).execute(db);
    await sql.raw(sqliteDeleteTrigger(false)).execute(db);
  }
  await db.schema.alterTable('participants').dropColumn('deleted_at').execute();
}
