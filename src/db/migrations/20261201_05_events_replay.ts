import type { Kysely } from 'kysely';

// Migrations are frozen history: they use Kysely<any> and no application code.

/** A participant's replay reads only their own events, in id order, however many others came between. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('events_participant_id').on('events').columns(['participant_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('events_participant_id').execute();
}
