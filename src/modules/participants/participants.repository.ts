import { type ExpressionBuilder, PostgresAdapter, sql } from 'kysely';
import type { Database, Executor, NewParticipantRow, Trx } from '../../db/tables.js';

export interface ParticipantSummaryRow {
  id: number;
  name: string;
  company: string;
  email: string;
  phone: string;
  bbt_tokens: number;
  last_exchange_at: number | null;
  checked_in_at: number | null;
  /** A JSON array of tags, as stored. */
  tags: string;
  dietary_restrictions: string;
}

export interface ParticipantSkillRow {
  participant_id: number;
  skill: string;
  rating: number;
}

export interface ParticipantFilter {
  checkedIn?: boolean;
  /** Case-insensitive substring of the name or e-mail, or an exact id; trimmed and lower-cased. */
  search?: string;
}

/** One slice of a listing: up to `limit` participants after `afterId`, past the first `offset` of them. */
export interface ChunkWindow {
  afterId: number;
  limit: number;
  offset?: number;
}

export type ParticipantFields = Partial<
  Pick<NewParticipantRow, 'name' | 'company' | 'email' | 'email_key' | 'phone' | 'tags' | 'dietary_restrictions'>
>;

const summaryColumns = [
  'participants.id',
  'participants.name',
  'participants.company',
  'participants.email',
  'participants.phone',
  'participants.bbt_tokens',
  'participants.last_exchange_at',
  'check_ins.checked_in_at',
  'participants.tags',
  'participants.dietary_restrictions',
] as const;

/** Deleted participants stay as rows without personal data (for the totals that name them), answered as unknown. */
const selectSummaries = (ex: Executor) =>
  ex
    .selectFrom('participants')
    .leftJoin('check_ins', 'check_ins.participant_id', 'participants.id')
    .select(summaryColumns)
    .where('participants.deleted_at', 'is', null);

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The trigram index answers a search of at least this many characters; a shorter one reads the table. */
const TRIGRAM = 3;

/**
 * Whether the participant's name or e-mail contains `search` (lower-cased), or its id is the number it spells.
 * SQLite searches its trigram full-text table (FTS5 folds letter case itself) from `afterId` on, only as far
 * as `enough` matches when given; PostgreSQL's LIKE uses the pg_trgm indexes where the migration could create them.
 */
function matchesSearch(ex: Executor, search: string, afterId: number, enough: number | undefined) {
  const id = /^\d{1,9}$/.test(search) ? Number(search) : undefined;
  return (eb: ExpressionBuilder<Database, 'participants'>) => {
    const sqlite = !(ex.getExecutor().adapter instanceof PostgresAdapter);
    const pattern = likePattern(search);
    const phrase = `"${search.replaceAll('"', '""')}"`;
    const text =
      sqlite && [...search].length >= TRIGRAM
        ? // Deleted participants are left out here too: counted in `enough`, they would cut the window short.
          sql<boolean>`participants.id in (select rowid from participants_search where participants_search match ${phrase}
            and rowid > ${afterId} and not exists (select 1 from participants erased
              where erased.id = participants_search.rowid and erased.deleted_at is not null)${enough === undefined ? sql`` : sql` order by rowid limit ${enough}`})`
        : eb.or([
            sql<boolean>`lower(participants.name) like ${pattern} escape '\\'`,
            sql<boolean>`participants.email_key like ${pattern} escape '\\'`,
          ]);
    return id === undefined ? text : eb.or([text, eb('participants.id', '=', id)]);
  };
}

/**
 * Participants passing the filter, in id order, `window.limit` at most. Checked-in participants are read
 * from check_ins, so their cost follows the number of check-ins, not of participants.
 */
export async function findParticipantChunk(
  ex: Executor,
  filter: ParticipantFilter,
  window: ChunkWindow,
): Promise<ParticipantSummaryRow[]> {
  // The join with check_ins becomes an inner one that starts from check_ins when only they are wanted.
  const key = filter.checkedIn === true ? 'check_ins.participant_id' : 'participants.id';
  let query = selectSummaries(ex).where(key, '>', window.afterId).orderBy(key);
  if (filter.checkedIn !== undefined) query = query.where('check_ins.participant_id', filter.checkedIn ? 'is not' : 'is', null);
  if (filter.search !== undefined) {
    // With no other filter the window's first matches are all it needs: each chunk costs its own matches,
    // not all those after it (a check-in filter could drop some, so then every match is read).
    const enough = filter.checkedIn === undefined ? window.limit + (window.offset ?? 0) : undefined;
    query = query.where(matchesSearch(ex, filter.search, window.afterId, enough));
  }
  query = query.limit(window.limit);
  if (window.offset) query = query.offset(window.offset);
  return query.execute();
}

/**
 * The skills of some participants, each participant's in stored order: those of every participant with an id in
 * [fromId, toId] (a range scan), or of the listed ids, bound as one value (a JSON array on SQLite, an array on
 * PostgreSQL) so that the statement text is the same whatever their number.
 */
export async function findSkillsOfParticipants(
  ex: Executor,
  participants: { fromId: number; toId: number } | { ids: number[] },
): Promise<ParticipantSkillRow[]> {
  const postgres = ex.getExecutor().adapter instanceof PostgresAdapter;
  let query = ex
    .selectFrom('participant_skills')
    .innerJoin('skills', 'skills.id', 'participant_skills.skill_id')
    .select(['participant_skills.participant_id', 'skills.name as skill', 'participant_skills.rating'])
    .orderBy('participant_skills.id');
  if ('fromId' in participants) {
    query = query
      .where('participant_skills.participant_id', '>=', participants.fromId)
      .where('participant_skills.participant_id', '<=', participants.toId);
  } else if (participants.ids.length === 0) {
    return [];
  } else {
    const { ids } = participants;
    query = query.where(
      postgres
        ? sql<boolean>`participant_skills.participant_id = any(${ids}::integer[])`
        : sql<boolean>`participant_skills.participant_id in (select value from json_each(${JSON.stringify(ids)}))`,
    );
  }
  return query.execute();
}

export async function findParticipantById(ex: Executor, id: number): Promise<ParticipantSummaryRow | undefined> {
  return selectSummaries(ex).where('participants.id', '=', id).executeTakeFirst();
}

export async function findSkillsOf(ex: Executor, participantId: number): Promise<ParticipantSkillRow[]> {
  return ex
    .selectFrom('participant_skills')
    .innerJoin('skills', 'skills.id', 'participant_skills.skill_id')
    .select(['participant_skills.participant_id', 'skills.name as skill', 'participant_skills.rating'])
    .where('participant_skills.participant_id', '=', participantId)
    .orderBy('participant_skills.id')
    .execute();
}

/** A bound value typed for an INSERT ... SELECT, where PostgreSQL would otherwise read every parameter as text. */
/** A new participant's badge version: above every version a reset import retired (event_settings). */
export const firstBadgeVersion = sql<number>`(select badge_version_floor from event_settings where id = 1)`;

const typedValue = (value: string | number) =>
  sql<string | number>`cast(${value} as ${sql.raw(typeof value === 'number' ? 'bigint' : 'text')})`;

/**
 * Inserts unless the e-mail key is taken; the unique index decides, so racing inserts cannot both win.
 * The row is only selected for insertion when no participant has the key: an insert that ON CONFLICT skips
 * still uses up an id (PostgreSQL's sequence; SQLite's AUTOINCREMENT counter once the transaction commits),
 * and ids must go 1, 2, 3... in file order. One statement, so it is still a write from its first step.
 */
export async function insertParticipant(ex: Executor, row: NewParticipantRow): Promise<number | undefined> {
  const columns = (Object.keys(row) as (keyof NewParticipantRow)[]).filter(
    (column) => row[column] !== undefined && row[column] !== null,
  );
  const inserted = await ex
    .insertInto('participants')
    .columns([...columns, 'badge_version'])
    .expression(
      ex
        .selectNoFrom([
          ...columns.map((column) => typedValue(row[column] as string | number).as(column)),
          firstBadgeVersion.as('badge_version'),
        ])
        .where((eb) => eb.not(eb.exists(eb.selectFrom('participants').select('id').where('email_key', '=', row.email_key)))),
    )
    .onConflict((oc) => oc.column('email_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

/**
 * Writes the given fields and the update time. Being a write, it also takes the row's lock (PostgreSQL)
 * or the database's write lock (SQLite) for the rest of the transaction. False when there is no such row.
 */
export async function updateParticipant(ex: Executor, id: number, fields: ParticipantFields, now: number): Promise<boolean> {
  const row = await ex
    .updateTable('participants')
    .set({ ...fields, updated_at: now })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

const liveParticipant = (ex: Executor, participantId: number) =>
  ex.selectFrom('participants').select('id').where('id', '=', participantId).where('deleted_at', 'is', null);

/** Whether the participant exists and was not deleted. */
export async function participantExists(ex: Executor, participantId: number): Promise<boolean> {
  return (await liveParticipant(ex, participantId).executeTakeFirst()) !== undefined;
}

/**
 * participantExists for a change that links something lasting to the participant (a loan, a hardware request,
 * a key), in its transaction. On PostgreSQL the row stays share-locked until the transaction ends: a deletion
 * under way is waited for (and then the participant is gone), and a deletion coming after waits, then sees what
 * was linked. SQLite runs one write transaction at a time anyway.
 */
export async function lockLiveParticipant(ex: Executor, participantId: number): Promise<boolean> {
  const row = await liveParticipant(ex, participantId)
    .$if(ex.getExecutor().adapter instanceof PostgresAdapter, (query) => query.forShare())
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Turns the participant into a tombstone: personal fields erased, a new badge (the version goes up, so every
 * signed badge stops working, and the pre-signing code changes), `deleted_at` set. Only while not deleted: of
 * two racing deletions the second finds nobody. The write locks the row for the rest of the transaction.
 */
export async function eraseParticipant(trx: Trx, participantId: number, badgeCode: string, now: number): Promise<boolean> {
  const row = await trx
    .updateTable('participants')
    .set((eb) => ({
      name: 'Deleted participant',
      email: '',
      // Unique like every e-mail key, and no address: an import or a registration can never match it.
      email_key: `deleted:${participantId}`,
      phone: '',
      company: '',
      dietary_restrictions: '',
      tags: '[]',
      badge_code: badgeCode,
      badge_version: eb('badge_version', '+', 1),
      deleted_at: now,
      updated_at: now,
    }))
    .where('id', '=', participantId)
    .where('deleted_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Deleted participants count too: a database holding them is not empty (their orders and ledger are there). */
export async function countParticipants(ex: Executor): Promise<number> {
  const { count } = await ex
    .selectFrom('participants')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(count);
}
