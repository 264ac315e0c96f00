import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * How much of an over-large body is read and thrown away so that its sender, still sending, reads the 413.
 * Closing at once would reset the connection under a client that sends its whole body before reading.
 */
const MAX_DISCARDED_BODY_BYTES = 64 * 1_048_576;

/** Reads the rest of a refused body into nothing, up to the bound, and keeps the connection for the answer. */
export function discardRestOfBody(request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw;
  if (raw.complete || raw.destroyed) return;
  if (Number(raw.headers['content-length']) > MAX_DISCARDED_BODY_BYTES) return;
  // Fastify asks to close after the answer; Node would then close while bytes still arrive (a reset).
  reply.removeHeader('connection');
  let discarded = 0;
  raw.on('data', (chunk: Buffer) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARDED_BODY_BYTES) raw.destroy();
  });
  raw.resume();
}
