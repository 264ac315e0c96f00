import { Type } from 'typebox';
import { PositiveId } from '../../http/schemas.js';

export const CheckInQuery = Type.Object({
  participant_id: PositiveId('participant_id must be a positive integer'),
});

export const CheckInBody = Type.Object({
  participant_id: PositiveId('participant_id must be a positive integer'),
  volunteer_id: PositiveId('volunteer_id must be a positive integer'),
});

export const CheckInStatus = Type.Object({
  participant_id: Type.Integer(),
  checked_in: Type.Boolean(),
  check_in_time: Type.Optional(Type.Integer({ description: 'Unix seconds' })),
  volunteer_id: Type.Optional(Type.Integer()),
});
