import type { Kysely } from 'kysely';

// Migrations are frozen history: they use Kysely<any> and no application code.

/** Where the participant is waiting ("Table 12"), so the runner knows where to bring the drink; optional. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('boba_orders').addColumn('location', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('boba_orders').dropColumn('location').execute();
}
