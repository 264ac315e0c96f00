import { type Insertable, PostgresAdapter, sql } from 'kysely';
import { preparedQuery } from '../../db/prepared.js';
import type { EventsTable, EventType, Executor, Trx } from '../../db/tables.js';

/** The PostgreSQL channel that wakes every API process when an event was committed. */
export const EVENTS_CHANNEL = 'tapioca_events';

export interface NewEvent {
  type: EventType;
  participantId: number | null;
  payload: unknown;
}

export interface EventRow {
  id: number;
  type: EventType;
  participant_id: number | null;
  payload: string;
}

export const tokensEvent = (participantId: number, balance: number): NewEvent => ({
  type: 'tokens',
  participantId,
  payload: { participant_id: participantId, bbt_tokens: balance },
});

const insertEventsQuery = preparedQuery((ex, rows: Array<Omit<Insertable<EventsTable>, 'id'>>) =>
  ex.insertInto('events').values(rows),
);

/**
 * Writes the event in the caller's transaction: it exists exactly when the change does. On PostgreSQL a
 * NOTIFY in the same transaction is delivered to the other processes only once it commits.
 */
export async function recordEvents(trx: Trx, events: NewEvent[], now: number): Promise<void> {
  if (events.length === 0) return;
  await insertEventsQuery(
    trx,
    events.map((e) => ({ type: e.type, participant_id: e.participantId, payload: JSON.stringify(e.payload), created_at: now })),
  );
  if (trx.getExecutor().adapter instanceof PostgresAdapter) await sql`select pg_notify(${EVENTS_CHANNEL}, '')`.execute(trx);
}

export async function findEventsAfter(ex: Executor, afterId: number, limit: number): Promise<EventRow[]> {
  return ex
    .selectFrom('events')
    .select(['id', 'type', 'participant_id', 'payload'])
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute();
}

/** Which events a reader may see; each field present narrows them. */
export interface Audience {
  types?: readonly EventType[];
  /** Only this participant's events (none for null). */
  participantId?: number | null;
}

export function inAudience(audience: Audience, event: EventRow): boolean {
  if (audience.types && !audience.types.includes(event.type)) return false;
  if (audience.participantId === undefined) return true;
  return event.participant_id !== null && event.participant_id === audience.participantId;
}

/** One page of a replay: the audience's events after `afterId` up to `upToId`, filtered here rather than after reading. */
export async function findAudienceEvents(
  ex: Executor,
  audience: Audience,
  afterId: number,
  upToId: number,
  limit: number,
): Promise<EventRow[]> {
  let query = ex
    .selectFrom('events')
    .select(['id', 'type', 'participant_id', 'payload'])
    .where('id', '>', afterId)
    .where('id', '<=', upToId);
  if (audience.types) query = query.where('type', 'in', audience.types);
  // Served by the (participant_id, id) index; `= null` matches nothing, as it should.
  if (audience.participantId !== undefined) query = query.where('participant_id', '=', audience.participantId);
  return query.orderBy('id').limit(limit).execute();
}

export async function lastEventId(ex: Executor): Promise<number> {
  const row = await ex
    .selectFrom('events')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

/**
 * Deletes the live-update events about a participant being deleted (an order's carries their name), so no
 * replay hands them out again; served by the (participant_id, id) index.
 */
export async function deleteParticipantEvents(trx: Trx, participantId: number): Promise<void> {
  await trx.deleteFrom('events').where('participant_id', '=', participantId).execute();
}

/** Deletes up to `limit` events older than `before`; returns how many, so a caller can go on in batches. */
export async function deleteEventsBefore(ex: Executor, before: number, limit: number): Promise<number> {
  const result = await ex
    .deleteFrom('events')
    .where('id', 'in', (eb) => eb.selectFrom('events').select('id').where('created_at', '<', before).limit(limit))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Of `keyIds`, those whose key still works: not revoked, not expired, not deleted. */
export async function findUsableKeyIds(ex: Executor, keyIds: readonly number[], now: number): Promise<number[]> {
  const rows = await ex
    .selectFrom('api_keys')
    .select('id')
    .where('id', 'in', keyIds)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .execute();
  return rows.map((row) => row.id);
}
