import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../auth/auth.js';
import { Me } from './me.schemas.js';
import type { MeService } from './me.service.js';

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
