import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.js';
import { ParticipantIdParams } from '../participants/participants.schemas.js';
import { Badge, BadgeHolder, BadgeParams } from './badges.schemas.js';
import type { BadgesService } from './badges.service.js';

const image = (mediaType: string) => ({
  200: Type.Unsafe({
    description: `The QR badge as ${mediaType}`,
    content: { [mediaType]: { schema: { type: 'string', format: 'binary' } } },
  }),
});

export const badgesRoutes: FastifyPluginAsyncTypebox<{ badges: BadgesService }> = async (app, { badges }) => {
  app.get(
    '/users/:id/badge.svg',
    {
      schema: {
        tags: ['badges'],
        summary: "A participant's QR badge (SVG)",
        params: ParticipantIdParams,
        response: { ...image('image/svg+xml'), ...errorResponses(404) },
      },
    },
    async (request, reply) => reply.type('image/svg+xml').send(await badges.svg(request.params.id)),
  );

  app.get(
    '/users/:id/badge.png',
    {
      schema: {
        tags: ['badges'],
        summary: "A participant's QR badge (PNG, 512 px)",
        params: ParticipantIdParams,
        response: { ...image('image/png'), ...errorResponses(404) },
      },
    },
    async (request, reply) => reply.type('image/png').send(await badges.png(request.params.id)),
  );

  app.get(
    '/badges/:code',
    {
      schema: {
        tags: ['badges'],
        summary: 'Who a scanned badge belongs to',
        params: BadgeParams,
        response: { 200: BadgeHolder, ...errorResponses(404) },
      },
    },
    async (request) => badges.lookup(request.params.code),
  );

  app.post(
    '/users/:id/badge/rotate',
    {
      schema: {
        tags: ['badges'],
        summary: 'Issue a new badge code; the old one stops working',
        params: ParticipantIdParams,
        response: { 200: Badge, ...errorResponses(404) },
      },
    },
    async (request) => badges.rotate(request.params.id),
  );
};
