import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import {
  BACKENDS,
  createTestDatabase,
  manualClock,
  openTestDatabase,
  sampleParticipant,
  startTestApp,
  TEST_ADMIN_KEY,
  type As,
  type TestApp,
  type TestDatabase,
} from './helpers.js';

interface RawResponse {
  status: number;
  raw: string;
  body: any;
  replayed: boolean;
}

/** A request with an Idempotency-Key; `raw` is the body exactly as sent. */
async function send(api: TestApp, method: string, url: string, body: unknown, key?: string, as: As = TEST_ADMIN_KEY) {
  const response = await api.app.inject({
    method: method as 'POST',
    url,
    headers: {
      ...(as === null ? {} : { authorization: `Bearer ${as}` }),
      ...(key === undefined ? {} : { 'idempotency-key': key }),
    },
    ...(body === undefined ? {} : { payload: body as object }),
  });
  const raw = response.body;
  return {
    status: response.statusCode,
    raw,
    body: raw ? JSON.parse(raw) : undefined,
    replayed: response.headers['idempotent-replayed'] === 'true',
  } satisfies RawResponse;
}

const register = async (api: TestApp, n: number) => {
  const res = await api.inject('POST', '/register', sampleParticipant(n, []));
  assert.equal(res.status, 200);
  return Number(Object.keys(res.body)[0]);
};

/** Everything the mutating routes change, as the API shows it. */
async function snapshot(api: TestApp) {
  const [users, orders, keys] = await Promise.all([
    api.inject('GET', '/users'),
    api.inject('GET', '/boba'),
    api.inject('GET', '/keys'),
  ]);
  return { users: users.body, orders: orders.body, keys: keys.body };
}

const countKeys = async (database: TestDatabase) => {
  const handle = openTestDatabase(database);
  try {
    return (await sql<{ n: number }>`select count(*) as n from idempotency_keys`.execute(handle.db)).rows[0]?.n;
  } finally {
    await handle.destroy();
  }
};

let keySerial = 0;
const newKey = () => `key-${process.pid}-${++keySerial}`;

for (const backend of BACKENDS) {
  describe(`idempotency keys (${backend.name})`, { skip: backend.skip }, () => {
    const clock = manualClock();
    let api: TestApp;
    before(async () => {
      api = await startTestApp(backend.name, { BBT_TOKENS_COOLDOWN: '0', BBT_PAIR_EXCHANGES: '0' }, undefined, { clock });
    });
    after(() => api?.close());

    test('every mutating route replays its first answer byte for byte and changes nothing more', async () => {
      const p1 = await register(api, 1);
      const p2 = await register(api, 2);
      await api.inject('PUT', '/bbt_token_admin_give', { participant_id: p1, tokens: 50 });
      const created = await api.inject('POST', '/boba', { participant_id: p1 });
      const orderId = Number(Object.keys(created.body)[0]);
      const spareKey = await api.inject('POST', '/keys', { role: 'volunteer', name: 'spare' });
      const calls: [string, string, unknown][] = [
        ['POST', '/register', sampleParticipant(3, [{ skill: 'Go', rating: 3 }])],
        ['PUT', `/users/${p2}`, { company: 'Initech', skills: [{ skill: 'Rust', rating: 5 }] }],
        ['POST', '/checkin', { participant_id: p2 }],
        ['PUT', '/bbt_token_admin_give', { participant_id: p2, tokens: 7 }],
        ['PUT', '/bbt_token_exchange', { participant_1_id: p1, participant_2_id: p2 }],
        ['POST', '/boba', { participant_id: p1 }],
        ['PUT', '/boba', { order_id: orderId, status: 'Cancelled' }],
        ['POST', '/keys', { role: 'volunteer', name: 'desk' }],
        ['DELETE', `/keys/${spareKey.body.id}`, undefined],
        ['POST', `/users/${p2}/badge/rotate`, undefined],
      ];
      for (const [method, url, body] of calls) {
        const key = newKey();
        const first = await send(api, method, url, body, key);
        assert.equal(first.status, 200, `${method} ${url}: ${first.raw}`);
        assert.equal(first.replayed, false);
        const before = await snapshot(api);
        const again = await send(api, method, url, body, key);
        assert.deepEqual([again.status, again.raw, again.replayed], [200, first.raw, true], `${method} ${url}`);
        assert.deepEqual(await snapshot(api), before, `${method} ${url} changed something on replay`);
      }
    });

    test('a stored answer holding a new API key is not readable in the database', async () => {
      const key = newKey();
      const created = await send(api, 'POST', '/keys', { role: 'volunteer', name: 'secret' }, key);
      const handle = openTestDatabase(api.database);
      try {
        const rows = await handle.db.selectFrom('idempotency_keys').select(['key_hash', 'body']).execute();
        assert.ok(rows.length > 0);
        for (const row of rows) {
          assert.ok(!row.body?.includes(created.body.key as string));
          assert.notEqual(row.key_hash, key);
        }
      } finally {
        await handle.destroy();
      }
    });

    test('20 parallel requests with one key: one effect, each answer the same or in progress', async () => {
      const p = await register(api, 20);
      const key = newKey();
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => send(api, 'PUT', '/bbt_token_admin_give', { participant_id: p, tokens: 3 }, key)),
      );
      const ran = answers.filter((a) => a.status === 200);
      assert.ok(ran.length >= 1);
      for (const answer of ran) assert.equal(answer.raw, ran[0]?.raw);
      for (const answer of answers.filter((a) => a.status !== 200)) {
        assert.deepEqual(
          [answer.status, answer.body],
          [409, { error: 'A request with this idempotency key is in progress', code: 'idempotency_in_progress' }],
        );
      }
      assert.equal((await api.inject('GET', `/users/${p}`)).body[p].bbt_tokens, 3);
    });

    test('the same key on a different body, path or method is refused with 422', async () => {
      const p = await register(api, 30);
      const key = newKey();
      assert.equal((await send(api, 'PUT', '/bbt_token_admin_give', { participant_id: p, tokens: 1 }, key)).status, 200);
      const reused = { error: 'Idempotency key reused with a different request', code: 'idempotency_key_reused' };
      for (const [method, url, body] of [
        ['PUT', '/bbt_token_admin_give', { participant_id: p, tokens: 2 }],
        ['POST', '/boba', { participant_id: p }],
      ] as const) {
        const res = await send(api, method, url, body, key);
        assert.deepEqual([res.status, res.body], [422, reused]);
      }
      assert.equal((await api.inject('GET', `/users/${p}`)).body[p].bbt_tokens, 1);
    });

    test('a domain refusal is stored and replayed, even once the request would succeed', async () => {
      const p = await register(api, 40);
      const key = newKey();
      const refused = await send(api, 'POST', '/boba', { participant_id: p }, key);
      assert.deepEqual([refused.status, refused.body.code], [400, 'not_enough_tokens']);
      await api.inject('PUT', '/bbt_token_admin_give', { participant_id: p, tokens: 50 });
      const again = await send(api, 'POST', '/boba', { participant_id: p }, key);
      assert.deepEqual([again.status, again.raw, again.replayed], [400, refused.raw, true]);
      assert.deepEqual((await api.inject('GET', `/boba?participant_id=${p}`)).body, {});
    });

    test('a schema 400 and a 401 are not stored: a retry with the same key runs', async () => {
      const p = await register(api, 50);
      const key = newKey();
      assert.equal((await send(api, 'PUT', '/bbt_token_admin_give', { participant_id: p }, key)).status, 400);
      assert.equal(
        (await send(api, 'PUT', '/bbt_token_admin_give', { participant_id: p, tokens: 4 }, key, 'tpk_wrong')).status,
        401,
      );
      const ran = await send(api, 'PUT', '/bbt_token_admin_give', { participant_id: p, tokens: 4 }, key);
      assert.deepEqual([ran.status, ran.replayed], [200, false]);
      assert.equal((await api.inject('GET', `/users/${p}`)).body[p].bbt_tokens, 4);
    });

    test('keys are scoped per API key', async () => {
      const p = await register(api, 60);
      const other = await api.createKey('admin');
      const key = newKey();
      await send(api, 'PUT', '/bbt_token_admin_give', { participant_id: p, tokens: 1 }, key);
      const second = await send(api, 'PUT', '/bbt_token_admin_give', { participant_id: p, tokens: 1 }, key, other);
      assert.deepEqual([second.status, second.replayed], [200, false]);
      assert.equal((await api.inject('GET', `/users/${p}`)).body[p].bbt_tokens, 2);
    });

    test('a malformed header, and a route that cannot replay, answer 400 naming the header', async () => {
      const p = await register(api, 70);
      for (const bad of ['x'.repeat(256), 'caf\u00e9']) {
        const res = await api.app.inject({
          method: 'PUT',
          url: '/bbt_token_admin_give',
          headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'idempotency-key': bad },
          payload: { participant_id: p, tokens: 1 },
        });
        assert.equal(res.statusCode, 400);
        assert.deepEqual(JSON.parse(res.body), {
          error: 'Idempotency-Key must be 1 to 255 printable ASCII characters',
          code: 'validation_failed',
        });
      }
      const links = await send(api, 'POST', '/keys/participant-links', undefined, newKey());
      assert.equal(links.status, 400);
      assert.match(links.body.error, /^Idempotency-Key is not accepted by POST \/keys\/participant-links/);
      assert.equal((await api.inject('GET', `/users/${p}`)).body[p].bbt_tokens, 0);
    });

    test('the answer commits with the effect: when storing it fails, the effect rolls back', async () => {
      const p = await register(api, 80);
      const handle = openTestDatabase(api.database);
      const dropTrigger =
        backend.name === 'sqlite' ? sql`drop trigger refuse_answers` : sql`drop trigger refuse_answers on idempotency_keys`;
      try {
        if (backend.name === 'sqlite') {
          await sql`create trigger refuse_answers before update on idempotency_keys when new.state = 'done'
            begin select raise(abort, 'storing refused'); end`.execute(handle.db);
        } else {
          await sql`create function refuse_answers() returns trigger language plpgsql as
            $$ begin raise exception 'storing refused'; end $$`.execute(handle.db);
          await sql`create trigger refuse_answers before update on idempotency_keys for each row
            when (new.state = 'done') execute function refuse_answers()`.execute(handle.db);
        }
        const key = newKey();
        const failed = await send(api, 'PUT', '/bbt_token_admin_give', { participant_id: p, tokens: 9 }, key);
        assert.equal(failed.status, 500);
        assert.equal((await api.inject('GET', `/users/${p}`)).body[p].bbt_tokens, 0);
        await dropTrigger.execute(handle.db);
        // The failed attempt freed its key: the retry runs.
        const retried = await send(api, 'PUT', '/bbt_token_admin_give', { participant_id: p, tokens: 9 }, key);
        assert.deepEqual([retried.status, retried.replayed], [200, false]);
        assert.equal((await api.inject('GET', `/users/${p}`)).body[p].bbt_tokens, 9);
      } finally {
        await dropTrigger.execute(handle.db).catch(() => {});
        await handle.destroy();
      }
    });

    test('open registration scopes anonymous keys by the key alone and replays the same participant key', async () => {
      const open = await startTestApp(backend.name, { OPEN_REGISTRATION: 'true' });
      try {
        const key = newKey();
        const first = await send(open, 'POST', '/register', sampleParticipant(90, []), key, null);
        assert.equal(first.status, 200);
        const again = await send(open, 'POST', '/register', sampleParticipant(90, []), key, null);
        assert.deepEqual([again.status, again.raw, again.replayed], [200, first.raw, true]);
      } finally {
        await open.close();
      }
    });
  });

  describe(`idempotency keys across instances and time (${backend.name})`, { skip: backend.skip }, () => {
    test('two API instances on one database share keys: one effect', async () => {
      const database = await createTestDatabase(backend.name);
      const apps = [await startTestApp(backend.name, {}, database), await startTestApp(backend.name, {}, database)];
      try {
        const [a, b] = apps as [TestApp, TestApp];
        const p = await register(a, 1);
        const key = newKey();
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            send(i % 2 ? a : b, 'PUT', '/bbt_token_admin_give', { participant_id: p, tokens: 2 }, key),
          ),
        );
        for (const answer of answers) assert.ok([200, 409].includes(answer.status), answer.raw);
        assert.equal((await b.inject('GET', `/users/${p}`)).body[p].bbt_tokens, 2);
        const replay = await send(b, 'PUT', '/bbt_token_admin_give', { participant_id: p, tokens: 2 }, key);
        assert.deepEqual([replay.status, replay.replayed], [200, true]);
      } finally {
        for (const app of apps) await app.close();
        await database.drop();
      }
    });

    test('keys expire after IDEMPOTENCY_TTL_HOURS and are pruned', async () => {
      const clock = manualClock();
      const database = await createTestDatabase(backend.name);
      const api = await startTestApp(backend.name, { IDEMPOTENCY_TTL_HOURS: '2' }, database, { clock });
      try {
        const p = await register(api, 1);
        const key = newKey();
        await send(api, 'PUT', '/bbt_token_admin_give', { participant_id: p, tokens: 1 }, key);
        assert.equal(await countKeys(database), 1);
        clock.advance(2 * 3_600_000 + 1);
        // Expired: the key is free again, even for another request.
        const fresh = await send(api, 'PUT', '/bbt_token_admin_give', { participant_id: p, tokens: 5 }, key);
        assert.deepEqual([fresh.status, fresh.replayed], [200, false]);
        clock.advance(2 * 3_600_000 + 1);
        // A start prunes, as the timer does every 10 minutes.
        const restarted = await startTestApp(backend.name, { IDEMPOTENCY_TTL_HOURS: '2' }, database, { clock });
        await restarted.close();
        assert.equal(await countKeys(database), 0);
      } finally {
        await api.close();
        await database.drop();
      }
    });
  });
}
