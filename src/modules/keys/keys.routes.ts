import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../http/schemas.js';
import { CreatedKey, CreateKeyBody, KeyIdParams, KeyMap, KeyView } from './keys.schemas.js';
import type { KeysService } from './keys.service.js';

export const keysRoutes: FastifyPluginAsyncTypebox<{ keys: KeysService }> = async (app, { keys }) => {
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
      keys.create({
        role: request.body.role,
        name: request.body.name,
        participantId: request.body.participant_id,
        expiresInDays: request.body.expires_in_days,
      }),
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
    async (request) => keys.revoke(request.params.id),
  );
};
