import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../http/schemas.js';
import { actorOf } from '../auth/auth.js';
import {
  DeletedParticipant,
  DeletionBody,
  ListParticipantsQuery,
  ParticipantIdParams,
  ParticipantMap,
  ParticipantPatch,
  RegisteredParticipantMap,
  Registration,
} from './participants.schemas.js';
import { participantMapJson } from './participants.mapper.js';
import { normalizeSearch, type ParticipantsService } from './participants.service.js';

export const participantsRoutes: FastifyPluginAsyncTypebox<{ participants: ParticipantsService }> = async (
  app,
  { participants },
) => {
  app.get(
    '/users',
    {
      config: {
        cacheResponse: true,
        // A search ignores case and surrounding space, so such variants share one cached answer.
        cacheKeyQuery: (query) => ({ ...query, q: normalizeSearch(query.q as string | undefined) }),
      },
      schema: {
        tags: ['participants'],
        summary: 'All participants keyed by id; filter by check-in, search with q, page through with page',
        querystring: ListParticipantsQuery,
        response: { 200: ParticipantMap, ...errorResponses(400) },
      },
      // Python clients send a bool as True or False: the flag is read in any letter case.
      preValidation: async (request) => {
        const query = request.query as Record<string, unknown>;
        if (typeof query.checked_in === 'string') query.checked_in = query.checked_in.toLowerCase();
      },
    },
    async (request, reply) => {
      const listing = await participants.list({
        checkedIn: request.query.checked_in,
        page: request.query.page,
        search: request.query.q,
      });
      if (listing.kind === 'whole') return listing.participants;
      // Longer than a chunk: written out as it is read, never built whole (the response cache may keep a copy).
      // A HEAD request gets the same headers without the body, which Fastify would otherwise read to the end and drop.
      const body = request.method === 'HEAD' ? [] : participantMapJson(listing.chunks);
      return reply.type('application/json; charset=utf-8').send(Readable.from(body, { objectMode: false }));
    },
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
        summary: 'Partial update; listed skills are added or re-rated, others stay; tags only with an admin key',
        params: ParticipantIdParams,
        body: ParticipantPatch,
        response: { 200: ParticipantMap, ...errorResponses(400, 403, 404) },
      },
    },
    async (request) => ({
      [request.params.id]: await participants.update(request.params.id, request.body, actorOf(request)),
    }),
  );

  app.delete(
    '/users/:id',
    {
      schema: {
        tags: ['participants'],
        summary:
          "Delete a participant's personal data (admin, or the participant with confirm: true); refused while hardware is out on loan to them",
        description:
          'Name becomes "Deleted participant"; e-mail, phone, company, dietary restrictions, tags and skills are removed ' +
          '(skill statistics follow), the badge and every key of theirs stop working, open hardware requests and Placed ' +
          'orders (refunded) are cancelled. Ledger, orders, scans, check-ins and loans stay for the totals. The id then ' +
          'answers 404 participant_not_found everywhere, this route included.',
        params: ParticipantIdParams,
        body: DeletionBody,
        response: { 200: DeletedParticipant, ...errorResponses(400, 403, 404, 409) },
      },
      // An admin's DELETE needs no body: none is read as an empty one.
      preValidation: async (request) => {
        request.body ??= {};
      },
    },
    async (request) => participants.delete(request.params.id, actorOf(request), request.body.confirm === true),
  );

  app.post(
    '/register',
    {
      schema: {
        tags: ['participants'],
        summary: 'Register a participant (unique e-mail, any letter case); tags only with an admin key',
        body: Registration,
        response: { 200: RegisteredParticipantMap, ...errorResponses(400, 403) },
      },
    },
    async (request) => {
      // Open registration lets anonymous callers in: no actor then.
      const { id, participant } = await participants.register(request.body, request.actor);
      return { [id]: participant };
    },
  );
};
