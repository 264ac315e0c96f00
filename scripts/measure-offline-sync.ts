/**
 * Offline scanning figures (issue 13): the size and time of a full and a delta roster, and the time of an upload
 * of 500 queued scans, with the slowest GET /health answer while it runs (is the event loop kept free?), and a
 * re-upload of the same 500 (which must change nothing).
 *
 *   npm run measure:offline-sync -- [participants=1000] [database url=a new SQLite file]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { spawnTs, stopServer, waitForHealth } from './server-process.js';

const ADMIN_KEY = 'measure-admin-key-0123456789abcdef';
const UPLOAD = 500;
const PROBE_GAP_MS = 5;

const participants = Number(process.argv[2] ?? 1000);
const dir = mkdtempSync(join(tmpdir(), 'tapioca-offline-'));
const databaseUrl = process.argv[3] ?? `sqlite:${join(dir, 'offline.db')}`;
const port = await freePort();
const baseUrl = `http://127.0.0.1:${port}`;

async function send(method: string, path: string, body?: unknown): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}

async function expectOk(method: string, path: string, body?: unknown) {
  const answer = await send(method, path, body);
  if (answer.status >= 300) throw new Error(`${method} ${path} answered ${answer.status}: ${answer.text.slice(0, 200)}`);
  return answer;
}

/** Runs `work` while GET /health is asked every few ms; answers how long `work` took and the slowest probe. */
async function whileProbing(work: () => Promise<unknown>): Promise<{ ms: number; slowestProbeMs: number }> {
  let running = true;
  let slowest = 0;
  const probing = (async () => {
    while (running) {
      const started = performance.now();
      await fetch(`${baseUrl}/health`).then((r) => r.arrayBuffer());
      slowest = Math.max(slowest, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, PROBE_GAP_MS));
    }
  })();
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  running = false;
  await probing;
  return { ms, slowestProbeMs: slowest };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const round = (ms: number) => Math.round(ms * 10) / 10;

const server = spawnTs('src/server.ts', [], {
  ...process.env,
  DATABASE_URL: databaseUrl,
  LOG_LEVEL: 'warn',
  HOST: '127.0.0.1',
  PORT: String(port),
  DEMO_PARTICIPANTS: String(participants),
  TAPIOCA_ADMIN_KEY: ADMIN_KEY,
});
try {
  await waitForHealth(baseUrl, server, 300_000);
  const full = [];
  for (let i = 0; i < 5; i++) full.push(await expectOk('GET', '/sync/roster'));
  console.log(
    `full roster, ${participants} participants: ${full[0]!.text.length} bytes, median ${round(median(full.map((r) => r.ms)))} ms of 5`,
  );

  // A cursor is `<epoch>.<time>`; one at the upload's start (this machine's clock is the server's) shows what a
  // delta costs for exactly the upload's changes, without the five minutes of overlap a real cursor carries.
  const [epoch] = (JSON.parse(full[0]!.text) as { cursor: string }).cursor.split('.');
  const created = await expectOk('POST', '/checkpoints', { name: 'Measured lunch', kind: 'meal', requires_check_in: false });
  const checkpointId = Number(Object.keys(JSON.parse(created.text) as object)[0]);
  const scannedAt = new Date().toISOString();
  const run = Date.now().toString(36);
  // Every participant once, then the first ones again: the repeats are offline conflicts.
  const queued = Array.from({ length: UPLOAD }, (_, i) => ({
    checkpoint_id: checkpointId,
    participant_id: (i % Math.min(participants, Math.ceil(UPLOAD * 0.8))) + 1,
    nonce: `measure-${run}-${i}`,
    scanned_at: scannedAt,
  }));
  const uploadStarted = `${epoch}.${Date.now()}`;
  let first = '';
  const upload = await whileProbing(async () => {
    first = (await expectOk('POST', '/sync/scans', queued)).text;
  });
  const results = (JSON.parse(first) as { results: Array<{ status: string; code?: string }> }).results;
  const accepted = results.filter((r) => r.status === 'accepted').length;
  const conflicts = results.filter((r) => r.code === 'offline_conflict').length;
  console.log(
    `upload of ${UPLOAD} queued scans: ${round(upload.ms)} ms (${accepted} accepted, ${conflicts} offline_conflict); ` +
      `slowest GET /health meanwhile ${round(upload.slowestProbeMs)} ms`,
  );
  let again = '';
  const reupload = await whileProbing(async () => {
    again = (await expectOk('POST', '/sync/scans', queued)).text;
  });
  const checkpoint = JSON.parse((await expectOk('GET', `/checkpoints/${checkpointId}`)).text) as Record<
    string,
    { counts: unknown }
  >;
  console.log(
    `re-upload of the same ${UPLOAD}: ${round(reupload.ms)} ms, answers ${again === first ? 'identical' : 'DIFFERENT'}; ` +
      `counts ${JSON.stringify(Object.values(checkpoint)[0]?.counts)}`,
  );

  const delta = await expectOk('GET', `/sync/roster?since=${uploadStarted}`);
  const changed = (JSON.parse(delta.text) as { participants: unknown[] }).participants.length;
  console.log(`delta roster after the upload: ${changed} participants, ${delta.text.length} bytes, ${round(delta.ms)} ms`);
} finally {
  await stopServer(server);
  rmSync(dir, { recursive: true, force: true });
}
