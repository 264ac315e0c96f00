import { Type } from 'typebox';

export const Stats = Type.Object({
  participants: Type.Integer(),
  checked_in: Type.Integer(),
  orders_by_status: Type.Object({}, { additionalProperties: Type.Integer(), description: 'Orders per status' }),
  tokens_in_circulation: Type.Integer({ description: 'Sum of all balances' }),
  top_skills: Type.Array(Type.Object({ skill: Type.String(), frequency: Type.Integer(), average_rating: Type.Number() })),
  check_ins_over_time: Type.Array(Type.Object({ hour: Type.String({ format: 'date-time' }), count: Type.Integer() })),
});
