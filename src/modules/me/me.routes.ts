import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ROLES, type Role } from '../../db/tables.js';
import { actorOf } from '../auth/auth.js';
import { Badge } from '../badges/badges.schemas.js';
import { OrderMap } from '../boba/boba.schemas.js';
import { CheckInStatus } from '../checkin/checkin.schemas.js';
import { Participant } from '../participants/participants.schemas.js';
import type { MeService } from './me.service.js';

const nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const Me = Type.Object({
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

export const meRoutes: FastifyPluginAsyncTypebox<{ me: MeService }> = async (app, { me }) => {
  app.get(
    '/me',
    {
      schema: {
        tags: ['participants'],
        summary: "The caller's key and, for a participant key, their profile, check-in, balance, orders and badge",
        response: { 200: Me },
      },
    },
    async (request) => me.describe(actorOf(request)),
  );
};
