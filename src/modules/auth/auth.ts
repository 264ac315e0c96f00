import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorResponses } from '../../http/schemas.js';
import type { Actor, KeysService } from '../keys/keys.service.js';
import { type Access, accessFor } from './permissions.js';
import { RateLimiter } from './rate-limiter.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, once authenticated; absent on public routes and anonymous registration. */
    actor?: Actor;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}

export interface AuthOptions {
  keys: KeysService;
  openRegistration: boolean;
  failedAuthLimit: number;
  registrationLimit: number;
}

const MINUTE_MS = 60_000;
const BEARER = /^Bearer\s+(\S+)\s*$/i;

function tooMany(reply: FastifyReply, retryAfter: number) {
  return reply.status(429).header('retry-after', String(retryAfter)).send({ error: 'Too many requests' });
}

/**
 * Gives every route its row of the permission table as it is registered: call before any route exists.
 * A route without a row stops the app from starting.
 */
export function assignAccessRules(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      const access = accessFor(method, route.url);
      if (!access) throw new Error(`no permission rule for ${method} ${route.url}`);
      route.config = { ...route.config, access };
      if (!access.public && route.schema) {
        // Documented once here rather than on every route: what the auth hook itself may answer.
        route.schema = {
          ...route.schema,
          security: [{ apiKey: [] }],
          response: { ...errorResponses(401, 403, 429), ...(route.schema.response as object) },
        };
      }
    }
  });
}

/**
 * Checks every request against its route's rule before its body is even parsed. Install after the
 * plugins that set security and CORS headers, so refusals carry those headers too.
 */
export function enforceAccess(app: FastifyInstance, options: AuthOptions): void {
  const failures = new RateLimiter(options.failedAuthLimit, MINUTE_MS);
  const registrations = new RateLimiter(options.registrationLimit, MINUTE_MS);

  const unauthenticated = (request: FastifyRequest, reply: FastifyReply) => {
    failures.hit(request.ip);
    return reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'Authentication required' });
  };

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (!access || access.public) return;
    const header = request.headers.authorization;

    if (header === undefined && access.openRegistration && options.openRegistration) {
      const wait = registrations.retryAfter(request.ip);
      if (wait > 0) return tooMany(reply, wait);
      registrations.hit(request.ip);
      return;
    }

    const wait = failures.retryAfter(request.ip);
    if (wait > 0) return tooMany(reply, wait);
    const presented = header?.match(BEARER)?.[1];
    if (!presented) return unauthenticated(request, reply);
    const actor = await options.keys.authenticate(presented);
    if (!actor) return unauthenticated(request, reply);
    request.actor = actor;

    const allowed = access.roles.includes(actor.role) || (actor.role === 'participant' && access.participant !== undefined);
    if (!allowed) return reply.status(403).send({ error: 'Forbidden' });
  });

  // Ownership needs the validated params, query and body, so it is checked once they are.
  app.addHook('preHandler', async (request, reply) => {
    const access = request.routeOptions.config.access;
    const actor = request.actor;
    if (!access || access.public || !actor || actor.role !== 'participant') return;
    if (typeof access.participant === 'function' && access.participant(request) !== actor.participantId) {
      return reply.status(403).send({ error: 'Forbidden' });
    }
  });
}

/** The authenticated caller of a route that requires a key (the auth hook has already refused anyone else). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error(`${request.method} ${request.url} needs an authenticated actor`);
  return request.actor;
}
