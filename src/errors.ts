import { CHECKPOINT_REFUSALS } from './shared/checkpoint-rules.js';

/**
 * Every machine-readable code an error response may carry, beside its human message. Clients branch on the
 * code, never on the message; the OpenAPI document lists them as an enum and a test fails on any code
 * thrown or sent that is missing here, or listed here and used nowhere.
 */
export const ERROR_CODES = [
  // Request shape, answered before any route runs.
  'validation_failed',
  'malformed_json',
  'payload_too_large',
  'unsupported_media_type',
  'url_too_long',
  'malformed_request',
  'not_found',
  // Access.
  'authentication_required',
  'forbidden',
  'rate_limited',
  // Server side.
  'database_unavailable',
  'web_app_not_built',
  'internal',
  // Resources.
  'participant_not_found',
  'badge_not_found',
  'key_not_found',
  'order_not_found',
  'checkpoint_not_found',
  'scan_not_found',
  'unknown_badge',
  // Rules.
  'email_taken',
  'already_checked_in',
  'target_required',
  'participant_required',
  'participant_not_allowed',
  'ambiguous_partner',
  'partner_required',
  'self_exchange',
  'cooldown',
  'pair_limit',
  'invalid_grant',
  'negative_balance',
  'not_enough_tokens',
  'invalid_status',
  'invalid_transition',
  'order_moved',
  'invalid_time',
  'scan_not_accepted',
  'already_annulled',
  ...CHECKPOINT_REFUSALS,
  // Offline scanning.
  'offline_conflict',
  'invalid_cursor',
  'stale_code',
  // Hardware library.
  'hardware_not_found',
  'hardware_request_not_found',
  'loan_not_found',
  'item_archived',
  'already_requested',
  'request_moved',
  'request_mismatch',
  'request_closed',
  'out_of_stock',
  'per_participant_limit',
  'quantity_below_loans',
  'already_returned',
  'loan_lost',
  'return_exceeds_loan',
  // Deletion.
  'confirmation_required',
  'loans_open',
  // Webhooks.
  'webhook_not_found',
  'delivery_not_found',
  'delivery_pending',
  // CSV import.
  'invalid_csv',
  'unmapped_columns',
  'demo_data',
  // Idempotency keys.
  'idempotency_key_reused',
  'idempotency_in_progress',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * What went wrong, in domain terms. `not_found` maps to 404, `forbidden` to 403, `rejected` to 400 (the
 * seed's contract answers every refused request with 400), `conflict` to 409 and `unprocessable` to 422;
 * the code is stable for clients and tests.
 */
export type DomainErrorKind = 'not_found' | 'forbidden' | 'rejected' | 'conflict' | 'unprocessable';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: ErrorCode,
    message: string,
    /** Why, for the request log only: never sent (a 403 says nothing more than "Forbidden"). */
    readonly logReason?: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (code: ErrorCode, message: string) => new DomainError('not_found', code, message);
/** Every 403 is the auth layer's plain `forbidden` "Forbidden": a refused caller learns nothing more. */
export const forbidden = (logReason: string) => new DomainError('forbidden', 'forbidden', 'Forbidden', logReason);
export const rejected = (code: ErrorCode, message: string) => new DomainError('rejected', code, message);
/** The request was fine but the state it counted on has changed, or is still changing (409). */
export const conflict = (code: ErrorCode, message: string) => new DomainError('conflict', code, message);
/** Well-formed, but contradicts an earlier request it claims to repeat (422). */
export const unprocessable = (code: ErrorCode, message: string) => new DomainError('unprocessable', code, message);
