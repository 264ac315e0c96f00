import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../http/schemas.js';
import { actorOf } from '../auth/auth.js';
import {
  CreatedWebhook,
  DeliveriesQuery,
  Delivery,
  DeliveryPage,
  DeliveryParams,
  NewWebhook,
  WebhookMap,
  WebhookParams,
  WebhookView,
} from './webhooks.schemas.js';
import type { WebhooksService } from './webhooks.service.js';

const tags = ['webhooks'];

export const webhooksRoutes: FastifyPluginAsyncTypebox<{ webhooks: WebhooksService }> = async (app, { webhooks }) => {
  app.post(
    '/webhooks',
    {
      schema: {
        tags,
        summary: 'Register an endpoint for events; the response is the only time its signing secret is shown',
        body: NewWebhook,
        response: { 201: CreatedWebhook, ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      const created = await webhooks.create(request.body, actorOf(request));
      reply.code(201);
      return created;
    },
  );

  app.get(
    '/webhooks',
    {
      schema: {
        tags,
        summary: 'Registered endpoints with their pending and failed deliveries, without secrets',
        response: { 200: WebhookMap },
      },
    },
    async () => webhooks.list(),
  );

  app.delete(
    '/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Delete an endpoint: nothing more is sent to it, and its pending deliveries are cancelled',
        params: WebhookParams,
        response: { 200: WebhookView, ...errorResponses(404) },
      },
    },
    async (request) => webhooks.remove(request.params.id, actorOf(request)),
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        summary: "An endpoint's deliveries, 50 a page, newest first, each with its attempts and the receiver's answers",
        params: WebhookParams,
        querystring: DeliveriesQuery,
        response: { 200: DeliveryPage, ...errorResponses(400, 404) },
      },
    },
    async (request) => webhooks.deliveries(request.params.id, request.query.page ?? 1),
  );

  app.post(
    '/webhooks/deliveries/:id/retry',
    {
      schema: {
        tags,
        summary: 'Send a failed (or delivered) delivery again, now; 409 while it is still pending',
        params: DeliveryParams,
        response: { 200: Delivery, ...errorResponses(404, 409) },
      },
    },
    async (request) => webhooks.retry(request.params.id, actorOf(request)),
  );
};
