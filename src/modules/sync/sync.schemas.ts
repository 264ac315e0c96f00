import { Type } from 'typebox';
import { keyedById, nullable, PositiveId } from '../../http/schemas.js';
import { ERROR_CODES, type ErrorCode } from '../../errors.js';
import { CheckInStatus } from '../checkin/checkin.schemas.js';
import { Checkpoint, Instant, Nonce, ScanParticipant } from '../checkpoints/checkpoints.schemas.js';
import { SCAN_REFUSALS, type ScanRefusal } from '../../shared/checkpoint-rules.js';

/** The most queued scans one upload takes; a scanner with more sends them in turns. */
const MAX_UPLOAD = 500;

export const RosterQuery = Type.Object({
  since: Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,10}[.][0-9]{1,15}$',
      description: 'The cursor of the previous answer: only what changed since (everyone again after a reset import)',
      'x-error': 'since must be a cursor this endpoint gave',
      'x-code': 'invalid_cursor',
    }),
  ),
});

export const RosterParticipant = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  tags: Type.Array(Type.String()),
  dietary_restrictions: Type.String(),
  checked_in: Type.Boolean(),
  badge_version: Type.Integer({
    description: 'The current badge version: a signed badge of any other version is revoked (rotated away)',
  }),
  scans: Type.Record(Type.String({ pattern: '^[0-9]+$' }), Type.Integer(), {
    description: 'Accepted scans that still count, per checkpoint id (checkpoints with none are left out)',
  }),
});

export const Roster = Type.Object({
  cursor: Type.String({ description: 'Send as ?since= next time for only what changed' }),
  full: Type.Boolean({ description: 'true: every participant; false: only those changed since the cursor given' }),
  synced_at: Type.String({ format: 'date-time' }),
  badge_key: Type.Object({
    algorithm: Type.Literal('Ed25519'),
    public_key: Type.String({ description: 'The raw 32-byte public key badges are signed with, base64url' }),
  }),
  checkpoints: keyedById(Checkpoint, 'Every checkpoint, archived ones too, keyed by id'),
  participants: Type.Array(RosterParticipant),
  removed: Type.Array(Type.Integer(), {
    description:
      'Ids of participants deleted since the cursor (their badges no longer work): drop them. ' +
      'Always empty in a full roster, which leaves them out',
  }),
});

export const QueuedScan = Type.Object(
  {
    checkpoint_id: Type.Optional(PositiveId('checkpoint_id must be a positive integer')),
    check_in: Type.Optional(Type.Literal(true, { 'x-error': 'check_in must be true' })),
    badge: Type.Optional(Type.String({ maxLength: 4096, 'x-error': 'badge must be at most 4096 characters' })),
    participant_id: Type.Optional(PositiveId('participant_id must be a positive integer')),
    nonce: Nonce,
    scanned_at: Instant('scanned_at'),
  },
  { description: 'A scan an offline scanner let through: at a checkpoint, or at the door (check_in: true)' },
);

export const QueuedScans = Type.Array(QueuedScan, {
  minItems: 1,
  maxItems: MAX_UPLOAD,
  'x-error': `Send 1 to ${MAX_UPLOAD} queued scans`,
});

const Code = Type.Unsafe<ErrorCode>({ type: 'string', enum: [...ERROR_CODES] });

export const UploadResult = Type.Object({
  nonce: Type.String(),
  status: Type.Union([Type.Literal('accepted'), Type.Literal('refused'), Type.Literal('unknown'), Type.Literal('error')], {
    description:
      'accepted: counted; refused: recorded but not counted (offline_conflict, or already_checked_in at the door); ' +
      'unknown: a badge or id that matched nobody; error: not taken at all (code says why)',
  }),
  offline: Type.Optional(Type.Boolean()),
  checkpoint_id: Type.Optional(Type.Integer()),
  check_in: Type.Optional(Type.Literal(true)),
  scan_id: Type.Optional(Type.Integer()),
  participant: Type.Optional(ScanParticipant),
  participant_id: Type.Optional(Type.Integer()),
  count: Type.Optional(Type.Integer()),
  remaining: Type.Optional(nullable(Type.Integer())),
  code: Type.Optional(Code),
  error: Type.Optional(Type.String()),
  conflict_reason: Type.Optional(Type.Unsafe<ScanRefusal>({ type: 'string', enum: [...SCAN_REFUSALS] })),
  last_accepted_at: Type.Optional(Type.String({ format: 'date-time' })),
  last_accepted_by: Type.Optional(nullable(Type.String())),
  check_in_status: Type.Optional(CheckInStatus),
});

export const UploadResults = Type.Object({
  results: Type.Array(UploadResult, { description: 'One per queued scan, in the order sent' }),
});
