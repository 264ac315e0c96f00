import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServerResponse } from 'node:http';
import { Type } from 'typebox';
import { actorOf } from '../auth/auth.js';
import type { EventHub, Subscriber } from './events.hub.js';
import type { EventRow } from './events.repository.js';

const HEARTBEAT_MS = 15_000;

const EventsQuery = Type.Object({
  since: Type.Optional(Type.Integer({ minimum: 0, 'x-error': 'since must be an event id' })),
});

const frame = (event: EventRow) => `id: ${event.id}\nevent: ${event.type}\ndata: ${event.payload}\n\n`;

export const eventsRoutes: FastifyPluginAsyncTypebox<{ hub: EventHub }> = async (app, { hub }) => {
  const open = new Set<ServerResponse>();
  // Streams never finish on their own; closing them first lets a graceful shutdown complete.
  app.addHook('preClose', async () => {
    for (const stream of open) stream.end();
    await hub.close();
  });

  app.get(
    '/events',
    {
      schema: {
        tags: ['live'],
        summary: 'Server-sent events: order, checkin and tokens, each role only what it may read',
        description:
          'Send Last-Event-ID (or ?since=) after a dropped connection: the events missed since then come first, then `ready` with the latest event id, then live events.',
        querystring: EventsQuery,
        response: { 200: Type.Unsafe({ description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }) },
      },
    },
    async (request, reply) => {
      const header = request.headers['last-event-id'];
      const fromHeader = typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : undefined;
      const since = request.query.since ?? fromHeader;
      reply.hijack();
      const stream = reply.raw;
      // Headers set so far by the security and CORS hooks still apply to a hijacked response.
      stream.writeHead(200, {
        ...(reply.getHeaders() as Record<string, string>),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      open.add(stream);
      const subscriber: Subscriber = { actor: actorOf(request), send: (event) => stream.write(frame(event)) };
      const heartbeat = setInterval(() => stream.write(': ping\n\n'), HEARTBEAT_MS);
      const finish = () => {
        clearInterval(heartbeat);
        open.delete(stream);
        hub.unsubscribe(subscriber);
      };
      stream.on('close', finish);
      try {
        const latest = await hub.subscribe(subscriber, since);
        if (stream.destroyed) return hub.unsubscribe(subscriber);
        stream.write(`event: ready\ndata: ${JSON.stringify({ last_event_id: latest })}\n\n`);
      } catch (error) {
        request.log.error({ err: error }, 'event stream failed to start');
        stream.end();
      }
    },
  );
};
