import { drive } from './drive.js';
import { sendRaw } from './http.js';
import type { BenchContext, RouteBench } from './route.js';

export interface Measurement {
  route: RouteBench;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

interface RunSettings {
  seconds: number;
  warmupSeconds: number;
  connections: number;
}

/** Sets the route up, checks one probe answers 200, warms up, then measures. */
export async function measureRoute(context: BenchContext, route: RouteBench, run: RunSettings): Promise<Measurement> {
  if (route.setup) await route.setup(context);
  const counter = { n: 0 };
  // One probe: the route answers what it should, and how big that is.
  const probe = route.request ? route.request(counter.n++, context) : {};
  if (probe.tokens) context.book.sent(probe.tokens);
  const probeResponse = await sendRaw(context.baseUrl, route.method, route.path, probe.body);
  if (probe.tokens) context.book.answered(probe.tokens, probeResponse.status);
  const probeBytes = Buffer.byteLength(probeResponse.text);
  if (probeResponse.status !== 200) {
    throw new Error(`${route.name}: probe answered ${probeResponse.status}, expected 200: ${probeResponse.text.slice(0, 200)}`);
  }
  console.error(
    `${route.name}: ${probeResponse.status}, ${probeBytes} bytes; warm-up ${run.warmupSeconds} s, measuring ${run.seconds} s`,
  );

  if (run.warmupSeconds > 0) await drive(context, route, run.warmupSeconds, run.connections, counter);
  const { result, rps } = await drive(context, route, run.seconds, run.connections, counter);
  return {
    route,
    rps,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/**
 * Measures the ceiling again and keeps the better run: the first route measured also pays for the JIT
 * warming up, which would flatter every ratio.
 */
export async function remeasureCeiling(context: BenchContext, ceiling: Measurement, run: RunSettings): Promise<void> {
  const again = await drive(context, ceiling.route, run.seconds, run.connections, { n: 0 });
  console.error(`${ceiling.route.name}: ${Math.round(ceiling.rps)} requests/s first, ${Math.round(again.rps)} at the end`);
  if (again.rps > ceiling.rps) {
    Object.assign(ceiling, { rps: again.rps, p50: again.result.latency.p50, p99: again.result.latency.p99 });
  }
}
