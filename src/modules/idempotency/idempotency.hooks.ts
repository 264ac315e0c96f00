import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { DomainError, rejected } from '../../errors.js';
import { DOMAIN_STATUS } from '../../http/error-handler.js';
import { bearerToken } from '../../http/bearer.js';
import { errorBody } from '../../http/error-reply.js';
import { errorResponses } from '../../http/schemas.js';
import type { Answer, IdempotencyService } from './idempotency.service.js';

const MUTATING_METHODS = new Set(['POST', 'PUT', 'DELETE']);
const PRUNE_EVERY_MS = 10 * 60_000;
const KEY_FORMAT = /^[\x20-\x7e]{1,255}$/;
const JSON_TYPE = 'application/json; charset=utf-8';

/** The bytes Fastify would send for `value` at the reply's status: the route's serializer makes JSON text. */
const serialized = (reply: FastifyReply, value: unknown) => reply.serialize(value) as string;

/**
 * Mutating routes that take no Idempotency-Key, and why: a request with one is refused, not run unguarded. An
 * upload of queued scans is idempotent scan by scan (nonces); under a key all of it would be one transaction,
 * holding every checkpoint it touches until its last scan.
 */
const NOT_REPLAYABLE: Record<string, string> = {
  'POST /keys/participant-links':
    'its answer is a stream of sign-in links, which is never stored; a repeat creates links only for participants still without one',
  'POST /sync/scans':
    'each queued scan is applied once by its nonce, so sending the same scans again answers the same without a key',
  'POST /imports':
    'an import commits batch by batch and reports what it did; a repeat skips (or, with update=true, updates again) what the first loaded',
};

const DOCUMENTATION =
  'Accepts an `Idempotency-Key` header (1-255 printable ASCII characters): a repeat with the same key, method, path and ' +
  'body answers the first answer again, with `Idempotent-Replayed: true`, and changes nothing. 409 ' +
  '`idempotency_in_progress` while the first runs; 422 `idempotency_key_reused` for a different request.';

function keyOf(request: FastifyRequest): string | undefined {
  const header = request.headers['idempotency-key'];
  if (header === undefined) return undefined;
  if (typeof header !== 'string' || !KEY_FORMAT.test(header)) {
    throw rejected('validation_failed', 'Idempotency-Key must be 1 to 255 printable ASCII characters');
  }
  return header;
}

/** A domain refusal by the operation is its answer and is stored; a 403 says nothing and is not. */
function refusalOf(reply: FastifyReply) {
  return (error: unknown): Answer | undefined => {
    if (!(error instanceof DomainError) || error.kind === 'forbidden') return undefined;
    const status = DOMAIN_STATUS[error.kind];
    // The route's own serializer for that status: the bytes the error handler is about to send.
    reply.code(status);
    return { status, body: serialized(reply, errorBody(error.code, error.message)) };
  };
}

function idempotent(service: IdempotencyService, route: string, handler: RouteHandlerMethod): RouteHandlerMethod {
  const notReplayable = NOT_REPLAYABLE[route];
  return async function (this: FastifyInstance, request, reply) {
    const key = keyOf(request);
    if (key === undefined) return handler.call(this, request, reply);
    if (notReplayable) throw rejected('validation_failed', `Idempotency-Key is not accepted by ${route}: ${notReplayable}`);
    const answer = await service.execute(
      {
        scope: request.actor ? `key:${request.actor.keyId}` : 'anonymous',
        key,
        credential: bearerToken(request) ?? '',
        fingerprint: `${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`,
      },
      async () => {
        const value: unknown = await handler.call(this, request, reply);
        if (value === undefined || value === reply) throw new Error(`${route} sends its own answer, which cannot be stored`);
        return { status: reply.statusCode, body: serialized(reply, value) };
      },
      refusalOf(reply),
    );
    if (answer.replayed) reply.header('idempotent-replayed', 'true');
    // A string with a JSON type is sent as it is: the stored bytes.
    reply.code(answer.status).type(JSON_TYPE);
    return answer.body;
  };
}

/**
 * Makes every POST, PUT and DELETE route honour an Idempotency-Key header. Call before any route exists;
 * prunes expired keys now and every 10 minutes.
 */
export async function installIdempotency(app: FastifyInstance, service: IdempotencyService): Promise<void> {
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const method = methods.find((candidate) => MUTATING_METHODS.has(candidate));
    if (!method) return;
    const name = `${method} ${route.url}`;
    route.handler = idempotent(service, name, route.handler);
    if (route.schema && !NOT_REPLAYABLE[name]) {
      route.schema = {
        ...route.schema,
        description: [route.schema.description, DOCUMENTATION].filter(Boolean).join('\n\n'),
        response: { ...errorResponses(409, 422), ...(route.schema.response as object) },
      };
    }
  });
  await service.prune();
  // Started here, at build, never inside a request: a timer keeps the async context it was created in.
  const timer = setInterval(() => {
    service.prune().catch((error: unknown) => app.log.error({ err: error }, 'pruning idempotency keys failed'));
  }, PRUNE_EVERY_MS);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}
