import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { DatabaseHandle } from '../src/db/database.js';
import { generateParticipants } from '../src/demo/generate-participants.js';
import { assertSkillAggregatesExact, httpJson, openTestDatabase, startTestApp, type TestApp } from './helpers.js';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
/**
 * The server gives up on a write after waiting this long for a lock another process holds. Far above what one
 * batch of a CLI holds the lock for, far below what a CLI holding it for a whole run (the old ones) took.
 */
const SERVER_LOCK_TIMEOUT_MS = '1000';
const WRITERS = 4;

async function runCli(args: string[], databaseUrl: string) {
  const child = spawn('npx', ['tsx', ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' },
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const [code] = await once(child, 'exit');
  return { code: code as number, output };
}

/**
 * Writes through the server until stopped: skill ratings of participants 1..`ids` (so the server moves the
 * same skill aggregates as the import). Answers the status of every write.
 */
function driveWrites(base: string, ids: number) {
  let running = true;
  const statuses = new Map<number, number>();
  const writer = async (offset: number) => {
    for (let n = offset; running; n += WRITERS) {
      const id = 1 + ((n * 7919) % ids);
      const res = await httpJson(base, 'PUT', `/users/${id}`, {
        phone: `555-${n}`,
        skills: [{ skill: 'Go', rating: 1 + (n % 5) }],
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
  };
  const writers = Array.from({ length: WRITERS }, (_, offset) => writer(offset));
  return {
    async stop() {
      running = false;
      await Promise.all(writers);
      return Object.fromEntries(statuses);
    },
  };
}

describe('the CLIs beside a server taking writes on the same SQLite file', () => {
  let api: TestApp;
  let handle: DatabaseHandle;
  let base: string;
  let dir: string;
  before(async () => {
    api = await startTestApp('sqlite', { SQLITE_LOCK_TIMEOUT_MS: SERVER_LOCK_TIMEOUT_MS });
    handle = openTestDatabase(api.database);
    base = await api.listen();
    dir = mkdtempSync(join(tmpdir(), 'tapioca-import-concurrent-'));
  });
  after(async () => {
    await handle?.destroy();
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a reset import, an import and the keys export succeed, and so does every write of the server meanwhile', async () => {
    const first = join(dir, 'first.json');
    writeFileSync(first, JSON.stringify(generateParticipants(3000, 21)));
    const seeded = await runCli(['src/cli/import.ts', '--reset', first], api.database.url);
    assert.equal(seeded.code, 0, seeded.output);

    const writes = driveWrites(base, 3000);
    try {
      const reset = join(dir, 'reset.json');
      const resetRecords = generateParticipants(3000, 22);
      writeFileSync(reset, JSON.stringify(resetRecords));
      const resetRun = await runCli(['src/cli/import.ts', '--reset', reset], api.database.url);
      assert.equal(resetRun.code, 0, resetRun.output);
      assert.match(resetRun.output, /imported 3000, skipped 0/);

      const more = join(dir, 'more.json');
      const moreRecords = generateParticipants(8000, 23).map((p, i) => ({ ...p, email: `more${i}@example.org` }));
      writeFileSync(more, JSON.stringify(moreRecords));
      const appendRun = await runCli(['src/cli/import.ts', more], api.database.url);
      assert.equal(appendRun.code, 0, appendRun.output);
      assert.match(appendRun.output, /imported 8000, skipped 0/);

      const links = join(dir, 'links.csv');
      const keysRun = await runCli(['src/cli/keys.ts', 'participants', '--out', links], api.database.url);
      assert.equal(keysRun.code, 0, keysRun.output);
      assert.match(keysRun.output, /created 11000 participant keys/);
      assert.equal(readFileSync(links, 'utf8').trim().split('\n').length, 11_001);
    } finally {
      const statuses = await writes.stop();
      assert.deepEqual(Object.keys(statuses), ['200'], `every write of the server answered 200: ${JSON.stringify(statuses)}`);
    }

    const participants = await handle.db.selectFrom('participants').select(['id', 'email']).orderBy('id').execute();
    assert.equal(participants.length, 11_000);
    assert.equal(participants[10_999]!.email, 'more7999@example.org');
    const withoutKey = await handle.db
      .selectFrom('participants')
      .leftJoin('api_keys', 'api_keys.participant_id', 'participants.id')
      .select('participants.id')
      .where('api_keys.id', 'is', null)
      .execute();
    assert.deepEqual(withoutKey, []);
    await assertSkillAggregatesExact(handle);
  });
});
