import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { DatabaseHandle } from '../src/db/database.js';
import {
  createTestDatabase,
  httpJson,
  openTestDatabase,
  sampleParticipant,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
  type TestDatabase,
} from './helpers.js';

const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');

// Another process (the keys or import CLI) writing to the server's file: it holds SQLite's write lock
// until told on stdin to commit.
const HOLDER = `
const Database = require(process.argv[1]);
const db = new Database(process.argv[2]);
db.exec('begin immediate');
db.exec("insert into skills (name) values ('another process ' || hex(randomblob(8)))");
process.stdout.write('locked\\n');
process.stdin.once('data', () => {
  db.exec('commit');
  db.close();
  process.exit(0);
});
`;

interface LockHolder {
  release(): Promise<void>;
}

async function holdWriteLock(file: string): Promise<LockHolder> {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, ['-e', HOLDER, driverPath, file]);
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [first] = (await Promise.race([once(child.stdout, 'data'), once(child, 'exit')])) as [Buffer | number];
  assert.ok(Buffer.isBuffer(first) && first.toString().startsWith('locked'), `lock holder failed: ${stderr}`);
  return {
    async release() {
      const exited = once(child, 'exit');
      child.stdin.write('commit\n');
      const [code] = await exited;
      assert.equal(code, 0, `lock holder failed: ${stderr}`);
    },
  };
}

/** Settles as a record, so a test can look at whether a request has answered yet without waiting for it. */
function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  const done = promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return { state, done };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SQLite locked by another process (sqlite)', () => {
  let api: TestApp;
  let base: string;
  let participantId: number;
  before(async () => {
    api = await startTestApp('sqlite');
    base = await api.listen();
    const registered = await api.inject('POST', '/register', sampleParticipant(1));
    assert.equal(registered.status, 200);
    participantId = Number(Object.keys(registered.body)[0]);
  });
  after(async () => api?.close());

  test('the server keeps answering while another process holds the write lock; its writes wait, then succeed', async () => {
    const file = api.database.url.slice('sqlite:'.length);
    const holder = await holdWriteLock(file);
    const grant = track(httpJson(base, 'PUT', '/bbt_token_admin_give', { participant_id: participantId, tokens: 3 }));
    const newKey = track(httpJson(base, 'POST', '/keys', { role: 'volunteer', name: 'desk 1' }));
    // A blocking busy wait would hold the event loop here until it gave up: no health answer, and the writes
    // settled (failed) before the lock is released.
    for (let round = 0; round < 5; round += 1) {
      const health = await httpJson(base, 'GET', '/health', undefined, null);
      assert.equal(health.status, 200);
      const list = await httpJson(base, 'GET', `/users/${participantId}`);
      assert.equal(list.status, 200);
      await pause(40);
    }
    assert.equal(grant.state.settled, false, 'the grant waits for the lock');
    assert.equal(newKey.state.settled, false, 'the key creation (a single statement) waits for the lock');

    await holder.release();
    await Promise.all([grant.done, newKey.done]);
    assert.equal(grant.state.value?.status, 200, JSON.stringify(grant.state.value?.body));
    assert.equal(grant.state.value?.body.new_tokens, 3);
    assert.equal(newKey.state.value?.status, 200, JSON.stringify(newKey.state.value?.body));
  });

  test('a write that cannot get the lock within SQLITE_LOCK_TIMEOUT_MS answers 503, and the server goes on', async () => {
    const impatient = await startTestApp('sqlite', { SQLITE_LOCK_TIMEOUT_MS: '200' }, api.database);
    try {
      const holder = await holdWriteLock(api.database.url.slice('sqlite:'.length));
      try {
        const refused = await impatient.inject('PUT', '/bbt_token_admin_give', { participant_id: participantId, tokens: 1 });
        assert.equal(refused.status, 503);
        assert.deepEqual(refused.body, { error: 'Database unavailable', code: 'database_unavailable' });
        assert.equal((await impatient.inject('GET', '/health', undefined, null)).status, 200);
      } finally {
        await holder.release();
      }
      const granted = await impatient.inject('PUT', '/bbt_token_admin_give', { participant_id: participantId, tokens: 1 });
      assert.equal(granted.status, 200);
    } finally {
      await impatient.close();
    }
  });
});

describe('SQLite disk full (sqlite)', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let app: FastifyInstance;
  const failures: unknown[] = [];
  before(async () => {
    database = await createTestDatabase('sqlite');
    handle = openTestDatabase(database);
    const config = loadConfig({
      DATABASE_URL: database.url,
      DEMO_PARTICIPANTS: '0',
      LOG_LEVEL: 'silent',
      TAPIOCA_ADMIN_KEY: TEST_ADMIN_KEY,
    });
    app = await buildApp(config, { database: handle });
    // What the error handler gets is what it logs.
    app.addHook('onError', async (_request, _reply, error) => {
      failures.push(error);
    });
  });
  after(async () => {
    await app?.close();
    await handle?.destroy();
    await database?.drop();
  });

  const register = (n: number) =>
    app.inject({
      method: 'POST',
      url: '/register',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
      payload: sampleParticipant(n),
    });

  test('a write that fills the disk answers 503 and reports SQLITE_FULL, not a failed rollback', async () => {
    assert.equal((await register(1)).statusCode, 200);
    const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(handle.db);
    await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(handle.db);
    // Batches of concurrent writes share group-commit transactions, which SQLite rolls back as a whole when
    // the file cannot grow; the first ones may still fit in free pages.
    let refused = 0;
    for (let batch = 0; batch < 50 && refused === 0; batch += 1) {
      const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => register(100 + batch * 20 + i)));
      for (const response of responses) {
        if (response.statusCode === 200) continue;
        refused += 1;
        assert.equal(response.statusCode, 503, response.body);
        assert.deepEqual(response.json(), { error: 'Database unavailable', code: 'database_unavailable' });
      }
    }
    assert.ok(refused > 0, 'the database filled up');
    assert.equal(failures.length, refused);
    for (const error of failures) assert.equal((error as { code?: string }).code, 'SQLITE_FULL', String(error));

    await sql.raw('pragma max_page_count = 1073741823').execute(handle.db);
    assert.equal((await register(200)).statusCode, 200, 'writes succeed again once there is room');
  });
});
