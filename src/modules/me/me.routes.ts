import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../auth/auth.js';
import type { MeExportService } from './me-export.service.js';
import { Me, MeExport } from './me.schemas.js';
import type { MeService } from './me.service.js';

export const meRoutes: FastifyPluginAsyncTypebox<{ me: MeService; meExport: MeExportService }> = async (
  app,
  { me, meExport },
) => {
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

  app.get(
    '/me/export',
    {
      schema: {
        tags: ['participants'],
        summary:
          'Everything Tapioca holds about the caller, as a JSON attachment: the key, and for a participant key their ' +
          'profile, skills, check-in, tokens and ledger, orders, scans, hardware, keys and the audit rows about them',
        response: { 200: MeExport },
      },
    },
    async (request, reply) => {
      const body = await meExport.export(actorOf(request));
      reply.header('content-disposition', `attachment; filename="${meExport.fileName()}"`).header('cache-control', 'no-store');
      return body;
    },
  );
};
