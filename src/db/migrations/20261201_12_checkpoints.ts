import { type Kysely, sql } from 'kysely';
import { identity } from './column-helpers.js';

// Migrations are frozen history: they use Kysely<any> and no application code.

/**
 * Meals, workshops and swag. Exactly-once lives in two conditional updates: a participant's accepted count
 * at a checkpoint may not pass the limit, and the checkpoint's count of distinct participants may not pass
 * its capacity. Every scan, accepted or refused, is a row; its nonce is unique per checkpoint and key.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const id = identity(db);

  await db.schema
    .alterTable('participants')
    .addColumn('tags', 'text', (col) => col.notNull().defaultTo('["hacker"]'))
    .execute();
  await db.schema
    .alterTable('participants')
    .addColumn('dietary_restrictions', 'text', (col) => col.notNull().defaultTo(''))
    .execute();

  await db.schema
    .createTable('checkpoints')
    .addColumn('id', 'integer', id)
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('meal', 'workshop', 'swag', 'other')`))
    .addColumn('opens_at', 'bigint')
    .addColumn('closes_at', 'bigint', (col) => col.check(sql`closes_at is null or opens_at is null or closes_at > opens_at`))
    .addColumn('per_participant_limit', 'integer', (col) => col.check(sql`per_participant_limit >= 1`))
    .addColumn('capacity', 'integer', (col) => col.check(sql`capacity >= 1`))
    .addColumn('requires_check_in', 'integer', (col) => col.notNull().defaultTo(1))
    // A JSON array of tags; null lets everyone in.
    .addColumn('allowed_tags', 'text')
    .addColumn('archived_at', 'bigint')
    .addColumn('accepted_count', 'integer', (col) =>
      col
        .notNull()
        .defaultTo(0)
        .check(sql`accepted_count >= 0`),
    )
    .addColumn('participant_count', 'integer', (col) =>
      col
        .notNull()
        .defaultTo(0)
        .check(sql`participant_count >= 0`),
    )
    .addColumn('refused_count', 'integer', (col) =>
      col
        .notNull()
        .defaultTo(0)
        .check(sql`refused_count >= 0`),
    )
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('checkpoint_participants')
    .addColumn('checkpoint_id', 'integer', (col) => col.notNull().references('checkpoints.id').onDelete('cascade'))
    .addColumn('participant_id', 'integer', (col) => col.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('accepted', 'integer', (col) =>
      col
        .notNull()
        .defaultTo(0)
        .check(sql`accepted >= 0`),
    )
    .addPrimaryKeyConstraint('checkpoint_participants_pk', ['checkpoint_id', 'participant_id'])
    .execute();
  await db.schema
    .createIndex('checkpoint_participants_participant')
    .on('checkpoint_participants')
    .column('participant_id')
    .execute();

  await db.schema
    .createTable('checkpoint_scans')
    .addColumn('id', 'integer', id)
    .addColumn('checkpoint_id', 'integer', (col) => col.notNull().references('checkpoints.id').onDelete('cascade'))
    // Null for a badge or id that matched nobody.
    .addColumn('participant_id', 'integer', (col) => col.references('participants.id').onDelete('cascade'))
    .addColumn('outcome', 'text', (col) => col.notNull().check(sql`outcome in ('accepted', 'refused')`))
    .addColumn('reason', 'text')
    // The answer's body as first sent (JSON, without scan_id), so a repeated nonce answers exactly the same.
    .addColumn('answer', 'text', (col) => col.notNull())
    .addColumn('key_id', 'integer', (col) => col.notNull())
    .addColumn('nonce', 'text', (col) => col.notNull())
    // Who the scan asked about (`participant:<id>` or `badge:<hash>`): a nonce repeated for someone else is refused.
    .addColumn('target', 'text', (col) => col.notNull())
    .addColumn('scanned_at', 'bigint', (col) => col.notNull())
    .addColumn('received_at', 'bigint', (col) => col.notNull())
    .addColumn('annulled_at', 'bigint')
    .addColumn('annulled_by', 'integer')
    .execute();
  await db.schema
    .createIndex('checkpoint_scans_nonce')
    .unique()
    .on('checkpoint_scans')
    .columns(['checkpoint_id', 'key_id', 'nonce'])
    .execute();
  await db.schema.createIndex('checkpoint_scans_checkpoint').on('checkpoint_scans').columns(['checkpoint_id', 'id']).execute();
  await db.schema.createIndex('checkpoint_scans_participant').on('checkpoint_scans').columns(['participant_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['checkpoint_scans', 'checkpoint_participants', 'checkpoints']) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('participants').dropColumn('dietary_restrictions').execute();
  await db.schema.alterTable('participants').dropColumn('tags').execute();
}
