/**
 * `npx tsx scripts/sse-slow-readers.ts`: what live-update clients that never read cost the server.
 *
 * Starts Tapioca on a fresh SQLite database with 1,000 demo participants (loopback only) and grants each
 * enough tokens; opens SLOW_READERS (50) `GET /events` streams as admin on raw sockets that are paused at
 * once and never read, and one more stream that reads (it tells how many bytes each stream was sent);
 * drives boba orders (two events each, the largest payloads the API writes) with autocannon for
 * SLOW_LOAD_SECONDS (60) over SLOW_WRITERS (16) connections; then prints the server's RSS before the
 * streams, at its peak during the load and after it, how many streams the server closed for not reading
 * (its `event stream closed` log lines), and how many of the silent sockets, once finally read, had been
 * ended by the server. About 90 s at the defaults.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { envInt } from './bench-env.js';
import { freePort } from './free-port.js';

const READERS = envInt('SLOW_READERS', 50, 1);
const LOAD_SECONDS = envInt('SLOW_LOAD_SECONDS', 60, 1);
const WRITERS = envInt('SLOW_WRITERS', 16, 1);
const PARTICIPANTS = 1000;
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ADMIN_KEY = randomBytes(32).toString('base64url');
const AUTH = { authorization: `Bearer ${ADMIN_KEY}` };
/** What the server logs when it closes a stream whose client does not read (src/modules/events/events.routes.ts). */
const CLOSED_LOG = 'event stream closed';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (bytes: number) => `${(bytes / 1048576).toFixed(0)} MB`;
const signedMb = (bytes: number) => `${bytes < 0 ? '-' : '+'}${mb(Math.abs(bytes))}`;

function rssOf(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

async function waitForHealth(base: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode}`);
    const ok = await fetch(`${base}/health`, { headers: AUTH }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) return;
    await sleep(200);
  }
  throw new Error('the server did not answer GET /health within 60 s');
}

/** A `GET /events` on a socket that is paused as soon as it connects: the client never reads a byte. */
function openSilentStream(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' }, () => {
      socket.pause();
      socket.write(
        `GET /events HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: Bearer ${ADMIN_KEY}\r\naccept: text/event-stream\r\n\r\n`,
      );
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

/** One more stream, read as it comes: how many bytes each stream was sent, and whether a reader is left alone. */
function openReadingStream(base: string) {
  const aborter = new AbortController();
  const state = { bytes: 0, ended: false, stopped: false };
  void (async () => {
    const response = await fetch(`${base}/events`, { headers: AUTH, signal: aborter.signal });
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) state.bytes += chunk.byteLength;
  })()
    .catch(() => {})
    .finally(() => (state.ended = !state.stopped));
  return {
    get bytes() {
      return state.bytes;
    },
    get ended() {
      return state.ended;
    },
    stop() {
      state.stopped = true;
      aborter.abort();
    },
  };
}

/** Reads each socket at last: those the server ended finish within the wait, the others stay open. */
async function countEnded(sockets: Socket[], waitMs: number): Promise<number> {
  let ended = 0;
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, waitMs);
          const done = () => {
            clearTimeout(timer);
            ended += 1;
            resolve();
          };
          socket.once('end', done);
          socket.once('error', done);
          socket.on('data', () => {});
          socket.resume();
        }),
    ),
  );
  return ended;
}

/** One JSON request with the admin key; returns the status. */
async function send(base: string, method: string, path: string, body: unknown): Promise<number> {
  const response = await fetch(base + path, {
    method,
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tapioca-sse-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${join(dir, 'sse.db')}`,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DEMO_PARTICIPANTS: String(PARTICIPANTS),
      TAPIOCA_ADMIN_KEY: ADMIN_KEY,
      BBT_MAX_GRANT: '1000000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let closedLogged = 0;
  let pending = '';
  server.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.includes(CLOSED_LOG)) closedLogged += 1;
  });
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));

  try {
    await waitForHealth(base, server);
    // The orders' tokens, granted before any stream listens. An order raises two events (the order, the
    // balance), the largest payloads the API writes.
    for (let first = 1; first <= PARTICIPANTS; first += WRITERS) {
      const ids = Array.from({ length: Math.min(WRITERS, PARTICIPANTS - first + 1) }, (_, n) => first + n);
      const statuses = await Promise.all(
        ids.map((id) => send(base, 'PUT', '/bbt_token_admin_give', { participant_id: id, tokens: 1_000_000 })),
      );
      if (statuses.some((status) => status !== 200)) throw new Error(`a grant answered ${statuses.join(', ')}`);
    }
    const pid = server.pid!;
    const rssBefore = rssOf(pid);
    const sockets = await Promise.all(Array.from({ length: READERS }, () => openSilentStream(port)));
    const reader = openReadingStream(base);
    await sleep(1000);

    let peak = rssOf(pid);
    const sampler = setInterval(() => (peak = Math.max(peak, rssOf(pid))), 250);
    let next = 0;
    // autocannon rather than fetch: the load generator shares the machine with the server and must cost it little.
    const load = await autocannon({
      url: base,
      connections: WRITERS,
      duration: LOAD_SECONDS,
      headers: { ...AUTH, 'content-type': 'application/json' },
      requests: [
        {
          method: 'POST',
          path: '/boba',
          setupRequest: (request) => ({ ...request, body: JSON.stringify({ participant_id: (next++ % PARTICIPANTS) + 1 }) }),
        },
      ],
    });
    const writes = load['2xx'];
    await sleep(2000);
    clearInterval(sampler);
    const rssAfter = rssOf(pid);
    peak = Math.max(peak, rssAfter);
    reader.stop();
    const ended = await countEnded(sockets, 5000);
    for (const socket of sockets) socket.destroy();

    console.log(
      `${READERS} never-reading /events streams, ${writes} orders answered 200 in ${LOAD_SECONDS} s from ${WRITERS} clients`,
    );
    console.log(
      `bytes sent to each stream (as read by one more stream that reads): ${mb(reader.bytes)}, that stream ${reader.ended ? 'was closed' : 'stayed open'}`,
    );
    console.log(`server RSS before the streams: ${mb(rssBefore)}`);
    console.log(`server RSS peak during load:   ${mb(peak)} (${signedMb(peak - rssBefore)})`);
    console.log(`server RSS after load:         ${mb(rssAfter)} (${signedMb(rssAfter - rssBefore)})`);
    console.log(`streams the server closed for not reading (its log): ${closedLogged} of ${READERS}`);
    console.log(`sockets found ended by the server once read:         ${ended} of ${READERS}`);
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
