import type { Selectable } from 'kysely';
import { preparedQuery } from '../../db/prepared.js';
import type { BobaOrdersTable, BobaStatus, Executor, Trx } from '../../db/tables.js';

export type OrderRow = Selectable<BobaOrdersTable>;
export type NewOrder = Omit<OrderRow, 'id'>;

const insertOrderQuery = preparedQuery((ex, order: NewOrder) => ex.insertInto('boba_orders').values(order).returningAll());

export async function insertOrder(trx: Trx, order: NewOrder): Promise<OrderRow> {
  const [row] = await insertOrderQuery(trx, order);
  if (!row) throw new Error('insert into boba_orders returned no row');
  return row;
}

export async function findOrders(ex: Executor, filter: { participantId?: number; status?: BobaStatus }): Promise<OrderRow[]> {
  let query = ex.selectFrom('boba_orders').selectAll().orderBy('id');
  if (filter.participantId !== undefined) query = query.where('participant_id', '=', filter.participantId);
  if (filter.status !== undefined) query = query.where('status', '=', filter.status);
  return query.execute();
}

export async function findOrder(ex: Executor, orderId: number): Promise<OrderRow | undefined> {
  return ex.selectFrom('boba_orders').selectAll().where('id', '=', orderId).executeTakeFirst();
}

/**
 * Moves an order to `to` only if it is still in one of `from` (and, given an owner, belongs to them): of two racing moves from the same state,
 * the second finds the state changed and updates nothing.
 */
export async function moveOrder(
  trx: Trx,
  target: { orderId: number; owner?: number },
  from: readonly BobaStatus[],
  to: BobaStatus,
  now: number,
): Promise<OrderRow | undefined> {
  if (from.length === 0) return undefined;
  let query = trx
    .updateTable('boba_orders')
    .set({ status: to, updated_at: now })
    .where('id', '=', target.orderId)
    .where('status', 'in', from);
  if (target.owner !== undefined) query = query.where('participant_id', '=', target.owner);
  return query.returningAll().executeTakeFirst();
}
