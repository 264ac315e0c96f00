import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError, type DomainErrorKind } from '../errors.js';
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
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send({ error: CLIENT_ERROR_MESSAGES[error.code] ?? error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send({ error: 'Internal server error' });
  });

  app.setNotFoundHandler((request, reply) => reply.status(404).send({ error: 'Not found' }));
}
