import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.js';
import { actorOf, perKeyLimit } from '../auth/auth.js';
import { ParticipantIdParams } from '../participants/participants.schemas.js';
import { Badge, BadgeHolder, BadgeParams } from './badges.schemas.js';
import type { BadgesService } from './badges.service.js';

const IMAGE_FORMATS = [
  { extension: 'svg', mediaType: 'image/svg+xml', label: 'SVG' },
  { extension: 'png', mediaType: 'image/png', label: 'PNG, 512 px' },
] as const;

export const badgesRoutes: FastifyPluginAsyncTypebox<{ badges: BadgesService; imageLimit: number }> = async (
  app,
  { badges, imageLimit },
) => {
  // A 512 px PNG takes tens of milliseconds of the event loop: one budget per key for both formats.
  const limitImages = perKeyLimit(app, imageLimit);
  for (const { extension, mediaType, label } of IMAGE_FORMATS) {
    app.get(
      `/users/:id/badge.${extension}`,
      {
        schema: {
          tags: ['badges'],
          summary: `A participant's QR badge (${label})`,
          params: ParticipantIdParams,
          response: {
            200: Type.Unsafe({
              description: `The QR badge as ${mediaType}`,
              content: { [mediaType]: { schema: { type: 'string', format: 'binary' } } },
            }),
            ...errorResponses(404),
          },
        },
        preHandler: limitImages,
      },
      async (request, reply) =>
        reply.type(mediaType).send(await (extension === 'svg' ? badges.svg(request.params.id) : badges.png(request.params.id))),
    );
  }

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
    async (request) => badges.rotate(request.params.id, actorOf(request)),
  );
};
