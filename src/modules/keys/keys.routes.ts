import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.js';
import { actorOf, perKeyLimit } from '../auth/auth.js';
import { CreatedKey, CreateKeyBody, KeyIdParams, KeyMap, KeyView } from './keys.schemas.js';
import type { KeysService } from './keys.service.js';

export const keysRoutes: FastifyPluginAsyncTypebox<{ keys: KeysService; participantLinksLimit: number }> = async (
  app,
  { keys, participantLinksLimit },
) => {
  app.post(
    '/keys',
    {
      schema: {
        tags: ['keys'],
        summary: 'Create an API key; the response is the only time the key is shown',
        body: CreateKeyBody,
        response: { 200: CreatedKey, ...errorResponses(400, 404) },
      },
    },
    async (request) =>
      keys.create(
        {
          role: request.body.role,
          name: request.body.name,
          participantId: request.body.participant_id,
          expiresInDays: request.body.expires_in_days,
        },
        actorOf(request),
      ),
  );

  app.post(
    '/keys/participant-links',
    {
      schema: {
        tags: ['keys'],
        summary: 'Create a key for every participant without one; answers a CSV of sign-in links for a mail merge',
        response: {
          200: Type.Unsafe({
            description: 'id,name,email,sign_in_link',
            content: { 'text/csv': { schema: { type: 'string' } } },
          }),
        },
      },
      // Reads every participant: a repeated click or a script must not keep the database busy.
      preHandler: perKeyLimit(app, participantLinksLimit),
    },
    async (request, reply) => {
      const { csv } = await keys.participantLinks(actorOf(request));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="tapioca-sign-in-links.csv"')
        .header('cache-control', 'no-store')
        .send(csv);
    },
  );

  app.get(
    '/keys',
    { schema: { tags: ['keys'], summary: 'All API keys, without secrets', response: { 200: KeyMap } } },
    async () => keys.list(),
  );

  app.delete(
    '/keys/:id',
    {
      schema: {
        tags: ['keys'],
        summary: 'Revoke an API key; it stops working at once',
        params: KeyIdParams,
        response: { 200: KeyView, ...errorResponses(404) },
      },
    },
    async (request) => keys.revoke(request.params.id, actorOf(request)),
  );
};
