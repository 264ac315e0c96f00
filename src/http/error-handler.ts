import type { FastifyError, FastifyInstance } from 'fastify';
import { isDatabaseUnavailable } from '../db/database-errors.js';
import { DomainError, type DomainErrorKind } from '../errors.js';
import { discardRestOfBody } from './body-discard.js';
import { describeValidationError } from './validation.js';

const DOMAIN_STATUS: Record<DomainErrorKind, number> = { not_found: 404, forbidden: 403, rejected: 400 };

const CLIENT_ERROR_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'Malformed JSON body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Invalid request, needs json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'Request body too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported content type: send application/json',
};

/** The one place where errors become HTTP: always `{"error": "..."}`, never internals. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      return reply.status(DOMAIN_STATUS[error.kind]).send({ error: error.message });
    }
    const firstProblem = error.validation?.[0];
    if (firstProblem) {
      const failure = describeValidationError(firstProblem as never, error.validationContext);
      return reply.status(failure.status).send({ error: failure.message });
    }
    if (isDatabaseUnavailable(error)) {
      // An outage, not a bug: the client may retry; the log keeps the real cause (which code, which connection).
      request.log.error({ err: error }, 'database unavailable');
      return reply.status(503).send({ error: 'Database unavailable' });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') discardRestOfBody(request, reply);
      return reply.status(status).send({ error: CLIENT_ERROR_MESSAGES[error.code] ?? error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error: 'Internal server error' });
  });

  app.setNotFoundHandler((request, reply) => reply.status(404).send({ error: 'Not found' }));
}
