import type { FastifyReply } from 'fastify';
import type { ErrorCode } from '../errors.js';
import type { ErrorBody } from './schemas.js';

/** The one shape of every error body (the ErrorResponse schema): nothing else builds `{error}` by hand. */
export const errorBody = (code: ErrorCode, message: string): ErrorBody => ({ error: message, code });

export const sendError = (reply: FastifyReply, status: number, code: ErrorCode, message: string) =>
  reply.status(status).send(errorBody(code, message));
