import { existsSync } from 'node:fs';
import { relative, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sendError } from '../../http/error-reply.js';
import { BadgeParams } from '../badges/badges.schemas.js';

/** Vite names every file in assets/ by its content hash, so a cached copy never goes stale. */
const HASHED_ASSETS = `assets${sep}`;
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html, the service worker, the manifest and the icons keep their names: revalidate them on every use. */
const REVALIDATE = 'no-cache';

/**
 * Serves the built web app under /app/ and turns a scanned badge URL, /b/<code>, into the app's scan flow.
 * The code travels on in the URL fragment, which browsers never send to a server.
 */
export const webRoutes: FastifyPluginAsyncTypebox<{ root: string }> = async (app, { root }) => {
  if (existsSync(`${root}/index.html`)) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/app/',
      decorateReply: false,
      index: ['index.html'],
      // The build writes .br and .gz beside each file; the best one the browser accepts is sent.
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, path) => {
        reply.header('cache-control', relative(root, path).startsWith(HASHED_ASSETS) ? IMMUTABLE : REVALIDATE);
      },
    });
  } else {
    app.get('/app/*', { schema: { hide: true } }, async (_request, reply) =>
      sendError(reply, 503, 'web_app_not_built', 'The web app is not built: run npm run build:web'),
    );
  }
  app.get('/app', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/app/'));

  app.get(
    '/b/:code',
    {
      schema: {
        tags: ['badges'],
        summary: 'What a badge QR code opens: the web app on the scan flow for this badge',
        params: BadgeParams,
        querystring: Type.Object({
          c: Type.Optional(Type.String({ description: "The badge holder's live code, for an exchange (6 digits)" })),
        }),
        response: { 302: Type.Null({ description: 'Redirect to /app/#/b/<code>, with ?c=<live code> when one was given' }) },
      },
    },
    async (request, reply) => {
      // A malformed live code is left behind rather than refused: the badge still opens, the exchange says stale_code.
      const { c } = request.query;
      const liveCode = c !== undefined && /^[0-9]{6}$/.test(c) ? `?c=${c}` : '';
      return reply.redirect(`/app/#/b/${encodeURIComponent(request.params.code)}${liveCode}`);
    },
  );
};
