import rateLimit, { normalizeIP, type RateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerToken, sendAuthenticationRequired } from '../../http/bearer.js';
import { sendError } from '../../http/error-reply.js';
import { errorResponses } from '../../http/schemas.js';
import type { Actor, KeysService } from '../keys/keys.service.js';
import { type Access, accessFor } from './permissions.js';

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
  /** Client addresses each per-address limiter remembers: its memory bound. */
  rateLimitAddresses: number;
}

const MINUTE_MS = 60_000;

function tooMany(reply: FastifyReply, retryAfter: number) {
  return sendError(reply.header('retry-after', String(retryAfter)), 429, 'rate_limited', 'Too many requests');
}

/** Every 403 says only "Forbidden"; why is for the log. */
function refuse(request: FastifyRequest, reply: FastifyReply, reason: string) {
  request.log.info({ reason }, 'request forbidden');
  return sendError(reply, 403, 'forbidden', 'Forbidden');
}

// request.ip is undefined once the client has hung up; nobody reads that answer, so any key will do.
// normalizeIP counts an IPv6 client by its /64, which one device can fill with addresses.
const clientAddress = (request: FastifyRequest) => normalizeIP(request.ip ?? '');

/**
 * Counts a request against its client address; resolves to the seconds to wait once over `max` a minute,
 * else 0. Per process: with several instances a client gets the limit once per instance.
 */
function perAddressLimit(app: FastifyInstance, max: number, addresses: number) {
  // `cache` sizes this limiter's LRU store (createRateLimit's typings omit it, the store honours it).
  const options: RateLimitOptions = { max, timeWindow: MINUTE_MS, cache: addresses, keyGenerator: clientAddress };
  const limit = app.createRateLimit(options);
  return async (request: FastifyRequest) => {
    const state = await limit(request);
    return !state.isAllowed && state.isExceeded ? state.ttlInSeconds : 0;
  };
}

/**
 * A preHandler limiting how often one API key may call a route; runs after authentication, so it never
 * counts a refused caller. Share one between routes to give them one budget.
 */
export function perKeyLimit(app: FastifyInstance, max: number) {
  return app.rateLimit({ max, timeWindow: MINUTE_MS, keyGenerator: (request) => actorOf(request).keyId });
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
        // Documented once here rather than on every route: what the auth hook itself may answer, and the 503
        // of a database that cannot be reached (the key lookup needs it).
        route.schema = {
          ...route.schema,
          security: [{ apiKey: [] }],
          response: { ...errorResponses(401, 403, 429, 503), ...(route.schema.response as object) },
        };
      }
    }
  });
}

/**
 * Checks every request against its route's rule before its body is even parsed. Install after the
 * plugins that set security and CORS headers, so refusals carry those headers too, and before the routes
 * (they use perKeyLimit).
 */
export async function enforceAccess(app: FastifyInstance, options: AuthOptions): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    // The API's 429 carries Retry-After and nothing more, whichever limit answers it.
    addHeaders: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false, 'retry-after': true },
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    errorResponseBuilder: (_request, context) =>
      Object.assign(new Error('Too many requests'), { statusCode: context.statusCode }),
  });
  const failures = perAddressLimit(app, options.failedAuthLimit, options.rateLimitAddresses);
  const registrations = perAddressLimit(app, options.registrationLimit, options.rateLimitAddresses);

  // Only callers without a valid key are counted and refused: at a venue NAT, guesses from one phone must
  // not lock every desk behind the same address out.
  const unauthenticated = async (request: FastifyRequest, reply: FastifyReply) => {
    const wait = await failures(request);
    if (wait > 0) return tooMany(reply, wait);
    return sendAuthenticationRequired(reply);
  };

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (!access || access.public) return;
    const header = request.headers.authorization;

    if (header === undefined && access.openRegistration && options.openRegistration) {
      const wait = await registrations(request);
      if (wait > 0) return tooMany(reply, wait);
      return;
    }

    const presented = bearerToken(request);
    if (!presented) return unauthenticated(request, reply);
    const actor = await options.keys.authenticate(presented);
    if (!actor) return unauthenticated(request, reply);
    request.actor = actor;

    const allowed = access.roles.includes(actor.role) || (actor.role === 'participant' && access.participant !== undefined);
    if (!allowed) return refuse(request, reply, 'role_not_allowed');
  });

  // Ownership needs the validated params, query and body, so it is checked once they are.
  app.addHook('preHandler', async (request, reply) => {
    const access = request.routeOptions.config.access;
    const actor = request.actor;
    if (!access || access.public || !actor || actor.role !== 'participant') return;
    if (typeof access.participant === 'function' && access.participant(request) !== actor.participantId) {
      return refuse(request, reply, 'not_own_resource');
    }
  });
}

/** The authenticated caller of a route that requires a key (the auth hook has already refused anyone else). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new Error(`${request.method} ${request.url} needs an authenticated actor`);
  return request.actor;
}
