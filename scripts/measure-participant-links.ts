/**
 * GET /health latency while the sign-in link export runs against N participants (issue 9, items 11 and 17):
 * first `npm run keys -- participants` in a second process against the server's database, then (with the
 * participant keys deleted again) POST /keys/participant-links on the server itself. Prints p50, p99 and the
 * slowest /health answer of each, and how long each export took.
 *
 *   npx tsx scripts/measure-participant-links.ts [participants=100000] [database url=a new SQLite file]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { generateParticipants } from '../src/demo/generate-participants.js';
import { importParticipants } from '../src/modules/import/import.service.js';
import { freePort } from './free-port.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ADMIN_KEY = 'measure-admin-key-0123456789abcdef';
const PROBE_GAP_MS = 5;

const count = Number(process.argv[2] ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'tapioca-links-'));
const databaseUrl = process.argv[3] ?? `sqlite:${join(dir, 'links.db')}`;

function runTs(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      DEMO_PARTICIPANTS: '0',
      TAPIOCA_ADMIN_KEY: ADMIN_KEY,
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));

/** Asks GET /health one request at a time until `work` settles; answers the latencies and the work's duration. */
async function healthDuring(base: string, work: () => Promise<unknown>) {
  const latencies: number[] = [];
  let done = false;
  const started = performance.now();
  const running = work().finally(() => (done = true));
  while (!done) {
    const sent = performance.now();
    const response = await fetch(`${base}/health`);
    await response.arrayBuffer();
    latencies.push(performance.now() - sent);
    await new Promise((resolve) => setTimeout(resolve, PROBE_GAP_MS));
  }
  await running;
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(0);
  return `${seconds.toFixed(1)} s; GET /health p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms (${latencies.length} requests)`;
}

async function deleteParticipantKeys(): Promise<void> {
  const database = openDatabase(databaseUrl);
  try {
    await database.db.deleteFrom('api_keys').where('role', '=', 'participant').execute();
  } finally {
    await database.destroy();
  }
}

async function main(): Promise<void> {
  const database = openDatabase(databaseUrl);
  try {
    await migrateToLatest(database.db);
    await importParticipants(database, generateParticipants(count), { reset: true });
  } finally {
    await database.destroy();
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = runTs(['src/server.ts'], { PORT: String(port) });
  try {
    for (let ready = false; !ready;) {
      if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
      ready = await fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      );
      if (!ready) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    console.log(`${count} participants, ${databaseUrl.split(':')[0]}`);

    const cli = await healthDuring(base, async () => {
      const code = await exited(runTs(['src/cli/keys.ts', 'participants', '--out', join(dir, 'links.csv')], {}));
      if (code !== 0) throw new Error(`the keys CLI exited with code ${code}`);
    });
    console.log(`keys CLI participants export:        ${cli}`);

    await deleteParticipantKeys();
    // curl takes the download in a process of its own, so receiving it does not delay this one's probes.
    const csv = join(dir, 'http-links.csv');
    const http = await healthDuring(base, async () => {
      const curl = spawn('curl', [
        '-sf',
        '-X',
        'POST',
        '-H',
        `authorization: Bearer ${ADMIN_KEY}`,
        '-o',
        csv,
        `${base}/keys/participant-links`,
      ]);
      const code = await exited(curl);
      const lines = readFileSync(csv, 'utf8').split('\n').length - 2;
      if (code !== 0 || lines !== count) throw new Error(`curl exited with code ${code} after ${lines} links`);
    });
    console.log(`POST /keys/participant-links export: ${http}`);
  } finally {
    server.kill('SIGTERM');
    await exited(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
