import { Type } from 'typebox';

export const PrometheusText = Type.Unsafe({
  description: 'Prometheus text exposition format 0.0.4 (docs/operations.md, "Metrics")',
  content: { 'text/plain': { schema: { type: 'string' } } },
});
