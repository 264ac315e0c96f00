import { Type } from 'typebox';
import { CHECKPOINT_KINDS, type CheckpointKind } from '../../db/tables.js';
import { SCAN_REFUSALS, type ScanRefusal } from '../../shared/checkpoint-rules.js';
import { ErrorResponseRef, IdParams, keyedById, nullable, PositiveId } from '../../http/schemas.js';
import { MAX_TAGS, Tag } from '../participants/participants.schemas.js';

const MAX_NAME = 100;
/** A count no event reaches, and that fits a 32-bit column. */
const MAX_COUNT = 1_000_000;

/** ISO 8601 with a time zone; the service also refuses dates that do not exist (2026-02-30). */
export const Instant = (field: string) =>
  Type.String({
    pattern: '^\\d{4}-\\d{2}-\\d{2}T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})$',
    'x-error': `${field} must be an ISO 8601 time with a time zone, such as 2026-12-05T12:00:00-05:00`,
    'x-code': 'invalid_time',
  });

const Kind = Type.Unsafe<CheckpointKind>({
  type: 'string',
  enum: [...CHECKPOINT_KINDS],
  'x-error': `kind must be one of ${CHECKPOINT_KINDS.join(', ')}`,
});

const checkpointFields = {
  name: Type.String({
    minLength: 1,
    maxLength: MAX_NAME,
    pattern: '\\S',
    'x-error': `name must be 1 to ${MAX_NAME} characters, not only spaces`,
  }),
  kind: Kind,
  opens_at: Type.Optional(nullable(Instant('opens_at'))),
  closes_at: Type.Optional(nullable(Instant('closes_at'))),
  per_participant_limit: Type.Optional(
    nullable(
      Type.Integer({
        minimum: 1,
        maximum: MAX_COUNT,
        'x-error': 'per_participant_limit must be a whole number of at least 1, or null for no limit',
      }),
    ),
  ),
  capacity: Type.Optional(
    nullable(
      Type.Integer({ minimum: 1, maximum: MAX_COUNT, 'x-error': 'capacity must be a whole number of at least 1, or null' }),
    ),
  ),
  requires_check_in: Type.Optional(Type.Boolean({ 'x-error': 'requires_check_in must be true or false' })),
  allowed_tags: Type.Optional(nullable(Type.Array(Tag, { minItems: 1, maxItems: MAX_TAGS }))),
};

export const NewCheckpoint = Type.Object(checkpointFields, {
  description:
    'Times are ISO 8601; a missing opens_at or closes_at leaves that side open. per_participant_limit defaults to 1 ' +
    '(null = unlimited), capacity to none, requires_check_in to true, allowed_tags to everyone.',
});

export const CheckpointPatch = Type.Partial(
  Type.Object({
    ...checkpointFields,
    archived: Type.Boolean({
      description: 'true archives it (as DELETE does), false restores it',
      'x-error': 'archived must be true or false',
    }),
  }),
  { description: 'Only the fields given change.' },
);

const CheckpointCounts = Type.Object({
  accepted: Type.Integer({ description: 'Accepted scans, not annulled' }),
  participants: Type.Integer({ description: 'Participants with at least one of them' }),
  refused: Type.Integer(),
  conflicts: Type.Integer({ description: 'Of the refused: scans let through offline that could not be counted' }),
});

export const Checkpoint = Type.Object({
  name: Type.String(),
  kind: Kind,
  opens_at: nullable(Type.String({ format: 'date-time' })),
  closes_at: nullable(Type.String({ format: 'date-time' })),
  per_participant_limit: nullable(Type.Integer()),
  capacity: nullable(Type.Integer()),
  requires_check_in: Type.Boolean(),
  allowed_tags: nullable(Type.Array(Type.String())),
  archived: Type.Boolean(),
  counts: CheckpointCounts,
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const CheckpointMap = keyedById(Checkpoint, 'Checkpoints keyed by id');

export const CheckpointParams = IdParams('Checkpoint not found', 'checkpoint_not_found');

export const ListCheckpointsQuery = Type.Object({
  archived: Type.Optional(
    Type.Boolean({ description: 'true lists archived checkpoints too', 'x-error': 'archived must be true or false' }),
  ),
});

/** The scanner's own id for one scan, so a repeat of it is recognised. */
export const Nonce = Type.String({
  minLength: 8,
  maxLength: 64,
  'x-error': 'nonce must be 8 to 64 characters, new for each scan',
});

export const ScanBody = Type.Object(
  {
    // Whatever a camera read is recorded as a scan, so only text no badge could be is refused up front.
    badge: Type.Optional(
      Type.String({
        maxLength: 4096,
        'x-error': 'Unknown badge',
        'x-status': 404,
        'x-code': 'unknown_badge',
      }),
    ),
    participant_id: Type.Optional(PositiveId('participant_id must be a positive integer')),
    nonce: Nonce,
    scanned_at: Type.Optional(Instant('scanned_at')),
  },
  {
    description:
      "Give badge (the scanned code) or participant_id. The nonce is the scanner's id for this scan: repeating it " +
      'at this checkpoint with the same key answers the first answer again and records nothing new. scanned_at ' +
      "(default now) may be up to 24 hours old and 5 minutes ahead; the checkpoint's hours are judged by it.",
  },
);

export const ScanParticipant = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  tags: Type.Array(Type.String()),
  dietary_restrictions: Type.String(),
});

const Refusal = Type.Unsafe<ScanRefusal>({ type: 'string', enum: [...SCAN_REFUSALS] });

const OfflineFlag = Type.Boolean({ description: 'true for a scan an offline scanner made and uploaded later' });

export const ScanAccepted = Type.Object({
  scan_id: Type.Integer(),
  status: Type.Literal('accepted'),
  participant: ScanParticipant,
  count: Type.Integer({ description: "This participant's accepted scans here, this one included" }),
  remaining: nullable(Type.Integer({ description: 'How many more they may have here; null when unlimited' })),
  offline: Type.Optional(OfflineFlag),
});

/** A refused scan (409), or one of a badge or id that matched nobody (404): an error that names its recorded scan. */
export const ScanRefused = Type.Object({
  error: Type.String({ description: 'The reason in plain words' }),
  code: Refusal,
  scan_id: Type.Integer(),
  status: Type.Literal('refused'),
  participant: Type.Optional(ScanParticipant),
  offline: Type.Optional(OfflineFlag),
  last_accepted_at: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'already_redeemed, limit_reached: when the latest scan that counts was made',
    }),
  ),
  last_accepted_by: Type.Optional(nullable(Type.String({ description: '... and the name of the key that made it' }))),
  conflict_reason: Type.Optional(
    Type.Unsafe<ScanRefusal>({
      type: 'string',
      enum: [...SCAN_REFUSALS],
      description: 'offline_conflict: why the scan could not be counted when it was uploaded',
    }),
  ),
});

/** The scan route's 404 and 409: a recorded refusal, or any other error (an unknown checkpoint, a running Idempotency-Key). */
export const ScanRefusedOrError = Type.Union([ScanRefused, ErrorResponseRef]);

export const Scan = Type.Object({
  checkpoint_id: Type.Integer(),
  participant_id: nullable(Type.Integer()),
  participant_name: nullable(Type.String()),
  outcome: Type.Union([Type.Literal('accepted'), Type.Literal('refused')]),
  reason: nullable(Refusal),
  annulled: Type.Boolean(),
  annulled_at: nullable(Type.String({ format: 'date-time' })),
  annulled_by: nullable(Type.Integer({ description: 'The API key that undid it' })),
  key_id: Type.Integer({ description: 'The API key that scanned' }),
  key_name: nullable(Type.String()),
  scanned_at: Type.String({ format: 'date-time' }),
  received_at: Type.String({ format: 'date-time' }),
  offline: Type.Boolean({ description: 'Made by an offline scanner and uploaded later' }),
});

export const ScanMap = keyedById(Scan, 'Scans keyed by id, newest first');

export const ScanParams = IdParams('Scan not found', 'scan_not_found');

export const ScanListQuery = Type.Object({
  outcome: Type.Optional(
    Type.Unsafe<'accepted' | 'refused' | 'annulled'>({
      type: 'string',
      enum: ['accepted', 'refused', 'annulled'],
      'x-error': 'outcome must be accepted, refused or annulled',
    }),
  ),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, 'x-error': 'Invalid page number' })),
});
