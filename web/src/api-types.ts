// Friendly names for the API's shapes, all taken from the generated api-types.gen.ts (npm run generate:api-types),
// so a schema change on the server shows up here as a type error.
import type { components, paths } from './api-types.gen';

/** The JSON body of an operation's 200 answer. */
type Ok<Operation> = Operation extends { responses: { 200: { content: { 'application/json': infer Body } } } } ? Body : never;
/** The JSON body of an operation's answer with another status (201, 409). */
type Answer<Operation, Status extends number> = Operation extends {
  responses: { [S in Status]: { content: { 'application/json': infer Body } } };
}
  ? Body
  : never;
/** The JSON body an operation takes. */
type BodyOf<Operation> = Operation extends { requestBody?: { content: { 'application/json': infer Body } } } ? Body : never;

export type ErrorCode = components['schemas']['ErrorResponse']['code'];

export type Me = Ok<paths['/me']['get']>;
export type Role = Me['key']['role'];

export type ParticipantsById = Ok<paths['/users']['get']>;
export type Participant = ParticipantsById[string];
export type SkillRating = Participant['skills'][number];

export type CheckInStatus = Ok<paths['/checkin']['get']>;
export type BadgeHolder = Ok<paths['/badges/{code}']['get']>;

export type BobaInfo = Ok<paths['/boba_info']['get']>;
export type OrdersById = Ok<paths['/boba']['get']>;
export type Order = OrdersById[string];
export type OrderStatus = Order['status'];

/** Every status once, in the order the dashboard shows them; the Record type makes the list exactly the API's. */
const ORDER_STATUS_SET: Record<OrderStatus, true> = {
  Placed: true,
  'In Progress': true,
  'Out for Delivery': true,
  Delivered: true,
  Cancelled: true,
};
export const ORDER_STATUSES = Object.keys(ORDER_STATUS_SET) as OrderStatus[];

export type ExchangeResult = Ok<paths['/bbt_token_exchange']['put']>;
export type GrantResult = Ok<paths['/bbt_token_admin_give']['put']>;
export type TokenHistory = Ok<paths['/users/{id}/tokens']['get']>;
export type Stats = Ok<paths['/stats']['get']>;

export type CheckInCounts = Ok<paths['/checkin/counts']['get']>;

export type CheckpointsById = Ok<paths['/checkpoints']['get']>;
export type Checkpoint = CheckpointsById[string];
export type CheckpointKind = Checkpoint['kind'];
export type NewCheckpoint = BodyOf<paths['/checkpoints']['post']>;
export type ScanAccepted = Answer<paths['/checkpoints/{id}/scans']['post'], 201>;
/** A refused scan's 409 (or 404 for an unknown badge): the error, plus scan_id, status and participant. */
export type ScanRefused = Extract<Answer<paths['/checkpoints/{id}/scans']['post'], 409>, { status: 'refused' }>;
export type ScansById = Ok<paths['/checkpoints/{id}/scans']['get']>;
export type ScanView = ScansById[string];
export type ScanRefusal = NonNullable<ScanView['reason']>;
export type ScanOutcomeFilter = NonNullable<
  NonNullable<paths['/checkpoints/{id}/scans']['get']['parameters']['query']>['outcome']
>;

/** Every kind once, in the order the forms offer them; the Record type makes the list exactly the API's. */
const CHECKPOINT_KIND_SET: Record<CheckpointKind, true> = { meal: true, workshop: true, swag: true, other: true };
export const CHECKPOINT_KINDS = Object.keys(CHECKPOINT_KIND_SET) as CheckpointKind[];

export type HardwareItemsById = Ok<paths['/hardware']['get']>;
export type HardwareItem = HardwareItemsById[string];
export type NewHardwareItem = BodyOf<paths['/hardware']['post']>;
export type HardwareRequestsById = Ok<paths['/hardware/requests']['get']>;
export type HardwareRequest = HardwareRequestsById[string];
export type LoansById = Ok<paths['/hardware/loans']['get']>;
export type Loan = LoansById[string];

export type KeysById = Ok<paths['/keys']['get']>;
export type KeyView = KeysById[string];
export type CreatedKey = Ok<paths['/keys']['post']>;

// GET /events is a text/event-stream, so the document cannot describe its messages; each carries the
// documented view of what changed.
export interface OrderEvent {
  order_id: number;
  order: Order;
}
export interface CheckInEvent {
  participant_id: number;
  check_in: CheckInStatus;
}
export interface TokensEvent {
  participant_id: number;
  bbt_tokens: Participant['bbt_tokens'];
}
export interface ScanEvent {
  checkpoint_id: number;
  scan_id: number;
  /** annulled: an accepted scan was undone. */
  status: 'accepted' | 'refused' | 'annulled';
  reason: ScanRefusal | null;
  participant_id: number | null;
  counts: Checkpoint['counts'];
}
export interface CheckpointEvent {
  checkpoint_id: number;
  checkpoint: Checkpoint;
}

/** A 'hardware' event: an item changed (staff only), or a loan or request (the borrower gets their own too). */
export type HardwareEvent =
  | { kind: 'item'; item_id: number; item: HardwareItem }
  | { kind: 'loan'; loan_id: number; loan: Loan; item_id: number; available: number }
  | { kind: 'request'; request_id: number; request: HardwareRequest; item_id: number };

export type RosterAnswer = Ok<paths['/sync/roster']['get']>;
export type RosterParticipant = RosterAnswer['participants'][number];
export type SyncScanItem = BodyOf<paths['/sync/scans']['post']>[number];
export type SyncScansAnswer = Ok<paths['/sync/scans']['post']>;
export type SyncScanResult = SyncScansAnswer['results'][number];

export type AuditPage = Ok<paths['/audit']['get']>;
export type AuditRow = AuditPage['rows'][number];

export type ImportSummary = Ok<paths['/imports']['post']>;

export type WebhooksById = Ok<paths['/webhooks']['get']>;
export type WebhookView = WebhooksById[string];
export type WebhookFormat = WebhookView['format'];
export type NewWebhook = BodyOf<paths['/webhooks']['post']>;
export type WebhookEventName = NewWebhook['events'][number];
export type CreatedWebhook = Answer<paths['/webhooks']['post'], 201>;
export type DeliveryPage = Ok<paths['/webhooks/{id}/deliveries']['get']>;
export type Delivery = DeliveryPage['deliveries'][number];
