import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * Helmet's headers on every response, refusals and the event stream included. @fastify/helmet builds the
 * helmet middleware anew for every request (parsing the policy each time); it never changes here, so it is
 * built once.
 */
export function addSecurityHeaders(app: FastifyInstance): void {
  // The web app shows badge images through blob: URLs and takes no script or style from elsewhere. No
  // upgrade-insecure-requests: on a LAN without TLS it would send the app's own requests to https.
  const setHeaders = helmet({
    contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:', 'blob:'], 'upgrade-insecure-requests': null } },
  });
  app.addHook('onRequest', (request, reply, done) => {
    setHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
  });
}
