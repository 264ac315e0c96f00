import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import {
  type ApiResponse,
  BACKENDS,
  createTestDatabase,
  httpJson,
  openTestDatabase,
  sampleParticipant,
  startTestApp,
  type TestApp,
  type TestDatabase,
} from './helpers.js';
import { seededRandom } from '../src/demo/generate-participants.js';

for (const backend of BACKENDS) {
  describe(`boba under concurrency (${backend.name})`, { skip: backend.skip }, () => {
    let database: TestDatabase;
    let apps: TestApp[];
    let bases: string[];
    let calls = 0;
    // On PostgreSQL two API instances share one database, as in a scaled-out deployment; requests alternate.
    const call = <T = any>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> =>
      httpJson<T>(bases[calls++ % bases.length]!, method, path, body);
    const register = async (n: number) =>
      Number(Object.keys((await call('POST', '/register', sampleParticipant(n, []))).body)[0]);
    const balance = async (id: number) => (await call('GET', `/users/${id}`)).body[id].bbt_tokens as number;
    const parallel = <T>(count: number, fn: (i: number) => Promise<T>) =>
      Promise.all(Array.from({ length: count }, (_, i) => fn(i)));

    before(async () => {
      database = await createTestDatabase(backend.name);
      const instances = backend.name === 'postgres' ? 2 : 1;
      apps = [];
      for (let i = 0; i < instances; i++) apps.push(await startTestApp(backend.name, { BBT_TOKENS_COOLDOWN: '5' }, database));
      bases = await Promise.all(apps.map((app) => app.listen()));
    });
    after(async () => {
      for (const app of apps ?? []) await app.close();
      await database?.drop();
    });

    test('20 simultaneous orders with one order worth of tokens: exactly one succeeds', async () => {
      const p = await register(1);
      await call('PUT', '/bbt_token_admin_give', { participant_id: p, tokens: 5 });
      const results = await parallel(20, () => call('POST', '/boba', { participant_id: p }));
      assert.equal(results.filter((r) => r.status === 200).length, 1);
      assert.ok(results.every((r) => r.status === 200 || r.body.error === 'Not enough tokens to order'));
      assert.equal(await balance(p), 0);
    });

    test('20 simultaneous grants of +1 add exactly 20', async () => {
      const p = await register(2);
      const results = await parallel(20, () => call('PUT', '/bbt_token_admin_give', { participant_id: p, tokens: 1 }));
      assert.ok(results.every((r) => r.status === 200));
      assert.equal(await balance(p), 20);
    });

    test('one participant exchanging with 20 partners at once: exactly one succeeds', async () => {
      const hub = await register(3);
      const partners = await parallel(20, (i) => register(100 + i));
      const results = await parallel(20, (i) =>
        call('PUT', '/bbt_token_exchange', { participant_1_id: hub, participant_2_id: partners[i] }),
      );
      assert.equal(results.filter((r) => r.status === 200).length, 1);
      assert.ok(results.every((r) => r.status === 200 || /has not waited long enough/.test(r.body.error)));
      assert.equal(await balance(hub), 1);
    });

    test('one pair racing 20 times: exactly one succeeds', async () => {
      const [a, b] = [await register(4), await register(5)];
      const results = await parallel(20, (i) =>
        call(
          'PUT',
          '/bbt_token_exchange',
          i % 2 ? { participant_1_id: a, participant_2_id: b } : { participant_1_id: b, participant_2_id: a },
        ),
      );
      assert.equal(results.filter((r) => r.status === 200).length, 1);
      assert.deepEqual([await balance(a), await balance(b)], [1, 1]);
    });

    test('10 simultaneous cancels of one order: one refund', async () => {
      const p = await register(6);
      await call('PUT', '/bbt_token_admin_give', { participant_id: p, tokens: 5 });
      const orderId = Number(Object.keys((await call('POST', '/boba', { participant_id: p })).body)[0]);
      const results = await parallel(10, () => call('PUT', '/boba', { order_id: orderId, status: 'Cancelled' }));
      assert.equal(results.filter((r) => r.status === 200).length, 1);
      assert.equal(await balance(p), 5);
      const refunds = (await call('GET', `/users/${p}/tokens`)).body.entries.filter((e: any) => e.kind === 'refund');
      assert.equal(refunds.length, 1);
    });

    test('a random mix from many clients keeps every balance equal to its ledger and the books balanced', async () => {
      const random = seededRandom(backend.name === 'sqlite' ? 7 : 11);
      const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
      const people = await parallel(12, (i) => register(500 + i));
      const orders: number[] = [];
      const statuses = ['In Progress', 'Out for Delivery', 'Delivered', 'Cancelled', 'Cancelled'];
      let grants = 0;
      let exchanges = 0;

      const operation = async () => {
        const roll = random();
        if (roll < 0.3) {
          const tokens = pick([1, 3, 5, 10, -2, -5]);
          const res = await call('PUT', '/bbt_token_admin_give', { participant_id: pick(people), tokens });
          if (res.status === 200) grants += tokens;
        } else if (roll < 0.55) {
          const res = await call('POST', '/boba', { participant_id: pick(people) });
          if (res.status === 200) orders.push(Number(Object.keys(res.body)[0]));
        } else if (roll < 0.75) {
          const a = pick(people);
          const b = pick(people);
          const res = await call('PUT', '/bbt_token_exchange', { participant_1_id: a, participant_2_id: b });
          if (res.status === 200) exchanges += 1;
        } else if (orders.length > 0) {
          await call('PUT', '/boba', { order_id: pick(orders), status: pick(statuses) });
        }
      };
      for (let wave = 0; wave < 15; wave++) await parallel(16, operation);

      const handle = openTestDatabase(database);
      try {
        const mismatches = await handle.db
          .selectFrom('participants')
          .leftJoin('token_ledger', 'token_ledger.participant_id', 'participants.id')
          .select([
            'participants.id',
            'participants.bbt_tokens',
            (eb) => eb.fn.coalesce(eb.fn.sum<number>('token_ledger.amount'), sql<number>`0`).as('ledger'),
          ])
          .groupBy(['participants.id', 'participants.bbt_tokens'])
          .execute();
        for (const row of mismatches) assert.equal(Number(row.ledger), row.bbt_tokens, `participant ${row.id}`);
        assert.ok(mismatches.every((row) => row.bbt_tokens >= 0));

        const total = mismatches.filter((row) => people.includes(row.id)).reduce((sum, row) => sum + row.bbt_tokens, 0);
        const active = await handle.db
          .selectFrom('boba_orders')
          .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('cost'), sql<number>`0`).as('cost'))
          .where('status', '!=', 'Cancelled')
          .where('participant_id', 'in', people)
          .executeTakeFirstOrThrow();
        assert.equal(total, grants + 2 * exchanges - Number(active.cost));
        assert.ok(grants > 0 && exchanges > 0 && orders.length > 0, 'the mix exercised grants, exchanges and orders');
      } finally {
        await handle.destroy();
      }
    });
  });
}
