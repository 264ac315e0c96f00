import type { Static } from 'typebox';
import type { Clock } from '../../clock.js';
import type { BobaConfig } from '../../config.js';
import type { TransactionRunner } from '../../db/transactions.js';
import { BOBA_STATUSES, type BobaStatus, type Db } from '../../db/tables.js';
import { conflict, forbidden, notFound, rejected } from '../../errors.js';
import { type NewEvent, recordEvents, tokensEvent } from '../events/events.repository.js';
import type { Actor } from '../keys/keys.service.js';
import { participantNotFound } from '../participants/participants.errors.js';
import { appendLedger, changeBalance, findBalance } from '../tokens/tokens.repository.js';
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
        const balance = await changeBalance(trx, moved.participant_id, moved.cost, now);
        await appendLedger(
          trx,
          [{ participantId: moved.participant_id, amount: moved.cost, kind: 'refund', orderId }],
          actor,
          now,
        );
        if (balance !== undefined) events.push(tokensEvent(moved.participant_id, balance));
      }
      await recordEvents(trx, events, now);
      return order;
    });
  }
}
