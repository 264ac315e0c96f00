import { type Kysely, sql } from 'kysely';
import type { DialectName } from '../../db/database.js';
import type { Database, Db, Executor, NewParticipantRow, Trx } from '../../db/tables.js';
import { firstBadgeVersion } from '../participants/participants.repository.js';

/** Every table holding event data, dependents first. */
const EVENT_TABLES = [
  'hardware_requests',
  'hardware_holdings',
  'checkpoint_scans',
  'checkpoint_participants',
  'events',
  'pair_exchanges',
  'token_ledger',
  'boba_orders',
  'check_ins',
  'participant_skills',
  'participants',
  'skills',
] as const;

/** The tables whose ids count from 1 again after a reset. */
const IDENTITY_TABLES = [
  'checkpoint_scans',
  'events',
  'token_ledger',
  'boba_orders',
  'participant_skills',
  'participants',
  'skills',
] as const;

/** Bound values per statement: under SQLite's limit (32,766) and PostgreSQL's (65,535). */
const MAX_PARAMETERS = 30_000;
/**
 * Rows per INSERT. A fixed count gives most statements of a load the same SQL text, which the SQLite driver
 * prepares once; a statement of thousands of placeholders costs milliseconds to prepare.
 */
const ROWS_PER_INSERT = 500;

/** A participant as a reset loads it: its id chosen by the import, 1, 2, 3... in file order. */
export type StagedParticipant = {
  id: number;
  name: string;
  company: string;
  email: string;
  email_key: string;
  phone: string;
  /** A JSON array, as participants.tags. */
  tags: string;
  dietary_restrictions: string;
  badge_code: string;
  created_at: number;
  updated_at: number;
};

export type StagedSkill = {
  id: number;
  name: string;
  frequency: number;
  rating_sum: number;
};

export type StagedRating = {
  id: number;
  participant_id: number;
  skill_id: number;
  rating: number;
};

export interface RatingRow {
  participant_id: number;
  skill_id: number;
  rating: number;
}

/** Temporary tables, private to the importing connection, where a reset builds the new data. */
type StagingTables = {
  import_participants: StagedParticipant;
  import_skills: StagedSkill;
  import_participant_skills: StagedRating;
};

const STAGING_TABLES = ['import_participant_skills', 'import_participants', 'import_skills'] as const;

export type StagingDb = Kysely<Database & StagingTables>;

/**
 * Whether the database holds demo data. On PostgreSQL the row stays locked until the transaction ends, so a
 * demo seeding and an import of real participants cannot both go ahead, each unaware of the other; SQLite
 * runs one write transaction at a time anyway.
 */
export async function lockDemoFlag(trx: Trx, dialect: DialectName): Promise<boolean> {
  const { demo } = await trx
    .selectFrom('event_settings')
    .select('demo')
    .where('id', '=', 1)
    .$if(dialect === 'postgres', (query) => query.forUpdate())
    .executeTakeFirstOrThrow();
  return demo === 1;
}

export async function setDemoFlag(ex: Executor, demo: boolean): Promise<void> {
  await ex
    .updateTable('event_settings')
    .set({ demo: demo ? 1 : 0 })
    .where('id', '=', 1)
    .execute();
}

/** Runs `insert` on consecutive slices of `rows`, one statement each. */
async function inSlices<T>(rows: T[], insert: (slice: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) await insert(rows.slice(start, start + ROWS_PER_INSERT));
}

/**
 * The participants among `keys` by e-mail key, with their ids. With `lock` (PostgreSQL) their rows stay
 * locked until the transaction ends, taken in id order as every writer of several participants takes them.
 */
export async function findParticipantIdsByEmailKey(ex: Executor, keys: string[], lock: boolean): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let start = 0; start < keys.length; start += MAX_PARAMETERS) {
    const slice = keys.slice(start, start + MAX_PARAMETERS);
    const rows = await ex
      .selectFrom('participants')
      .select(['id', 'email_key'])
      .where('email_key', 'in', slice)
      .$if(lock, (query) => query.orderBy('id').forUpdate())
      .execute();
    for (const row of rows) ids.set(row.email_key, row.id);
  }
  return ids;
}

/** Whether the database holds demo data, read without a lock (a dry run changes nothing to guard). */
export async function readDemoFlag(ex: Executor): Promise<boolean> {
  const { demo } = await ex.selectFrom('event_settings').select('demo').where('id', '=', 1).executeTakeFirstOrThrow();
  return demo === 1;
}

export type UpdatedFields = Partial<Pick<NewParticipantRow, 'name' | 'company' | 'phone' | 'tags' | 'dietary_restrictions'>>;

export async function updateParticipantFields(ex: Executor, id: number, fields: UpdatedFields, now: number): Promise<void> {
  await ex
    .updateTable('participants')
    .set({ ...fields, updated_at: now })
    .where('id', '=', id)
    .execute();
}

/** Each participant's ratings by skill id. */
export async function findRatingsOf(ex: Executor, participantIds: number[]): Promise<Map<number, Map<number, number>>> {
  const ratings = new Map<number, Map<number, number>>();
  for (let start = 0; start < participantIds.length; start += MAX_PARAMETERS) {
    const rows = await ex
      .selectFrom('participant_skills')
      .select(['participant_id', 'skill_id', 'rating'])
      .where('participant_id', 'in', participantIds.slice(start, start + MAX_PARAMETERS))
      .execute();
    for (const row of rows) {
      const own = ratings.get(row.participant_id) ?? new Map<number, number>();
      own.set(row.skill_id, row.rating);
      ratings.set(row.participant_id, own);
    }
  }
  return ratings;
}

export async function updateRatings(ex: Executor, rows: RatingRow[]): Promise<void> {
  for (const row of rows) {
    await ex
      .updateTable('participant_skills')
      .set({ rating: row.rating })
      .where('participant_id', '=', row.participant_id)
      .where('skill_id', '=', row.skill_id)
      .execute();
  }
}

/**
 * Inserts participants in file order, so their ids follow it; answers the id of each by e-mail key. A row
 * whose e-mail key a concurrent writer took first (PostgreSQL) is left out, so it has no id in the answer.
 */
export async function insertParticipants(ex: Executor, rows: NewParticipantRow[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  await inSlices(rows, async (slice) => {
    const inserted = await ex
      .insertInto('participants')
      .values(slice.map((row) => ({ ...row, badge_version: firstBadgeVersion })))
      .onConflict((oc) => oc.column('email_key').doNothing())
      .returning(['id', 'email_key'])
      .execute();
    for (const row of inserted) ids.set(row.email_key, row.id);
  });
  return ids;
}

export async function insertRatings(ex: Executor, rows: RatingRow[]): Promise<void> {
  await inSlices(rows, (slice) => ex.insertInto('participant_skills').values(slice).execute());
}

/** Creates the staging tables on this connection (it must stay the same one until the swap). */
export async function createStagingTables(db: Db): Promise<StagingDb> {
  const staging = db.withTables<StagingTables>();
  await dropStagingTables(staging);
  await staging.schema
    .createTable('import_participants')
    .temporary()
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('company', 'text', (col) => col.notNull())
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('email_key', 'text', (col) => col.notNull())
    .addColumn('phone', 'text', (col) => col.notNull())
    .addColumn('tags', 'text', (col) => col.notNull())
    .addColumn('dietary_restrictions', 'text', (col) => col.notNull())
    .addColumn('badge_code', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await staging.schema
    .createTable('import_skills')
    .temporary()
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('frequency', 'integer', (col) => col.notNull())
    .addColumn('rating_sum', 'integer', (col) => col.notNull())
    .execute();
  await staging.schema
    .createTable('import_participant_skills')
    .temporary()
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('participant_id', 'integer', (col) => col.notNull())
    .addColumn('skill_id', 'integer', (col) => col.notNull())
    .addColumn('rating', 'integer', (col) => col.notNull())
    .execute();
  return staging;
}

export async function dropStagingTables(staging: StagingDb): Promise<void> {
  for (const table of STAGING_TABLES) await staging.schema.dropTable(table).ifExists().execute();
}

export async function stageParticipants(staging: StagingDb, rows: StagedParticipant[]): Promise<void> {
  await inSlices(rows, (slice) => staging.insertInto('import_participants').values(slice).execute());
}

export async function stageRatings(staging: StagingDb, rows: StagedRating[]): Promise<void> {
  await inSlices(rows, (slice) => staging.insertInto('import_participant_skills').values(slice).execute());
}

export async function stageSkills(staging: StagingDb, rows: StagedSkill[]): Promise<void> {
  await inSlices(rows, (slice) => staging.insertInto('import_skills').values(slice).execute());
}

/**
 * Replaces the event's data with the staged data; run in one write transaction, so readers see the old data
 * until it commits and the new data after. Participant keys go with their participants; admin and volunteer
 * keys stay, so whoever runs the reset can still get in. Checkpoints and hardware items stay too, as an event's
 * plan rather than its record, but lose their scans, counts, requests and loans. Ids continue after the staged ones. The data is real from then
 * on, whatever was there before.
 */
export async function replaceEventData(trx: Trx, dialect: DialectName): Promise<void> {
  const ex = trx.withTables<StagingTables>();
  // Ids start again from the file's: a signed badge names an id and a version, so badges from now on start
  // above every version issued before, or an old badge would let in whoever now has its id.
  const { latest } = await ex
    .selectFrom('participants')
    .select(sql<number>`coalesce(max(badge_version), 0)`.as('latest'))
    .executeTakeFirstOrThrow();
  await ex
    .updateTable('event_settings')
    .set({
      badge_version_floor: sql<number>`case when badge_version_floor > ${Number(latest)} then badge_version_floor else ${Number(latest)} end + 1`,
    })
    .where('id', '=', 1)
    .execute();
  await ex.deleteFrom('api_keys').where('participant_id', 'is not', null).execute();
  // In the order a return takes its locks (loan, then item), so a loan or return under way waits rather than
  // deadlocking; a loan that commits meanwhile goes with its participant.
  await ex.deleteFrom('hardware_loan_events').execute();
  await ex.deleteFrom('hardware_loans').execute();
  await ex.updateTable('hardware_items').set({ units_out: 0 }).execute();
  for (const table of EVENT_TABLES) await ex.deleteFrom(table).execute();
  await ex
    .updateTable('checkpoints')
    .set({ accepted_count: 0, participant_count: 0, refused_count: 0, conflict_count: 0 })
    .execute();
  // SQLite's counters follow the explicit ids inserted below once their rows are gone.
  if (dialect === 'sqlite') await sql`delete from sqlite_sequence where name in (${sql.join([...IDENTITY_TABLES])})`.execute(ex);

  await ex
    .insertInto('skills')
    .columns(['id', 'name', 'frequency', 'rating_sum'])
    .expression(ex.selectFrom('import_skills').select(['id', 'name', 'frequency', 'rating_sum']).orderBy('id'))
    .execute();
  const participantColumns = [
    'id',
    'name',
    'company',
    'email',
    'email_key',
    'phone',
    'tags',
    'dietary_restrictions',
    'badge_code',
    'created_at',
    'updated_at',
  ] as const;
  await ex
    .insertInto('participants')
    .columns(participantColumns)
    .expression(ex.selectFrom('import_participants').select(participantColumns).orderBy('id'))
    .execute();
  await ex.updateTable('participants').set({ badge_version: firstBadgeVersion }).execute();
  await ex
    .insertInto('participant_skills')
    .columns(['id', 'participant_id', 'skill_id', 'rating'])
    .expression(ex.selectFrom('import_participant_skills').select(['id', 'participant_id', 'skill_id', 'rating']).orderBy('id'))
    .execute();
  await setDemoFlag(trx, false);

  if (dialect === 'postgres') {
    // Last: ALTER TABLE locks out readers of the table until the commit, which follows at once.
    for (const table of IDENTITY_TABLES) {
      const { next } = await ex
        .selectFrom(table)
        .select(sql<number>`coalesce(max(id), 0) + 1`.as('next'))
        .executeTakeFirstOrThrow();
      await sql`alter table ${sql.table(table)} alter column id restart with ${sql.lit(Number(next))}`.execute(ex);
    }
  }
}

/** Refreshes PostgreSQL's planner statistics after a bulk load, so searches plan for the table's real size. */
export async function analyzeParticipantTables(ex: Executor): Promise<void> {
  await sql`analyze participants, participant_skills, skills`.execute(ex);
}
