import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../free-port.js';
import { startCaddy } from './caddy.js';
import type { CleanUp } from './clean-up.js';
import { CpuAccount } from './cpu.js';
import { type Measurement, measureRouteOnEach, remeasureCeiling, type SetUpContext } from './measure.js';
import type { BenchOptions } from './options.js';
import { checkAnswers, type Outcome } from './report.js';
import { type BenchContext, makeContext, type RouteBench } from './route.js';
import { printScaleOut } from './scale-out-report.js';
import { type Instance, type ServerSettings, startServer } from './server.js';

/** A set-up with the CPU time its runs took. */
type ScaleOutSetUp = SetUpContext & { account: CpuAccount };

/** Caddy (deploy/Caddyfile) over plain HTTP in front of `upstreams`, ready once GET /health answers 200 through it. */
async function caddyInFront(upstreams: string[], dataDir: string, cleanUp: CleanUp) {
  const site = `http://127.0.0.1:${await freePort()}`;
  const caddy = await startCaddy(
    {
      site,
      upstreams: upstreams.map((url) => url.replace('http://', '')),
      dataDir: mkdtempSync(join(dataDir, 'caddy-')),
      ready: async () => (await fetch(`${site}/health`)).status === 200,
    },
    cleanUp.process,
  );
  return { site, caddy };
}

const caddyVersion = () => execFileSync('caddy', ['version'], { encoding: 'utf8' }).trim().split(/\s+/)[0] || 'unknown';

interface ScaleOutRun {
  /** The instance the bench started on the database it filled. */
  first: Instance;
  /** What it was started with; the second instance gets the same but its port. */
  settings: ServerSettings;
  routes: readonly RouteBench[];
  /** What every set-up's context shares: the participants, the boba settings, the token book. */
  fields: Omit<BenchContext, 'baseUrl' | 'send' | 'ceilingRps' | 'setUps'>;
  options: BenchOptions;
  cleanUp: CleanUp;
  postgresVersion: string;
}

/**
 * The PostgreSQL mode: each route measured on three set-ups, one right after the other so that the machine's
 * drift moves them alike: the first instance directly; the same instance behind Caddy, which shows what the
 * proxy costs; a second instance, started on the same database, and the first behind another Caddy. The
 * route's `setup` runs once, so what it made (a checkpoint, an item, the exchange pairs drawn) serves all
 * three, and its check after the run covers them all.
 */
export async function measureScaleOut(run: ScaleOutRun): Promise<Outcome> {
  const { first, settings, routes, fields, options, cleanUp, postgresVersion } = run;
  const second = await startServer({ ...settings, port: await freePort() }, cleanUp.process);
  const dataDir = mkdtempSync(join(tmpdir(), 'tapioca-bench-caddy-'));
  cleanUp.add(async () => rmSync(dataDir, { recursive: true, force: true }));
  const proxyOne = await caddyInFront([first.url], dataDir, cleanUp);
  const proxyTwo = await caddyInFront([first.url, second.url], dataDir, cleanUp);

  const watched = [
    { name: 'instance 1', pids: [first.process.pid ?? 0] },
    { name: 'instance 2', pids: [second.process.pid ?? 0] },
    { name: 'Caddy', pids: [proxyOne.caddy.pid ?? 0, proxyTwo.caddy.pid ?? 0] },
  ];
  const urls = { '1 direct': first.url, '1 via Caddy': proxyOne.site, '2 via Caddy': proxyTwo.site };
  const setUps: ScaleOutSetUp[] = Object.entries(urls).map(([label, url]) => {
    const account = new CpuAccount(watched);
    return { label, context: makeContext(url, { ...fields, setUps: Object.keys(urls).length }), account, during: account.during };
  });

  const byRoute: Measurement[][] = [];
  for (const route of routes) {
    const measurements = await measureRouteOnEach(setUps, route, options);
    byRoute.push(measurements);
    if (!route.ceiling) continue;
    // The orders' top-up, made through the first set-up, provides for the fastest.
    const fastest = Math.max(...measurements.map((m) => m.rps));
    for (const { context } of setUps) context.ceilingRps = fastest;
  }
  const ceiling = byRoute.find(([m]) => m?.route.ceiling);
  for (const [index, setUp] of setUps.entries()) {
    const measurement = ceiling?.[index];
    if (measurement) await setUp.account.during(() => remeasureCeiling(setUp.context, measurement, options, setUp.label));
  }

  const caddy = caddyVersion();
  return {
    perRoute: byRoute.flatMap((measurements) => measurements.slice(0, 1)),
    print: () => printScaleOut({ options, boba: fields.boba, postgresVersion, caddyVersion: caddy, setUps, byRoute, watched }),
    check: (report) => {
      for (const measurements of byRoute) checkAnswers(measurements, report);
    },
  };
}
