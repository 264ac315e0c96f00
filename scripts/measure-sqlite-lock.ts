/**
 * GET /health latency while another process holds SQLite's write lock (issue 9, item 11): starts the server
 * on a fresh SQLite file, has a second process take the write lock for LOCK_MS (default 8000), sends a grant
 * every 250 ms meanwhile, and prints the /health latencies and the grants' outcomes.
 *   npx tsx scripts/measure-sqlite-lock.ts
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { spawnTs, stopServer, waitForHealth } from './server-process.js';

const LOCK_MS = Number(process.env.LOCK_MS ?? 8000);
const ADMIN_KEY = 'measure-admin-key-0123456789abcdef';
const HOLDER = `
const Database = require(process.argv[1]);
const db = new Database(process.argv[2]);
db.exec('begin immediate');
process.stdout.write('locked\\n');
setTimeout(() => { db.exec('commit'); db.close(); }, Number(process.argv[3]));
`;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'tapioca-lock-'));
  const file = join(dir, 'tapioca.db');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawnTs('src/server.ts', [], {
    ...process.env,
    DATABASE_URL: `sqlite:${file}`,
    PORT: String(port),
    DEMO_PARTICIPANTS: '0',
    TAPIOCA_ADMIN_KEY: ADMIN_KEY,
    LOG_LEVEL: 'fatal',
  });
  const headers = { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' };
  try {
    await waitForHealth(base, server);
    const registered = await fetch(`${base}/register`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: 'Lock Test',
        company: 'Acme',
        email: 'lock@example.com',
        phone: '+1-555-000-0000',
        skills: [],
      }),
    });
    const participantId = Number(Object.keys((await registered.json()) as Record<string, unknown>)[0]);

    const holder = spawn(process.execPath, [
      '-e',
      HOLDER,
      createRequire(import.meta.url).resolve('better-sqlite3'),
      file,
      String(LOCK_MS),
    ]);
    await once(holder.stdout, 'data');
    const lockedAt = Date.now();
    let held = true;
    const released = once(holder, 'exit').then(() => (held = false));

    const grants: Promise<{ status: number; ms: number }>[] = [];
    const grantTimer = setInterval(() => {
      const start = Date.now();
      grants.push(
        fetch(`${base}/bbt_token_admin_give`, {
          method: 'PUT',
          headers,
          body: JSON.stringify({ participant_id: participantId, tokens: 1 }),
        }).then(async (response) => {
          await response.arrayBuffer();
          return { status: response.status, ms: Date.now() - start };
        }),
      );
    }, 250);
    const health: number[] = [];
    while (held) {
      const start = performance.now();
      await (await fetch(`${base}/health`)).arrayBuffer();
      health.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    clearInterval(grantTimer);
    await released;
    const heldMs = Date.now() - lockedAt;
    const outcomes = await Promise.all(grants);

    const sorted = [...health].sort((a, b) => a - b);
    const statuses = new Map<number, number>();
    for (const { status } of outcomes) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    console.log(`write lock held by another process: ${heldMs} ms`);
    console.log(
      `GET /health while held: ${health.length} answers, p50 ${percentile(sorted, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${Math.max(...health).toFixed(0)} ms`,
    );
    console.log(
      `grants sent while held: ${outcomes.length}, statuses ${JSON.stringify(Object.fromEntries(statuses))}, ` +
        `slowest ${Math.max(...outcomes.map((o) => o.ms))} ms`,
    );
  } finally {
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
