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
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { measureRoute, type Measurement, remeasureCeiling } from './bench/measure.js';
import { readOptions } from './bench/options.js';
import { checkTargets, printHeader, printTable, type Report } from './bench/report.js';
import { makeContext } from './bench/route.js';
import { selectedRoutes } from './bench/routes.js';
import { importData, pinCores, readBobaSettings, startServer } from './bench/server.js';
import { checkTokens, readTokens } from './bench/token-check.js';
import { stopServer } from './server-process.js';

async function main(): Promise<void> {
  const options = readOptions();
  const routes = selectedRoutes(options.routeFilter);
  const pinned = pinCores();

  const dir = mkdtempSync(join(tmpdir(), 'tapioca-bench-'));
  const databaseUrl = `sqlite:${join(dir, 'bench.db')}`;
  const serverSettings = {
    databaseUrl,
    port: await freePort(),
    demoParticipants: options.useDataFile ? 0 : options.demoCount,
    pinned,
  };

  let server: ChildProcess | undefined;
  const cleanUp = async () => {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  };
  // `on`, not `once`: under tsx a Ctrl-C arrives twice (from the terminal and relayed by tsx), and a second
  // signal without a listener would end this process before the server is stopped and the files removed.
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${signal}: stopping the server`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    if (options.useDataFile) {
      console.error(`importing ${options.dataFile}`);
      await importData(options.dataFile, serverSettings);
    } else {
      console.error(`the server fills the database with ${options.demoCount} demo participants`);
    }

    const baseUrl = await startServer(serverSettings, (spawned) => (server = spawned));
    const boba = await readBobaSettings(baseUrl);
    const before = await readTokens(databaseUrl);
    const participantIds = [...before.balances.keys()].sort((a, b) => a - b);
    if (participantIds.length === 0) throw new Error('the database has no participants');
    const context = makeContext(baseUrl, {
      participantIds,
      boba,
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
    });

    const results: Measurement[] = [];
    for (const route of routes) {
      const measurement = await measureRoute(context, route, options);
      results.push(measurement);
      if (route.ceiling) context.ceilingRps = measurement.rps;
    }
    const ceiling = results.find((r) => r.route.ceiling);
    if (ceiling) await remeasureCeiling(context, ceiling, options);
    const ceilingRps = ceiling?.rps ?? 0;

    // The token check reads the database with the server stopped: nothing can still be moving tokens.
    await stopServer(server);
    const after = await readTokens(databaseUrl);

    console.log('');
    printHeader(options, boba, pinned);
    console.log('');
    printTable(results, ceilingRps);
    console.log('');
    console.log('Targets:');
    let passed = true;
    const report: Report = (ok, text) => {
      if (!ok) passed = false;
      console.log(`- ${ok ? 'PASS' : 'FAIL'} ${text}`);
    };
    checkTargets(results, ceilingRps, report);
    checkTokens(before, after, context.book, boba.tokensPerOrder, report);
    // A route's own check is of correctness, not speed: failing it fails the run even without BENCH_STRICT.
    let broken = false;
    for (const result of results) {
      await result.route.check?.(databaseUrl, result.allStatuses, (ok, text) => {
        if (!ok) broken = true;
        report(ok, text);
      });
    }
    console.log('');
    console.log(passed ? 'All targets met.' : 'Some targets were missed.');
    if (broken || (!passed && options.strict)) process.exitCode = 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanUp();
  }
}

main().catch((error: unknown) => {
  console.error('bench failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
