import { Type } from 'typebox';
import { WEBHOOK_DELIVERY_STATUSES, WEBHOOK_FORMATS, type WebhookDeliveryStatus, type WebhookFormat } from '../../db/tables.js';
import { IdParams, keyedById, nullable } from '../../http/schemas.js';
import { WEBHOOK_EVENT_FAMILIES, WEBHOOK_EVENTS } from './webhooks.outbox.js';

const MAX_URL = 2000;
const SUBSCRIBABLE = [...WEBHOOK_EVENTS, ...WEBHOOK_EVENT_FAMILIES];
export type Subscribable = (typeof SUBSCRIBABLE)[number];

const eventsError = `events must be a non-empty list of ${SUBSCRIBABLE.join(', ')}`;
const EventName = Type.Unsafe<Subscribable>({ type: 'string', enum: SUBSCRIBABLE, 'x-error': eventsError });
const Format = Type.Unsafe<WebhookFormat>({
  type: 'string',
  enum: [...WEBHOOK_FORMATS],
  'x-error': `format must be one of ${WEBHOOK_FORMATS.join(', ')}`,
});
const DeliveryStatus = Type.Unsafe<WebhookDeliveryStatus>({ type: 'string', enum: [...WEBHOOK_DELIVERY_STATUSES] });
const Time = Type.String({ format: 'date-time' });

export const NewWebhook = Type.Object(
  {
    url: Type.String({
      maxLength: MAX_URL,
      pattern: '^[Hh][Tt][Tt][Pp][Ss]?://',
      'x-error': `url must be an http or https URL of at most ${MAX_URL} characters`,
    }),
    events: Type.Array(EventName, { minItems: 1, maxItems: 20, 'x-error': eventsError }),
    format: Type.Optional(Format),
  },
  {
    description:
      'format json (default) sends Standard Webhooks JSON {type, timestamp, data}; discord and slack send one ' +
      'readable line ({content} or {text}) to a Discord or Slack incoming webhook URL. `loan.*` is every loan event.',
  },
);

const webhookFields = {
  id: Type.Integer(),
  url: Type.String(),
  events: Type.Array(Type.String(), { description: 'Event names, and `loan.*` for every loan event' }),
  format: Format,
  created_at: Time,
};

export const CreatedWebhook = Type.Object({
  ...webhookFields,
  secret: Type.String({
    description: 'The signing secret (whsec_ + base64), for verifying webhook-signature; shown only in this response',
  }),
});

export const WebhookView = Type.Object({
  ...webhookFields,
  pending: Type.Integer({ description: 'Deliveries waiting to be sent or retried' }),
  failed: Type.Integer({ description: 'Deliveries given up after 24 hours of retries' }),
});

export const WebhookMap = keyedById(WebhookView, 'Webhook endpoints keyed by id, without their secrets');

export const WebhookParams = IdParams('Webhook not found', 'webhook_not_found');

export const DeliveryParams = IdParams('Delivery not found', 'delivery_not_found');

export const DeliveriesQuery = Type.Object({
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, 'x-error': 'Invalid page number' })),
});

const Attempt = Type.Object({
  attempted_at: Time,
  duration_ms: Type.Integer(),
  status_code: nullable(Type.Integer({ description: "The receiver's HTTP status; null when it gave none" })),
  response: nullable(Type.String({ description: "The first KB of the receiver's answer" })),
  error: nullable(Type.String({ description: 'Why there was no answer: a timeout, a refused connection' })),
});

export const Delivery = Type.Object({
  id: Type.Integer({ description: 'The webhook-id header carries msg_<id>, the same on every attempt' }),
  webhook_id: Type.Integer(),
  event: Type.String(),
  data: Type.Object({}, { additionalProperties: true, description: 'The event data, as sent' }),
  status: DeliveryStatus,
  next_attempt_at: nullable(Type.String({ format: 'date-time', description: 'While pending: when it is sent next' })),
  created_at: Time,
  finished_at: nullable(Type.String({ format: 'date-time', description: 'When it was delivered, failed or cancelled' })),
  attempts: Type.Array(Attempt, { description: 'Every attempt, oldest first' }),
});

export const DeliveryPage = Type.Object({
  page: Type.Integer(),
  page_size: Type.Integer(),
  deliveries: Type.Array(Delivery, { description: 'Newest first' }),
});
