import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CsvExport, EXPORT_NAMES, exportSummary } from './exports.schemas.js';
import type { ExportsService } from './exports.service.js';

export const exportsRoutes: FastifyPluginAsyncTypebox<{ exports: ExportsService }> = async (app, { exports }) => {
  for (const name of EXPORT_NAMES) {
    app.get(
      `/exports/${name}.csv`,
      { schema: { tags: ['exports'], summary: exportSummary(name), response: { 200: CsvExport(name) } } },
      async (request, reply) => {
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${exports.fileName(name)}"`)
          // Personal data (participants) and the event's records: no cache along the way may keep a copy.
          .header('cache-control', 'no-store');
        // A HEAD request gets the headers alone; Fastify would otherwise read the whole export and drop it.
        if (request.method === 'HEAD') return reply.send(Readable.from([]));
        const csv = await exports.open(name, (end) => request.log.info({ export: name, ...end }, 'export ended'));
        return reply.send(csv);
      },
    );
  }
};
