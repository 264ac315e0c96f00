import { drive } from './drive.js';
import { sendRaw } from './http.js';
import type { BenchContext, RouteBench, StatusCounts } from './route.js';

export interface Measurement {
  route: RouteBench;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Responses per status in the measured run. */
  statuses: StatusCounts;
  /** Responses per status to every request of the route: probe, warm-up and measurement. */
  allStatuses: StatusCounts;
}

type AutocannonStatuses = Partial<Record<string, { count?: number }>> | undefined;

function addStatuses(into: Map<number, number>, stats: AutocannonStatuses): Map<number, number> {
  for (const [status, entry] of Object.entries(stats ?? {})) {
    into.set(Number(status), (into.get(Number(status)) ?? 0) + (entry?.count ?? 0));
  }
  return into;
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
  const probeStatus = route.probeStatus ?? 200;
  if (probeResponse.status !== probeStatus) {
    throw new Error(
      `${route.name}: probe answered ${probeResponse.status}, expected ${probeStatus}: ${probeResponse.text.slice(0, 200)}`,
    );
  }
  const allStatuses = new Map([[probeResponse.status, 1]]);
  console.error(
    `${route.name}: ${probeResponse.status}, ${probeBytes} bytes; warm-up ${run.warmupSeconds} s, measuring ${run.seconds} s`,
  );

  if (run.warmupSeconds > 0) {
    const warmUp = await drive(context, route, run.warmupSeconds, run.connections, counter);
    addStatuses(allStatuses, warmUp.result.statusCodeStats);
  }
  const { result, rps } = await drive(context, route, run.seconds, run.connections, counter);
  return {
    route,
    rps,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses: addStatuses(new Map(), result.statusCodeStats),
    allStatuses: addStatuses(allStatuses, result.statusCodeStats),
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
