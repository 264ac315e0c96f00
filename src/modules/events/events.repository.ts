import { type Insertable, PostgresAdapter, sql } from 'kysely';
import type { Executor, Trx } from '../../db/database.js';
import { preparedQuery } from '../../db/prepared.js';
import type { EventsTable, EventType } from '../../db/tables.js';

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

const insertEventsQuery = preparedQuery((ex, rows: Array<Omit<Insertable<EventsTable>, 'id'>>) => ex.insertInto('events').values(rows));

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

export async function lastEventId(ex: Executor): Promise<number> {
  const row = await ex.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
  return Number(row?.id ?? 0);
}

export async function deleteEventsBefore(ex: Executor, before: number): Promise<void> {
  await ex.deleteFrom('events').where('created_at', '<', before).execute();
}
