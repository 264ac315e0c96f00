import { Type } from 'typebox';
import { ROLES, type Role } from '../../db/tables.js';
import { IdParams, keyedById, PositiveId } from '../../http/schemas.js';

const RoleSchema = Type.Unsafe<Role>({ type: 'string', enum: [...ROLES], 'x-error': `role must be one of ${ROLES.join(', ')}` });
const Timestamp = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

export const CreateKeyBody = Type.Object({
  role: RoleSchema,
  name: Type.String({ minLength: 1, maxLength: 100, 'x-error': 'name must be a string of 1 to 100 characters' }),
  participant_id: Type.Optional(PositiveId('participant_id must be a positive integer')),
  expires_in_days: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 3650, 'x-error': 'expires_in_days must be an integer from 1 to 3650' }),
  ),
});

export const CreatedKey = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  role: RoleSchema,
  participant_id: Type.Union([Type.Integer(), Type.Null()]),
  expires_at: Timestamp,
  key: Type.String({ description: 'The secret; shown only in this response' }),
});

export const KeyView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  role: RoleSchema,
  participant_id: Type.Union([Type.Integer(), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  expires_at: Timestamp,
  last_used_at: Timestamp,
  revoked_at: Timestamp,
});

export const KeyMap = keyedById(KeyView, 'API keys keyed by id, without secrets');

export const KeyIdParams = IdParams('Key not found', 'key_not_found');
