import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The response depends only on the URL and the database, never on who asks: it may be reused. */
    cacheResponse?: boolean;
  }
}

const MAX_ENTRIES = 2000;

/**
 * Reuses serialized 200 responses of GET routes marked `cacheResponse` while the database's change version
 * is unchanged. Installed after authorization, so a cached body is only sent to a caller allowed to see it.
 * A version is taken before the handler reads, so a stored body is never older than the version it is filed under.
 */
export function installResponseCache(app: FastifyInstance, changeVersion: () => string): void {
  const entries = new Map<string, { version: string; payload: string }>();
  const versionAtStart = new WeakMap<object, string>();

  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'GET' || !request.routeOptions.config.cacheResponse) return;
    const version = changeVersion();
    const hit = entries.get(request.url);
    if (hit && hit.version === version) {
      return reply.header('content-type', 'application/json; charset=utf-8').header('x-cache', 'hit').send(hit.payload);
    }
    versionAtStart.set(request, version);
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const version = versionAtStart.get(request);
    if (version === undefined || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    if (entries.size >= MAX_ENTRIES) entries.clear();
    entries.set(request.url, { version, payload });
    return payload;
  });
}
