/**
 * What the stats counters' triggers cost the hot write routes: times grants, orders and exchanges through
 * app.inject (50 in flight, as a loaded server has them), with the triggers of migrations
 * 20261201_06_stats_counters and 20261202_16_metrics_counters and without them (their `down`), alternately,
 * on a fresh database.
 *
 *   tsx scripts/stats-write-cost.ts [sqlite|postgres://...] [grants=20000] [rounds=3] [all|metrics]
 *
 * `metrics` switches only migration 16's triggers (GET /metrics's ledger and delivery counts), 06's staying on.
 *
 * A PostgreSQL URL gets a schema of its own, dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import * as statsCounters from '../src/db/migrations/20261201_06_stats_counters.js';
import * as metricsCounters from '../src/db/migrations/20261202_16_metrics_counters.js';

const [target = 'sqlite', grantsArg = '20000', roundsArg = '3', switched = 'all'] = process.argv.slice(2);
if (switched !== 'all' && switched !== 'metrics') throw new Error(`the fourth argument must be all or metrics, got ${switched}`);
const GRANTS = Number(grantsArg);
const ROUNDS = Number(roundsArg);
const IN_FLIGHT = 50;
const PARTICIPANTS = 1000;
const ADMIN_KEY = randomBytes(24).toString('base64url');

async function database(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (target === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tapioca-write-cost-'));
    return { url: `sqlite:${join(dir, 'tapioca.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `write_cost_${process.pid}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    await client.query(statement).finally(() => client.end());
  };
  await run(`create schema ${schema}`);
  const url = new URL(target);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => run(`drop schema ${schema} cascade`) };
}

const { url, drop } = await database();
const app = await buildApp(
  loadConfig({
    DATABASE_URL: url,
    DEMO_PARTICIPANTS: String(PARTICIPANTS),
    LOG_LEVEL: 'silent',
    TAPIOCA_ADMIN_KEY: ADMIN_KEY,
    BBT_TOKENS_COOLDOWN: '0',
    BBT_PAIR_EXCHANGES: '0',
    BBT_MAX_GRANT: '1000000',
  }),
);
const direct = openDatabase(url, { poolSize: 1 });

interface Run {
  perSecond: number;
  /** This process's CPU time per request (SQLite's work happens in it), in microseconds: less noisy than the rate on a busy machine. */
  cpuMicros: number;
}

/** Sends `count` requests, `IN_FLIGHT` at a time; every one must answer 200. */
async function drive(
  count: number,
  request: (n: number) => { method: 'PUT' | 'POST'; url: string; payload: object },
): Promise<Run> {
  let next = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < count) {
        const n = next++;
        const response = await app.inject({ ...request(n), headers: { authorization: `Bearer ${ADMIN_KEY}` } });
        if (response.statusCode !== 200) throw new Error(`${request(n).url} answered ${response.statusCode}: ${response.body}`);
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { perSecond: count / ((performance.now() - started) / 1000), cpuMicros: (used.user + used.system) / count };
}

const participant = (n: number) => 1 + (n % PARTICIPANTS);
const workloads = {
  grants: () =>
    drive(GRANTS, (n) => ({
      method: 'PUT',
      url: '/bbt_token_admin_give',
      payload: { participant_id: participant(n), tokens: 5 },
    })),
  orders: () => drive(GRANTS / 4, (n) => ({ method: 'POST', url: '/boba', payload: { participant_id: participant(n) } })),
  exchanges: () =>
    drive(GRANTS / 4, (n) => ({
      method: 'PUT',
      url: '/bbt_token_exchange',
      payload: { participant_1_id: participant(n), participant_2_id: participant(n + 1 + (n % 7)) },
    })),
};

try {
  const results: Record<string, { with: Run[]; without: Run[] }> = {};
  await workloads.grants(); // warm-up, and tokens for the orders
  let counted = true;
  for (let round = 0; round < ROUNDS; round += 1) {
    // with, without, without, with, with, ...: neither always runs first.
    for (const phase of [0, 1]) {
      if (phase === 1) {
        counted = !counted;
        // 16's triggers write into 06's table: up in that order, down in the other.
        if (counted) {
          if (switched === 'all') await statsCounters.up(direct.db);
          await metricsCounters.up(direct.db);
        } else {
          await metricsCounters.down(direct.db);
          if (switched === 'all') await statsCounters.down(direct.db);
        }
      }
      for (const [name, run] of Object.entries(workloads)) {
        const entry = (results[name] ??= { with: [], without: [] });
        entry[counted ? 'with' : 'without'].push(await run());
      }
    }
  }
  console.log(
    `${target === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${GRANTS} grants, ${GRANTS / 4} orders and exchanges per run, ${IN_FLIGHT} in flight`,
  );
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
  for (const [name, { with: counted, without }] of Object.entries(results)) {
    const rate = (runs: Run[]) => median(runs.map((run) => run.perSecond)).toFixed(0);
    const cpu = (runs: Run[]) => median(runs.map((run) => run.cpuMicros));
    const change = (cpu(counted) / cpu(without) - 1) * 100;
    console.log(
      `${name}: without counters ${rate(without)}/s, ${cpu(without).toFixed(0)} us CPU each; with ${rate(counted)}/s, ` +
        `${cpu(counted).toFixed(0)} us CPU each (${change >= 0 ? '+' : ''}${change.toFixed(1)}% CPU; medians of ${ROUNDS} runs)`,
    );
  }
} finally {
  await direct.destroy();
  await app.close();
  await drop();
}
