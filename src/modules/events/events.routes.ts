import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ServerResponse } from 'node:http';
import { Type } from 'typebox';
import { actorOf } from '../auth/auth.js';
import { boundedWriter } from './bounded-writer.js';
import type { EventHub, Subscriber } from './events.hub.js';
import type { EventRow } from './events.repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The live update hub; its subscriber count tells how many streams this process holds open. */
    eventHub: EventHub;
  }
}

const HEARTBEAT_MS = 15_000;
/** Unsent bytes a stream may hold before it is closed (1 MiB): past that its client is not reading. */
const DEFAULT_MAX_UNSENT_BYTES = 1 << 20;

export interface EventsRoutesOptions {
  hub: EventHub;
  maxUnsentBytes?: number;
}

const EventsQuery = Type.Object({
  since: Type.Optional(Type.Integer({ minimum: 0, 'x-error': 'since must be an event id' })),
});

// The hub hands every subscriber the same row: one frame per event, shared by the streams that wait on it.
const frames = new WeakMap<EventRow, string>();
function frame(event: EventRow): string {
  let text = frames.get(event);
  if (text === undefined) {
    text = `id: ${event.id}\nevent: ${event.type}\ndata: ${event.payload}\n\n`;
    frames.set(event, text);
  }
  return text;
}

export const eventsRoutes: FastifyPluginAsyncTypebox<EventsRoutesOptions> = async (
  app,
  { hub, maxUnsentBytes = DEFAULT_MAX_UNSENT_BYTES },
) => {
  const open = new Set<ServerResponse>();
  app.addHook('onReady', async () => hub.startPruning());
  // Streams never finish on their own; closing them first lets a graceful shutdown complete.
  app.addHook('preClose', async () => {
    // Destroyed, not ended: ending waits for a client that may never read what is still queued for it.
    for (const stream of open) stream.destroy();
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
        response: {
          200: Type.Unsafe({ description: 'An event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }),
        },
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
      // Unsent data stays in this process's memory. A client that stops reading is cut off rather than
      // buffered for without bound; it reconnects with Last-Event-ID and the replay fills the gap.
      const write = boundedWriter(stream, maxUnsentBytes, (unsentBytes) => {
        request.log.warn({ unsentBytes }, 'event stream closed: the client is not reading');
        hub.unsubscribe(subscriber);
      });
      const subscriber: Subscriber = {
        actor: actorOf(request),
        send: (event) => write(frame(event)),
        close: () => stream.end(),
      };
      const heartbeat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS);
      const finish = () => {
        clearInterval(heartbeat);
        open.delete(stream);
        hub.unsubscribe(subscriber);
      };
      stream.on('close', finish);
      try {
        const latest = await hub.subscribe(subscriber, since);
        if (stream.destroyed || stream.writableEnded) return hub.unsubscribe(subscriber);
        write(`event: ready\ndata: ${JSON.stringify({ last_event_id: latest })}\n\n`);
      } catch (error) {
        request.log.error({ err: error }, 'event stream failed to start');
        stream.end();
      }
    },
  );
};
