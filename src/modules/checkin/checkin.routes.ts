import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf } from '../auth/auth.js';
import { errorResponses } from '../../http/schemas.js';
import { CheckInBody, CheckInQuery, CheckInStatus } from './checkin.schemas.js';
import type { CheckInService } from './checkin.service.js';

export const checkInRoutes: FastifyPluginAsyncTypebox<{ checkIns: CheckInService }> = async (app, { checkIns }) => {
  app.get(
    '/checkin',
    {
      config: { cacheResponse: true },
      schema: {
        tags: ['check-in'],
        summary: 'Whether a participant is checked in, and when and by whom',
        querystring: CheckInQuery,
        response: { 200: CheckInStatus, ...errorResponses(400, 404) },
      },
    },
    async (request) => checkIns.status(request.query.participant_id),
  );

  app.post(
    '/checkin',
    {
      schema: {
        tags: ['check-in'],
        summary: 'Check a participant in; exactly one of any number of racing requests succeeds',
        body: CheckInBody,
        response: { 200: CheckInStatus, ...errorResponses(400, 404) },
      },
    },
    async (request) =>
      checkIns.checkIn({ participantId: request.body.participant_id, badge: request.body.badge }, actorOf(request), {
        nonce: request.body.nonce,
      }),
  );
};
