import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { DatabaseHandle } from '../../db/database.js';
import { errorResponses } from '../../http/schemas.js';
import { ping } from './health.repository.js';

export const healthRoutes: FastifyPluginAsyncTypebox<{ database: DatabaseHandle }> = async (app, { database }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: '200 when the database answers, 503 when it does not',
        response: { 200: Type.Object({ status: Type.Literal('ok'), database: Type.String() }), ...errorResponses(503) },
      },
    },
    async (request, reply) => {
      try {
        await ping(database.db);
        return { status: 'ok' as const, database: database.dialect };
      } catch (error) {
        request.log.warn({ err: error }, 'health check: database unreachable');
        return reply.status(503).send({ error: 'Database unavailable' });
      }
    },
  );
};
