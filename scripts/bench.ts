/**
 * `npm run bench`: starts Tapioca on a fresh SQLite database filled with the challenge data (or demo data
 * when the file is absent), drives each route with autocannon from this process, and prints a markdown
 * table of requests/s and latency, each as a ratio to a cheap route measured in the same run (the ceiling),
 * then checks the targets of the issue.
 *
 * Environment (scripts/bench/options.ts): BENCH_SECONDS (10) per route, BENCH_WARMUP_SECONDS (2),
 * BENCH_CONNECTIONS (50), BENCH_DATA (path of a challenge-format JSON file; default
 * ../shared/data/HTN_2023_BE_Challenge_Data.json), BENCH_DEMO_PARTICIPANTS=N to use N generated participants
 * instead of the file (10000 = 10x the challenge), BENCH_ROUTES=text[,text...] to measure only the routes
 * whose name contains one of the texts (the ceiling always runs; e.g. BENCH_ROUTES=/boba,admin_give),
 * BENCH_STRICT=1 to exit 1 when a target is missed.
 *
 * BENCH_DATABASE=postgres: the scale-out figure (scripts/bench/scale-out.ts). The bench creates a database
 * tapioca_bench_<pid>_<random> on the server of BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432),
 * fills it as above, and measures each selected route on three set-ups, one right after the other: one instance
 * directly (1 direct), the same instance behind deploy/Caddyfile (1 via Caddy, which shows what the proxy costs),
 * and it with a second instance started on the same database behind another Caddy (2 via Caddy). Caddy serves
 * plain HTTP (TAPIOCA_SITE=http://127.0.0.1:<port>): the question is what a second instance adds, and the
 * direct column has no TLS either. The table gives requests/s and p99 per set-up and the ratios of 2 via Caddy
 * to 1 direct and to 1 via Caddy, then the share of the cores' time each process took in each set-up's runs.
 * Nothing is pinned: on two cores an instance per core would still share them with PostgreSQL, Caddy and the
 * load tool, and both on one core would leave nothing to gain. A route is set up once for all three set-ups,
 * so its checks after the run (tokens, scans, loans, read from PostgreSQL) cover all of them; the issue's speed
 * targets, set for SQLite, are not checked, only what the routes answered (statuses, connection errors). The
 * database is dropped, and Caddy and the instances stopped, however the run ends (also on Ctrl-C).
 *
 * The routes are in scripts/bench/read-routes.ts, write-routes.ts and scan-route.ts (see routes.ts to add one).
 *
 * Scans: one checkpoint with a limit of one per participant and no check-in required; each scan names a random
 * participant with a fresh nonce, so after the first round most are refused (409), which the route expects.
 * After the run the bench checks in the database that nobody has more accepted scans than the limit and that
 * the checkpoint's counters equal a recount; a failure there makes the run exit 1 even without BENCH_STRICT.
 *
 * Write routes: grants, orders and exchanges. The server runs with BBT_TOKENS_COOLDOWN=0, so that exchanges
 * measure throughput rather than the cooldown, BBT_PAIR_EXCHANGES=1, so every exchange is between a pair
 * that never exchanged before (a repeated pair would be refused), and BBT_MAX_GRANT=1000000 for the top-up
 * that lets the orders be paid. After the run, with the server stopped, the bench opens its database and
 * checks that every balance equals the participant's ledger sum, that none is negative, and that the tokens
 * match the writes the bench saw answered 200, in total and participant by participant.
 *
 * Every request (autocannon's, probes, set-up calls, the health check) carries `Authorization: Bearer` with a
 * random admin key the server is started with (TAPIOCA_ADMIN_KEY).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CleanUp } from './bench/clean-up.js';
import { type Measurement, measureRoute, remeasureCeiling } from './bench/measure.js';
import { type BenchOptions, readOptions } from './bench/options.js';
import { createBenchDatabase } from './bench/postgres.js';
import { checkTargets, type Outcome, printHeader, printTable, type Report } from './bench/report.js';
import { type BenchContext, type BobaSettings, makeContext, type RouteBench } from './bench/route.js';
import { selectedRoutes } from './bench/routes.js';
import { measureScaleOut } from './bench/scale-out.js';
import { importData, pinCores, readBobaSettings, startServer } from './bench/server.js';
import { TokenBook } from './bench/token-book.js';
import { checkTokens, readTokens } from './bench/token-check.js';
import { freePort } from './free-port.js';

/** A fresh SQLite file in a directory of its own, which the clean-up removes. */
function sqliteDatabase(cleanUp: CleanUp): string {
  const dir = mkdtempSync(join(tmpdir(), 'tapioca-bench-'));
  cleanUp.add(async () => rmSync(dir, { recursive: true, force: true }));
  return `sqlite:${join(dir, 'bench.db')}`;
}

/** Every route on the one server, the ceiling measured again at the end; checked against the targets. */
async function measureOneServer(
  context: BenchContext,
  routes: readonly RouteBench[],
  options: BenchOptions,
  boba: BobaSettings,
  pinned: boolean,
): Promise<Outcome> {
  const results: Measurement[] = [];
  for (const route of routes) {
    const measurement = await measureRoute(context, route, options);
    results.push(measurement);
    if (route.ceiling) context.ceilingRps = measurement.rps;
  }
  const ceiling = results.find((r) => r.route.ceiling);
  if (ceiling) await remeasureCeiling(context, ceiling, options);
  const ceilingRps = ceiling?.rps ?? 0;
  return {
    perRoute: results,
    print: () => {
      printHeader(options, boba, pinned);
      console.log('');
      printTable(results, ceilingRps);
    },
    check: (report) => checkTargets(results, ceilingRps, report),
  };
}

async function main(): Promise<void> {
  const options = readOptions();
  const routes = selectedRoutes(options.routeFilter);
  const scaleOut = options.database === 'postgres';
  // With two instances, any pinning on two cores either stacks them on one core (no gain to measure) or puts the
  // load tool, Caddy and PostgreSQL on theirs anyway: the scale-out figure runs unpinned.
  const pinned = !scaleOut && pinCores();
  const cleanUp = new CleanUp();
  const stopHandlingSignals = cleanUp.onInterrupt();
  try {
    const postgres = scaleOut ? await createBenchDatabase(options.postgresUrl, cleanUp) : undefined;
    const databaseUrl = postgres?.url ?? sqliteDatabase(cleanUp);
    const serverSettings = {
      databaseUrl,
      port: await freePort(),
      demoParticipants: options.useDataFile ? 0 : options.demoCount,
      pinned,
      trustProxy: scaleOut,
    };
    if (options.useDataFile) {
      console.error(`importing ${options.dataFile}`);
      await importData(options.dataFile, serverSettings, cleanUp.process);
    } else {
      console.error(`the server fills the database with ${options.demoCount} demo participants`);
    }

    const first = await startServer(serverSettings, cleanUp.process);
    const baseUrl = first.url;
    const boba = await readBobaSettings(baseUrl);
    const before = await readTokens(databaseUrl);
    const participantIds = [...before.balances.keys()].sort((a, b) => a - b);
    if (participantIds.length === 0) throw new Error('the database has no participants');
    const fields = {
      participantIds,
      boba,
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
      book: new TokenBook(),
    };
    const outcome = postgres
      ? await measureScaleOut({
          first,
          settings: serverSettings,
          routes,
          fields,
          options,
          cleanUp,
          postgresVersion: postgres.serverVersion,
        })
      : await measureOneServer(makeContext(baseUrl, { ...fields, setUps: 1 }), routes, options, boba, pinned);

    // The token check reads the database with the servers stopped: nothing can still be moving tokens.
    await cleanUp.stopProcesses();
    const after = await readTokens(databaseUrl);

    console.log('');
    outcome.print();
    console.log('');
    console.log(scaleOut ? 'Checks:' : 'Targets:');
    let passed = true;
    const report: Report = (ok, text) => {
      if (!ok) passed = false;
      console.log(`- ${ok ? 'PASS' : 'FAIL'} ${text}`);
    };
    outcome.check(report);
    checkTokens(before, after, fields.book, boba.tokensPerOrder, report);
    // A route's own check is of correctness, not speed: failing it fails the run even without BENCH_STRICT.
    let broken = false;
    for (const result of outcome.perRoute) {
      await result.route.check?.(databaseUrl, result.allStatuses, (ok, text) => {
        if (!ok) broken = true;
        report(ok, text);
      });
    }
    console.log('');
    if (scaleOut) console.log(passed ? 'All checks passed.' : 'Some checks failed.');
    else console.log(passed ? 'All targets met.' : 'Some targets were missed.');
    if (broken || (!passed && options.strict)) process.exitCode = 1;
  } finally {
    stopHandlingSignals();
    await cleanUp.run();
  }
}

main().catch((error: unknown) => {
  console.error('bench failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
