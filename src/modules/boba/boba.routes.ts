import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../http/schemas.js';
import { actorOf } from '../auth/auth.js';
import { BobaInfo, ListOrdersQuery, MoveOrderBody, OrderMap, PlaceOrderBody } from './boba.schemas.js';
import type { BobaService } from './boba.service.js';

export const bobaRoutes: FastifyPluginAsyncTypebox<{ boba: BobaService }> = async (app, { boba }) => {
  app.get(
    '/boba_info',
    { schema: { tags: ['boba'], summary: 'Statuses, prices and exchange rules', response: { 200: BobaInfo } } },
    async () => boba.info(),
  );

  app.post(
    '/boba',
    {
      schema: {
        tags: ['boba'],
        summary: 'Place an order, paying BBT_TOKENS_PER_ORDER tokens',
        body: PlaceOrderBody,
        response: { 200: OrderMap, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { participant_id: participantId, ...choices } = request.body;
      const { id, order } = await boba.placeOrder(participantId, choices, actorOf(request));
      return { [id]: order };
    },
  );

  app.get(
    '/boba',
    {
      schema: {
        tags: ['boba'],
        summary: 'Orders keyed by id, optionally for one participant or in one status',
        querystring: ListOrdersQuery,
        response: { 200: OrderMap, ...errorResponses(400) },
      },
    },
    async (request) => boba.list({ participantId: request.query.participant_id, status: request.query.status }, actorOf(request)),
  );

  app.put(
    '/boba',
    {
      schema: {
        tags: ['boba'],
        summary:
          'Move an order forward, or cancel it (refunded) while Placed or In Progress; `from` guards against moving it twice',
        body: MoveOrderBody,
        response: { 200: OrderMap, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request) => ({
      [request.body.order_id]: await boba.move(request.body.order_id, request.body.status, actorOf(request), request.body.from),
    }),
  );
};
