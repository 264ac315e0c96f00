import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../scripts/free-port.js';
import { loadConfig } from '../src/config.js';
import { BACKENDS, createTestDatabase, sampleParticipant, startTestApp, TEST_ADMIN_KEY, type TestApp } from './helpers.js';
import { openStream, waitUntil } from './sse-client.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

/** Prometheus text as series name with labels -> value, e.g. `tapioca_orders{status="Placed"}` -> 1. */
function parseExposition(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    series.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return series;
}

describe('GET /metrics without METRICS_TOKEN', () => {
  test('does not exist', async () => {
    const api = await startTestApp('sqlite');
    try {
      const res = await api.inject('GET', '/metrics');
      assert.deepEqual([res.status, res.body.code], [404, 'not_found']);
    } finally {
      await api.close();
    }
  });

  test('a short METRICS_TOKEN, one with a space, or the admin key stops the start, naming it', () => {
    assert.throws(() => loadConfig({ METRICS_TOKEN: 'short' }), /METRICS_TOKEN must be at least 24 characters/);
    assert.throws(() => loadConfig({ METRICS_TOKEN: `${METRICS_TOKEN} more` }), /METRICS_TOKEN must not contain spaces/);
    assert.throws(
      () => loadConfig({ METRICS_TOKEN, TAPIOCA_ADMIN_KEY: METRICS_TOKEN }),
      /METRICS_TOKEN must differ from TAPIOCA_ADMIN_KEY/,
    );
  });
});

for (const backend of BACKENDS) {
  describe(`GET /metrics (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let volunteer: string;

    const scrape = async () => {
      const res = await api.inject('GET', '/metrics', undefined, METRICS_TOKEN);
      assert.equal(res.status, 200, String(res.body));
      assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      return parseExposition(res.body as string);
    };
    const requests = (series: Map<string, number>, method: string, route: string, status: number) =>
      series.get(`tapioca_http_request_duration_seconds_count{method="${method}",route="${route}",status_code="${status}"}`) ?? 0;

    before(async () => {
      api = await startTestApp(backend.name, { METRICS_TOKEN, BBT_TOKENS_COOLDOWN: '0' });
      volunteer = await api.createKey('volunteer');
    });
    after(() => api.close());

    test('refuses a request without the token, with a wrong one, and with an API key', async () => {
      for (const key of [null, 'metrics-token-0123456789abcdeX', TEST_ADMIN_KEY]) {
        const res = await api.inject('GET', '/metrics', undefined, key);
        assert.deepEqual([res.status, res.body.code], [401, 'authentication_required'], String(key));
        assert.equal(res.headers['www-authenticate'], 'Bearer');
      }
    });

    test('the event figures equal what the API did', async () => {
      const ids: number[] = [];
      for (const n of [1, 2])
        ids.push(Number(Object.keys((await api.inject('POST', '/register', sampleParticipant(n))).body)[0]));
      const [first, second] = ids as [number, number];
      const hook = await api.inject('POST', '/webhooks', {
        url: `http://127.0.0.1:${await freePort()}/nobody-listens`,
        events: ['check_in'],
      });
      assert.equal(hook.status, 201, JSON.stringify(hook.body));
      for (const id of ids) {
        const checkIn = await api.inject('POST', '/checkin', { participant_id: id }, volunteer);
        assert.equal(checkIn.status, 200, JSON.stringify(checkIn.body));
      }
      const checkpoint = Number(Object.keys((await api.inject('POST', '/checkpoints', { name: 'Lunch', kind: 'meal' })).body)[0]);
      const scan = (participant: number, nonce: string) =>
        api.inject('POST', `/checkpoints/${checkpoint}/scans`, { participant_id: participant, nonce }, volunteer);
      assert.equal((await scan(first, 'metrics-1')).status, 201);
      assert.equal((await scan(first, 'metrics-2')).status, 409, 'a second lunch');
      assert.equal((await scan(second, 'metrics-3')).status, 201);
      assert.equal((await api.inject('PUT', '/bbt_token_admin_give', { participant_id: first, tokens: 12 })).status, 200);
      assert.equal((await api.inject('PUT', '/bbt_token_admin_give', { participant_id: first, tokens: -2 })).status, 200);
      assert.equal((await api.inject('POST', '/boba', { participant_id: first })).status, 200);
      const exchange = await api.inject('PUT', '/bbt_token_exchange', { participant_1_id: first, participant_2_id: second });
      assert.equal(exchange.status, 200, JSON.stringify(exchange.body));

      const series = await scrape();
      const expected: Record<string, number> = {
        tapioca_metrics_database_up: 1,
        tapioca_participants: 2,
        tapioca_check_ins_total: 2,
        [`tapioca_checkpoint_scans{checkpoint_id="${checkpoint}",checkpoint="Lunch",kind="meal",outcome="accepted"}`]: 2,
        [`tapioca_checkpoint_scans{checkpoint_id="${checkpoint}",checkpoint="Lunch",kind="meal",outcome="refused"}`]: 1,
        'tapioca_orders{status="Placed"}': 1,
        'tapioca_orders{status="Delivered"}': 0,
        'tapioca_token_movements_total{kind="grant",direction="in"}': 12,
        'tapioca_token_movements_total{kind="grant",direction="out"}': 2,
        'tapioca_token_movements_total{kind="order",direction="out"}': 5,
        'tapioca_token_movements_total{kind="exchange",direction="in"}': 2,
        tapioca_tokens_in_circulation: 12 - 2 - 5 + 2,
        // One per check-in, sent to a port nobody listens on: they wait for their retry.
        'tapioca_webhook_deliveries{status="pending"}': 2,
        'tapioca_webhook_deliveries{status="delivered"}': 0,
      };
      for (const [name, value] of Object.entries(expected)) assert.equal(series.get(name), value, name);
    });

    test('requests are counted by route template and status, refusals and unknown paths included', async () => {
      const before = await scrape();
      await api.inject('GET', '/users/1');
      await api.inject('GET', '/users/2');
      await api.inject('GET', '/users/1', undefined, null);
      await api.inject('GET', '/no/such/path');
      await api.inject('GET', '/health', undefined, null);
      const after = await scrape();
      assert.equal(requests(after, 'GET', '/health', 200) - requests(before, 'GET', '/health', 200), 1);
      assert.equal(requests(after, 'GET', '/users/:id', 200) - requests(before, 'GET', '/users/:id', 200), 2);
      assert.equal(requests(after, 'GET', '/users/:id', 401) - requests(before, 'GET', '/users/:id', 401), 1);
      assert.equal(requests(after, 'GET', 'unmatched', 404) - requests(before, 'GET', 'unmatched', 404), 1);
      assert.ok(![...after.keys()].some((name) => name.includes('route="/users/1"')), 'an id never makes a series');
      assert.ok(
        (after.get('tapioca_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/users/:id",status_code="200"}') ??
          0) >= 2,
      );
    });

    test('the process: event loop lag, live streams, and the database pool or group commit', async () => {
      const base = await api.listen();
      const stream = openStream(base, TEST_ADMIN_KEY);
      await stream.ready();
      assert.equal((await scrape()).get('tapioca_live_clients'), 1);
      await stream.close();
      await waitUntil(async () => (await scrape()).get('tapioca_live_clients') === 0, 'the stream to be counted out');

      const series = await scrape();
      assert.ok((series.get('nodejs_eventloop_lag_p99_seconds') ?? -1) >= 0);
      if (backend.name === 'postgres') {
        assert.equal(series.get('tapioca_db_pool_max_connections'), 10);
        assert.ok((series.get('tapioca_db_pool_connections{state="idle"}') ?? 0) >= 1);
        assert.equal(series.get('tapioca_db_pool_waiting_queries'), 0);
        assert.equal(series.get('tapioca_sqlite_commit_batch_size_count'), undefined);
      } else {
        assert.equal(series.get('tapioca_db_pool_max_connections'), undefined);
        // Twenty grants sent at once over HTTP: every one is in some committed batch.
        const grants = await Promise.all(
          Array.from({ length: 20 }, () =>
            fetch(`${base}/bbt_token_admin_give`, {
              method: 'PUT',
              headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
              body: JSON.stringify({ participant_id: 2, tokens: 1 }),
            }),
          ),
        );
        assert.deepEqual(new Set(grants.map((res) => res.status)), new Set([200]));
        const after = await scrape();
        const committed =
          (after.get('tapioca_sqlite_commit_batch_size_sum') ?? 0) - (series.get('tapioca_sqlite_commit_batch_size_sum') ?? 0);
        const batches =
          (after.get('tapioca_sqlite_commit_batch_size_count') ?? 0) -
          (series.get('tapioca_sqlite_commit_batch_size_count') ?? 0);
        assert.ok(committed >= 20, `${committed} transactions committed`);
        assert.ok(batches >= 1 && batches <= committed, `${batches} batches`);
      }
    });
  });
}

const postgres = BACKENDS.find((backend) => backend.name === 'postgres')!;

test('a scrape while the database fails still answers, with tapioca_metrics_database_up 0', { skip: postgres.skip }, async () => {
  const database = await createTestDatabase('postgres');
  const api = await startTestApp('postgres', { METRICS_TOKEN }, database);
  try {
    const scrape = async () => parseExposition((await api.inject('GET', '/metrics', undefined, METRICS_TOKEN)).body as string);
    assert.equal((await scrape()).get('tapioca_metrics_database_up'), 1);
    // Its tables gone: every query of the event figures fails, as with a database that cannot be read.
    await database.drop();
    const res = await api.inject('GET', '/metrics', undefined, METRICS_TOKEN);
    assert.equal(res.status, 200);
    const series = parseExposition(res.body as string);
    assert.equal(series.get('tapioca_metrics_database_up'), 0);
    assert.ok(series.has('nodejs_eventloop_lag_p99_seconds'));
  } finally {
    await api.close();
  }
});
