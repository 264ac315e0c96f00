import type { FastifyInstance } from 'fastify';
import { sendError } from './error-reply.js';
import { findNulText, nulTextMessage } from './validation.js';

/**
 * Refuses text neither database can hold the same way: PostgreSQL rejects NUL in text, which would be a 500
 * there and stored on SQLite. Checked once the schemas have validated (and dropped unknown fields), and
 * before ownership, so every route answers the same 400 on both databases.
 */
export function refuseUnstorableText(app: FastifyInstance): void {
  app.addHook('preHandler', async (request, reply) => {
    for (const part of [request.params, request.query, request.body]) {
      const path = findNulText(part);
      if (path) return sendError(reply, 400, 'validation_failed', nulTextMessage(path));
    }
  });
}
