import { type Kysely, sql } from 'kysely';

// Migrations are frozen history: they use Kysely<any> and no application code.

/**
 * The first participant the demo generator (seed 2023) has always given, so id 1 in any database the server
 * filled with demo participants before this migration.
 */
const FIRST_DEMO_EMAIL_KEY = 'quinn.vasquez.1@example.com';

/**
 * One row of facts about the event's data. `demo` is 1 while the database holds the generated demo
 * participants (and whatever was added beside them): an import of real participants must then replace
 * everything rather than mix fake and real people. One row, so asking costs one primary-key read.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('event_settings')
    .addColumn('id', 'integer', (col) => col.primaryKey().check(sql`id = 1`))
    .addColumn('demo', 'integer', (col) => col.notNull().check(sql`demo in (0, 1)`))
    .execute();
  // A database filled with demo participants by an earlier version is recognised by its first one.
  await sql`
    insert into event_settings (id, demo)
    select 1, case when exists (select 1 from participants where id = 1 and email_key = ${FIRST_DEMO_EMAIL_KEY}) then 1 else 0 end
  `.execute(db);
}
