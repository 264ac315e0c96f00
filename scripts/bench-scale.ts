/**
 * `npm run bench:scale`: Tapioca at 100,000 participants next to the same figures at 1,000, on SQLite and
 * PostgreSQL. For each database and size it generates participants in the challenge format, imports them
 * with the import CLI (`--reset`), starts the server on them and measures, one request at a time:
 *
 * - the import's time and peak RSS;
 * - a cold `GET /users` (the whole list) and the p99 of `GET /health` probes sent during it, which shows
 *   whether the list holds the event loop;
 * - searches (`GET /users?q=`) for a full name or an id (few matches) and for one name (many), each query
 *   new to the server;
 * - `GET /users?checked_in=true` with 100 scattered check-ins, after a write so no cached answer is reused;
 * - `GET /stats`;
 * - the server's RSS after 200 distinct list URLs (ignored parameters, searches, pages);
 * - `POST /keys/participant-links` (a sign-in link for everyone) and the /health p99 during it.
 *
 * Environment: BENCH_SCALE_SIZES (1000,100000), BENCH_SCALE_BACKENDS (sqlite,postgres),
 * BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres; each run gets a schema of its own,
 * dropped afterwards). Everything runs on this machine, against 127.0.0.1.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { generateParticipants } from '../src/demo/generate-participants.js';
import { freePort } from './free-port.js';
import { memoryOf, runToEnd, spawnTs, stopServer, waitForHealth } from './server-process.js';

type Backend = 'sqlite' | 'postgres';

const ADMIN_KEY = randomBytes(32).toString('base64url');
const AUTH = { authorization: `Bearer ${ADMIN_KEY}` };
const MB = 1024 * 1024;
const HEALTH_PROBE_GAP_MS = 10;
const SCATTERED_CHECK_INS = 100;
const DISTINCT_LIST_URLS = 200;

function list(name: string, fallback: string): string[] {
  return (process.env[name] || fallback)
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

const SIZES = list('BENCH_SCALE_SIZES', '1000,100000').map((size) => {
  const value = Number(size);
  if (!Number.isInteger(value) || value < 200) throw new Error(`BENCH_SCALE_SIZES: "${size}" is not a whole number >= 200`);
  return value;
});
const BACKENDS = list('BENCH_SCALE_BACKENDS', 'sqlite,postgres').map((name) => {
  if (name !== 'sqlite' && name !== 'postgres') throw new Error(`BENCH_SCALE_BACKENDS: "${name}" is neither sqlite nor postgres`);
  return name;
});
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
};
const median = (values: number[]) => percentile(values, 50);

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

async function call(
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; bytes: number; text: string }> {
  const response = await fetch(base + path, {
    method,
    headers: body === undefined ? AUTH : { ...AUTH, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 400) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 200)}`);
  return { status: response.status, bytes: Buffer.byteLength(text), text };
}

/** Runs `work` while GET /health is sent back to back (with a short gap); returns its time and the probes' latencies. */
async function withHealthProbes(base: string, work: () => Promise<unknown>): Promise<{ ms: number; probes: number[] }> {
  const probes: number[] = [];
  let running = true;
  const probing = (async () => {
    while (running) {
      const started = performance.now();
      await fetch(`${base}/health`).then((response) => response.arrayBuffer());
      probes.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, HEALTH_PROBE_GAP_MS));
    }
  })();
  const { ms } = await timed(work).finally(() => (running = false));
  await probing;
  return { ms, probes };
}

interface Figures {
  importMs: number;
  /** The import's own figure (its summary line): without starting Node and parsing the file. */
  importOwnMs: number;
  importPeakRss: number;
  coldListMs: number;
  coldListBytes: number;
  healthP99DuringList: number;
  fewMatchesSearchMs: number[];
  manyMatchesSearchMs: number[];
  checkedInMs: number;
  statsMedianMs: number;
  rssAfterUrls: number;
  peakRss: number;
  linksMs: number;
  healthP99DuringLinks: number;
}

/** Imports the file with the real CLI, sampling its peak RSS until it exits. */
async function importFile(file: string, env: NodeJS.ProcessEnv): Promise<{ ms: number; ownMs: number; peakRss: number }> {
  const started = performance.now();
  const child = spawnTs(
    'src/cli/import.ts',
    ['--reset', file],
    { ...env, LOG_LEVEL: 'warn' },
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  child.stdout?.on('data', (data: Buffer) => (output += data.toString()));
  let peakRss = 0;
  const sampler = setInterval(() => {
    try {
      peakRss = Math.max(peakRss, memoryOf(child.pid as number).peak);
    } catch {
      // exited between two samples
    }
  }, 50);
  try {
    await runToEnd(child, 'the import');
  } finally {
    clearInterval(sampler);
  }
  const ownSeconds = / in ([\d.]+) s$/m.exec(output)?.[1];
  if (ownSeconds === undefined) throw new Error(`the import printed no summary: ${output.slice(-300)}`);
  return { ms: performance.now() - started, ownMs: Number(ownSeconds) * 1000, peakRss };
}

async function measureServer(
  base: string,
  server: ChildProcess,
  size: number,
): Promise<Omit<Figures, 'importMs' | 'importOwnMs' | 'importPeakRss'>> {
  const pid = server.pid as number;
  let coldListBytes = 0;
  const list = await withHealthProbes(base, async () => {
    coldListBytes = (await call(base, 'GET', '/users')).bytes;
  });

  // The demo names are 48 first names by 42 last names: a full name matches about 1 in 2,000 participants,
  // one name about 1 in 45. Each query is new to the server.
  const search = async (queries: string[]) => {
    const times: number[] = [];
    for (const query of queries) times.push((await timed(() => call(base, 'GET', `/users?q=${encodeURIComponent(query)}`))).ms);
    return times;
  };
  const fewMatchesSearchMs = await search(['Hiroshi Lee', 'maya okafor', 'Tara Singh', 'priya.kim', String(Math.ceil(size / 2))]);
  const manyMatchesSearchMs = await search(['Dubois', 'maya', 'Tanaka', 'zhang', 'Olivia']);

  const step = Math.floor(size / SCATTERED_CHECK_INS);
  for (let n = 0; n < SCATTERED_CHECK_INS; n++) await call(base, 'POST', '/checkin', { participant_id: 1 + n * step });
  const checkedIn: number[] = [];
  for (let n = 0; n < 5; n++) {
    // A change before each: the list is read from the database, not from a cached answer.
    await call(base, 'PUT', '/users/1', { company: `Bench ${n}` });
    checkedIn.push((await timed(() => call(base, 'GET', '/users?checked_in=true'))).ms);
  }

  const stats: number[] = [];
  for (let n = 0; n < 30; n++) stats.push((await timed(() => call(base, 'GET', '/stats'))).ms);

  for (let n = 0; n < DISTINCT_LIST_URLS; n++) {
    const variants = [
      `/users?x=${n}`,
      `/users?q=${String.fromCharCode(97 + (n % 26))}${n}`,
      `/users?page=${n + 1}`,
      `/users?q=a&n=${n}`,
    ];
    await call(base, 'GET', variants[n % variants.length] as string);
  }
  const memory = memoryOf(pid);

  const links = await withHealthProbes(base, () => call(base, 'POST', '/keys/participant-links'));
  return {
    coldListMs: list.ms,
    coldListBytes,
    healthP99DuringList: percentile(list.probes, 99),
    fewMatchesSearchMs,
    manyMatchesSearchMs,
    checkedInMs: median(checkedIn),
    statsMedianMs: median(stats),
    rssAfterUrls: memory.rss,
    peakRss: memoryOf(pid).peak,
    linksMs: links.ms,
    healthP99DuringLinks: percentile(links.probes, 99),
  };
}

async function postgresSchema(): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `bench_scale_${process.pid}_${randomBytes(3).toString('hex')}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create schema ${schema}`);
  const url = new URL(POSTGRES_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => run(`drop schema ${schema} cascade`) };
}

async function runOne(backend: Backend, size: number, file: string, workDir: string): Promise<Figures> {
  const database =
    backend === 'sqlite' ? { url: `sqlite:${join(workDir, `scale-${size}.db`)}`, drop: async () => {} } : await postgresSchema();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    PORT: String(port),
    TAPIOCA_ADMIN_KEY: ADMIN_KEY,
    DEMO_PARTICIPANTS: '0',
    LOG_LEVEL: 'warn',
  };
  let server: ChildProcess | undefined;
  try {
    const imported = await importFile(file, env);
    server = spawnTs('src/server.ts', [], env);
    await waitForHealth(base, server);
    const figures = await measureServer(base, server, size);
    return { importMs: imported.ms, importOwnMs: imported.ownMs, importPeakRss: imported.peakRss, ...figures };
  } finally {
    await stopServer(server);
    await database.drop();
  }
}

const spread = (times: number[]) => `${median(times).toFixed(1)} / ${Math.max(...times).toFixed(1)}`;

const ROWS: { label: string; target?: string; show: (f: Figures) => string }[] = [
  {
    label: 'import --reset, its own time (s)',
    target: '< 10 SQLite, < 60 PostgreSQL at 100k',
    show: (f) => (f.importOwnMs / 1000).toFixed(1),
  },
  { label: 'import --reset, whole command (s)', show: (f) => (f.importMs / 1000).toFixed(1) },
  { label: 'import peak RSS (MB)', show: (f) => (f.importPeakRss / MB).toFixed(0) },
  { label: 'cold GET /users (ms)', show: (f) => `${f.coldListMs.toFixed(0)} (${(f.coldListBytes / MB).toFixed(1)} MB)` },
  { label: '/health p99 during it (ms)', target: '< 200', show: (f) => f.healthP99DuringList.toFixed(0) },
  { label: 'search, full name or id: median / max (ms)', target: '< 50', show: (f) => spread(f.fewMatchesSearchMs) },
  { label: 'search, one name (~1 in 45): median / max (ms)', show: (f) => spread(f.manyMatchesSearchMs) },
  { label: 'checked_in=true, 100 check-ins (ms)', target: '< 50', show: (f) => f.checkedInMs.toFixed(1) },
  { label: 'GET /stats, median (ms)', target: '< 5', show: (f) => f.statsMedianMs.toFixed(1) },
  {
    label: `server RSS after ${DISTINCT_LIST_URLS} list URLs (MB)`,
    target: '< 400',
    show: (f) => (f.rssAfterUrls / MB).toFixed(0),
  },
  { label: 'server peak RSS (MB)', target: '< 400', show: (f) => (f.peakRss / MB).toFixed(0) },
  { label: 'POST /keys/participant-links (s)', show: (f) => (f.linksMs / 1000).toFixed(1) },
  { label: '/health p99 during it (ms)', target: '< 200', show: (f) => f.healthP99DuringLinks.toFixed(0) },
];

function printTable(results: Map<string, Figures | string>): void {
  const columns = [...results.keys()];
  console.log(`\n| figure | ${columns.join(' | ')} | target |`);
  console.log(`| --- | ${columns.map(() => '---').join(' | ')} | --- |`);
  for (const row of ROWS) {
    const cells = columns.map((column) => {
      const result = results.get(column);
      return typeof result === 'string' ? 'failed' : row.show(result as Figures);
    });
    console.log(`| ${row.label} | ${cells.join(' | ')} | ${row.target ?? ''} |`);
  }
  for (const [column, result] of results) if (typeof result === 'string') console.log(`\n${column} failed: ${result}`);
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'tapioca-bench-scale-'));
  const results = new Map<string, Figures | string>();
  try {
    for (const size of SIZES) {
      const file = join(workDir, `participants-${size}.json`);
      writeFileSync(file, JSON.stringify(generateParticipants(size)));
      for (const backend of BACKENDS) {
        const column = `${backend} ${size.toLocaleString('en-US')}`;
        console.log(`measuring ${column} ...`);
        try {
          results.set(column, await runOne(backend, size, file, workDir));
        } catch (error) {
          results.set(column, (error as Error).message);
        }
      }
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
  printTable(results);
  if ([...results.values()].some((result) => typeof result === 'string')) process.exitCode = 1;
}

await main();
