import { Type } from 'typebox';
import { HARDWARE_REQUEST_STATUSES, type HardwareRequestStatus, LOAN_STATUSES, type LoanStatus } from '../../db/tables.js';
import { IdParams, keyedById, nullable, PositiveId } from '../../http/schemas.js';

const MAX_NAME = 100;
const MAX_DESCRIPTION = 1000;
const MAX_NOTE = 500;
/** More units of one thing than any event lends, and within a 32-bit column. */
const MAX_UNITS = 1_000_000;
/** A week: a loan due later is one until the end. */
const MAX_LOAN_HOURS = 168;

const Units = (field: string) =>
  Type.Integer({ minimum: 1, maximum: MAX_UNITS, 'x-error': `${field} must be a whole number of at least 1` });

const itemFields = {
  name: Type.String({
    minLength: 1,
    maxLength: MAX_NAME,
    pattern: '\\S',
    'x-error': `name must be 1 to ${MAX_NAME} characters, not only spaces`,
  }),
  description: Type.Optional(
    Type.String({ maxLength: MAX_DESCRIPTION, 'x-error': `description must be at most ${MAX_DESCRIPTION} characters` }),
  ),
  quantity: Type.Integer({
    minimum: 0,
    maximum: MAX_UNITS,
    'x-error': 'quantity must be a whole number of at least 0',
  }),
  per_participant_limit: Type.Optional(
    nullable(
      Type.Integer({
        minimum: 1,
        maximum: MAX_UNITS,
        'x-error': 'per_participant_limit must be a whole number of at least 1, or null for no limit',
      }),
    ),
  ),
  loan_hours: Type.Optional(
    nullable(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: MAX_LOAN_HOURS,
        'x-error': `loan_hours must be more than 0 and at most ${MAX_LOAN_HOURS}, or null for until the end`,
      }),
    ),
  ),
  requires_check_in: Type.Optional(Type.Boolean({ 'x-error': 'requires_check_in must be true or false' })),
};

export const NewItem = Type.Object(itemFields, {
  description:
    'per_participant_limit defaults to 1 (null = no limit), loan_hours to null (lent until the end; counted in whole ' +
    'minutes), requires_check_in to true.',
});

export const ItemPatch = Type.Partial(
  Type.Object({
    ...itemFields,
    archived: Type.Boolean({
      description: 'true archives it (as DELETE does), false restores it',
      'x-error': 'archived must be true or false',
    }),
  }),
  { description: 'Only the fields given change; quantity may not go below the units out (409 quantity_below_loans).' },
);

export const Item = Type.Object({
  name: Type.String(),
  description: Type.String(),
  quantity: Type.Integer({ description: 'Units the library owns' }),
  out: Type.Integer({ description: 'Units lent and neither back nor lost' }),
  available: Type.Integer({ description: 'quantity - out' }),
  requested: Type.Integer({ description: 'Units asked for in open requests (requested or ready); not reserved' }),
  per_participant_limit: nullable(Type.Integer()),
  loan_hours: nullable(Type.Number()),
  requires_check_in: Type.Boolean(),
  archived: Type.Boolean(),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const ItemMap = keyedById(Item, 'Hardware items keyed by id');

export const ItemParams = IdParams('Hardware item not found', 'hardware_not_found');

export const ListItemsQuery = Type.Object({
  archived: Type.Optional(
    Type.Boolean({ description: 'true lists archived items too', 'x-error': 'archived must be true or false' }),
  ),
});

const RequestStatus = Type.Unsafe<HardwareRequestStatus>({ type: 'string', enum: [...HARDWARE_REQUEST_STATUSES] });

export const HardwareRequest = Type.Object({
  item_id: Type.Integer(),
  item_name: Type.String(),
  participant_id: Type.Integer(),
  participant_name: Type.String(),
  quantity: Type.Integer(),
  status: RequestStatus,
  position: nullable(
    Type.Integer({ description: "Place in the item's queue of open requests, 1 = next; null once collected or cancelled" }),
  ),
  loan_id: nullable(Type.Integer({ description: 'The loan that collected it' })),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const RequestMap = keyedById(HardwareRequest, 'Hardware requests keyed by id');

export const RequestParams = IdParams('Hardware request not found', 'hardware_request_not_found');

export const NewRequest = Type.Object(
  {
    item_id: PositiveId('item_id must be a positive integer'),
    quantity: Type.Optional(Units('quantity')),
    participant_id: Type.Optional(PositiveId('participant_id must be a positive integer')),
  },
  {
    description:
      'A participant key asks for itself; a volunteer or admin names the participant. One open request per ' +
      'participant and item; a request reserves nothing, it queues.',
  },
);

/** A status a request names; anything else is refused with invalid_status. */
const NamedRequestStatus = (description?: string) =>
  Type.Unsafe<HardwareRequestStatus>({
    type: 'string',
    enum: [...HARDWARE_REQUEST_STATUSES],
    ...(description ? { description } : {}),
    'x-error': `status must be one of ${HARDWARE_REQUEST_STATUSES.join(', ')}`,
    'x-code': 'invalid_status',
  });

export const MoveRequestBody = Type.Object({
  status: NamedRequestStatus(),
  from: Type.Optional(
    NamedRequestStatus(
      'The status the caller saw the request in: when it is no longer in it, nothing changes and the answer is 409 request_moved',
    ),
  ),
});

export type RequestFilterStatus = HardwareRequestStatus | 'open' | 'all';

export const ListRequestsQuery = Type.Object({
  item_id: Type.Optional(PositiveId('item_id must be a positive integer')),
  participant_id: Type.Optional(PositiveId('participant_id must be a positive integer')),
  status: Type.Optional(
    Type.Unsafe<RequestFilterStatus>({
      type: 'string',
      enum: [...HARDWARE_REQUEST_STATUSES, 'open', 'all'],
      description: 'open (the default) = requested or ready',
      'x-error': `status must be one of ${[...HARDWARE_REQUEST_STATUSES, 'open', 'all'].join(', ')}`,
      'x-code': 'invalid_status',
    }),
  ),
});

export const Loan = Type.Object({
  item_id: Type.Integer(),
  item_name: Type.String(),
  participant_id: Type.Integer(),
  participant_name: Type.String(),
  quantity: Type.Integer({ description: 'Units lent' }),
  returned: Type.Integer(),
  lost: Type.Integer(),
  outstanding: Type.Integer({ description: 'quantity - returned - lost' }),
  status: Type.Unsafe<LoanStatus>({
    type: 'string',
    enum: [...LOAN_STATUSES],
    description: 'out while units are outstanding; then lost if any unit was lost, else returned',
  }),
  overdue: Type.Boolean({ description: 'Out and past due_at' }),
  due_at: nullable(Type.String({ format: 'date-time', description: 'null: until the end' })),
  lent_by: Type.Integer({ description: 'The API key that lent it' }),
  lent_by_name: nullable(Type.String()),
  request_id: nullable(Type.Integer()),
  created_at: Type.String({ format: 'date-time' }),
  closed_at: nullable(Type.String({ format: 'date-time' })),
});

export const LoanMap = keyedById(Loan, 'Loans keyed by id');

export const LoanMovement = Type.Object({
  kind: Type.Unsafe<'lent' | 'returned' | 'lost'>({ type: 'string', enum: ['lent', 'returned', 'lost'] }),
  quantity: Type.Integer(),
  note: nullable(Type.String()),
  key_id: Type.Integer(),
  key_name: nullable(Type.String()),
  at: Type.String({ format: 'date-time' }),
});

export const LoanWithHistoryMap = keyedById(
  Type.Intersect([Loan, Type.Object({ history: Type.Array(LoanMovement, { description: 'Oldest first' }) })]),
  'One loan keyed by its id, with every movement',
);

export const LoanParams = IdParams('Loan not found', 'loan_not_found');

export const NewLoan = Type.Object(
  {
    item_id: PositiveId('item_id must be a positive integer'),
    badge: Type.Optional(
      Type.String({ minLength: 1, maxLength: 4096, 'x-error': 'Unknown badge', 'x-status': 404, 'x-code': 'unknown_badge' }),
    ),
    participant_id: Type.Optional(PositiveId('participant_id must be a positive integer')),
    quantity: Type.Optional(Units('quantity')),
    request_id: Type.Optional(PositiveId('request_id must be a positive integer')),
  },
  {
    description:
      "Give badge (the scanned code) or participant_id. quantity defaults to the request's, else 1; the request " +
      'becomes collected with this loan.',
  },
);

export const LoanMovementBody = Type.Object(
  {
    quantity: Type.Optional(Units('quantity')),
    note: Type.Optional(Type.String({ maxLength: MAX_NOTE, 'x-error': `note must be at most ${MAX_NOTE} characters` })),
  },
  { description: 'quantity defaults to every unit still out' },
);

export const ListLoansQuery = Type.Object({
  status: Type.Optional(
    Type.Unsafe<LoanStatus | 'overdue'>({
      type: 'string',
      enum: [...LOAN_STATUSES, 'overdue'],
      'x-error': `status must be one of ${[...LOAN_STATUSES, 'overdue'].join(', ')}`,
      'x-code': 'invalid_status',
    }),
  ),
  item_id: Type.Optional(PositiveId('item_id must be a positive integer')),
  participant_id: Type.Optional(PositiveId('participant_id must be a positive integer')),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000_000, 'x-error': 'Invalid page number' })),
});

export const HardwareStats = Type.Object({
  items: Type.Integer({ description: 'Items not archived' }),
  units: Type.Integer({ description: 'Units the library owns' }),
  out: Type.Integer({ description: 'Units lent now' }),
  overdue_loans: Type.Integer(),
  open_requests: Type.Integer(),
});
