import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildApp } from '../src/app.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { generateParticipants } from '../src/demo/generate-participants.js';
import {
  BACKENDS,
  createTestDatabase,
  httpJson,
  openTestDatabase,
  sampleParticipant,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
  type TestDatabase,
} from './helpers.js';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

for (const backend of BACKENDS) {
  describe(`app (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    before(async () => {
      api = await startTestApp(backend.name);
    });
    after(() => api?.close());

    test('GET /health is 200 with the database reachable', async () => {
      const res = await api.inject('GET', '/health');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { status: 'ok', database: backend.name, demo_data: false });
    });

    test('GET /health is 503 with a JSON error when the database is unreachable', async () => {
      // The app runs on a database handle we own, which we then close underneath it.
      const database = openTestDatabase(api.database);
      const app = await buildApp(
        loadConfig({
          DATABASE_URL: api.database.url,
          DEMO_PARTICIPANTS: '0',
          LOG_LEVEL: 'silent',
          TAPIOCA_ADMIN_KEY: TEST_ADMIN_KEY,
        }),
        { database },
      );
      try {
        const up = await app.inject({ method: 'GET', url: '/health' });
        assert.equal(up.statusCode, 200);
        await database.destroy();
        const down = await app.inject({ method: 'GET', url: '/health' });
        assert.equal(down.statusCode, 503);
        assert.match(String(down.headers['content-type']), /^application\/json/);
        assert.deepEqual(JSON.parse(down.body), { error: 'Database unavailable', code: 'database_unavailable' });
        // Other routes fail as JSON too, without internals.
        const users = await app.inject({ method: 'GET', url: '/users', headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
        assert.equal(users.statusCode, 500);
        assert.deepEqual(JSON.parse(users.body), { error: 'Internal server error', code: 'internal' });
      } finally {
        await app.close();
      }
      // The app under test, on its own handle, is unaffected.
      assert.equal((await api.inject('GET', '/health')).status, 200);
    });

    test('GET /openapi.json is an OpenAPI 3 document generated from the routes', async () => {
      const res = await api.inject('GET', '/openapi.json');
      assert.equal(res.status, 200);
      assert.match(res.body.openapi, /^3\./);
      assert.equal(res.body.info.title, 'Tapioca');
      const paths = res.body.paths;
      for (const [path, methods] of Object.entries({
        '/users': ['get'],
        '/users/{id}': ['get', 'put'],
        '/register': ['post'],
        '/skills': ['get'],
        '/checkin': ['get', 'post'],
        '/health': ['get'],
      })) {
        assert.ok(paths[path], `${path} is documented`);
        for (const method of methods) assert.ok(paths[path][method], `${method.toUpperCase()} ${path} is documented`);
      }
      const registration = paths['/register'].post.requestBody.content['application/json'].schema;
      assert.deepEqual([...registration.required].sort(), ['company', 'email', 'name', 'phone']);
      const rating = registration.properties.skills.items.properties.rating;
      assert.deepEqual([rating.type, rating.minimum, rating.maximum], ['integer', 1, 5]);
      const skillsQuery = paths['/skills'].get.parameters.map((p: { name: string }) => p.name).sort();
      assert.deepEqual(skillsQuery, ['keyword', 'max_average_rating', 'max_frequency', 'min_average_rating', 'min_frequency']);
      assert.equal(paths['/openapi.json'], undefined);
    });

    test('GET /docs serves the interactive documentation as HTML', async () => {
      let url = '/docs';
      let response = await api.app.inject({ method: 'GET', url });
      for (let hops = 0; hops < 5 && response.statusCode >= 300 && response.statusCode < 400; hops++) {
        url = new URL(String(response.headers.location), `http://localhost${url}`).pathname;
        response = await api.app.inject({ method: 'GET', url });
      }
      assert.equal(response.statusCode, 200, url);
      assert.match(String(response.headers['content-type']), /^text\/html/);
      assert.match(response.body, /<html/i);
      assert.match(response.body, /swagger/i);
    });
  });

  // Its own database, created once the suite above has dropped its own (Kysely's migrator looks for
  // its lock table in every PostgreSQL schema, so two fresh test schemas must not be alive at once).
  describe(`demo data at start-up (${backend.name})`, { skip: backend.skip }, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(backend.name);
    });
    after(() => database?.drop());

    const participantsAfterStart = async (env: Record<string, string>) => {
      const api = await startTestApp(backend.name, env, database);
      try {
        return (await api.inject('GET', '/users')).body as Record<string, { email: string; name: string }>;
      } finally {
        await api.close();
      }
    };

    test('DEMO_PARTICIPANTS=25 fills an empty database; later starts add nothing', async () => {
      const first = await participantsAfterStart({ DEMO_PARTICIPANTS: '25' });
      assert.deepEqual(
        Object.keys(first),
        Array.from({ length: 25 }, (_, i) => String(i + 1)),
      );
      const demo = generateParticipants(25);
      assert.deepEqual(
        Object.values(first).map((p) => p.email),
        demo.map((p) => p.email),
      );

      const second = await participantsAfterStart({ DEMO_PARTICIPANTS: '25' });
      assert.deepEqual(second, first);
      const bigger = await participantsAfterStart({ DEMO_PARTICIPANTS: '40' });
      assert.deepEqual(bigger, first);
    });

    test('a database with any participant is left alone, whatever DEMO_PARTICIPANTS says', async () => {
      const api = await startTestApp(backend.name, { DEMO_PARTICIPANTS: '0' }, database);
      try {
        assert.equal((await api.inject('POST', '/register', sampleParticipant(1))).status, 200);
      } finally {
        await api.close();
      }
      const after = await participantsAfterStart({ DEMO_PARTICIPANTS: '25' });
      assert.equal(Object.keys(after).length, 26);
      assert.equal(after[26]!.email, 'person1@example.com');
    });
  });
}

describe('configuration', () => {
  const GOOD = {
    PORT: '9001',
    HOST: '0.0.0.0',
    DATABASE_URL: 'postgres://tapioca@db.internal:5432/tapioca',
    PAGE_SIZE: '20',
    DEMO_PARTICIPANTS: '0',
    LOG_LEVEL: 'warn',
    BBT_TOKENS_PER_ORDER: '3',
  };

  test('defaults', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.databaseUrl, 'sqlite:data/tapioca.db');
    assert.equal(config.pageSize, 50);
    assert.equal(config.demoParticipants, 1000);
    assert.equal(config.logLevel, 'info');
    assert.equal(config.boba.tokensPerOrder, 5);
  });

  test('valid values are read', () => {
    const config = loadConfig(GOOD);
    assert.deepEqual(
      [config.port, config.host, config.databaseUrl, config.pageSize, config.demoParticipants, config.logLevel],
      [9001, '0.0.0.0', GOOD.DATABASE_URL, 20, 0, 'warn'],
    );
    assert.equal(config.boba.tokensPerOrder, 3);
    assert.equal(loadConfig({ DATABASE_URL: 'sqlite:/tmp/x.db' }).databaseUrl, 'sqlite:/tmp/x.db');
    assert.equal(loadConfig({ DATABASE_URL: 'postgresql://u@h/d' }).databaseUrl, 'postgresql://u@h/d');
  });

  test('a bad value throws a ConfigError naming the variable', () => {
    const bad: Record<string, string[]> = {
      PORT: ['abc', '70000', '-1', '80.5', '8o'],
      PAGE_SIZE: ['0', 'ten', '1.5', '-5'],
      DATABASE_URL: ['mysql://localhost/tapioca', 'data/tapioca.db', 'sqlite:', 'postgres://'],
      LOG_LEVEL: ['loud', 'verbose'],
      DEMO_PARTICIPANTS: ['-1', 'many', '2.5'],
      BBT_TOKENS_PER_ORDER: ['0', 'five', '-3'],
    };
    for (const [variable, values] of Object.entries(bad)) {
      for (const value of values) {
        assert.throws(
          () => loadConfig({ ...GOOD, [variable]: value }),
          (error: unknown) => error instanceof ConfigError && error.message.startsWith(`Invalid configuration: ${variable} `),
          `${variable}=${value}`,
        );
      }
    }
  });
});

const execFileAsync = promisify(execFile);

describe('server process', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tapioca-server-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a bad PORT stops the server with a message naming PORT', async () => {
    const failure = await execFileAsync('npx', ['tsx', 'src/server.ts'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, PORT: 'abc', DATABASE_URL: `sqlite:${join(dir, 'never.db')}`, LOG_LEVEL: 'silent' },
      timeout: 60_000,
    }).then(
      () => assert.fail('the server started with PORT=abc'),
      (error: { code?: number; stderr?: string }) => error,
    );
    assert.equal(failure.code, 1);
    assert.match(failure.stderr ?? '', /PORT must be an integer, got "abc"/);
    assert.doesNotMatch(failure.stderr ?? '', /\n\s+at /, 'no stack trace');
  });

  test('starts, serves demo data, and shuts down cleanly on SIGTERM', async () => {
    const server: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: `sqlite:${join(dir, 'server.db')}`,
        DEMO_PARTICIPANTS: '25',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = once(server, 'exit');
    try {
      const base = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 30_000);
        server.stdout!.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const listening = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (listening) {
            clearTimeout(timer);
            resolve(listening[1]!);
          }
        });
        server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
        server.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
      });
      assert.deepEqual((await httpJson(base, 'GET', '/health')).body, { status: 'ok', database: 'sqlite', demo_data: true });
      // The first start created an admin key, printed it once and saved it beside the database, owner-only.
      const keyFile = join(dir, 'admin.key');
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      const adminKey = readFileSync(keyFile, 'utf8').trim();
      assert.equal(output.split(adminKey).length - 1, 1, 'the key is printed exactly once');
      assert.equal((await httpJson(base, 'GET', '/users', undefined, null)).status, 401);
      assert.equal(Object.keys((await httpJson(base, 'GET', '/users', undefined, adminKey)).body).length, 25);
      // Every log line is structured JSON, and none carries the key.
      for (const line of output
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))) {
        assert.doesNotThrow(() => JSON.parse(line), line);
        assert.ok(!line.includes(adminKey), line);
      }
    } finally {
      server.kill('SIGTERM');
    }
    const [code] = await exited;
    assert.equal(code, 0, output);
    assert.match(output, /shutting down/);
  });
});
