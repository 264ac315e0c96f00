import { randomBytes } from 'node:crypto';
import type { Static } from 'typebox';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/tables.js';
import type { TransactionRunner } from '../../db/transactions.js';
import { conflict, notFound, rejected } from '../../errors.js';
import { toIso, toIsoOrNull } from '../../http/instants.js';
import { auditStaffChange } from '../audit/audit.service.js';
import type { Actor } from '../keys/keys.service.js';
import * as repository from './webhooks.repository.js';
import type * as schemas from './webhooks.schemas.js';

type NewWebhook = Static<typeof schemas.NewWebhook>;
type CreatedWebhook = Static<typeof schemas.CreatedWebhook>;
type WebhookView = Static<typeof schemas.WebhookView>;
type DeliveryView = Static<typeof schemas.Delivery>;
type DeliveryPage = Static<typeof schemas.DeliveryPage>;

const webhookNotFound = () => notFound('webhook_not_found', 'Webhook not found');
const deliveryNotFound = () => notFound('delivery_not_found', 'Delivery not found');

/** A Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes (the spec asks for 24 to 64). */
const generateSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

function checkedUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw rejected('validation_failed', 'url must be an http or https URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw rejected('validation_failed', 'url must be an http or https URL');
  return url.href;
}

/** Each name once; `loan.*` stands for every loan event, so those named beside it are dropped. */
function normalisedEvents(events: readonly string[]): string[] {
  const everyLoan = events.includes('loan.*');
  return [...new Set(events)].filter((event) => !(everyLoan && event.startsWith('loan.') && event !== 'loan.*')).sort();
}

/**
 * What the audit log keeps of an endpoint: its host, not its whole URL (a Discord or Slack webhook URL is
 * itself a secret), its events and format.
 */
const auditedEndpoint = (url: string, events: string[], format: string) => ({ host: new URL(url).host, events, format });

const toWebhookView = (row: repository.ListedEndpointRow, events: string[]): WebhookView => ({
  id: row.id,
  url: row.url,
  events,
  format: row.format,
  created_at: toIso(row.created_at),
  pending: row.pending,
  failed: row.failed,
});

function toDeliveryView(row: repository.DeliveryRow, attempts: repository.ListedAttemptRow[]): DeliveryView {
  return {
    id: row.id,
    webhook_id: row.endpoint_id,
    event: row.event,
    data: JSON.parse(row.payload) as Record<string, unknown>,
    status: row.status,
    next_attempt_at: row.status === 'pending' ? toIso(row.next_attempt_at) : null,
    created_at: toIso(row.created_at),
    finished_at: toIsoOrNull(row.finished_at),
    attempts: attempts.map((attempt) => ({
      attempted_at: toIso(attempt.attempted_at),
      duration_ms: attempt.duration_ms,
      status_code: attempt.status_code,
      response: attempt.response,
      error: attempt.error,
    })),
  };
}

export class WebhooksService {
  constructor(
    private readonly db: Db,
    private readonly transact: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async create(body: NewWebhook, actor: Actor): Promise<CreatedWebhook> {
    const url = checkedUrl(body.url);
    const events = normalisedEvents(body.events);
    const format = body.format ?? 'json';
    const secret = generateSecret();
    return this.transact(async (trx) => {
      const now = this.clock.now();
      const row = await repository.insertEndpoint(trx, { url, format, secret, key_id: actor.keyId, created_at: now });
      await repository.insertSubscriptions(trx, row.id, events);
      await auditStaffChange(
        trx,
        actor,
        { action: 'webhook.create', target: `webhook:${row.id}`, after: auditedEndpoint(url, events, format) },
        now,
      );
      return { id: row.id, url, events, format, created_at: toIso(row.created_at), secret };
    });
  }

  async list(): Promise<Record<string, WebhookView>> {
    const rows = await repository.findEndpoints(this.db);
    const events = await repository.findSubscriptions(
      this.db,
      rows.map((row) => row.id),
    );
    return Object.fromEntries(rows.map((row) => [row.id, toWebhookView(row, events.get(row.id) ?? [])]));
  }

  /** Deletes an endpoint: nothing more is queued for it, and what was waiting is cancelled. */
  async remove(id: number, actor: Actor): Promise<WebhookView> {
    return this.transact(async (trx) => {
      const row = await repository.findEndpoint(trx, id);
      if (!row) throw webhookNotFound();
      const events = (await repository.findSubscriptions(trx, [id])).get(id) ?? [];
      const now = this.clock.now();
      if (!(await repository.deleteEndpoint(trx, id, now))) throw webhookNotFound();
      await auditStaffChange(
        trx,
        actor,
        { action: 'webhook.delete', target: `webhook:${id}`, before: auditedEndpoint(row.url, events, row.format) },
        now,
      );
      return toWebhookView({ ...row, pending: 0 }, events);
    });
  }

  async deliveries(webhookId: number, page: number): Promise<DeliveryPage> {
    if (!(await repository.findEndpoint(this.db, webhookId))) throw webhookNotFound();
    const rows = await repository.findDeliveriesPage(this.db, webhookId, page);
    return {
      page,
      page_size: repository.DELIVERIES_PER_PAGE,
      deliveries: rows.map(({ delivery, attempts }) => toDeliveryView(delivery, attempts)),
    };
  }

  /**
   * Sends a finished delivery again, now: a failed one, or one delivered that the receiver lost. It goes
   * back to the head of its endpoint's queue; a delivery of a deleted webhook is gone with it.
   */
  async retry(deliveryId: number, actor: Actor): Promise<DeliveryView> {
    return this.transact(async (trx) => {
      const found = await repository.findLiveDelivery(trx, deliveryId);
      if (!found) throw deliveryNotFound();
      const now = this.clock.now();
      const row = await repository.requeueDelivery(trx, deliveryId, now);
      if (!row) throw conflict('delivery_pending', 'This delivery is still pending: it is sent or retried without asking');
      await auditStaffChange(
        trx,
        actor,
        { action: 'webhook.retry', target: `webhook:${row.endpoint_id}`, before: { delivery_id: row.id, status: found.status } },
        now,
      );
      return toDeliveryView(row, await repository.findAttempts(trx, [row.id]));
    });
  }
}
