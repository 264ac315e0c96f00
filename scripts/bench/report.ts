import type { Measurement } from './measure.js';
import type { BenchOptions } from './options.js';
import type { BobaSettings, StatusCounts } from './route.js';

/** Prints one target's PASS or FAIL line. */
export type Report = (passed: boolean, text: string) => void;

const fmt = (value: number, digits = 1) => value.toFixed(digits);

/** What the bench's server works on. */
export const describeData = (options: BenchOptions) =>
  options.useDataFile ? 'challenge data (imported)' : `${options.demoCount} demo participants`;

/** What the run measured on, and how the write routes were set up. */
export function printHeader(options: BenchOptions, boba: BobaSettings, pinned: boolean): void {
  const { connections, seconds, warmupSeconds } = options;
  console.log(
    `Tapioca benchmark: ${describeData(options)}, SQLite, ` +
      `${connections} connections, ${seconds} s per route after a ${warmupSeconds} s warm-up, ` +
      `Node ${process.version}, autocannon in the same machine${pinned ? ' (server pinned to core 1, autocannon to core 0)' : ''}`,
  );
  printWriteSettings(boba);
}

export function printWriteSettings(boba: BobaSettings): void {
  console.log(
    `Writes: server run with BBT_TOKENS_COOLDOWN=0 (exchanges measure throughput, not the cooldown), ` +
      `BBT_PAIR_EXCHANGES=1 (each exchange a pair that never exchanged before), ` +
      `BBT_MAX_GRANT=${boba.maxGrant} (orders' top-up), ${boba.tokensPerOrder} tokens per order; ` +
      `write runs drain their last requests, requests/s = responses / time to the last one`,
  );
}

export const describeStatuses = (statuses: StatusCounts) =>
  [...statuses]
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${count} x ${status}`)
    .join(', ');

export function printTable(results: Measurement[], ceilingRps: number): void {
  console.log('| route | requests/s (mean) | p50 ms | p99 ms | % of ceiling | non-2xx |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const ratio = ceilingRps > 0 ? `${fmt((100 * r.rps) / ceilingRps, 0)}%` : 'n/a';
    console.log(`| ${r.route.name} | ${fmt(r.rps, 0)} | ${r.p50} | ${r.p99} | ${ratio} | ${r.non2xx} |`);
  }
  // Routes whose refusals are part of the load: what the measured run was answered, status by status.
  for (const r of results.filter((result) => result.route.expectedStatuses)) {
    console.log('');
    console.log(`${r.route.name}, measured run: ${describeStatuses(r.statuses)}`);
  }
}

export function checkTargets(results: Measurement[], ceilingRps: number, report: Report): void {
  for (const r of results) {
    const t = r.route.targets ?? {};
    if (t.minRatio !== undefined) {
      const ratio = ceilingRps > 0 ? r.rps / ceilingRps : 0;
      report(ratio >= t.minRatio, `${r.route.name}: ${fmt(100 * ratio, 0)}% of ceiling (target >= ${fmt(100 * t.minRatio, 0)}%)`);
    }
    if (t.minRps !== undefined) {
      report(r.rps >= t.minRps, `${r.route.name}: ${fmt(r.rps, 0)} requests/s (target >= ${t.minRps})`);
    }
    if (t.maxP99Ms !== undefined) {
      report(r.p99 < t.maxP99Ms, `${r.route.name}: p99 ${r.p99} ms (target < ${t.maxP99Ms} ms)`);
    }
    checkAnswers([r], report);
  }
}

/**
 * What a route was answered over its measurements (one per set-up): only the statuses it expects, or else no
 * non-2xx response (the ceiling aside), and no connection errors.
 */
export function checkAnswers(measurements: readonly Measurement[], report: Report): void {
  const [first] = measurements;
  if (!first) return;
  const { route, allStatuses } = first;
  const total = (count: (m: Measurement) => number) => measurements.reduce((sum, m) => sum + count(m), 0);
  const expected = route.expectedStatuses;
  if (expected) {
    const unexpected = [...allStatuses].filter(([status]) => !expected.includes(status));
    report(
      unexpected.length === 0,
      `${route.name}: only ${expected.join(' or ')} answered (${describeStatuses(allStatuses)} over probe, warm-up and measurement)`,
    );
  } else if (!route.ceiling) {
    const non2xx = total((m) => m.non2xx);
    report(non2xx === 0, `${route.name}: ${non2xx} non-2xx responses (target 0)`);
  }
  const errors = total((m) => m.errors);
  report(errors === 0, `${route.name}: ${errors} connection errors, ${total((m) => m.timeouts)} timeouts (target 0)`);
}

/** What a way of running the bench measured: printed as it likes, checked, and one measurement per route for its own check. */
export interface Outcome {
  /** Prints the header and the tables. */
  print(): void;
  /** Reports the targets or checks of what was answered. */
  check(report: Report): void;
  /** One measurement per route, whose `allStatuses` (over every set-up) the route's own check is given. */
  perRoute: Measurement[];
}
