import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { PERMISSIONS } from '../src/modules/auth/permissions.js';
import {
  createTestDatabase,
  httpJson,
  openTestDatabase,
  sampleParticipant,
  startTestApp,
  type TestApp,
  TEST_ADMIN_KEY,
  type TestDatabase,
} from './helpers.js';

const postgresUrl = process.env.TEST_POSTGRES_URL;
const skip = postgresUrl ? false : 'TEST_POSTGRES_URL is not set';
const UNAVAILABLE = { error: 'Database unavailable', code: 'database_unavailable' };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds; fails naming `what` if it never does (a bound, not a speed assertion). */
async function waitFor(what: string, check: () => boolean | Promise<boolean>, limitMs = 20_000): Promise<void> {
  for (const start = Date.now(); !(await check()); await pause(25)) {
    if (Date.now() - start > limitMs) assert.fail(`gave up waiting: ${what}`);
  }
}

/**
 * A TCP proxy in front of PostgreSQL that the test can cut (every connection dropped, new ones refused), or
 * make lose the server's answer to a COMMIT it let through.
 */
class CuttableProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private down = false;
  private commitsToPass = -1;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = createServer((client) => {
      if (this.down) return void client.destroy();
      const upstream = connect(this.target.port, this.target.host);
      let answerLost = false;
      for (const [from, to] of [
        [client, upstream],
        [upstream, client],
      ] as const) {
        this.sockets.add(from);
        from.on('error', () => to.destroy());
        from.on('close', () => {
          this.sockets.delete(from);
          to.destroy();
        });
      }
      client.on('data', (chunk: Buffer) => {
        upstream.write(chunk);
        if (this.commitsToPass >= 0 && /\bcommit\b/i.test(chunk.toString('latin1')) && this.commitsToPass-- === 0) {
          answerLost = true;
        }
      });
      // The server's answer to that COMMIT means it committed; the client gets a dropped connection instead.
      upstream.on('data', (chunk: Buffer) => (answerLost ? client.destroy() : client.write(chunk)));
    });
  }

  /** Lets COMMITs through, and after `skip` of them drops the connection of the next before its answer arrives. */
  loseAnswerToCommit(skip: number): void {
    this.commitsToPass = skip;
  }

  async start(): Promise<number> {
    this.server.listen(0, '127.0.0.1');
    await new Promise((resolve) => this.server.once('listening', resolve));
    return (this.server.address() as { port: number }).port;
  }

  cut(): void {
    this.down = true;
    for (const socket of this.sockets) socket.destroy();
  }

  restore(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** The test database's URL, reached through `port` on this machine instead. */
function throughPort(url: string, port: number): string {
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(port);
  return proxied.toString();
}

async function adminClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  return client;
}

describe('PostgreSQL backends terminated under write load (postgres)', { skip }, () => {
  const applicationName = `tapioca_faults_${randomBytes(4).toString('hex')}`;
  let database: TestDatabase;
  let api: TestApp;
  let killer: pg.Client;
  before(async () => {
    database = await createTestDatabase('postgres');
    const url = new URL(database.url);
    url.searchParams.set('application_name', applicationName);
    api = await startTestApp('postgres', { BBT_MAX_GRANT: '1000000' }, { ...database, url: url.toString() });
    killer = await adminClient();
  });
  after(async () => {
    await api?.close();
    await killer?.end();
    await database?.drop();
  });

  test('the process stays up, answers 503 while cut off and 200 after, and every acknowledged grant is in the ledger', async () => {
    const base = await api.listen();
    const writers = 10;
    const participants: number[] = [];
    for (let i = 0; i < writers; i += 1) {
      const registered = await api.inject('POST', '/register', sampleParticipant(i));
      participants.push(Number(Object.keys(registered.body)[0]));
    }

    // Every grant carries a distinct amount, so the ledger shows exactly which ones committed.
    let nextAmount = 1;
    const acknowledged: { participant: number; amount: number }[] = [];
    const statuses = new Map<number, number>();
    let writing = true;
    const write = async (participant: number) => {
      while (writing) {
        const amount = nextAmount++;
        const response = await httpJson(base, 'PUT', '/bbt_token_admin_give', { participant_id: participant, tokens: amount });
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status === 200) acknowledged.push({ participant, amount });
        else assert.deepEqual({ status: response.status, body: response.body }, { status: 503, body: UNAVAILABLE });
      }
    };
    const running = participants.map(write);

    let terminated = 0;
    for (let round = 0; round < 8; round += 1) {
      const before200 = statuses.get(200) ?? 0;
      await waitFor('grants succeed between terminations', () => (statuses.get(200) ?? 0) >= before200 + 20);
      const { rowCount } = await killer.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()',
        [applicationName],
      );
      terminated += rowCount ?? 0;
    }
    const after200 = statuses.get(200) ?? 0;
    await waitFor('grants succeed after the last termination', () => (statuses.get(200) ?? 0) >= after200 + 20);
    writing = false;
    await Promise.all(running);

    assert.ok(terminated > 0, 'backends of the app were terminated');
    assert.ok((statuses.get(503) ?? 0) > 0, `requests in flight were cut off: ${JSON.stringify([...statuses])}`);
    assert.deepEqual([...statuses.keys()].sort(), [200, 503]);
    const direct = openTestDatabase(database);
    const ledger = await direct.db
      .selectFrom('token_ledger')
      .select(['participant_id', 'amount'])
      .where('kind', '=', 'grant')
      .execute();
    await direct.destroy();
    const committed = new Set(ledger.map((row) => `${row.participant_id}:${row.amount}`));
    for (const { participant, amount } of acknowledged) {
      assert.ok(committed.has(`${participant}:${amount}`), `acknowledged grant ${amount} to ${participant} is in the ledger`);
    }
  });
});

describe('PostgreSQL unreachable (postgres)', { skip }, () => {
  let database: TestDatabase;
  let proxy: CuttableProxy;
  let proxyPort: number;
  let api: TestApp;
  let participantId: number;
  before(async () => {
    database = await createTestDatabase('postgres');
    const target = new URL(postgresUrl!);
    proxy = new CuttableProxy({ host: target.hostname, port: Number(target.port || 5432) });
    proxyPort = await proxy.start();
    api = await startTestApp('postgres', {}, { ...database, url: throughPort(database.url, proxyPort) });
    const registered = await api.inject('POST', '/register', sampleParticipant(1));
    participantId = Number(Object.keys(registered.body)[0]);
  });
  after(async () => {
    await api?.close();
    await proxy?.close();
    await database?.drop();
  });

  test('every route that needs the database answers 503 JSON while it is down (a bad key too), then serves again', async () => {
    const volunteerKey = await api.createKey('volunteer');
    proxy.cut();

    const problems: string[] = [];
    for (const [route, access] of Object.entries(PERMISSIONS)) {
      const [method, path] = route.split(' ') as [string, string];
      if (method === 'OPTIONS' || path === '/openapi.json') continue;
      const url = path.replace(':id', String(participantId)).replace(':code', 'no-such-badge');
      const body = method === 'GET' || method === 'DELETE' ? undefined : {};
      const response = await api.inject(method, url, body);
      const needsDatabase = !access.public || ['/health', '/skills'].includes(path);
      if (
        needsDatabase
          ? response.status !== 503 || JSON.stringify(response.body) !== JSON.stringify(UNAVAILABLE)
          : response.status >= 500
      ) {
        problems.push(`${route}: ${response.status} ${JSON.stringify(response.body)}`);
      }
    }
    assert.deepEqual(problems, []);
    for (const key of ['tpk_not-a-key', volunteerKey]) {
      const response = await api.inject('GET', '/users', undefined, key);
      assert.deepEqual({ status: response.status, body: response.body }, { status: 503, body: UNAVAILABLE });
    }
    assert.equal((await api.inject('GET', '/users', undefined, null)).status, 401, 'no key needs no database');

    proxy.restore();
    await waitFor('the database answers again', async () => (await api.inject('GET', '/health', undefined, null)).status === 200);
    assert.equal((await api.inject('GET', '/users', undefined, volunteerKey)).status, 200);
    assert.equal((await api.inject('PUT', '/bbt_token_admin_give', { participant_id: participantId, tokens: 2 })).status, 200);
    assert.equal((await api.inject('GET', '/users', undefined, 'tpk_not-a-key')).status, 401);
  });

  test('an idempotent write whose COMMIT answer is lost is replayed on retry, not done twice', async () => {
    const balance = async () => (await api.inject('GET', `/users/${participantId}`)).body[participantId].bbt_tokens as number;
    const before = await balance();
    const headers = { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'idempotency-key': 'lost-commit' };
    const send = () =>
      api.app.inject({
        method: 'PUT',
        url: '/bbt_token_admin_give',
        headers,
        payload: { participant_id: participantId, tokens: 5 },
      });

    proxy.loseAnswerToCommit(1); // the claim's COMMIT passes; the answer to the effect's COMMIT is lost
    const first = await send();
    assert.deepEqual({ status: first.statusCode, body: first.json() }, { status: 503, body: UNAVAILABLE });
    const retry = await send();
    assert.equal(retry.statusCode, 200, retry.body);
    assert.equal(retry.headers['idempotent-replayed'], 'true', 'the stored answer, not a second grant');
    assert.equal(await balance(), before + 5, 'granted once');
    assert.equal((await api.inject('GET', `/users/${participantId}`)).status, 200, 'the connection pool recovered');
  });

  test(
    'LISTEN is re-established after its connection is lost, and a catch-up poll is asked for',
    { timeout: 60_000 },
    async () => {
      const handle: DatabaseHandle = openDatabase(throughPort(database.url, proxyPort), { poolSize: 1, connectTimeoutMs: 1000 });
      const channel = `faults_${randomBytes(4).toString('hex')}`;
      const notifier = await adminClient();
      let calls = 0;
      const stop = await handle.listen!(channel, () => (calls += 1));
      try {
        await notifier.query(`notify ${channel}`);
        await waitFor('a NOTIFY reaches the listener', () => calls === 1);

        proxy.cut();
        await pause(300); // a few refused reconnection attempts
        proxy.restore();
        await waitFor('the listener is back and asks for a catch-up poll', () => calls >= 2);

        const relistened = calls;
        await notifier.query(`notify ${channel}`);
        await waitFor('a NOTIFY reaches the listener again', () => calls > relistened);
      } finally {
        proxy.restore();
        await stop();
        await notifier.end();
        await handle.destroy();
      }
    },
  );
});
