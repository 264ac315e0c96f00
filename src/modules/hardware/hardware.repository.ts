import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type {
  Executor,
  HardwareItemsTable,
  HardwareRequestStatus,
  HardwareRequestsTable,
  HardwareLoansTable,
  LoanEventKind,
  LoanStatus,
  Trx,
} from '../../db/tables.js';

export type ItemRow = Selectable<HardwareItemsTable>;
export type NewItemRow = Insertable<HardwareItemsTable>;
export type ItemChanges = Updateable<HardwareItemsTable>;
/** An item with the units its open requests ask for. */
export type ListedItemRow = ItemRow & { requested: number };
export type RequestRow = Selectable<HardwareRequestsTable>;
export type ListedRequestRow = RequestRow & { item_name: string; participant_name: string; position: number | null };
export type LoanRow = Selectable<HardwareLoansTable>;
export type ListedLoanRow = LoanRow & { item_name: string; participant_name: string; key_name: string | null };
export type LoanMovementRow = {
  kind: LoanEventKind;
  quantity: number;
  note: string | null;
  key_id: number;
  key_name: string | null;
  created_at: number;
};

export const OPEN_REQUEST_STATUSES: readonly HardwareRequestStatus[] = ['requested', 'ready'];
const LOANS_PER_PAGE = 100;

// ---- Items ----

const listedItems = (ex: Executor) =>
  ex
    .selectFrom('hardware_items')
    .selectAll('hardware_items')
    .select((eb) =>
      eb
        .selectFrom('hardware_requests')
        .select(sql<number>`cast(coalesce(sum(hardware_requests.quantity), 0) as integer)`.as('units'))
        .whereRef('hardware_requests.item_id', '=', 'hardware_items.id')
        .where('hardware_requests.status', 'in', OPEN_REQUEST_STATUSES)
        .as('requested'),
    )
    .$narrowType<{ requested: number }>();

export async function findItems(ex: Executor, includeArchived: boolean): Promise<ListedItemRow[]> {
  let query = listedItems(ex).orderBy('hardware_items.id');
  if (!includeArchived) query = query.where('hardware_items.archived_at', 'is', null);
  return query.execute();
}

export async function findItem(ex: Executor, id: number): Promise<ListedItemRow | undefined> {
  return listedItems(ex).where('hardware_items.id', '=', id).executeTakeFirst();
}

export async function insertItem(ex: Executor, row: NewItemRow): Promise<ItemRow> {
  return ex.insertInto('hardware_items').values(row).returningAll().executeTakeFirstOrThrow();
}

/**
 * The item as it is now, its row locked until the transaction ends (an update that changes nothing: the same
 * statement on both databases). Every change to its stock, holdings or queue takes this lock first, so they
 * happen one at a time per item and in one order.
 */
export async function lockItem(trx: Trx, id: number): Promise<ItemRow | undefined> {
  return trx
    .updateTable('hardware_items')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

/** Changes an item; a new quantity only while it is at least the units out (undefined otherwise, or when unknown). */
export async function updateItem(trx: Trx, id: number, changes: ItemChanges): Promise<ItemRow | undefined> {
  let query = trx.updateTable('hardware_items').set(changes).where('id', '=', id);
  if (typeof changes.quantity === 'number') query = query.where('units_out', '<=', changes.quantity);
  return query.returningAll().executeTakeFirst();
}

/** Takes `units` off the shelf unless fewer are there: a conditional UPDATE, re-checked after any racing one. */
export async function lendUnits(trx: Trx, id: number, units: number, now: number): Promise<ItemRow | undefined> {
  return trx
    .updateTable('hardware_items')
    .set((eb) => ({ units_out: eb('units_out', '+', units), updated_at: now }))
    .where('id', '=', id)
    .where('archived_at', 'is', null)
    .where((eb) => eb(eb('units_out', '+', units), '<=', eb.ref('quantity')))
    .returningAll()
    .executeTakeFirst();
}

/** Puts units back on the shelf, or (written off) takes them out of the stock altogether. */
export async function releaseUnits(trx: Trx, id: number, units: number, writeOff: boolean, now: number): Promise<ItemRow> {
  return trx
    .updateTable('hardware_items')
    .set((eb) => ({
      units_out: eb('units_out', '-', units),
      ...(writeOff ? { quantity: eb('quantity', '-', units) } : {}),
      updated_at: now,
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

// ---- Holdings: what each participant has of each item ----

export async function findHeldUnits(ex: Executor, itemId: number, participantId: number): Promise<number> {
  const row = await ex
    .selectFrom('hardware_holdings')
    .select('units')
    .where('item_id', '=', itemId)
    .where('participant_id', '=', participantId)
    .executeTakeFirst();
  return row?.units ?? 0;
}

/**
 * Counts `units` more as held by the participant unless that passes `limit`: a conditional UPDATE, so racing
 * loans to one person cannot together pass it. Undefined when it would.
 */
export async function holdUnits(
  trx: Trx,
  itemId: number,
  participantId: number,
  units: number,
  limit: number,
): Promise<number | undefined> {
  await trx
    .insertInto('hardware_holdings')
    .values({ item_id: itemId, participant_id: participantId, units: 0 })
    .onConflict((oc) => oc.columns(['item_id', 'participant_id']).doNothing())
    .execute();
  const row = await trx
    .updateTable('hardware_holdings')
    .set((eb) => ({ units: eb('units', '+', units) }))
    .where('item_id', '=', itemId)
    .where('participant_id', '=', participantId)
    .where((eb) => eb(eb('units', '+', units), '<=', limit))
    .returning('units')
    .executeTakeFirst();
  return row?.units;
}

export async function releaseHoldings(trx: Trx, itemId: number, participantId: number, units: number): Promise<void> {
  await trx
    .updateTable('hardware_holdings')
    .set((eb) => ({ units: eb('units', '-', units) }))
    .where('item_id', '=', itemId)
    .where('participant_id', '=', participantId)
    .execute();
}

// ---- Requests ----

/** Each open request's place in its item's queue, 1 = next: one pass over the open requests. */
const queuePositions = (ex: Executor) =>
  ex
    .selectFrom('hardware_requests')
    .select(['id', sql<number>`cast(row_number() over (partition by item_id order by id) as integer)`.as('position')])
    .where('status', 'in', OPEN_REQUEST_STATUSES)
    .as('queue');

const listedRequests = (ex: Executor) =>
  ex
    .selectFrom('hardware_requests as r')
    .innerJoin('hardware_items', 'hardware_items.id', 'r.item_id')
    .innerJoin('participants', 'participants.id', 'r.participant_id')
    .leftJoin(queuePositions(ex), 'queue.id', 'r.id')
    .selectAll('r')
    .select(['hardware_items.name as item_name', 'participants.name as participant_name', 'queue.position']);

export interface RequestFilter {
  itemId?: number;
  participantId?: number;
  statuses: readonly HardwareRequestStatus[];
  ids?: readonly number[];
}

export async function findRequests(ex: Executor, filter: RequestFilter): Promise<ListedRequestRow[]> {
  let query = listedRequests(ex).where('r.status', 'in', filter.statuses).orderBy('r.id');
  if (filter.itemId !== undefined) query = query.where('r.item_id', '=', filter.itemId);
  if (filter.participantId !== undefined) query = query.where('r.participant_id', '=', filter.participantId);
  if (filter.ids !== undefined) {
    if (filter.ids.length === 0) return [];
    query = query.where('r.id', 'in', filter.ids);
  }
  return query.execute();
}

export async function findRequest(ex: Executor, id: number): Promise<ListedRequestRow | undefined> {
  return listedRequests(ex).where('r.id', '=', id).executeTakeFirst();
}

/** The request alone, without names or queue place. */
export async function findRequestRow(ex: Executor, id: number): Promise<RequestRow | undefined> {
  return ex.selectFrom('hardware_requests').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A new open request; undefined when the participant already has one open for this item (a partial unique index). */
export async function insertRequest(trx: Trx, row: Omit<Insertable<HardwareRequestsTable>, 'id'>): Promise<number | undefined> {
  // No conflict target: a partial index cannot be named portably, and it is the only unique key a new row can hit.
  const inserted = await trx
    .insertInto('hardware_requests')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

/** Moves a request that is in one of `from` (and, given an owner, theirs); undefined when it is not. */
export async function moveRequest(
  trx: Trx,
  id: number,
  change: { from: readonly HardwareRequestStatus[]; to: HardwareRequestStatus; owner?: number },
  now: number,
): Promise<RequestRow | undefined> {
  if (change.from.length === 0) return undefined;
  let query = trx
    .updateTable('hardware_requests')
    .set({ status: change.to, updated_at: now })
    .where('id', '=', id)
    .where('status', 'in', change.from);
  if (change.owner !== undefined) query = query.where('participant_id', '=', change.owner);
  return query.returningAll().executeTakeFirst();
}

/**
 * Marks the participant's open request for the item (the one named, or any) collected by a loan, if it is still
 * open; returns its id.
 */
export async function collectOpenRequest(
  trx: Trx,
  which: { itemId: number; participantId: number; requestId?: number },
  loanId: number,
  now: number,
): Promise<number | undefined> {
  let query = trx
    .updateTable('hardware_requests')
    .set({ status: 'collected', loan_id: loanId, updated_at: now })
    .where('item_id', '=', which.itemId)
    .where('participant_id', '=', which.participantId)
    .where('status', 'in', OPEN_REQUEST_STATUSES);
  if (which.requestId !== undefined) query = query.where('id', '=', which.requestId);
  return (await query.returning('id').executeTakeFirst())?.id;
}

/** Cancels every open request for an item; returns their ids. */
export async function cancelOpenRequests(trx: Trx, itemId: number, now: number): Promise<number[]> {
  const rows = await trx
    .updateTable('hardware_requests')
    .set({ status: 'cancelled', updated_at: now })
    .where('item_id', '=', itemId)
    .where('status', 'in', OPEN_REQUEST_STATUSES)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/** Cancels every open request of a participant (being deleted); returns their ids. */
export async function cancelParticipantRequests(trx: Trx, participantId: number, now: number): Promise<number[]> {
  const rows = await trx
    .updateTable('hardware_requests')
    .set({ status: 'cancelled', updated_at: now })
    .where('participant_id', '=', participantId)
    .where('status', 'in', OPEN_REQUEST_STATUSES)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

// ---- Loans ----

const listedLoans = (ex: Executor) =>
  ex
    .selectFrom('hardware_loans')
    .innerJoin('hardware_items', 'hardware_items.id', 'hardware_loans.item_id')
    .innerJoin('participants', 'participants.id', 'hardware_loans.participant_id')
    .leftJoin('api_keys', 'api_keys.id', 'hardware_loans.key_id')
    .selectAll('hardware_loans')
    .select(['hardware_items.name as item_name', 'participants.name as participant_name', 'api_keys.name as key_name']);

export interface LoanFilter {
  status?: LoanStatus | 'overdue';
  itemId?: number;
  participantId?: number;
}

/** One page of loans, newest first; `now` decides which are overdue. */
export async function findLoans(ex: Executor, filter: LoanFilter, page: number, now: number): Promise<ListedLoanRow[]> {
  let query = listedLoans(ex);
  if (filter.status === 'overdue') {
    query = query.where('hardware_loans.status', '=', 'out').where('hardware_loans.due_at', '<', now);
  } else if (filter.status !== undefined) {
    query = query.where('hardware_loans.status', '=', filter.status);
  }
  if (filter.itemId !== undefined) query = query.where('hardware_loans.item_id', '=', filter.itemId);
  if (filter.participantId !== undefined) query = query.where('hardware_loans.participant_id', '=', filter.participantId);
  return query
    .orderBy('hardware_loans.id', 'desc')
    .limit(LOANS_PER_PAGE)
    .offset((page - 1) * LOANS_PER_PAGE)
    .execute();
}

/** Every loan of one participant, newest first. */
export async function findParticipantLoans(ex: Executor, participantId: number): Promise<ListedLoanRow[]> {
  return listedLoans(ex)
    .where('hardware_loans.participant_id', '=', participantId)
    .orderBy('hardware_loans.id', 'desc')
    .execute();
}

/** Whether any loan of the participant still has units out. */
export async function hasLoansOut(ex: Executor, participantId: number): Promise<boolean> {
  const row = await ex
    .selectFrom('hardware_loans')
    .select('id')
    .where('participant_id', '=', participantId)
    .where('status', '=', 'out')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function findLoan(ex: Executor, id: number): Promise<ListedLoanRow | undefined> {
  return listedLoans(ex).where('hardware_loans.id', '=', id).executeTakeFirst();
}

export async function insertLoan(trx: Trx, row: Omit<Insertable<HardwareLoansTable>, 'id'>): Promise<number> {
  const inserted = await trx.insertInto('hardware_loans').values(row).returning('id').executeTakeFirstOrThrow();
  return inserted.id;
}

/** The loan as it is now, its row locked until the transaction ends: a return and a loss of it go one at a time. */
export async function lockLoan(trx: Trx, id: number): Promise<LoanRow | undefined> {
  return trx
    .updateTable('hardware_loans')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function settleLoan(
  trx: Trx,
  id: number,
  changes: Pick<Updateable<HardwareLoansTable>, 'returned' | 'lost' | 'status' | 'closed_at' | 'updated_at'>,
): Promise<void> {
  await trx.updateTable('hardware_loans').set(changes).where('id', '=', id).execute();
}

export async function appendLoanEvent(
  trx: Trx,
  event: { loanId: number; kind: LoanEventKind; quantity: number; note: string | null; keyId: number; at: number },
): Promise<void> {
  await trx
    .insertInto('hardware_loan_events')
    .values({
      loan_id: event.loanId,
      kind: event.kind,
      quantity: event.quantity,
      note: event.note,
      key_id: event.keyId,
      created_at: event.at,
    })
    .execute();
}

export async function findLoanHistory(ex: Executor, loanId: number): Promise<LoanMovementRow[]> {
  return ex
    .selectFrom('hardware_loan_events')
    .leftJoin('api_keys', 'api_keys.id', 'hardware_loan_events.key_id')
    .select([
      'hardware_loan_events.kind',
      'hardware_loan_events.quantity',
      'hardware_loan_events.note',
      'hardware_loan_events.key_id',
      'api_keys.name as key_name',
      'hardware_loan_events.created_at',
    ])
    .where('hardware_loan_events.loan_id', '=', loanId)
    .orderBy('hardware_loan_events.id')
    .execute();
}

// ---- The dashboard ----

export interface HardwareCountsRow {
  items: number;
  units: number;
  out: number;
  overdue_loans: number;
  open_requests: number;
}

export async function countHardware(ex: Executor, now: number): Promise<HardwareCountsRow> {
  // Units of archived items still out are still to come back: counted in `out`, not in the stock.
  const items = await ex
    .selectFrom('hardware_items')
    .select([
      sql<number>`cast(coalesce(sum(case when archived_at is null then 1 else 0 end), 0) as integer)`.as('items'),
      sql<number>`cast(coalesce(sum(case when archived_at is null then quantity else 0 end), 0) as integer)`.as('units'),
      sql<number>`cast(coalesce(sum(units_out), 0) as integer)`.as('out'),
    ])
    .executeTakeFirstOrThrow();
  const overdue = await ex
    .selectFrom('hardware_loans')
    .select(sql<number>`cast(count(*) as integer)`.as('count'))
    .where('status', '=', 'out')
    .where('due_at', '<', now)
    .executeTakeFirstOrThrow();
  const requests = await ex
    .selectFrom('hardware_requests')
    .select(sql<number>`cast(count(*) as integer)`.as('count'))
    .where('status', 'in', OPEN_REQUEST_STATUSES)
    .executeTakeFirstOrThrow();
  return { ...items, overdue_loans: overdue.count, open_requests: requests.count };
}
