import type { FastifyInstance } from 'fastify';
import { metricsRoutes } from './metrics.routes.js';
import { type MetricsSources, MetricsService } from './metrics.service.js';

/**
 * GET /metrics, and the timing of every answer of the app (the access checks' refusals and 404s included).
 * Install before the routes it times.
 */
export async function installMetrics(app: FastifyInstance, token: string, sources: MetricsSources): Promise<void> {
  const metrics = new MetricsService(sources);
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
  });
  app.addHook('onClose', async () => metrics.close());
  await app.register(metricsRoutes, { metrics, token });
}
