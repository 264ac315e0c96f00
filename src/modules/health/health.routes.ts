import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { DatabaseHandle } from '../../db/database.js';
import { sendError } from '../../http/error-reply.js';
import { errorResponses } from '../../http/schemas.js';
import { holdsDemoData } from './health.repository.js';

export const healthRoutes: FastifyPluginAsyncTypebox<{ database: DatabaseHandle }> = async (app, { database }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: '200 when the database answers, 503 when it does not',
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            database: Type.String(),
            demo_data: Type.Boolean({
              description: 'True while the database holds generated demo participants (DEMO_PARTICIPANTS)',
            }),
          }),
          ...errorResponses(503),
        },
      },
    },
    async (request, reply) => {
      try {
        const demoData = await holdsDemoData(database.db);
        return { status: 'ok' as const, database: database.dialect, demo_data: demoData };
      } catch (error) {
        request.log.warn({ err: error }, 'health check: database unreachable');
        return sendError(reply, 503, 'database_unavailable', 'Database unavailable');
      }
    },
  );
};
