import type { Trx } from '../../db/tables.js';
import { insertDeliveries } from './webhooks.repository.js';

/** The events an endpoint may subscribe to; `loan.*` subscribes to every `loan.` event. */
export const WEBHOOK_EVENTS = [
  'check_in',
  'scan',
  'order.created',
  'order.moved',
  'tokens.granted',
  'loan.lent',
  'loan.returned',
  'loan.lost',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** The families an endpoint may subscribe to as a whole. */
export const WEBHOOK_EVENT_FAMILIES = ['loan.*'] as const;

/** `loan.lent` belongs to `loan.*`; an event without a dot belongs to no family. */
const familyOf = (event: string): string | undefined => {
  const dot = event.indexOf('.');
  return dot < 0 ? undefined : `${event.slice(0, dot)}.*`;
};

/**
 * Queues the event for every endpoint subscribed to it, in the change's transaction: a delivery exists
 * exactly when its change does. `data` holds ids and non-personal fields only.
 *
 * One INSERT ... SELECT: with no endpoint subscribed it is an index probe that writes nothing, which is
 * what nearly every check-in, scan and order pays.
 */
export async function enqueueWebhookEvent(trx: Trx, event: WebhookEvent, data: object, now: number): Promise<void> {
  await insertDeliveries(trx, event, familyOf(event), JSON.stringify(data), now);
}
