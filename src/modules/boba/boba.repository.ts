import { type ExpressionBuilder, PostgresAdapter, type Selectable } from 'kysely';
import { preparedQuery } from '../../db/prepared.js';
import type { BobaOrdersTable, BobaStatus, Database, Executor, Trx } from '../../db/tables.js';

type StoredOrder = Selectable<BobaOrdersTable>;
/** An order with its participant's name, which every ticket shows. */
export type OrderRow = StoredOrder & { participant_name: string };
export type NewOrder = Omit<StoredOrder, 'id'>;

/**
 * The ordering participant's name beside a row just written: a subquery in RETURNING, so a write still takes
 * one statement. The foreign key guarantees the participant exists.
 */
const participantNameOf = (eb: ExpressionBuilder<Database, 'boba_orders'>) =>
  eb
    .selectFrom('participants')
    .select('participants.name')
    .whereRef('participants.id', '=', 'boba_orders.participant_id')
    .$asScalar()
    .$notNull()
    .as('participant_name');

const insertOrderQuery = preparedQuery((ex, order: NewOrder) =>
  ex.insertInto('boba_orders').values(order).returningAll().returning(participantNameOf),
);

export async function insertOrder(trx: Trx, order: NewOrder): Promise<OrderRow> {
  const [row] = await insertOrderQuery(trx, order);
  if (!row) throw new Error('insert into boba_orders returned no row');
  return row;
}

const ordersWithNames = (ex: Executor) =>
  ex
    .selectFrom('boba_orders')
    .innerJoin('participants', 'participants.id', 'boba_orders.participant_id')
    .selectAll('boba_orders')
    .select('participants.name as participant_name');

export async function findOrders(ex: Executor, filter: { participantId?: number; status?: BobaStatus }): Promise<OrderRow[]> {
  let query = ordersWithNames(ex).orderBy('boba_orders.id');
  if (filter.participantId !== undefined) query = query.where('boba_orders.participant_id', '=', filter.participantId);
  if (filter.status !== undefined) query = query.where('boba_orders.status', '=', filter.status);
  return query.execute();
}

export async function findOrder(ex: Executor, orderId: number): Promise<OrderRow | undefined> {
  return ordersWithNames(ex).where('boba_orders.id', '=', orderId).executeTakeFirst();
}

/** The participant's Placed orders, locked; on PostgreSQL those another transaction holds are skipped, not waited for. */
export async function findPlacedOrderIds(trx: Trx, participantId: number): Promise<number[]> {
  const rows = await trx
    .selectFrom('boba_orders')
    .select('id')
    .where('participant_id', '=', participantId)
    .where('status', '=', 'Placed')
    .orderBy('id')
    .$if(trx.getExecutor().adapter instanceof PostgresAdapter, (query) => query.forUpdate().skipLocked())
    .execute();
  return rows.map((row) => row.id);
}

/** The order's status, its row locked until the transaction ends (SQLite's one writer needs no lock). */
export async function lockOrderStatus(trx: Trx, orderId: number): Promise<BobaStatus | undefined> {
  const row = await trx
    .selectFrom('boba_orders')
    .select('status')
    .where('id', '=', orderId)
    .$if(trx.getExecutor().adapter instanceof PostgresAdapter, (query) => query.forUpdate())
    .executeTakeFirst();
  return row?.status;
}

/**
 * Moves an order to `to` only if it is still in one of `from` (and, given an owner, belongs to them), in one
 * conditional UPDATE: of two racing moves from the same state, the second finds the state changed and updates nothing.
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
  return query.returningAll().returning(participantNameOf).executeTakeFirst();
}
