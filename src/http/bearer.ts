import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './error-reply.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The secret of `Authorization: Bearer <secret>`, when the request carries one. */
export const bearerToken = (request: FastifyRequest): string | undefined => request.headers.authorization?.match(BEARER)?.[1];

/** The 401 of a missing or wrong secret, telling the client which scheme to use. */
export const sendAuthenticationRequired = (reply: FastifyReply) =>
  sendError(reply.header('www-authenticate', 'Bearer'), 401, 'authentication_required', 'Authentication required');
