/**
 * What a Prometheus scrape of GET /metrics costs on a database a long event leaves behind: N participants,
 * L token ledger rows and D webhook deliveries (written straight into the tables, not through the API).
 * Prints the first scrape's time, then p50, p99 and slowest of the 39 after it, and the answer's size. On SQLite the scrape's
 * queries run on the event loop, so its time is also how long other requests wait behind it.
 *
 *   npx tsx scripts/measure-metrics.ts [ledger rows=200000] [deliveries=50000] [database url=a new SQLite file]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { LEDGER_KINDS } from '../src/db/tables.js';
import { generateParticipants } from '../src/demo/generate-participants.js';
import { importParticipants } from '../src/modules/import/import.service.js';

const PARTICIPANTS = 1000;
const SCRAPES = 40;
const BATCH = 2000;
const METRICS_TOKEN = 'measure-metrics-token-0123456789';

const ledgerRows = Number(process.argv[2] ?? 200_000);
const deliveries = Number(process.argv[3] ?? 50_000);
const dir = mkdtempSync(join(tmpdir(), 'tapioca-metrics-'));
const databaseUrl = process.argv[4] ?? `sqlite:${join(dir, 'metrics.db')}`;

/** Inserts `total` rows made by `row(i)` in transactions of BATCH rows. */
async function fill<T>(total: number, row: (i: number) => T, insert: (rows: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < total; start += BATCH) {
    await insert(Array.from({ length: Math.min(BATCH, total - start) }, (_, k) => row(start + k)));
  }
}

async function prepare(): Promise<void> {
  const database = openDatabase(databaseUrl);
  try {
    await migrateToLatest(database.db);
    await importParticipants(database, generateParticipants(PARTICIPANTS), { reset: true });
    const now = Date.now();
    await fill(
      ledgerRows,
      (i) => ({ participant_id: (i % PARTICIPANTS) + 1, amount: 1, kind: LEDGER_KINDS[i % 2]!, created_at: now }),
      (rows) => database.db.insertInto('token_ledger').values(rows).execute(),
    );
    const endpoint = await database.db
      .insertInto('webhook_endpoints')
      .values({ url: 'http://127.0.0.1:9/', format: 'json', secret: 'x', key_id: 0, created_at: now, deleted_at: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    await fill(
      deliveries,
      (i) => ({
        endpoint_id: endpoint.id,
        event: 'check_in',
        payload: '{}',
        status: i % 10 === 0 ? ('pending' as const) : ('delivered' as const),
        next_attempt_at: now + 86_400_000,
        lease_until: null,
        last_status_code: null,
        last_error: null,
        created_at: now,
        finished_at: null,
      }),
      (rows) => database.db.insertInto('webhook_deliveries').values(rows).execute(),
    );
  } finally {
    await database.destroy();
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function main(): Promise<void> {
  console.error(`filling ${databaseUrl}: ${PARTICIPANTS} participants, ${ledgerRows} ledger rows, ${deliveries} deliveries`);
  await prepare();
  const app = await buildApp(
    loadConfig({ DATABASE_URL: databaseUrl, DEMO_PARTICIPANTS: '0', LOG_LEVEL: 'warn', METRICS_TOKEN }),
    { announceAdminKey: () => {} },
  );
  try {
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < SCRAPES; i += 1) {
      const started = performance.now();
      const res = await app.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      times.push(performance.now() - started);
      if (res.statusCode !== 200) throw new Error(`GET /metrics answered ${res.statusCode}`);
      bytes = res.body.length;
    }
    // The first scrape pays for the process's warm-up, as any first request does: reported apart.
    const [first, ...rest] = times as [number, ...number[]];
    rest.sort((a, b) => a - b);
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    console.log(
      `GET /metrics x${SCRAPES} (${databaseUrl.split(':')[0]}, ${ledgerRows} ledger rows, ${deliveries} deliveries): ` +
        `first ${ms(first)}; the other ${rest.length}: p50 ${ms(percentile(rest, 50))}, p99 ${ms(percentile(rest, 99))}, ` +
        `slowest ${ms(rest.at(-1)!)}; ${bytes} bytes`,
    );
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error('measure-metrics failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
