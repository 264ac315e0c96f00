import type { ScanRefusal } from '../shared/checkpoint-rules.js';
import type { ColumnType, Generated, Insertable, Kysely, Transaction } from 'kysely';

/** Milliseconds since the Unix epoch; stored as a 64-bit integer in both dialects. */
type EpochMillis = number;

interface ParticipantsTable {
  id: Generated<number>;
  name: string;
  company: string;
  email: string;
  /** Lower-cased e-mail; its unique index is what keeps e-mails unique in any letter case. */
  email_key: string;
  phone: string;
  bbt_tokens: ColumnType<number, number | undefined, number>;
  last_exchange_at: EpochMillis | null;
  /** Secret printed in the participant's QR badge; rotating it invalidates printed badges. */
  badge_code: string;
  /** A JSON array of short lower-case tags ("hacker", "mentor", "meal-group-a"). */
  tags: ColumnType<string, string | undefined, string>;
  dietary_restrictions: ColumnType<string, string | undefined, string>;
  /** Bumped by a rotation: a signed badge naming an older version is revoked. */
  badge_version: ColumnType<number, number | undefined, number>;
  created_at: EpochMillis;
  updated_at: EpochMillis;
  /** Set when the participant was deleted: the row stays, without personal data, for the totals that name it. */
  deleted_at: ColumnType<EpochMillis | null, EpochMillis | null | undefined, EpochMillis | null>;
}

interface SkillsTable {
  id: Generated<number>;
  name: string;
  /** Participants holding the skill; maintained in the same transaction as participant_skills. */
  frequency: ColumnType<number, number | undefined, number>;
  /** Sum of those participants' ratings, so the average costs no scan. */
  rating_sum: ColumnType<number, number | undefined, number>;
}

interface ParticipantSkillsTable {
  id: Generated<number>;
  participant_id: number;
  skill_id: number;
  rating: number;
}

interface CheckInsTable {
  participant_id: number;
  checked_in_at: EpochMillis;
  volunteer_id: number;
  /** Set for a check-in uploaded from an offline scanner: the same nonce uploaded again gets the same answer. */
  nonce: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the server recorded it: what an offline scanner's roster asks about ("changed since"). */
  recorded_at: ColumnType<number, number | undefined, number>;
}

/** Secrets the server makes for itself on first start and every API process shares (the badge signing key). */
interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: EpochMillis;
}

export const BOBA_STATUSES = ['Placed', 'In Progress', 'Out for Delivery', 'Delivered', 'Cancelled'] as const;
export type BobaStatus = (typeof BOBA_STATUSES)[number];

export interface BobaOrdersTable {
  id: Generated<number>;
  participant_id: number;
  status: BobaStatus;
  size: string;
  flavour: string;
  sweetness: string;
  ice: string;
  toppings: string;
  /** Where to bring the drink ("Table 12"), when the participant said. */
  location: string | null;
  /** Tokens paid, so a refund returns exactly that even if the price changed since. */
  cost: number;
  created_at: EpochMillis;
  updated_at: EpochMillis;
}

export const LEDGER_KINDS = ['exchange', 'grant', 'order', 'refund'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** Append-only: a participant's bbt_tokens always equals the sum of their rows. */
export interface TokenLedgerTable {
  id: Generated<number>;
  participant_id: number;
  amount: number;
  kind: LedgerKind;
  order_id: number | null;
  counterpart_id: number | null;
  /** The API key whose request caused the movement. */
  actor_key_id: number | null;
  created_at: EpochMillis;
}

interface PairExchangesTable {
  participant_low: number;
  participant_high: number;
  exchanges: number;
  last_exchange_at: EpochMillis;
}

export const ROLES = ['admin', 'volunteer', 'participant'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKeysTable {
  id: Generated<number>;
  name: string;
  role: Role;
  /** Set exactly when role is participant: the one participant the key acts as. */
  participant_id: number | null;
  /** SHA-256 of the key; the key itself is shown once and never stored. */
  key_hash: string;
  /** 1 for the key registered from TAPIOCA_ADMIN_KEY: a start with another value revokes it. */
  from_env: ColumnType<number, number | undefined, number>;
  created_at: EpochMillis;
  expires_at: EpochMillis | null;
  last_used_at: EpochMillis | null;
  revoked_at: EpochMillis | null;
}

export const CHECKPOINT_KINDS = ['meal', 'workshop', 'swag', 'other'] as const;
export type CheckpointKind = (typeof CHECKPOINT_KINDS)[number];

/** A place people are scanned at: a meal, a workshop, a swag table. Archived ones keep their scans. */
export interface CheckpointsTable {
  id: Generated<number>;
  name: string;
  kind: CheckpointKind;
  opens_at: EpochMillis | null;
  closes_at: EpochMillis | null;
  /** Accepted scans per participant; null is unlimited. */
  per_participant_limit: number | null;
  /** Distinct participants it may accept; null is no limit. */
  capacity: number | null;
  requires_check_in: number;
  /** A JSON array of tags, one of which a participant must carry; null lets everyone in. */
  allowed_tags: string | null;
  archived_at: EpochMillis | null;
  /** Kept in the transaction of each scan and undo: accepted scans not annulled, ... */
  accepted_count: ColumnType<number, number | undefined, number>;
  /** ... participants with at least one of them (what capacity bounds), ... */
  participant_count: ColumnType<number, number | undefined, number>;
  /** ... and refused scans, ... */
  refused_count: ColumnType<number, number | undefined, number>;
  /** ... of which offline_conflict: scans an offline scanner let through that the server could not count. */
  conflict_count: ColumnType<number, number | undefined, number>;
  created_at: EpochMillis;
  updated_at: EpochMillis;
}

/** A participant's accepted scans at a checkpoint, not annulled: the row the limit is enforced on. */
interface CheckpointParticipantsTable {
  checkpoint_id: number;
  participant_id: number;
  accepted: ColumnType<number, number | undefined, number>;
  /** When the count last changed, so an offline scanner's roster can ask for what changed since. */
  updated_at: ColumnType<number, number | undefined, number>;
}

type ScanOutcome = 'accepted' | 'refused';

/** Every scan, accepted or refused; append-only but for annulment. */
export interface CheckpointScansTable {
  id: Generated<number>;
  checkpoint_id: number;
  participant_id: number | null;
  outcome: ScanOutcome;
  reason: ScanRefusal | null;
  /** The answer's body as first sent (JSON, without scan_id): what a repeated nonce gets. */
  answer: string;
  /** The API key that scanned. */
  key_id: number;
  /** The scanner's own id for this scan: a repeat with the same nonce gets the first answer. */
  nonce: string;
  /** `participant:<id>` or `badge:<SHA-256 of the code>`: a nonce may only be repeated for the same target. */
  target: string;
  /** When the scanner saw the badge; the checkpoint's hours are judged by it. */
  scanned_at: EpochMillis;
  received_at: EpochMillis;
  annulled_at: EpochMillis | null;
  annulled_by: number | null;
  /** 1 for a scan an offline scanner made and uploaded later. */
  offline: ColumnType<number, number | undefined, number>;
}

export const HARDWARE_REQUEST_STATUSES = ['requested', 'ready', 'collected', 'cancelled'] as const;
export type HardwareRequestStatus = (typeof HARDWARE_REQUEST_STATUSES)[number];
export const LOAN_STATUSES = ['out', 'returned', 'lost'] as const;
export type LoanStatus = (typeof LOAN_STATUSES)[number];
export type LoanEventKind = 'lent' | 'returned' | 'lost';

/** A kind of lendable hardware; `units_out` may never pass `quantity` (a CHECK and the lending UPDATE's condition). */
export interface HardwareItemsTable {
  id: Generated<number>;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  quantity: number;
  /** Units lent and neither back nor lost: the sum of the open loans' outstanding units. */
  units_out: ColumnType<number, number | undefined, number>;
  per_participant_limit: number | null;
  /** How long a loan lasts; null: until the end of the event. */
  loan_minutes: number | null;
  requires_check_in: number;
  archived_at: EpochMillis | null;
  created_at: EpochMillis;
  updated_at: EpochMillis;
}

/** Units of an item a participant holds now: the row the per-participant limit is enforced on. */
interface HardwareHoldingsTable {
  item_id: number;
  participant_id: number;
  units: ColumnType<number, number | undefined, number>;
}

export interface HardwareRequestsTable {
  id: Generated<number>;
  item_id: number;
  participant_id: number;
  quantity: number;
  status: HardwareRequestStatus;
  /** The loan that collected it. */
  loan_id: number | null;
  /** The key that asked. */
  key_id: number;
  created_at: EpochMillis;
  updated_at: EpochMillis;
}

export interface HardwareLoansTable {
  id: Generated<number>;
  item_id: number;
  participant_id: number;
  quantity: number;
  returned: ColumnType<number, number | undefined, number>;
  lost: ColumnType<number, number | undefined, number>;
  status: LoanStatus;
  due_at: EpochMillis | null;
  /** The key that lent it. */
  key_id: number;
  request_id: number | null;
  created_at: EpochMillis;
  updated_at: EpochMillis;
  closed_at: EpochMillis | null;
}

/** Every movement of a loan, append-only. */
interface HardwareLoanEventsTable {
  id: Generated<number>;
  loan_id: number;
  kind: LoanEventKind;
  quantity: number;
  note: string | null;
  key_id: number;
  created_at: EpochMillis;
}

export type EventType = 'order' | 'checkin' | 'tokens' | 'scan' | 'checkpoint' | 'hardware';

/** Outbox of live updates, written in the transaction of the change, so a client can catch up by id. */
export interface EventsTable {
  id: Generated<number>;
  type: EventType;
  /** Whose data the event carries; a participant key receives only its own. */
  participant_id: number | null;
  payload: string;
  created_at: EpochMillis;
}

/**
 * The dashboard's counts, kept by triggers (migration 20261201_06): 'participants', 'tokens' and
 * 'order:<status>'; and GET /metrics's (20261202_16): 'ledger:<kind>:in|out' and 'webhook:<status>'. A counter is the sum of its shards (PostgreSQL: one per backend process id, 0 for folded ones).
 */
interface StatsCountersTable {
  counter: string;
  shard: number;
  value: number;
}

/** Check-ins per hour (whole hours since the epoch), sharded like stats_counters. */
interface StatsCheckInHoursTable {
  hour: number;
  shard: number;
  count: number;
}

/**
 * One row (id 1). `demo` is 1 while the database holds generated demo participants (and whatever was added
 * beside them): real participants may then only be imported by replacing everything.
 */
interface EventSettingsTable {
  id: number;
  demo: number;
  /** What a new participant's badge version starts at; a reset import raises it (and so the roster's epoch). */
  badge_version_floor: ColumnType<number, number | undefined, number>;
}

/**
 * A request's Idempotency-Key: claimed ('running') by the first request, then 'done' with its answer, written
 * in the transaction of its effect. `body` is encrypted with a key derived from the caller's credentials.
 */
interface IdempotencyKeysTable {
  /** `key:<api key id>`, or `anonymous` for open registration. */
  scope: string;
  /** SHA-256 of the Idempotency-Key header. */
  key_hash: string;
  /** SHA-256 of method, URL and body: a repeat must match it. */
  fingerprint: string;
  state: 'running' | 'done';
  /** Random token of the request running it: only that request may store the answer. */
  owner: string;
  started_at: EpochMillis;
  created_at: EpochMillis;
  status: number | null;
  body: string | null;
}

/** Append-only (triggers refuse any other change): a change made by a key, with what it changed. */
export interface AuditLogTable {
  id: Generated<number>;
  actor_key_id: number | null;
  actor_name: string;
  actor_role: Role;
  /** `<resource>.<verb>`: `participant.update`, `order.move`, `key.revoke`. */
  action: string;
  /** `<resource>:<id>`: `participant:42`, `order:7`. */
  target: string;
  /** JSON of the fields the change touched, before and after; null when there was nothing before (or after). */
  before: string | null;
  after: string | null;
  /** Set when the participant the row describes was deleted: before and after are then dropped. */
  redacted_at: EpochMillis | null;
  created_at: EpochMillis;
}

export const WEBHOOK_FORMATS = ['json', 'discord', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export interface WebhookEndpointsTable {
  id: Generated<number>;
  url: string;
  format: WebhookFormat;
  secret: string;
  /** The key that registered it. */
  key_id: number;
  created_at: EpochMillis;
  deleted_at: EpochMillis | null;
}

interface WebhookSubscriptionsTable {
  endpoint_id: number;
  event: string;
}

/** The outbox: one row per event and subscribed endpoint, written in the change's transaction. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  endpoint_id: number;
  event: string;
  payload: string;
  status: WebhookDeliveryStatus;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: EpochMillis;
  lease_until: EpochMillis | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: EpochMillis;
  finished_at: EpochMillis | null;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  attempted_at: EpochMillis;
  duration_ms: number;
  status_code: number | null;
  response: string | null;
  error: string | null;
}

export interface Database {
  participants: ParticipantsTable;
  skills: SkillsTable;
  participant_skills: ParticipantSkillsTable;
  check_ins: CheckInsTable;
  boba_orders: BobaOrdersTable;
  token_ledger: TokenLedgerTable;
  pair_exchanges: PairExchangesTable;
  api_keys: ApiKeysTable;
  events: EventsTable;
  stats_counters: StatsCountersTable;
  stats_check_in_hours: StatsCheckInHoursTable;
  event_settings: EventSettingsTable;
  hardware_items: HardwareItemsTable;
  hardware_holdings: HardwareHoldingsTable;
  hardware_requests: HardwareRequestsTable;
  hardware_loans: HardwareLoansTable;
  hardware_loan_events: HardwareLoanEventsTable;
  server_secrets: ServerSecretsTable;
  idempotency_keys: IdempotencyKeysTable;
  checkpoints: CheckpointsTable;
  checkpoint_participants: CheckpointParticipantsTable;
  checkpoint_scans: CheckpointScansTable;
  audit_log: AuditLogTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

export type NewParticipantRow = Insertable<ParticipantsTable>;

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Either the database or an open transaction: repositories run on whichever they are handed. */
export type Executor = Db | Trx;
