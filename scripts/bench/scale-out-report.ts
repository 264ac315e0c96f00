import { availableParallelism } from 'node:os';
import { type CpuAccount, LOAD_TOOL, POSTGRES, type Watched } from './cpu.js';
import type { Measurement } from './measure.js';
import type { BenchOptions } from './options.js';
import { describeData, describeStatuses, printWriteSettings } from './report.js';
import type { BobaSettings } from './route.js';

interface ScaleOutReport {
  options: BenchOptions;
  boba: BobaSettings;
  postgresVersion: string;
  caddyVersion: string;
  /** In the order of the measurements, with the CPU time their runs took. */
  setUps: ReadonlyArray<{ label: string; account: CpuAccount }>;
  /** Per route, one measurement per set-up, in the set-ups' order. */
  byRoute: readonly Measurement[][];
  watched: Watched;
}

const ratio = (two: Measurement | undefined, one: Measurement | undefined) =>
  two && one && one.rps > 0 ? `${(two.rps / one.rps).toFixed(2)}x` : 'n/a';

/** The header, the table of requests/s and p99 per set-up with the ratios, and where the CPU time went. */
export function printScaleOut(report: ScaleOutReport): void {
  const { options, setUps, byRoute } = report;
  const cores = availableParallelism();
  console.log(
    `Tapioca scale-out benchmark: ${describeData(options)}, PostgreSQL ${report.postgresVersion}, ` +
      `${options.connections} connections, ${options.seconds} s per route and set-up after a ${options.warmupSeconds} s warm-up, ` +
      `Node ${process.version}, Caddy ${report.caddyVersion}; ${cores} cores (os.availableParallelism()), nothing pinned: ` +
      `PostgreSQL, the instances, Caddy and autocannon (in this process) share them`,
  );
  console.log(
    'Set-ups, measured one right after the other for each route: 1 direct = one instance, no proxy; ' +
      '1 via Caddy = the same instance behind deploy/Caddyfile (plain HTTP; its access log on, as deployed); ' +
      '2 via Caddy = it and a second instance on the same database behind another Caddy (least_conn). ' +
      'Both instances run with TRUST_PROXY=127.0.0.1 and the default pool of PostgreSQL connections.',
  );
  printWriteSettings(report.boba);
  console.log('');

  const [direct, viaCaddy, two] = setUps.map((setUp) => setUp.label);
  console.log(
    `| route | ${setUps.map((setUp) => `${setUp.label} req/s | p99 ms`).join(' | ')} | ${two} / ${direct} | ${two} / ${viaCaddy} |`,
  );
  console.log(`| --- | ${setUps.map(() => '---: | ---:').join(' | ')} | ---: | ---: |`);
  for (const measurements of byRoute) {
    const [first, second, third] = measurements;
    const cells = measurements.map((m) => `${m.rps.toFixed(0)} | ${m.p99}`).join(' | ');
    console.log(`| ${first?.route.name} | ${cells} | ${ratio(third, first)} | ${ratio(third, second)} |`);
  }
  // Routes whose refusals are part of the load: what each measured run was answered, status by status.
  for (const measurements of byRoute.filter(([m]) => m?.route.expectedStatuses)) {
    const runs = measurements.map((m, index) => `${setUps[index]?.label}: ${describeStatuses(m.statuses)}`);
    console.log('');
    console.log(`${measurements[0]?.route.name}, measured runs: ${runs.join('; ')}`);
  }

  console.log('');
  console.log(
    `Where the CPU time went, as a share of the ${cores} cores' time over each set-up's runs (probes, warm-ups and ` +
      `measurements of every route); ${POSTGRES} counts all its processes, whoever they serve; the rest is idle or other work:`,
  );
  const names = [LOAD_TOOL, ...report.watched.map((w) => w.name), POSTGRES];
  console.log(`| set-up | run time s | ${names.join(' | ')} | rest |`);
  console.log(`| --- | ---: | ${names.map(() => '---:').join(' | ')} | ---: |`);
  for (const { label, account } of setUps) {
    const capacity = cores * account.wallSeconds;
    const shares = names.map((name) => account.seconds.get(name) ?? 0);
    const rest = capacity - shares.reduce((sum, seconds) => sum + seconds, 0);
    const percent = (seconds: number) => (capacity > 0 ? `${((100 * seconds) / capacity).toFixed(0)}%` : 'n/a');
    console.log(`| ${label} | ${account.wallSeconds.toFixed(0)} | ${[...shares, rest].map(percent).join(' | ')} |`);
  }
}
