import { type ExpressionBuilder, type Insertable, PostgresAdapter, type Selectable, sql } from 'kysely';
import type {
  Database,
  Executor,
  Trx,
  WebhookAttemptsTable,
  WebhookDeliveriesTable,
  WebhookEndpointsTable,
} from '../../db/tables.js';

export type EndpointRow = Selectable<WebhookEndpointsTable>;
export type ListedEndpointRow = EndpointRow & { pending: number; failed: number };
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type AttemptRow = Selectable<WebhookAttemptsTable>;
/** A delivery with what sending it needs from its endpoint. */
export type DueDeliveryRow = DeliveryRow & Pick<EndpointRow, 'url' | 'secret' | 'format'>;

export const DELIVERIES_PER_PAGE = 50;

// ---- Outbox ----

export async function insertDeliveries(
  trx: Trx,
  event: string,
  family: string | undefined,
  payload: string,
  now: number,
): Promise<void> {
  const events = family === undefined ? [event] : [event, family];
  await trx
    .insertInto('webhook_deliveries')
    .columns(['endpoint_id', 'event', 'payload', 'status', 'next_attempt_at', 'created_at'])
    .expression((eb) =>
      eb
        .selectFrom('webhook_subscriptions as s')
        .innerJoin('webhook_endpoints as e', 'e.id', 's.endpoint_id')
        .where('s.event', 'in', events)
        .where('e.deleted_at', 'is', null)
        // Typed casts: PostgreSQL cannot tell a bare parameter's type in a SELECT list.
        .select([
          's.endpoint_id',
          sql<string>`cast(${event} as text)`.as('event'),
          sql<string>`cast(${payload} as text)`.as('payload'),
          sql<'pending'>`'pending'`.as('status'),
          sql<number>`cast(${now} as bigint)`.as('next_attempt_at'),
          sql<number>`cast(${now} as bigint)`.as('created_at'),
        ])
        // Subscribed to both `loan.lent` and `loan.*`: still one delivery.
        .distinct(),
    )
    .execute();
}

// ---- Endpoints ----

export async function insertEndpoint(trx: Trx, row: Insertable<WebhookEndpointsTable>): Promise<EndpointRow> {
  return trx.insertInto('webhook_endpoints').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function insertSubscriptions(trx: Trx, endpointId: number, events: readonly string[]): Promise<void> {
  await trx
    .insertInto('webhook_subscriptions')
    .values(events.map((event) => ({ endpoint_id: endpointId, event })))
    .execute();
}

const countOf = (eb: ExpressionBuilder<Database, 'webhook_endpoints'>, status: 'pending' | 'failed') =>
  eb
    .selectFrom('webhook_deliveries')
    .select(sql<number>`count(*)`.as('n'))
    .whereRef('webhook_deliveries.endpoint_id', '=', 'webhook_endpoints.id')
    .where('webhook_deliveries.status', '=', status)
    .as(status);

const liveEndpoints = (ex: Executor) =>
  ex
    .selectFrom('webhook_endpoints')
    .selectAll('webhook_endpoints')
    .select((eb) => [countOf(eb, 'pending'), countOf(eb, 'failed')])
    .$narrowType<{ pending: number; failed: number }>()
    .where('webhook_endpoints.deleted_at', 'is', null);

export async function findEndpoints(ex: Executor): Promise<ListedEndpointRow[]> {
  return liveEndpoints(ex).orderBy('webhook_endpoints.id').execute();
}

export async function findEndpoint(ex: Executor, id: number): Promise<ListedEndpointRow | undefined> {
  return liveEndpoints(ex).where('webhook_endpoints.id', '=', id).executeTakeFirst();
}

/** The events each endpoint subscribes to, in name order. */
export async function findSubscriptions(ex: Executor, endpointIds: readonly number[]): Promise<Map<number, string[]>> {
  const events = new Map<number, string[]>();
  if (endpointIds.length === 0) return events;
  const rows = await ex
    .selectFrom('webhook_subscriptions')
    .select(['endpoint_id', 'event'])
    .where('endpoint_id', 'in', endpointIds)
    .orderBy('endpoint_id')
    .orderBy('event')
    .execute();
  for (const row of rows) {
    const list = events.get(row.endpoint_id) ?? [];
    list.push(row.event);
    events.set(row.endpoint_id, list);
  }
  return events;
}

/**
 * Deletes an endpoint: the row stays (its deliveries name it) but takes no new deliveries, and those still
 * waiting are cancelled. Undefined when it is unknown or already deleted.
 */
export async function deleteEndpoint(trx: Trx, id: number, now: number): Promise<EndpointRow | undefined> {
  const row = await trx
    .updateTable('webhook_endpoints')
    .set({ deleted_at: now })
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!row) return undefined;
  // Its subscriptions go too, so the outbox's lookup in every change never meets them again.
  await trx.deleteFrom('webhook_subscriptions').where('endpoint_id', '=', id).execute();
  await trx
    .updateTable('webhook_deliveries')
    .set({ status: 'cancelled', lease_until: null, finished_at: now })
    .where('endpoint_id', '=', id)
    .where('status', '=', 'pending')
    .execute();
  return row;
}

// ---- Deliveries, as the API shows them ----

export type ListedAttemptRow = Omit<AttemptRow, 'delivery_id'>;
export type DeliveryWithAttempts = { delivery: DeliveryRow; attempts: ListedAttemptRow[] };

/**
 * A page of an endpoint's deliveries, newest first, each with its attempts, oldest first. One statement, so
 * both are read at one moment: never an attempt beside the outcome from before it (two reads could be
 * separated by a sender's commit).
 */
export async function findDeliveriesPage(ex: Executor, endpointId: number, page: number): Promise<DeliveryWithAttempts[]> {
  const rows = await ex
    .selectFrom((eb) =>
      eb
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('endpoint_id', '=', endpointId)
        .orderBy('id', 'desc')
        .limit(DELIVERIES_PER_PAGE)
        .offset((page - 1) * DELIVERIES_PER_PAGE)
        .as('d'),
    )
    .leftJoin('webhook_attempts as a', 'a.delivery_id', 'd.id')
    .selectAll('d')
    .select(['a.id as attempt_id', 'a.attempted_at', 'a.duration_ms', 'a.status_code', 'a.response', 'a.error'])
    .orderBy('d.id', 'desc')
    .orderBy('a.id')
    .execute();
  const deliveries = new Map<number, DeliveryWithAttempts>();
  for (const { attempt_id, attempted_at, duration_ms, status_code, response, error, ...delivery } of rows) {
    const entry = deliveries.get(delivery.id) ?? { delivery, attempts: [] };
    deliveries.set(delivery.id, entry);
    if (attempt_id !== null && attempted_at !== null && duration_ms !== null) {
      entry.attempts.push({ id: attempt_id, attempted_at, duration_ms, status_code, response, error });
    }
  }
  return [...deliveries.values()];
}

/** The attempts of these deliveries, oldest first. */
export async function findAttempts(ex: Executor, deliveryIds: readonly number[]): Promise<AttemptRow[]> {
  if (deliveryIds.length === 0) return [];
  return ex.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', deliveryIds).orderBy('id').execute();
}

/** A delivery of an endpoint that is not deleted. */
export async function findLiveDelivery(ex: Executor, id: number): Promise<DeliveryRow | undefined> {
  return ex
    .selectFrom('webhook_deliveries')
    .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'webhook_deliveries.endpoint_id')
    .selectAll('webhook_deliveries')
    .where('webhook_deliveries.id', '=', id)
    .where('webhook_endpoints.deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Puts a finished delivery back in the queue, due now; undefined when it is still pending (or unknown). */
export async function requeueDelivery(trx: Trx, id: number, now: number): Promise<DeliveryRow | undefined> {
  return trx
    .updateTable('webhook_deliveries')
    .set({ status: 'pending', next_attempt_at: now, lease_until: null, finished_at: null })
    .where('id', '=', id)
    .where('status', '<>', 'pending')
    .returningAll()
    .executeTakeFirst();
}

// ---- The dispatcher's queue ----

/** The oldest pending delivery of each live endpoint: the only one of its endpoint that may be sent. */
const endpointHeads = (eb: ExpressionBuilder<Database, 'webhook_deliveries'>) =>
  eb
    .selectFrom('webhook_endpoints as e')
    .where('e.deleted_at', 'is', null)
    .select((inner) =>
      inner
        .selectFrom('webhook_deliveries as p')
        .select('p.id')
        .whereRef('p.endpoint_id', '=', 'e.id')
        .where('p.status', '=', 'pending')
        .orderBy('p.id')
        .limit(1)
        .as('head_id'),
    );

/**
 * Endpoint heads that are due and not leased by anyone, oldest due first, leaving out the endpoints this
 * process is sending to already. A read: nothing is claimed yet.
 */
export async function findDueHeads(
  ex: Executor,
  now: number,
  busyEndpoints: readonly number[],
  limit: number,
): Promise<DueDeliveryRow[]> {
  let query = ex
    .selectFrom('webhook_deliveries')
    .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'webhook_deliveries.endpoint_id')
    .selectAll('webhook_deliveries')
    .select(['webhook_endpoints.url', 'webhook_endpoints.secret', 'webhook_endpoints.format'])
    .where('webhook_deliveries.id', 'in', (eb) => endpointHeads(eb))
    .where('webhook_deliveries.next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('webhook_deliveries.lease_until', 'is', null), eb('webhook_deliveries.lease_until', '<', now)]));
  if (busyEndpoints.length > 0) query = query.where('webhook_deliveries.endpoint_id', 'not in', busyEndpoints);
  return query.orderBy('webhook_deliveries.next_attempt_at').orderBy('webhook_deliveries.id').limit(limit).execute();
}

/**
 * Leases those of `ids` that are still due, unleased and their endpoint's head, until `leaseUntil`; returns
 * the ids it leased. One statement: on SQLite it runs under the one write lock, on PostgreSQL rows another
 * process is claiming are skipped (FOR UPDATE SKIP LOCKED) and the rest re-checked once locked.
 */
export async function claimDeliveries(ex: Executor, ids: readonly number[], now: number, leaseUntil: number): Promise<number[]> {
  if (ids.length === 0) return [];
  const postgres = ex.getExecutor().adapter instanceof PostgresAdapter;
  const rows = await ex
    .updateTable('webhook_deliveries')
    .set({ lease_until: leaseUntil })
    .where('id', 'in', (eb) => {
      const claimable = eb
        .selectFrom('webhook_deliveries as c')
        .select('c.id')
        .where('c.id', 'in', ids)
        .where('c.status', '=', 'pending')
        .where('c.next_attempt_at', '<=', now)
        .where((w) => w.or([w('c.lease_until', 'is', null), w('c.lease_until', '<', now)]))
        .where('c.id', '=', (w) =>
          w
            .selectFrom('webhook_deliveries as p')
            .select('p.id')
            .whereRef('p.endpoint_id', '=', 'c.endpoint_id')
            .where('p.status', '=', 'pending')
            .orderBy('p.id')
            .limit(1),
        );
      return postgres ? claimable.forUpdate().skipLocked() : claimable;
    })
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

export type Outcome = { status: 'delivered' } | { status: 'failed' } | { status: 'pending'; nextAttemptAt: number };

/**
 * Records an attempt and what follows from it, if the lease is still this sender's: one whose lease ran out
 * (another process may be sending it now) or whose endpoint was deleted meanwhile only logs the attempt.
 */
export async function recordAttempt(
  trx: Trx,
  delivery: { id: number; leaseUntil: number },
  attempt: Omit<Insertable<WebhookAttemptsTable>, 'delivery_id'>,
  outcome: Outcome,
  now: number,
): Promise<void> {
  await trx
    .insertInto('webhook_attempts')
    .values({ ...attempt, delivery_id: delivery.id })
    .execute();
  await trx
    .updateTable('webhook_deliveries')
    .set((eb) => ({
      status: outcome.status,
      attempts: eb('attempts', '+', 1),
      lease_until: null,
      last_status_code: attempt.status_code ?? null,
      last_error: attempt.error ?? null,
      ...(outcome.status === 'pending' ? { next_attempt_at: outcome.nextAttemptAt } : { finished_at: now }),
    }))
    .where('id', '=', delivery.id)
    .where('status', '=', 'pending')
    .where('lease_until', '=', delivery.leaseUntil)
    .execute();
}

/** Gives a lease back unused (the process is stopping mid-send), so any process may send it at once. */
export async function releaseLease(ex: Executor, delivery: { id: number; leaseUntil: number }): Promise<void> {
  await ex
    .updateTable('webhook_deliveries')
    .set({ lease_until: null })
    .where('id', '=', delivery.id)
    .where('lease_until', '=', delivery.leaseUntil)
    .execute();
}
