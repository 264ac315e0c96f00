import type { Static } from 'typebox';
import type { Clock } from '../../clock.js';
import type { BobaConfig } from '../../config.js';
import type { TransactionRunner } from '../../db/transactions.js';
import { BOBA_STATUSES, type BobaStatus, type Db, type Trx } from '../../db/tables.js';
import { conflict, forbidden, notFound, rejected } from '../../errors.js';
import { auditStaffChange } from '../audit/audit.service.js';
import { type NewEvent, recordEvents, tokensEvent } from '../events/events.repository.js';
import { enqueueWebhookEvent } from '../webhooks/webhooks.outbox.js';
import type { Actor } from '../keys/keys.service.js';
import { participantNotFound } from '../participants/participants.errors.js';
import { appendLedger, changeBalance, creditBalance, findBalance } from '../tokens/tokens.repository.js';
import * as repository from './boba.repository.js';
import { ORDER_DEFAULTS } from './boba.schemas.js';
import type * as schemas from './boba.schemas.js';
import { toIso } from '../../http/instants.js';

export type OrderChoices = Partial<Record<keyof typeof ORDER_DEFAULTS, string>> & { location?: string };

/** Which states each status may be reached from: orders only move forward, and cancel only before delivery starts. */
const REACHABLE_FROM: Record<BobaStatus, readonly BobaStatus[]> = {
  Placed: [],
  'In Progress': ['Placed'],
  'Out for Delivery': ['In Progress'],
  Delivered: ['Out for Delivery'],
  Cancelled: ['Placed', 'In Progress'],
};

type OrderView = Static<typeof schemas.Order>;
type BobaInfo = Static<typeof schemas.BobaInfo>;

function toOrderView(row: repository.OrderRow): OrderView {
  return {
    participant_id: row.participant_id,
    participant_name: row.participant_name,
    status: row.status,
    size: row.size,
    flavour: row.flavour,
    sweetness: row.sweetness,
    ice: row.ice,
    toppings: row.toppings,
    location: row.location,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}

const PARTICIPANT_CANCELLABLE_FROM: readonly BobaStatus[] = ['Placed'];

const orderEvent = (orderId: number, order: OrderView): NewEvent => ({
  type: 'order',
  participantId: order.participant_id,
  payload: { order_id: orderId, order },
});

const orderNotFound = () => notFound('order_not_found', 'Order not found');

const isBobaStatus = (value: string): value is BobaStatus => (BOBA_STATUSES as readonly string[]).includes(value);

/** Gives a cancelled order's cost back, once (a unique index), to its participant even if deleted since. */
async function refund(trx: Trx, order: repository.OrderRow, actor: Actor, now: number): Promise<NewEvent> {
  const balance = await creditBalance(trx, order.participant_id, order.cost, now);
  await appendLedger(
    trx,
    [{ participantId: order.participant_id, amount: order.cost, kind: 'refund', orderId: order.id }],
    actor,
    now,
  );
  return tokensEvent(order.participant_id, balance);
}

/**
 * Cancels and refunds the orders of a participant being deleted that are still Placed (nobody will collect
 * them), in the deletion's transaction. Orders the kitchen has started stay, theirs to finish or cancel. On
 * PostgreSQL an order another request holds (a kitchen move under way) is skipped rather than waited for:
 * that move locks the participant after the order, the deletion the other way round.
 */
export async function cancelPlacedOrdersOf(trx: Trx, participantId: number, actor: Actor, now: number): Promise<void> {
  const events: NewEvent[] = [];
  for (const orderId of await repository.findPlacedOrderIds(trx, participantId)) {
    const moved = await repository.moveOrder(trx, { orderId }, ['Placed'], 'Cancelled', now);
    if (!moved) continue;
    events.push(orderEvent(orderId, toOrderView(moved)));
    if (moved.cost > 0) events.push(await refund(trx, moved, actor, now));
    await enqueueWebhookEvent(
      trx,
      'order.moved',
      { order_id: orderId, participant_id: participantId, from: 'Placed', to: 'Cancelled', location: moved.location },
      now,
    );
  }
  await recordEvents(trx, events, now);
}

export class BobaService {
  constructor(
    private readonly db: Db,
    private readonly transact: TransactionRunner,
    private readonly boba: BobaConfig,
    private readonly clock: Clock,
  ) {}

  info(): BobaInfo {
    return {
      boba_statuses: [...BOBA_STATUSES],
      boba_tokens_per_order: this.boba.tokensPerOrder,
      boba_tokens_cooldown: this.boba.cooldownSeconds,
      boba_pair_exchanges: this.boba.pairExchanges,
      boba_max_grant: this.boba.maxGrant,
    };
  }

  /** Debit, order and ledger row commit together or not at all. */
  async placeOrder(participantId: number, choices: OrderChoices, actor: Actor): Promise<{ id: number; order: OrderView }> {
    const cost = this.boba.tokensPerOrder;
    return this.transact(async (trx) => {
      const now = this.clock.now();
      const balance = await changeBalance(trx, participantId, -cost, now);
      if (balance === undefined) {
        if ((await findBalance(trx, participantId)) === undefined) throw participantNotFound();
        throw rejected('not_enough_tokens', 'Not enough tokens to order');
      }
      const row = await repository.insertOrder(trx, {
        participant_id: participantId,
        status: 'Placed',
        size: choices.size ?? ORDER_DEFAULTS.size,
        flavour: choices.flavour ?? ORDER_DEFAULTS.flavour,
        sweetness: choices.sweetness ?? ORDER_DEFAULTS.sweetness,
        ice: choices.ice ?? ORDER_DEFAULTS.ice,
        toppings: choices.toppings ?? ORDER_DEFAULTS.toppings,
        location: choices.location ?? null,
        cost,
        created_at: now,
        updated_at: now,
      });
      await appendLedger(trx, [{ participantId, amount: -cost, kind: 'order', orderId: row.id }], actor, now);
      const order = toOrderView(row);
      await recordEvents(trx, [orderEvent(row.id, order), tokensEvent(participantId, balance)], now);
      // Without the name: a deletion redacts only the rows about the participant themself.
      const { participant_name, created_at, updated_at, ...ordered } = order;
      const placed = { ...ordered, cost };
      await auditStaffChange(trx, actor, { action: 'order.create', target: `order:${row.id}`, after: placed }, now);
      await enqueueWebhookEvent(trx, 'order.created', { order_id: row.id, ...placed }, now);
      return { id: row.id, order };
    });
  }

  /** A participant key sees only its own orders, whatever filter it asks for. */
  async list(filter: { participantId?: number; status?: BobaStatus }, actor: Actor): Promise<Record<string, OrderView>> {
    if (actor.role === 'participant') {
      if (filter.participantId !== undefined && filter.participantId !== actor.participantId) return {};
      filter = { ...filter, participantId: actor.participantId as number };
    }
    const rows = await repository.findOrders(this.db, filter);
    return Object.fromEntries(rows.map((row) => [row.id, toOrderView(row)]));
  }

  /**
   * Applies one allowed move; a cancel refunds the order's cost once, in the same transaction. The kitchen
   * may make any allowed move; a participant may only cancel their own order while it is still Placed.
   * Given `expected` (the status the caller saw), the move starts only from that status, so a repeated tap
   * or a second device cannot move an order twice: the later one finds it moved and changes nothing.
   */
  async move(orderId: number, status: string, actor: Actor, expected?: BobaStatus): Promise<OrderView> {
    if (!isBobaStatus(status)) throw rejected('invalid_status', 'Invalid status');
    const byParticipant = actor.role === 'participant';
    if (byParticipant && status !== 'Cancelled') throw forbidden('kitchen_only');
    const allowed = byParticipant ? PARTICIPANT_CANCELLABLE_FROM : REACHABLE_FROM[status];
    const from = expected === undefined ? allowed : allowed.filter((state) => state === expected);
    return this.transact(async (trx) => {
      const now = this.clock.now();
      const owner = byParticipant ? (actor.participantId as number) : undefined;
      // A cancel may start from two statuses: the one it left is read (and locked) first, for the record.
      const previous = from.length === 1 ? from[0] : await repository.lockOrderStatus(trx, orderId);
      const moved = await repository.moveOrder(trx, { orderId, owner }, from, status, now);
      if (!moved) {
        const current = await repository.findOrder(trx, orderId);
        if (!current) throw orderNotFound();
        if (owner !== undefined && current.participant_id !== owner) throw forbidden('not_owner');
        if (expected !== undefined && current.status !== expected)
          throw conflict('order_moved', `Order is no longer ${expected}`);
        throw rejected('invalid_transition', `Cannot move an order from ${current.status} to ${status}`);
      }
      const order = toOrderView(moved);
      const events = [orderEvent(orderId, order)];
      if (status === 'Cancelled' && moved.cost > 0) {
        events.push(await refund(trx, moved, actor, now));
      }
      await recordEvents(trx, events, now);
      await auditStaffChange(
        trx,
        actor,
        { action: 'order.move', target: `order:${orderId}`, before: { status: previous }, after: { status } },
        now,
      );
      await enqueueWebhookEvent(
        trx,
        'order.moved',
        { order_id: orderId, participant_id: moved.participant_id, from: previous, to: status, location: moved.location },
        now,
      );
      return order;
    });
  }
}
