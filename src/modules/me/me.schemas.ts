import { Type } from 'typebox';
import { enumOf, nullable } from '../../http/schemas.js';
import {
  BOBA_STATUSES,
  type BobaStatus,
  HARDWARE_REQUEST_STATUSES,
  type HardwareRequestStatus,
  LEDGER_KINDS,
  type LedgerKind,
  LOAN_STATUSES,
  type LoanEventKind,
  type LoanStatus,
  ROLES,
  type Role,
} from '../../db/tables.js';
import { SCAN_REFUSALS, type ScanRefusal } from '../../shared/checkpoint-rules.js';
import { AuditRow } from '../audit/audit.schemas.js';
import { Badge } from '../badges/badges.schemas.js';
import { OrderMap } from '../boba/boba.schemas.js';
import { CheckInStatus } from '../checkin/checkin.schemas.js';
import { LoanMap } from '../hardware/hardware.schemas.js';
import { Participant, SkillRating } from '../participants/participants.schemas.js';
import { LIVE_CODE_ALGORITHM, LIVE_CODE_DIGITS, LIVE_CODE_PERIOD_SECONDS } from '../../shared/totp.js';

/** What the phone needs to show its live exchange code with no network: an RFC 6238 (TOTP) secret and settings. */
export const LiveCode = Type.Object(
  {
    secret: Type.String({ description: 'RFC 4648 base32, no padding; a badge rotation changes it' }),
    digits: Type.Literal(LIVE_CODE_DIGITS),
    period: Type.Literal(LIVE_CODE_PERIOD_SECONDS, { description: 'Seconds per code, counted from the Unix epoch' }),
    algorithm: Type.Literal(LIVE_CODE_ALGORITHM),
  },
  {
    description:
      "The participant's live exchange code: shown on their badge screen as <badge url>?c=<code>, sent by whoever scans it as participant_2_code",
  },
);

export const Me = Type.Object({
  key: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    role: Type.Unsafe<Role>({ type: 'string', enum: [...ROLES] }),
    participant_id: nullable(Type.Integer()),
  }),
  participant: nullable(Type.Object({ id: Type.Integer(), ...Participant.properties })),
  check_in: nullable(CheckInStatus),
  orders: nullable(OrderMap),
  loans: nullable(LoanMap),
  badge: nullable(Badge),
  live_code: nullable(LiveCode),
});

const Time = Type.String({ description: 'ISO 8601, UTC' });
const MaybeTime = nullable(Time);
const RoleName = enumOf<Role>(ROLES);

const ExportedKey = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  created_at: Time,
  expires_at: MaybeTime,
  last_used_at: MaybeTime,
  revoked_at: MaybeTime,
});

const ExportedParticipant = Type.Object({
  profile: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    email: Type.String(),
    phone: Type.String(),
    company: Type.String(),
    dietary_restrictions: Type.String(),
    tags: Type.Array(Type.String()),
    created_at: Time,
    updated_at: Time,
  }),
  skills: Type.Array(SkillRating),
  check_in: nullable(
    Type.Object({
      checked_in_at: Time,
      recorded_at: Time,
      offline: Type.Boolean({ description: 'Recorded after the time it is dated: an offline scanner uploaded it later' }),
    }),
  ),
  badge_version: Type.Integer({ description: 'Badges printed with an older version no longer work' }),
  tokens: Type.Object({
    balance: Type.Integer(),
    last_exchange_at: MaybeTime,
    ledger: Type.Array(
      Type.Object({
        id: Type.Integer(),
        amount: Type.Integer(),
        kind: enumOf<LedgerKind>(LEDGER_KINDS),
        order_id: nullable(Type.Integer()),
        counterpart_id: nullable(Type.Integer({ description: 'The other participant of an exchange' })),
        actor_key_id: nullable(Type.Integer({ description: 'The key whose request moved the tokens' })),
        created_at: Time,
      }),
      { description: 'Every movement, oldest first; the balance is their sum' },
    ),
  }),
  orders: Type.Array(
    Type.Object({
      id: Type.Integer(),
      status: enumOf<BobaStatus>(BOBA_STATUSES),
      size: Type.String(),
      flavour: Type.String(),
      sweetness: Type.String(),
      ice: Type.String(),
      toppings: Type.String(),
      location: nullable(Type.String()),
      cost: Type.Integer(),
      created_at: Time,
      updated_at: Time,
    }),
  ),
  scans: Type.Array(
    Type.Object({
      id: Type.Integer(),
      checkpoint_id: Type.Integer(),
      checkpoint_name: Type.String(),
      outcome: enumOf<'accepted' | 'refused'>(['accepted', 'refused']),
      reason: nullable(enumOf<ScanRefusal>(SCAN_REFUSALS)),
      scanned_at: Time,
      offline: Type.Boolean(),
      annulled_at: MaybeTime,
    }),
    { description: 'Every scan of them at a checkpoint, oldest first' },
  ),
  hardware_loans: Type.Array(
    Type.Object({
      id: Type.Integer(),
      item_id: Type.Integer(),
      item_name: Type.String(),
      quantity: Type.Integer(),
      returned: Type.Integer(),
      lost: Type.Integer(),
      status: enumOf<LoanStatus>(LOAN_STATUSES),
      due_at: MaybeTime,
      created_at: Time,
      closed_at: MaybeTime,
      events: Type.Array(
        Type.Object({
          kind: enumOf<LoanEventKind>(['lent', 'returned', 'lost']),
          quantity: Type.Integer(),
          note: nullable(Type.String()),
          at: Time,
        }),
      ),
    }),
  ),
  hardware_requests: Type.Array(
    Type.Object({
      id: Type.Integer(),
      item_id: Type.Integer(),
      item_name: Type.String(),
      quantity: Type.Integer(),
      status: enumOf<HardwareRequestStatus>(HARDWARE_REQUEST_STATUSES),
      loan_id: nullable(Type.Integer()),
      created_at: Time,
      updated_at: Time,
    }),
  ),
  api_keys: Type.Array(ExportedKey, { description: 'Every key made for them, revoked ones too; never the secret or its hash' }),
  audit: Type.Array(Type.Omit(AuditRow, ['target']), {
    description: 'Every change staff made to them (audit rows whose target is participant:<id>), oldest first',
  }),
});

export const MeExport = Type.Object({
  exported_at: Time,
  key: Type.Object({
    ...ExportedKey.properties,
    role: RoleName,
    participant_id: nullable(Type.Integer()),
  }),
  participant: nullable({ ...ExportedParticipant, description: 'null for a staff key' }),
});
