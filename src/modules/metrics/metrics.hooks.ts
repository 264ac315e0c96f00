import type { FastifyInstance } from 'fastify';
import { type MetricsSources, MetricsService } from './metrics.service.js';

/**
 * Times every answer of the app, the access checks' refusals and 404s included. Call before the first plugin
 * is registered: a plugin takes the hooks its parent has when it loads, and misses those added later.
 */
export function timeRequests(app: FastifyInstance, sources: MetricsSources): MetricsService {
  const metrics = new MetricsService(sources);
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.addHook('onClose', async () => metrics.close());
  return metrics;
}
