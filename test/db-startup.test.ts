import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, readdirSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { createTestDatabase, startTestApp, TEST_ADMIN_KEY } from './helpers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const NOBODY = 65534;

interface StartOutcome {
  /** The exit code, or 'listening' when the server started (it is then stopped). */
  outcome: number | 'listening';
  stderr: string;
}

/** Root ignores file modes: the read-only file is shown to nobody instead. */
const AS_NOBODY = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : undefined;

/** Why nobody cannot run the server from this checkout (a home directory closed to others), or false. */
const nobodyCannotRun = (() => {
  if (!AS_NOBODY) return false;
  const probe = spawnSync(
    process.execPath,
    ['-e', `require('fs').accessSync(${JSON.stringify(`${ROOT}node_modules/tsx/package.json`)})`],
    AS_NOBODY,
  );
  return probe.status === 0 ? false : `user nobody cannot read ${ROOT}, so a read-only file cannot be shown to it`;
})();

/**
 * Runs `npm start`'s entry point with `env`, as `user` when given, until it exits or starts listening.
 */
function startServer(
  env: Record<string, string>,
  signal: AbortSignal,
  user?: { uid: number; gid: number },
): Promise<StartOutcome> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: '/tmp', PORT: '0', DEMO_PARTICIPANTS: '0', TAPIOCA_ADMIN_KEY: TEST_ADMIN_KEY, ...env },
    ...user,
    // A test that times out (a start that hangs) takes the server down with it.
    signal,
    killSignal: 'SIGKILL',
  });
  let stdout = '';
  let stderr = '';
  return new Promise((resolve) => {
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (/Server listening/.test(stdout)) {
        child.kill('SIGKILL');
        resolve({ outcome: 'listening', stderr });
      }
    });
    child.on('error', () => {});
    child.on('exit', (code) => resolve({ outcome: code ?? -1, stderr }));
  });
}

describe('start-up on a database it cannot use', () => {
  test(
    'a read-only SQLite file stops the start with a message naming the file',
    { timeout: 30_000, skip: nobodyCannotRun },
    async (t) => {
      const database = await createTestDatabase('sqlite');
      try {
        const app = await startTestApp('sqlite', {}, database);
        await app.close();
        const file = database.url.slice('sqlite:'.length);
        // The directory stays writable (SQLite may create its -wal and -shm files): only the file is read-only.
        chmodSync(dirname(file), 0o777);
        for (const name of readdirSync(dirname(file))) chmodSync(`${dirname(file)}/${name}`, 0o444);

        const { outcome, stderr } = await startServer({ DATABASE_URL: database.url }, t.signal, AS_NOBODY);
        assert.equal(outcome, 1, `the server should refuse to start; stderr: ${stderr}`);
        assert.ok(stderr.includes(file), stderr);
        assert.match(stderr, /SQLITE_READONLY/);
      } finally {
        await database.drop();
      }
    },
  );

  test(
    'a PostgreSQL endpoint that never answers stops the start within DATABASE_CONNECT_TIMEOUT_MS, naming it',
    { timeout: 30_000 },
    async (t) => {
      const sockets = new Set<Socket>();
      const silent = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => {});
      });
      silent.listen(0, '127.0.0.1');
      await new Promise((resolve) => silent.once('listening', resolve));
      const { port } = silent.address() as { port: number };
      try {
        const { outcome, stderr } = await startServer(
          {
            DATABASE_URL: `postgres://tapioca:s3cret-pw@127.0.0.1:${port}/tapioca`,
            DATABASE_CONNECT_TIMEOUT_MS: '300',
          },
          t.signal,
        );
        assert.equal(outcome, 1, stderr);
        assert.ok(stderr.includes(`127.0.0.1:${port}`), stderr);
        assert.match(stderr, /DATABASE_CONNECT_TIMEOUT_MS/);
        assert.ok(!stderr.includes('s3cret-pw'), 'the password never appears');
        assert.ok(sockets.size > 0, 'it did try the endpoint');
      } finally {
        for (const socket of sockets) socket.destroy();
        silent.close();
      }
    },
  );
});
