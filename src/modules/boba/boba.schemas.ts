import { Type } from 'typebox';
import { BOBA_STATUSES, type BobaStatus } from '../../db/tables.js';
import { keyedById, PositiveId } from '../../http/schemas.js';

/** What an order gets for each choice it leaves out. */
export const ORDER_DEFAULTS = {
  size: 'Medium',
  flavour: 'HK Milk Tea',
  sweetness: '50% Sweet',
  ice: 'Regular Ice',
  toppings: 'None',
} as const;

const Status = Type.Unsafe<BobaStatus>({ type: 'string', enum: [...BOBA_STATUSES] });

const choice = (field: keyof typeof ORDER_DEFAULTS) =>
  Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      default: ORDER_DEFAULTS[field],
      'x-error': `${field} must be a string of 1 to 100 characters`,
    }),
  );

export const BobaInfo = Type.Object({
  boba_statuses: Type.Array(Status),
  boba_tokens_per_order: Type.Integer(),
  boba_tokens_cooldown: Type.Integer({ description: 'Seconds between two exchanges of one participant' }),
  boba_pair_exchanges: Type.Integer({ description: 'Exchanges allowed per pair of participants; 0 = no limit' }),
  boba_max_grant: Type.Integer({ description: 'Largest absolute admin grant' }),
});

export const PlaceOrderBody = Type.Object({
  participant_id: PositiveId('participant_id must be a positive integer'),
  size: choice('size'),
  flavour: choice('flavour'),
  sweetness: choice('sweetness'),
  ice: choice('ice'),
  toppings: choice('toppings'),
  location: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'Where to bring the drink, e.g. "Table 12" or "Room E5"',
      'x-error': 'location must be a string of 1 to 100 characters',
    }),
  ),
});

export const Order = Type.Object({
  participant_id: Type.Integer(),
  participant_name: Type.String({ description: "The participant's name as it is now, for the kitchen's ticket" }),
  status: Status,
  size: Type.String(),
  flavour: Type.String(),
  sweetness: Type.String(),
  ice: Type.String(),
  toppings: Type.String(),
  location: Type.Union([Type.String(), Type.Null()], { description: 'Where to bring the drink; null when not given' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const OrderMap = keyedById(Order, 'Orders keyed by id');

/** A status a request names; anything else is refused with invalid_status. */
const RequestedStatus = (options: { description?: string } = {}) =>
  Type.Unsafe<BobaStatus>({
    type: 'string',
    enum: [...BOBA_STATUSES],
    ...options,
    'x-error': 'Invalid status',
    'x-code': 'invalid_status',
  });

export const ListOrdersQuery = Type.Object({
  participant_id: Type.Optional(PositiveId('participant_id must be a positive integer')),
  status: Type.Optional(RequestedStatus()),
});

export const MoveOrderBody = Type.Object({
  order_id: PositiveId('order_id must be a positive integer'),
  status: Type.String({ maxLength: 100, 'x-error': 'Invalid status', 'x-code': 'invalid_status' }),
  from: Type.Optional(
    RequestedStatus({
      description:
        'The status the caller saw the order in: when it is no longer in it, nothing changes and the answer is 409 order_moved, so a repeated tap cannot move an order twice',
    }),
  ),
});
