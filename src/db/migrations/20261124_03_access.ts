import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { identity } from './column-helpers.js';

// Migrations are frozen history: they use Kysely<any> and no application code.

const newBadgeCode = () => randomBytes(16).toString('base64url');

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'integer', identity(db))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('role', 'text', (col) => col.notNull().check(sql`role in ('admin', 'volunteer', 'participant')`))
    .addColumn('participant_id', 'integer', (col) => col.references('participants.id').onDelete('cascade'))
    .addColumn('key_hash', 'text', (col) => col.notNull().unique())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .addCheckConstraint('api_keys_participant_binding', sql`(role = 'participant') = (participant_id is not null)`)
    .execute();
  await db.schema.createIndex('api_keys_participant').on('api_keys').column('participant_id').execute();

  await db.schema.alterTable('participants').addColumn('badge_code', 'text').execute();
  const participants = await db.selectFrom('participants').select('id').execute();
  for (const { id } of participants) {
    await db.updateTable('participants').set({ badge_code: newBadgeCode() }).where('id', '=', id).execute();
  }
  await db.schema.createIndex('participants_badge_code').unique().on('participants').column('badge_code').execute();

  await db.schema.alterTable('token_ledger').addColumn('actor_key_id', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('token_ledger').dropColumn('actor_key_id').execute();
  await db.schema.dropIndex('participants_badge_code').execute();
  await db.schema.alterTable('participants').dropColumn('badge_code').execute();
  await db.schema.dropTable('api_keys').execute();
}
