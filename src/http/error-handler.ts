import type { FastifyError, FastifyInstance } from 'fastify';
import { isDatabaseUnavailable } from '../db/database-errors.js';
import { DomainError, type DomainErrorKind, type ErrorCode } from '../errors.js';
import { discardRestOfBody } from './body-discard.js';
import { sendError } from './error-reply.js';
import { ErrorResponse } from './schemas.js';
import { describeValidationError } from './validation.js';

export const DOMAIN_STATUS: Record<DomainErrorKind, number> = {
  not_found: 404,
  forbidden: 403,
  rejected: 400,
  conflict: 409,
  unprocessable: 422,
};

/** Fastify's own refusals of a request, in the API's words. */
const FRAMEWORK_CLIENT_ERRORS: Record<string, { code: ErrorCode; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'malformed_json', message: 'Malformed JSON body' },
  // Same message as a body that is JSON but not an object, so the same code.
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'validation_failed', message: 'Invalid request, needs json' },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'payload_too_large', message: 'Request body too large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'unsupported_media_type', message: 'Unsupported content type: send application/json' },
};

/** Other client errors keep their message; their status decides the code (429: @fastify/rate-limit). */
const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/** The one place where errors become HTTP: always `{"error": "...", "code": "..."}`, never internals. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.addSchema(ErrorResponse);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) {
      if (error.logReason) request.log.info({ reason: error.logReason }, 'request forbidden');
      return sendError(reply, DOMAIN_STATUS[error.kind], error.code, error.message);
    }
    const firstProblem = error.validation?.[0];
    if (firstProblem) {
      const failure = describeValidationError(firstProblem as never, error.validationContext);
      return sendError(reply, failure.status, failure.code, failure.message);
    }
    if (isDatabaseUnavailable(error)) {
      // An outage, not a bug: the client may retry; the log keeps the real cause (which code, which connection).
      request.log.error({ err: error }, 'database unavailable');
      return sendError(reply, 503, 'database_unavailable', 'Database unavailable');
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') discardRestOfBody(request, reply);
      const known = FRAMEWORK_CLIENT_ERRORS[error.code];
      if (known) return sendError(reply, status, known.code, known.message);
      return sendError(reply, status, CODE_BY_STATUS[status] ?? 'malformed_request', error.message);
    }
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, 500, 'internal', 'Internal server error');
  });

  app.setNotFoundHandler((_request, reply) => sendError(reply, 404, 'not_found', 'Not found'));
}
