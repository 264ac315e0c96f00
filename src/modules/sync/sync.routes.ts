import compress from '@fastify/compress';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../http/schemas.js';
import { actorOf } from '../auth/auth.js';
import { QueuedScans, Roster, RosterQuery, UploadResults } from './sync.schemas.js';
import type { SyncService } from './sync.service.js';

export const syncRoutes: FastifyPluginAsyncTypebox<{ sync: SyncService }> = async (app, { sync }) => {
  // A full roster is over 100 kB of JSON for 1,000 people, fetched by every scanner over the venue's Wi-Fi;
  // compressed it is a sixth of that. Only these routes: an event stream must never be buffered by a compressor.
  await app.register(compress, { encodings: ['br', 'gzip'] });
  app.get(
    '/sync/roster',
    {
      schema: {
        tags: ['offline'],
        summary: "What a scanner needs to decide offline: participants' check-ins and counts, checkpoints, the badge key",
        description:
          'No e-mail or phone. Without since: everyone. With since (the cursor of the previous answer): only ' +
          'participants changed since, with some overlap; merge them by id. Checkpoints always come whole.',
        querystring: RosterQuery,
        response: { 200: Roster, ...errorResponses(400) },
      },
    },
    async (request) => sync.roster(request.query.since),
  );

  app.post(
    '/sync/scans',
    {
      schema: {
        tags: ['offline'],
        summary: 'Upload the scans an offline scanner let through; each applies exactly once, by its nonce',
        description:
          'One result per scan, in order. A scan the server would have accepted is accepted with offline: true; ' +
          'one it cannot count any more (two offline scanners let the same person into a once-only meal) is ' +
          'recorded as refused with code offline_conflict and conflict_reason. Uploading again changes nothing.',
        body: QueuedScans,
        response: { 200: UploadResults, ...errorResponses(400) },
      },
    },
    async (request) => ({ results: await sync.upload(request.body, actorOf(request)) }),
  );
};
