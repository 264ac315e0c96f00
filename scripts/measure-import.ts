/**
 * `npm run import -- --reset` of N generated participants (issue 9, items 11, 14 and 20): into an empty database,
 * then again over the N already there. Prints, for each run, the import's own time, the whole command's wall
 * time and peak RSS (GNU time), and how long a server writing beside it would have waited at most: on SQLite
 * the longest the write lock stayed taken, on PostgreSQL the longest participant 1's row stayed locked, as
 * seen by a connection trying to take it every millisecond.
 *
 *   npx tsx scripts/measure-import.ts [participants=100000] [url of an empty PostgreSQL database]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { generateParticipants } from '../src/demo/generate-participants.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const count = Number(process.argv[2] ?? 100_000);
const postgresUrl = process.argv[3];
const dir = mkdtempSync(join(tmpdir(), 'tapioca-measure-import-'));

interface Run {
  output: string;
  wallSeconds: number;
  peakRssMb: number;
}

async function runImport(databaseUrl: string, file: string): Promise<Run> {
  const started = performance.now();
  const child = spawn(
    '/usr/bin/time',
    ['-f', 'peak-rss-kb %M', process.execPath, '--import', 'tsx', 'src/cli/import.ts', '--reset', file],
    {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl },
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const wallSeconds = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`the import exited with code ${code}:\n${output}`);
  const peakRssMb = Number(/peak-rss-kb (\d+)/.exec(output)?.[1]) / 1024;
  return { output, wallSeconds, peakRssMb };
}

async function runMigrations(databaseUrl: string): Promise<void> {
  const database = openDatabase(databaseUrl);
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.destroy();
  }
}

/** Tries to take SQLite's write lock every millisecond until stopped; answers the longest run of refusals. */
function probeWriteLock(path: string) {
  const connection = new SqliteDatabase(path);
  connection.pragma('busy_timeout = 0');
  let running = true;
  let longest = 0;
  const probing = (async () => {
    let refusedSince: number | undefined;
    while (running) {
      try {
        connection.exec('begin immediate');
        connection.exec('rollback');
        if (refusedSince !== undefined) longest = Math.max(longest, performance.now() - refusedSince);
        refusedSince = undefined;
      } catch (error) {
        if (!/^SQLITE_BUSY/.test(String((error as { code?: unknown }).code))) throw error;
        refusedSince ??= performance.now();
      }
      await sleep(1);
    }
  })();
  return {
    async stop() {
      running = false;
      await probing;
      connection.close();
      return longest;
    },
  };
}

/** Tries to lock participant 1's row every millisecond until stopped; answers the longest run of refusals. */
async function probeRowLock(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let running = true;
  let longest = 0;
  const probing = (async () => {
    let refusedSince: number | undefined;
    while (running) {
      try {
        await client.query('begin');
        await client.query('select id from participants where id = 1 for update nowait');
        if (refusedSince !== undefined) longest = Math.max(longest, performance.now() - refusedSince);
        refusedSince = undefined;
      } catch (error) {
        if ((error as { code?: string }).code !== '55P03') throw error;
        refusedSince ??= performance.now();
      } finally {
        await client.query('rollback');
      }
      await sleep(1);
    }
  })();
  return {
    async stop() {
      running = false;
      await probing;
      await client.end();
      return longest;
    },
  };
}

const describe = (label: string, run: Run, extra = '') =>
  `${label}: import ${/ in ([\d.]+ s)/.exec(run.output)?.[1]}, command ${run.wallSeconds.toFixed(1)} s, peak RSS ${run.peakRssMb.toFixed(0)} MB${extra}`;

async function main(): Promise<void> {
  const file = join(dir, 'participants.json');
  writeFileSync(file, JSON.stringify(generateParticipants(count)));
  console.log(`${count} participants (scripts/generate-participants.ts format), npm run import -- --reset`);

  const sqlitePath = join(dir, 'import.db');
  // The database file exists (migrated, empty) before the first run, so the probe can watch that one too.
  await runMigrations(`sqlite:${sqlitePath}`);
  for (const label of ['sqlite, empty database', `sqlite, replacing ${count}`]) {
    const probe = probeWriteLock(sqlitePath);
    const run = await runImport(`sqlite:${sqlitePath}`, file);
    console.log(describe(label, run, `, write lock held at most ${(await probe.stop()).toFixed(0)} ms`));
  }

  if (postgresUrl) {
    console.log(describe('postgres, first run (an empty database)', await runImport(postgresUrl, file)));
    const probe = await probeRowLock(postgresUrl);
    const run = await runImport(postgresUrl, file);
    console.log(
      describe(
        `postgres, replacing ${count}`,
        run,
        `, participant 1 locked for writers at most ${(await probe.stop()).toFixed(0)} ms`,
      ),
    );
  }
}

try {
  await main();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
