import { Type } from 'typebox';
import { HardwareStats } from '../hardware/hardware.schemas.js';

export const Stats = Type.Object({
  participants: Type.Integer(),
  checked_in: Type.Integer(),
  orders_by_status: Type.Object({}, { additionalProperties: Type.Integer(), description: 'Orders per status' }),
  tokens_in_circulation: Type.Integer({ description: 'Sum of all balances' }),
  top_skills: Type.Array(Type.Object({ skill: Type.String(), frequency: Type.Integer(), average_rating: Type.Number() })),
  check_ins_over_time: Type.Array(Type.Object({ hour: Type.String({ format: 'date-time' }), count: Type.Integer() })),
  checkpoints: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      kind: Type.String(),
      capacity: Type.Union([Type.Integer(), Type.Null()]),
      accepted: Type.Integer({ description: 'Accepted scans, not annulled' }),
      participants: Type.Integer({ description: 'Participants with at least one accepted scan' }),
      refused: Type.Integer(),
      conflicts: Type.Integer({ description: 'Of the refused: scans let through offline that could not be counted' }),
      archived: Type.Boolean(),
    }),
    { description: 'Every checkpoint, archived ones too (a finished meal keeps its uptake), in id order' },
  ),
  hardware: HardwareStats,
});

export const Attendance = Type.Object({
  participants: Type.Integer(),
  checked_in: Type.Integer(),
});
