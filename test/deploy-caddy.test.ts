import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../scripts/free-port.js';
import { startCaddy } from '../scripts/bench/caddy.js';
import { spawnTs, waitForHealth } from '../scripts/server-process.js';
import { createTestDatabase, httpJson, TEST_ADMIN_KEY, type TestDatabase, toolInstalled } from './helpers.js';

// deploy/Caddyfile in front of two API processes on one PostgreSQL database, as docs/deploy.md sets it up:
// HTTPS with Caddy's own CA (`tls internal`), live updates across processes, a process killed, and the
// per-address limits counting the client Caddy saw, not Caddy.

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

const hasCaddy = toolInstalled('caddy', ['version']);
if (!hasCaddy && process.env.TEST_REQUIRE_CADDY === '1') throw new Error('TEST_REQUIRE_CADDY=1 but caddy is not installed');
const skip = !process.env.TEST_POSTGRES_URL
  ? 'TEST_POSTGRES_URL is not set'
  : !hasCaddy
    ? 'caddy is not installed (apt-get install caddy)'
    : false;

interface HttpsAnswer {
  status: number;
  body: string;
}

describe('deploy/Caddyfile in front of two instances on PostgreSQL', { skip }, () => {
  let database: TestDatabase;
  let dataDir: string;
  let site: string;
  let ca: Buffer;
  const instances: { url: string; process: ChildProcess }[] = [];
  let caddy: ChildProcess;

  /** A request through Caddy, trusting Caddy's local CA only; `from` picks the loopback address it comes from. */
  const viaCaddy = (path: string, options: { method?: string; key?: string; from?: string; trust?: boolean } = {}) =>
    new Promise<HttpsAnswer>((resolve, reject) => {
      const req = httpsRequest(
        `${site}${path}`,
        {
          method: options.method ?? 'GET',
          ...(options.trust === false ? {} : { ca }),
          localAddress: options.from,
          headers: { ...(options.key ? { authorization: `Bearer ${options.key}` } : {}), 'x-forwarded-for': '10.9.9.9' },
        },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end();
    });

  before(async () => {
    database = await createTestDatabase('postgres');
    dataDir = mkdtempSync(join(tmpdir(), 'tapioca-caddy-'));
    for (let i = 0; i < 2; i += 1) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const child = spawnTs(
        'src/server.ts',
        [],
        {
          ...process.env,
          DATABASE_URL: database.url,
          PORT: String(port),
          TRUST_PROXY: '127.0.0.1',
          TAPIOCA_ADMIN_KEY: TEST_ADMIN_KEY,
          DEMO_PARTICIPANTS: '5',
          AUTH_FAILURE_LIMIT: '5',
          METRICS_TOKEN,
          LOG_LEVEL: 'warn',
        },
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
      instances.push({ url, process: child });
      // One after the other: the first seeds the demo data, the second finds it there.
      await waitForHealth(url, child);
    }
    const httpsPort = await freePort();
    site = `https://localhost:${httpsPort}`;
    const rootCertificate = join(dataDir, 'caddy/pki/authorities/local/root.crt');
    await startCaddy(
      {
        site,
        upstreams: instances.map(({ url }) => url.replace('http://', '')),
        // Caddy keeps its CA and certificates under XDG_DATA_HOME/caddy: a directory of this test's own.
        dataDir,
        ready: async () => {
          ca = readFileSync(rootCertificate);
          return (await viaCaddy('/health')).status === 200;
        },
      },
      (spawned) => (caddy = spawned),
    );
  });

  after(async () => {
    for (const child of [caddy, ...instances.map((instance) => instance.process)]) {
      // A process killed by a signal has no exit code but a signal code.
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await once(child, 'exit');
      }
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  });

  test('HTTPS answers with a certificate of Caddy’s local CA, and only to a client trusting it', async () => {
    const health = await viaCaddy('/health');
    assert.equal(health.status, 200);
    assert.equal(JSON.parse(health.body).database, 'postgres');
    await assert.rejects(viaCaddy('/health', { trust: false }), /self[- ]signed|unable to (get|verify)/i);
  });

  test('/metrics is scraped on each instance, never through Caddy', async () => {
    const scrape = { headers: { authorization: `Bearer ${METRICS_TOKEN}` } };
    for (const { url } of instances) assert.equal((await fetch(`${url}/metrics`, scrape)).status, 200);
    const viaProxy = await viaCaddy('/metrics', { key: METRICS_TOKEN });
    assert.equal(viaProxy.status, 404);
    assert.doesNotMatch(viaProxy.body, /tapioca_/);
  });

  test('a check-in made on either instance reaches an event stream held through Caddy', async () => {
    const received: string[] = [];
    const stream = httpsRequest(`${site}/events`, { ca, headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
    const opened = new Promise<void>((resolve, reject) => {
      stream.on('response', (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => received.push(chunk));
        resolve();
      });
      stream.on('error', reject);
    });
    stream.end();
    await opened;
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 15_000;
      while (!received.join('').includes(text)) {
        if (Date.now() > deadline) throw new Error(`the stream never carried ${text}: ${received.join('')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    await waitFor('event: ready');
    for (const [index, { url }] of instances.entries()) {
      const participantId = index + 1;
      const checkIn = await httpJson(url, 'POST', '/checkin', { participant_id: participantId });
      assert.equal(checkIn.status, 200, JSON.stringify(checkIn.body));
      await waitFor(`"participant_id":${participantId},"check_in"`);
    }
    stream.destroy();
  });

  test('with one instance killed, requests through Caddy keep succeeding', async () => {
    const [victim] = instances;
    victim!.process.kill('SIGKILL');
    await once(victim!.process, 'exit');
    const statuses: number[] = [];
    for (let i = 0; i < 20; i += 1) statuses.push((await viaCaddy('/users/1', { key: TEST_ADMIN_KEY })).status);
    assert.deepEqual(statuses, Array(20).fill(200));
  });

  test('the failed-sign-in limit counts the client Caddy saw, whatever X-Forwarded-For it sent', async () => {
    const wrongKey = 'wrong-key-0000000000000000000000';
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await viaCaddy('/users/1', { key: wrongKey, from: '127.0.0.2' })).status);
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
    assert.equal((await viaCaddy('/users/1', { key: wrongKey, from: '127.0.0.3' })).status, 401);
  });
});
