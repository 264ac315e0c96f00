import type { Kysely } from 'kysely';
import { identity } from './column-helpers.js';

// Migrations are frozen history: they use Kysely<any> and no application code.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('events')
    .addColumn('id', 'integer', identity(db))
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('participant_id', 'integer')
    .addColumn('payload', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('events_created_at').on('events').column('created_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('events').execute();
}
