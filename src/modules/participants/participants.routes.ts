import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../http/schemas.js';
import {
  ListParticipantsQuery,
  ParticipantIdParams,
  ParticipantMap,
  ParticipantPatch,
  RegisteredParticipantMap,
  Registration,
} from './participants.schemas.js';
import type { ParticipantsService } from './participants.service.js';

export const participantsRoutes: FastifyPluginAsyncTypebox<{ participants: ParticipantsService }> = async (
  app,
  { participants },
) => {
  app.get(
    '/users',
    {
      config: { cacheResponse: true },
      schema: {
        tags: ['participants'],
        summary: 'All participants keyed by id; filter by check-in, search with q, page through with page',
        querystring: ListParticipantsQuery,
        response: { 200: ParticipantMap, ...errorResponses(400) },
      },
    },
    async (request) =>
      participants.list({ checkedIn: request.query.checked_in, page: request.query.page, search: request.query.q }),
  );

  app.get(
    '/users/:id',
    {
      config: { cacheResponse: true },
      schema: {
        tags: ['participants'],
        summary: 'One participant',
        params: ParticipantIdParams,
        response: { 200: ParticipantMap, ...errorResponses(404) },
      },
    },
    async (request) => ({ [request.params.id]: await participants.get(request.params.id) }),
  );

  app.put(
    '/users/:id',
    {
      schema: {
        tags: ['participants'],
        summary: 'Partial update; listed skills are added or re-rated, others stay',
        params: ParticipantIdParams,
        body: ParticipantPatch,
        response: { 200: ParticipantMap, ...errorResponses(400, 404) },
      },
    },
    async (request) => ({ [request.params.id]: await participants.update(request.params.id, request.body) }),
  );

  app.post(
    '/register',
    {
      schema: {
        tags: ['participants'],
        summary: 'Register a participant (unique e-mail, any letter case)',
        body: Registration,
        response: { 200: RegisteredParticipantMap, ...errorResponses(400) },
      },
    },
    async (request) => {
      const { id, participant } = await participants.register(request.body);
      return { [id]: participant };
    },
  );
};
