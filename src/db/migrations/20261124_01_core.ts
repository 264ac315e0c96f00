import { type Kysely, sql } from 'kysely';
import { identity } from './column-helpers.js';

// Migrations are frozen history: they use Kysely<any> and no application code.

export async function up(db: Kysely<any>): Promise<void> {
  const id = identity(db);

  await db.schema
    .createTable('participants')
    .addColumn('id', 'integer', id)
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('company', 'text', (col) => col.notNull())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('email_key', 'text', (col) => col.notNull())
    .addColumn('phone', 'text', (col) => col.notNull())
    .addColumn('bbt_tokens', 'integer', (col) =>
      col
        .notNull()
        .defaultTo(0)
        .check(sql`bbt_tokens >= 0`),
    )
    .addColumn('last_exchange_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('participants_email_key').unique().on('participants').column('email_key').execute();

  await db.schema
    .createTable('skills')
    .addColumn('id', 'integer', id)
    .addColumn('name', 'text', (col) => col.notNull().unique())
    .addColumn('frequency', 'integer', (col) =>
      col
        .notNull()
        .defaultTo(0)
        .check(sql`frequency >= 0`),
    )
    .addColumn('rating_sum', 'integer', (col) =>
      col
        .notNull()
        .defaultTo(0)
        .check(sql`rating_sum >= 0`),
    )
    .execute();

  await db.schema
    .createTable('participant_skills')
    .addColumn('id', 'integer', id)
    .addColumn('participant_id', 'integer', (col) => col.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('skill_id', 'integer', (col) => col.notNull().references('skills.id'))
    .addColumn('rating', 'integer', (col) => col.notNull().check(sql`rating between 1 and 5`))
    .addUniqueConstraint('participant_skills_participant_skill', ['participant_id', 'skill_id'])
    .execute();
  await db.schema.createIndex('participant_skills_skill').on('participant_skills').column('skill_id').execute();

  await db.schema
    .createTable('check_ins')
    .addColumn('participant_id', 'integer', (col) => col.primaryKey().references('participants.id').onDelete('cascade'))
    .addColumn('checked_in_at', 'bigint', (col) => col.notNull())
    .addColumn('volunteer_id', 'integer', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['check_ins', 'participant_skills', 'skills', 'participants']) {
    await db.schema.dropTable(table).execute();
  }
}
