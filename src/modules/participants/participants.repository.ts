import { type SelectQueryBuilder, sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { Database, NewParticipantRow } from '../../db/tables.js';

export interface ParticipantSummaryRow {
  id: number;
  name: string;
  company: string;
  email: string;
  phone: string;
  bbt_tokens: number;
  checked_in_at: number | null;
}

export interface ParticipantSkillRow {
  participant_id: number;
  skill: string;
  rating: number;
}

export interface ParticipantFilter {
  checkedIn?: boolean;
  /** Case-insensitive substring of the name or e-mail, or an exact id. */
  search?: string;
  limit?: number;
  offset?: number;
}

export type ParticipantFields = Partial<Pick<NewParticipantRow, 'name' | 'company' | 'email' | 'email_key' | 'phone'>>;

function withCheckInFilter<O>(
  query: SelectQueryBuilder<Database, 'participants' | 'check_ins', O>,
  checkedIn: boolean | undefined,
) {
  if (checkedIn === undefined) return query;
  return query.where('check_ins.participant_id', checkedIn ? 'is not' : 'is', null);
}

const selectSummaries = (ex: Executor) =>
  ex
    .selectFrom('participants')
    .leftJoin('check_ins', 'check_ins.participant_id', 'participants.id')
    .select([
      'participants.id',
      'participants.name',
      'participants.company',
      'participants.email',
      'participants.phone',
      'participants.bbt_tokens',
      'check_ins.checked_in_at',
    ]);

const likePattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function findParticipants(ex: Executor, filter: ParticipantFilter): Promise<ParticipantSummaryRow[]> {
  let query = withCheckInFilter(selectSummaries(ex).orderBy('participants.id'), filter.checkedIn);
  if (filter.search !== undefined) {
    const pattern = likePattern(filter.search);
    const id = /^\d{1,9}$/.test(filter.search) ? Number(filter.search) : undefined;
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`lower(participants.name) like ${pattern} escape '\\'`,
        sql<boolean>`participants.email_key like ${pattern} escape '\\'`,
        ...(id === undefined ? [] : [eb('participants.id', '=', id)]),
      ]),
    );
  }
  if (filter.limit !== undefined) query = query.limit(filter.limit).offset(filter.offset ?? 0);
  return query.execute();
}

/** Skills of the participants with ids in [fromId, toId] that pass the same check-in filter, in stored order. */
export async function findSkillsInRange(
  ex: Executor,
  range: { fromId: number; toId: number; checkedIn?: boolean },
): Promise<ParticipantSkillRow[]> {
  return withCheckInFilter(
    ex
      .selectFrom('participant_skills')
      .innerJoin('skills', 'skills.id', 'participant_skills.skill_id')
      .innerJoin('participants', 'participants.id', 'participant_skills.participant_id')
      .leftJoin('check_ins', 'check_ins.participant_id', 'participants.id')
      .select(['participant_skills.participant_id', 'skills.name as skill', 'participant_skills.rating'])
      .where('participant_skills.participant_id', '>=', range.fromId)
      .where('participant_skills.participant_id', '<=', range.toId)
      .orderBy('participant_skills.participant_id')
      .orderBy('participant_skills.id'),
    range.checkedIn,
  ).execute();
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
    .columns(columns)
    .expression(
      ex
        .selectNoFrom(columns.map((column) => typedValue(row[column] as string | number).as(column)))
        .where(({ not, exists, selectFrom }) =>
          not(exists(selectFrom('participants').select('id').where('email_key', '=', row.email_key))),
        ),
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
export async function updateParticipant(
  ex: Executor,
  id: number,
  fields: ParticipantFields,
  now: number,
): Promise<boolean> {
  const row = await ex
    .updateTable('participants')
    .set({ ...fields, updated_at: now })
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function participantExists(ex: Executor, participantId: number): Promise<boolean> {
  const row = await ex.selectFrom('participants').select('id').where('id', '=', participantId).executeTakeFirst();
  return row !== undefined;
}

export async function countParticipants(ex: Executor): Promise<number> {
  const { count } = await ex
    .selectFrom('participants')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(count);
}
