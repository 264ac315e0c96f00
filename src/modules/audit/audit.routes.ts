import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../http/schemas.js';
import { AuditPage, AuditQuery } from './audit.schemas.js';
import type { AuditService } from './audit.service.js';

export const auditRoutes: FastifyPluginAsyncTypebox<{ audit: AuditService }> = async (app, { audit }) => {
  app.get(
    '/audit',
    {
      schema: {
        tags: ['operations'],
        summary: 'Every change made by an admin or volunteer key, newest first; filter by actor key id, action, target',
        querystring: AuditQuery,
        response: { 200: AuditPage, ...errorResponses(400) },
      },
    },
    async (request) => {
      const { actor, action, target, page } = request.query;
      return audit.page({ actorKeyId: actor, action, target }, page ?? 1);
    },
  );
};
