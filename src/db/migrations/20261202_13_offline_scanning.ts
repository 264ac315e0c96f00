import { type Kysely, sql } from 'kysely';

// Migrations are frozen history: they use Kysely<any> and no application code.

/**
 * Offline scanning. Badges carry a version that a signed badge names, so a rotation revokes what was printed;
 * the server's own secrets (the badge signing key) live in `server_secrets`, shared by every API process. What a
 * scanner's roster holds can be asked for by change time: participants, check-ins and per-checkpoint counts each
 * keep when they last changed. Door check-ins and checkpoint scans remember whether they were made offline.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('participants')
    .addColumn('badge_version', 'integer', (col) => col.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('participants_updated_at').on('participants').column('updated_at').execute();
  // The version every new participant's badge starts at. A reset import starts ids again, so it raises this
  // above every version issued before: an old signed badge (id, version) never matches a newcomer with that id.
  // It also tells an offline scanner's roster that it must start again from a full sync.
  await db.schema
    .alterTable('event_settings')
    .addColumn('badge_version_floor', 'integer', (col) => col.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('server_secrets')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();

  // The nonce of a check-in, so sending or uploading it again answers as the first time did; and when it was
  // recorded, which for an offline check-in comes later than when the participant walked in.
  await db.schema.alterTable('check_ins').addColumn('nonce', 'text').execute();
  await db.schema
    .alterTable('check_ins')
    .addColumn('recorded_at', 'bigint', (col) => col.notNull().defaultTo(0))
    .execute();
  await db
    .updateTable('check_ins')
    .set({ recorded_at: sql`checked_in_at` })
    .execute();
  await db.schema.createIndex('check_ins_recorded_at').on('check_ins').column('recorded_at').execute();
  await db.schema.createIndex('check_ins_nonce').on('check_ins').columns(['volunteer_id', 'nonce']).execute();

  await db.schema
    .alterTable('checkpoint_participants')
    .addColumn('updated_at', 'bigint', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('checkpoint_participants_updated_at').on('checkpoint_participants').column('updated_at').execute();

  await db.schema
    .alterTable('checkpoint_scans')
    .addColumn('offline', 'integer', (col) => col.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('checkpoints')
    .addColumn('conflict_count', 'integer', (col) =>
      col
        .notNull()
        .defaultTo(0)
        .check(sql`conflict_count >= 0`),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('checkpoints').dropColumn('conflict_count').execute();
  await db.schema.alterTable('checkpoint_scans').dropColumn('offline').execute();
  await db.schema.dropIndex('checkpoint_participants_updated_at').execute();
  await db.schema.alterTable('checkpoint_participants').dropColumn('updated_at').execute();
  await db.schema.dropIndex('check_ins_nonce').execute();
  await db.schema.dropIndex('check_ins_recorded_at').execute();
  await db.schema.alterTable('check_ins').dropColumn('recorded_at').execute();
  await db.schema.alterTable('check_ins').dropColumn('nonce').execute();
  await db.schema.dropTable('server_secrets').execute();
  await db.schema.alterTable('event_settings').dropColumn('badge_version_floor').execute();
  await db.schema.dropIndex('participants_updated_at').execute();
  await db.schema.alterTable('participants').dropColumn('badge_version').execute();
}
