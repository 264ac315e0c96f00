import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sendError } from '../../http/error-reply.js';
import { errorResponses } from '../../http/schemas.js';
import { PrometheusText } from './metrics.schemas.js';
import type { MetricsService } from './metrics.service.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const digest = (text: string) => createHash('sha256').update(text).digest();

/** GET /metrics, for Prometheus: not an API key but METRICS_TOKEN, so a scraper's secret opens nothing else. */
export const metricsRoutes: FastifyPluginAsyncTypebox<{ metrics: MetricsService; token: string }> = async (
  app,
  { metrics, token },
) => {
  const expected = digest(token);
  // Digests have one length, so the comparison takes as long whatever was presented.
  const isToken = (presented: string | undefined) => presented !== undefined && timingSafeEqual(digest(presented), expected);

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics; needs `Authorization: Bearer <METRICS_TOKEN>`, absent when METRICS_TOKEN is unset',
        response: { 200: PrometheusText, ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      if (!isToken(request.headers.authorization?.match(BEARER)?.[1])) {
        return sendError(reply.header('www-authenticate', 'Bearer'), 401, 'authentication_required', 'Authentication required');
      }
      const text = await metrics.render();
      return reply.type(metrics.contentType).header('cache-control', 'no-store').send(text);
    },
  );
};
