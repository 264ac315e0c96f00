import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { bearerToken, sendAuthenticationRequired } from '../../http/bearer.js';
import { errorResponses } from '../../http/schemas.js';
import { PrometheusText } from './metrics.schemas.js';
import type { MetricsService } from './metrics.service.js';

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
      if (!isToken(bearerToken(request))) return sendAuthenticationRequired(reply);
      const text = await metrics.render();
      return reply.type(metrics.contentType).header('cache-control', 'no-store').send(text);
    },
  );
};
