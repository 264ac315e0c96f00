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
  /** Responses per status to every request of the route: probe, warm-up and measurement, in every set-up. */
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
  const [measurement] = await measureRouteOnEach([{ label: '', context }], route, run);
  return measurement as Measurement;
}

/** One server a route is measured on. */
export interface SetUpContext {
  /** Named in the progress lines, e.g. "2 via Caddy". */
  label: string;
  context: BenchContext;
  /** Runs the set-up's probe, warm-up and measurement of each route (the scale-out bench counts CPU time in it). */
  during?: <T>(work: () => Promise<T>) => Promise<T>;
}

/** What a route's runs on every set-up share: one request counter, so bodies and nonces stay unique, and one tally of statuses. */
interface RouteRuns {
  counter: { n: number };
  allStatuses: Map<number, number>;
  /** The first set-up's probe must answer the route's probeStatus. */
  first: boolean;
}

/**
 * Sets the route up once, through the first set-up, then on each set-up in turn sends one probe, warms up and
 * measures; each measurement's `allStatuses` is the route's tally over all of them.
 */
export async function measureRouteOnEach(
  setUps: readonly SetUpContext[],
  route: RouteBench,
  run: RunSettings,
): Promise<Measurement[]> {
  const first = setUps[0];
  if (!first) return [];
  if (route.setup) await route.setup(first.context);
  const runs: RouteRuns = { counter: { n: 0 }, allStatuses: new Map(), first: true };
  const measurements: Measurement[] = [];
  for (const { label, context, during } of setUps) {
    const work = () => measureOn(label, context, route, run, runs);
    measurements.push(await (during ? during(work) : work()));
    runs.first = false;
  }
  return measurements;
}

async function measureOn(label: string, context: BenchContext, route: RouteBench, run: RunSettings, runs: RouteRuns) {
  const { counter, allStatuses } = runs;
  const named = label ? `${route.name}, ${label}` : route.name;
  // One probe: the route answers what it should, and how big that is. After the first set-up, a route whose
  // refusals are part of the load may have given out all it had (the scans, the loans): any status it expects will do.
  const probeStatus = route.probeStatus ?? 200;
  const probeStatuses = runs.first ? [probeStatus] : [probeStatus, ...(route.expectedStatuses ?? [])];
  const probe = route.request ? route.request(counter.n++, context) : {};
  if (probe.tokens) context.book.sent(probe.tokens);
  const probeResponse = await sendRaw(context.baseUrl, route.method, route.path, probe.body);
  if (probe.tokens) context.book.answered(probe.tokens, probeResponse.status);
  const probeBytes = Buffer.byteLength(probeResponse.text);
  if (!probeStatuses.includes(probeResponse.status)) {
    throw new Error(
      `${named}: probe answered ${probeResponse.status}, expected ${probeStatuses.join(' or ')}: ${probeResponse.text.slice(0, 200)}`,
    );
  }
  allStatuses.set(probeResponse.status, (allStatuses.get(probeResponse.status) ?? 0) + 1);
  console.error(
    `${named}: ${probeResponse.status}, ${probeBytes} bytes; warm-up ${run.warmupSeconds} s, measuring ${run.seconds} s`,
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
export async function remeasureCeiling(context: BenchContext, ceiling: Measurement, run: RunSettings, label = ''): Promise<void> {
  const again = await drive(context, ceiling.route, run.seconds, run.connections, { n: 0 });
  console.error(
    `${ceiling.route.name}${label ? `, ${label}` : ''}: ${Math.round(ceiling.rps)} requests/s first, ${Math.round(again.rps)} at the end`,
  );
  if (again.rps > ceiling.rps) {
    Object.assign(ceiling, { rps: again.rps, p50: again.result.latency.p50, p99: again.result.latency.p99 });
  }
}
