import { Type } from 'typebox';

export const BadgeCode = Type.String({
  minLength: 1,
  maxLength: 128,
  'x-error': 'Badge not found',
  'x-status': 404,
  'x-code': 'badge_not_found',
});

export const BadgeParams = Type.Object({ code: BadgeCode });

export const BadgeHolder = Type.Object({
  participant_id: Type.Integer(),
  name: Type.String(),
  checked_in: Type.Boolean(),
});

export const Badge = Type.Object({
  participant_id: Type.Integer(),
  badge: Type.String({
    description: 'The code inside the QR badge: `<participant id>.<version>.<Ed25519 signature>`, checkable offline',
  }),
  version: Type.Integer({ description: 'Goes up with each rotation; badges of older versions are revoked' }),
  url: Type.String({ description: 'What the QR code encodes: <PUBLIC_URL>/b/<badge>' }),
});
