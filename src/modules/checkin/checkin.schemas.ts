import { Type } from 'typebox';
import { PositiveId } from '../../http/schemas.js';
import { BadgeCode } from '../badges/badges.schemas.js';
import { Nonce } from '../checkpoints/checkpoints.schemas.js';

export const CheckInQuery = Type.Object({
  participant_id: PositiveId('participant_id must be a positive integer'),
});

export const CheckInBody = Type.Object(
  {
    participant_id: Type.Optional(PositiveId('participant_id must be a positive integer')),
    badge: Type.Optional(BadgeCode),
    nonce: Type.Optional(Nonce),
  },
  {
    description:
      'Give participant_id or the scanned badge code. The volunteer is the API key making the request. A nonce ' +
      '(optional) marks this check-in: the same key sending it again, here or in an offline upload, is answered ' +
      'as the first time rather than already_checked_in.',
  },
);

export const CheckInStatus = Type.Object({
  participant_id: Type.Integer(),
  checked_in: Type.Boolean(),
  check_in_time: Type.Optional(Type.Integer({ description: 'Unix seconds' })),
  volunteer_id: Type.Optional(Type.Integer({ description: 'Id of the API key that checked the participant in' })),
  volunteer_name: Type.Optional(Type.String({ description: 'Name of that API key, e.g. "Desk 3"' })),
});
