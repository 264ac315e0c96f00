import { Type } from 'typebox';
import { PositiveId } from '../../http/schemas.js';
import { BadgeCode } from '../badges/badges.schemas.js';
import { LEDGER_KINDS } from '../../db/tables.js';

export const ExchangeBody = Type.Object(
  {
    participant_1_id: Type.Optional(PositiveId('participant_1_id must be a positive integer')),
    participant_2_id: Type.Optional(PositiveId('participant_2_id must be a positive integer')),
    participant_2_badge: Type.Optional(BadgeCode),
    participant_2_code: Type.Optional(
      Type.String({
        pattern: '^[0-9]{6}$',
        description:
          "The live code on participant 2's phone (the c of the badge link it shows). A participant key needs the current or the previous 30 s code while EXCHANGE_REQUIRES_LIVE_CODE is on; otherwise it is not checked.",
        'x-error': 'participant_2_code must be the 6 digits of the live code',
      }),
    ),
  },
  {
    description:
      'Admins name both by id (or participant 2 by badge). A participant key is participant 1 and names participant 2 by the code of the badge they scanned, with the live code their phone shows.',
  },
);

export const ExchangeResult = Type.Object({
  success: Type.Literal('Tokens exchanged'),
  new_tokens_1: Type.Integer(),
  new_tokens_2: Type.Integer(),
  participant_2_name: Type.String({
    description: 'Whom participant 1 met, to confirm the exchange; they stand face to face, so this tells them nothing new',
  }),
});

export const GrantBody = Type.Object({
  participant_id: PositiveId('participant_id must be a positive integer'),
  tokens: Type.Integer({
    description: 'Non-zero, at most BBT_MAX_GRANT either way',
    'x-error': 'tokens must be a non-zero integer',
    'x-code': 'invalid_grant',
  }),
});

export const GrantResult = Type.Object({ success: Type.Literal('Tokens given'), new_tokens: Type.Integer() });

export const TokenHistoryQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 1, 'x-error': 'Invalid page number' }),
  page_size: Type.Integer({ minimum: 1, maximum: 1000, default: 50, 'x-error': 'page_size must be an integer from 1 to 1000' }),
});

export const TokenHistory = Type.Object({
  participant_id: Type.Integer(),
  bbt_tokens: Type.Integer(),
  entries: Type.Array(
    Type.Object({
      id: Type.Integer(),
      amount: Type.Integer(),
      kind: Type.Unsafe<(typeof LEDGER_KINDS)[number]>({ type: 'string', enum: [...LEDGER_KINDS] }),
      reference: Type.Union([
        Type.Object({ type: Type.Union([Type.Literal('order'), Type.Literal('participant')]), id: Type.Integer() }),
        Type.Null(),
      ]),
      created_at: Type.String({ format: 'date-time' }),
    }),
  ),
});
