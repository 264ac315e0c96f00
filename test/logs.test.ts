import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from '../scripts/free-port.js';
import { createTestDatabase, TEST_ADMIN_KEY, type TestDatabase } from './helpers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('server logs', () => {
  let database: TestDatabase;
  let server: ReturnType<typeof spawn>;
  let base: string;
  let output = '';

  before(async () => {
    database = await createTestDatabase('sqlite');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        PORT: String(port),
        LOG_LEVEL: 'info',
        DEMO_PARTICIPANTS: '3',
        TAPIOCA_ADMIN_KEY: TEST_ADMIN_KEY,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (data: Buffer) => (output += data.toString()));
    server.stderr!.on('data', (data: Buffer) => (output += data.toString()));
    while (!output.includes('Server listening')) {
      if (server.exitCode !== null) throw new Error(`the server exited: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  after(async () => {
    server.kill('SIGTERM');
    if (server.exitCode === null) await once(server, 'exit');
    await database.drop();
  });

  test('badge codes in URLs are redacted; keys never appear', async () => {
    const code = `secret${randomBytes(8).toString('hex')}`;
    const authorization = `Bearer ${TEST_ADMIN_KEY}`;
    assert.equal((await fetch(`${base}/b/${code}`, { redirect: 'manual' })).status, 302);
    assert.equal((await fetch(`${base}/badges/${code}?x=1`, { headers: { authorization } })).status, 404);
    assert.equal((await fetch(`${base}/users/1`, { headers: { authorization } })).status, 200);
    // Log lines are written asynchronously: wait for the last request's line.
    while (!output.includes('"url":"/users/1"')) await new Promise((resolve) => setTimeout(resolve, 50));

    assert.ok(!output.includes(code), 'a badge code reached the log');
    assert.ok(!output.includes(TEST_ADMIN_KEY), 'the admin key reached the log');
    assert.match(output, /"url":"\/b\/\[redacted\]"/);
    assert.match(output, /"url":"\/badges\/\[redacted\]\?x=1"/);
  });
});
