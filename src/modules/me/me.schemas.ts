import { Type } from 'typebox';
import { ROLES, type Role } from '../../db/tables.js';
import { Badge } from '../badges/badges.schemas.js';
import { OrderMap } from '../boba/boba.schemas.js';
import { CheckInStatus } from '../checkin/checkin.schemas.js';
import { Participant } from '../participants/participants.schemas.js';

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const Me = Type.Object({
  key: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    role: Type.Unsafe<Role>({ type: 'string', enum: [...ROLES] }),
    participant_id: nullable(Type.Integer()),
  }),
  participant: nullable(Type.Object({ id: Type.Integer(), ...Participant.properties })),
  check_in: nullable(CheckInStatus),
  orders: nullable(OrderMap),
  badge: nullable(Badge),
});
