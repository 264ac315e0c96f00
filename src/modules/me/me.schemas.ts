import { Type } from 'typebox';
import { nullable } from '../../http/schemas.js';
import { ROLES, type Role } from '../../db/tables.js';
import { Badge } from '../badges/badges.schemas.js';
import { OrderMap } from '../boba/boba.schemas.js';
import { CheckInStatus } from '../checkin/checkin.schemas.js';
import { LoanMap } from '../hardware/hardware.schemas.js';
import { Participant } from '../participants/participants.schemas.js';
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
