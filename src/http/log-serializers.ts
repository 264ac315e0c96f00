import type { FastifyRequest } from 'fastify';

/** Paths whose last segment is a badge code: a secret that prints a badge, so never written to a log. */
const BADGE_CODE_IN_PATH = /^(\/(?:b|badges)\/)[^/?#]+/;

const redactUrl = (url: string) => url.replace(BADGE_CODE_IN_PATH, '$1[redacted]');

/** Fastify's request log fields, with the URL's secrets taken out. Headers are never logged (keys live there). */
export const logSerializers = {
  req: (request: FastifyRequest) => ({
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  }),
};
