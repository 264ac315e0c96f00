import { Type } from 'typebox';
import { ROLES } from '../../db/tables.js';
import { enumOf, nullable } from '../../http/schemas.js';

export const AuditQuery = Type.Object({
  actor: Type.Optional(Type.Integer({ minimum: 1, 'x-error': 'actor must be the id of an API key' })),
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Such as participant.update, order.move' })),
  target: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Such as participant:42, order:7' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, 'x-error': 'Invalid page number' })),
});

export const AuditRow = Type.Object({
  id: Type.Integer(),
  at: Type.String({ description: 'ISO 8601, UTC' }),
  actor: Type.Object({
    key_id: nullable(Type.Integer()),
    name: Type.String(),
    role: enumOf(ROLES),
  }),
  action: Type.String(),
  target: Type.String(),
  before: Type.Unknown({ description: 'The fields the change touched, as they were; null when nothing was there' }),
  after: Type.Unknown({ description: 'The same fields afterwards; null when the change removed it' }),
  redacted: Type.Boolean({ description: 'True when the participant it describes was deleted: before and after are gone' }),
});

export const AuditPage = Type.Object({
  page: Type.Integer(),
  page_size: Type.Integer(),
  rows: Type.Array(AuditRow, { description: 'Newest first' }),
});
