import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKENDS, manualClock, sampleParticipant, startTestApp, type TestApp } from './helpers.js';

async function registerMany(api: TestApp, count: number, offset = 0): Promise<number[]> {
  const ids: number[] = [];
  for (let n = 1; n <= count; n++) {
    const res = await api.inject('POST', '/register', sampleParticipant(offset + n, []));
    assert.equal(res.status, 200);
    ids.push(Number(Object.keys(res.body)[0]));
  }
  return ids;
}

const grant = (api: TestApp, participantId: number, tokens: number) =>
  api.inject('PUT', '/bbt_token_admin_give', { participant_id: participantId, tokens });

const balanceOf = async (api: TestApp, id: number) => (await api.inject('GET', `/users/${id}`)).body[id].bbt_tokens as number;

for (const backend of BACKENDS) {
  describe(`boba orders (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let ids: number[];
    before(async () => {
      api = await startTestApp(backend.name, { BBT_TOKENS_PER_ORDER: '5' });
      ids = await registerMany(api, 4);
    });
    after(() => api?.close());

    test('GET /boba_info reports statuses and settings', async () => {
      const res = await api.inject('GET', '/boba_info');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {
        boba_statuses: ['Placed', 'In Progress', 'Out for Delivery', 'Delivered', 'Cancelled'],
        boba_tokens_per_order: 5,
        boba_tokens_cooldown: 5,
        boba_pair_exchanges: 1,
        boba_max_grant: 1000,
      });
    });

    test('an order needs an existing participant with enough tokens', async () => {
      const [p] = ids as [number];
      assert.deepEqual((await api.inject('POST', '/boba', {})).body, {
        error: 'participant_id required',
        code: 'validation_failed',
      });
      assert.equal((await api.inject('POST', '/boba', { participant_id: String(p) })).status, 400);
      assert.equal((await api.inject('POST', '/boba', { participant_id: 1.5 })).status, 400);
      assert.deepEqual(await api.inject('POST', '/boba', { participant_id: 9999 }).then((r) => [r.status, r.body]), [
        404,
        { error: 'Participant not found', code: 'participant_not_found' },
      ]);
      await grant(api, p, 4);
      const poor = await api.inject('POST', '/boba', { participant_id: p });
      assert.deepEqual([poor.status, poor.body], [400, { error: 'Not enough tokens to order', code: 'not_enough_tokens' }]);
      assert.equal(await balanceOf(api, p), 4);
      assert.deepEqual((await api.inject('GET', `/boba?participant_id=${p}`)).body, {});
    });

    test('placing an order debits the tokens and applies the seed defaults', async () => {
      const [, p] = ids as [number, number];
      await grant(api, p, 12);
      const res = await api.inject('POST', '/boba', { participant_id: p, size: 'Huge', toppings: 'Tapioca', not_a_field: 'x' });
      assert.equal(res.status, 200);
      const [orderId, order] = Object.entries(res.body)[0] as [string, any];
      assert.deepEqual(
        { ...order, created_at: undefined, updated_at: undefined },
        {
          participant_id: p,
          participant_name: 'Test Person 2',
          status: 'Placed',
          size: 'Huge',
          flavour: 'HK Milk Tea',
          sweetness: '50% Sweet',
          ice: 'Regular Ice',
          toppings: 'Tapioca',
          location: null,
          created_at: undefined,
          updated_at: undefined,
        },
      );
      assert.ok(!Number.isNaN(Date.parse(order.created_at)));
      assert.equal(await balanceOf(api, p), 7);
      const listed = (await api.inject('GET', `/boba?participant_id=${p}`)).body;
      assert.deepEqual(Object.keys(listed), [orderId]);
      const history = (await api.inject('GET', `/users/${p}/tokens`)).body;
      assert.equal(history.entries[0].kind, 'order');
      assert.equal(history.entries[0].amount, -5);
      assert.deepEqual(history.entries[0].reference, { type: 'order', id: Number(orderId) });
    });

    test('order fields must be strings of 1 to 100 characters', async () => {
      const [, p] = ids as [number, number];
      for (const body of [{ size: '' }, { flavour: 'x'.repeat(101) }, { ice: 3 }, { toppings: null }]) {
        const res = await api.inject('POST', '/boba', { participant_id: p, ...body });
        assert.equal(res.status, 400, JSON.stringify(body));
      }
      assert.equal(await balanceOf(api, p), 7);
    });

    test('orders move only forward, and a cancel refunds exactly once', async () => {
      const [, , p] = ids as [number, number, number];
      await grant(api, p, 10);
      const orderId = Number(Object.keys((await api.inject('POST', '/boba', { participant_id: p })).body)[0]);
      const move = (status: string) => api.inject('PUT', '/boba', { order_id: orderId, status });

      assert.deepEqual((await move('Delivered')).body, {
        error: 'Cannot move an order from Placed to Delivered',
        code: 'invalid_transition',
      });
      assert.deepEqual((await move('Placed')).body, {
        error: 'Cannot move an order from Placed to Placed',
        code: 'invalid_transition',
      });
      assert.deepEqual(
        [(await move('Bogus')).status, (await move('Bogus')).body],
        [400, { error: 'Invalid status', code: 'invalid_status' }],
      );
      assert.equal((await move('In Progress')).body[orderId].status, 'In Progress');
      assert.deepEqual((await move('Placed')).body, {
        error: 'Cannot move an order from In Progress to Placed',
        code: 'invalid_transition',
      });
      assert.equal((await move('Cancelled')).status, 200);
      assert.equal(await balanceOf(api, p), 10);
      assert.deepEqual((await move('Cancelled')).body, {
        error: 'Cannot move an order from Cancelled to Cancelled',
        code: 'invalid_transition',
      });
      assert.equal(await balanceOf(api, p), 10);

      const second = Number(Object.keys((await api.inject('POST', '/boba', { participant_id: p })).body)[0]);
      for (const status of ['In Progress', 'Out for Delivery']) {
        assert.equal((await api.inject('PUT', '/boba', { order_id: second, status })).status, 200);
      }
      const late = await api.inject('PUT', '/boba', { order_id: second, status: 'Cancelled' });
      assert.deepEqual(late.body, {
        error: 'Cannot move an order from Out for Delivery to Cancelled',
        code: 'invalid_transition',
      });
      assert.equal((await api.inject('PUT', '/boba', { order_id: second, status: 'Delivered' })).status, 200);
      assert.equal(await balanceOf(api, p), 5);

      const unknown = await api.inject('PUT', '/boba', { order_id: 99999, status: 'Cancelled' });
      assert.deepEqual([unknown.status, unknown.body], [404, { error: 'Order not found', code: 'order_not_found' }]);
      assert.equal((await api.inject('PUT', '/boba', { order_id: String(second), status: 'Delivered' })).status, 400);
      assert.deepEqual((await api.inject('PUT', '/boba', { order_id: second })).body, {
        error: 'status required',
        code: 'validation_failed',
      });
    });

    test('GET /boba filters by participant and status, and refuses bad filters', async () => {
      const all = (await api.inject('GET', '/boba')).body;
      assert.ok(Object.keys(all).length >= 3);
      const delivered = (await api.inject('GET', '/boba?status=Delivered')).body;
      assert.ok(Object.values(delivered).every((o: any) => o.status === 'Delivered'));
      assert.equal(Object.keys(delivered).length, 1);
      const cancelled = (await api.inject('GET', `/boba?status=Cancelled&participant_id=${ids[2]}`)).body;
      assert.equal(Object.keys(cancelled).length, 1);
      assert.deepEqual((await api.inject('GET', '/boba?status=Lost')).body, { error: 'Invalid status', code: 'invalid_status' });
      assert.equal((await api.inject('GET', '/boba?participant_id=abc')).status, 400);
    });
  });

  describe(`token exchange and grants (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let ids: number[];
    const clock = manualClock();
    before(async () => {
      api = await startTestApp(
        backend.name,
        { BBT_TOKENS_COOLDOWN: '1', BBT_PAIR_EXCHANGES: '2', BBT_MAX_GRANT: '100' },
        undefined,
        { clock },
      );
      ids = await registerMany(api, 6);
    });
    after(() => api?.close());

    test('exchange validates ids strictly and refuses self-exchange', async () => {
      const [a, b] = ids as [number, number];
      const cases: [unknown, number, string, string][] = [
        [{ participant_2_id: b }, 400, 'participant_1_id required', 'participant_required'],
        [{ participant_1_id: a }, 400, 'participant_2_id or participant_2_badge required', 'partner_required'],
        [
          { participant_1_id: a, participant_2_id: String(a) },
          400,
          'participant_2_id must be a positive integer',
          'validation_failed',
        ],
        [{ participant_1_id: a, participant_2_id: a }, 400, 'Cannot exchange tokens with yourself', 'self_exchange'],
        [{ participant_1_id: a, participant_2_id: 9999 }, 404, 'Participant not found', 'participant_not_found'],
      ];
      for (const [body, status, error, code] of cases) {
        const res = await api.inject('PUT', '/bbt_token_exchange', body);
        assert.deepEqual([res.status, res.body], [status, { error, code }], JSON.stringify(body));
      }
      assert.equal(await balanceOf(api, a), 0);
    });

    test('an exchange gives each one token; the cooldown is in milliseconds; the pair limit holds', async () => {
      const [a, b, c] = ids as [number, number, number];
      const first = await api.inject('PUT', '/bbt_token_exchange', { participant_1_id: a, participant_2_id: b });
      assert.deepEqual(first.body, {
        success: 'Tokens exchanged',
        new_tokens_1: 1,
        new_tokens_2: 1,
        participant_2_name: 'Test Person 2',
      });
      const early = await api.inject('PUT', '/bbt_token_exchange', { participant_1_id: c, participant_2_id: b });
      assert.deepEqual(early.body, { error: 'Participant 2 has not waited long enough to exchange tokens', code: 'cooldown' });
      clock.advance(999);
      const stillEarly = await api.inject('PUT', '/bbt_token_exchange', { participant_1_id: b, participant_2_id: a });
      assert.equal(stillEarly.body.error, 'Participant 1 has not waited long enough to exchange tokens');
      clock.advance(1);
      assert.equal((await api.inject('PUT', '/bbt_token_exchange', { participant_1_id: b, participant_2_id: a })).status, 200);
      // Within the cooldown too, a pair that used up its exchanges hears so: waiting would not help it.
      const third = await api.inject('PUT', '/bbt_token_exchange', { participant_1_id: a, participant_2_id: b });
      assert.deepEqual(
        [third.status, third.body],
        [400, { error: 'These participants have already exchanged tokens 2 times', code: 'pair_limit' }],
      );
      assert.equal(await balanceOf(api, a), 2);
      const history = (await api.inject('GET', `/users/${a}/tokens`)).body;
      assert.deepEqual(
        history.entries.map((e: any) => [e.kind, e.amount, e.reference]),
        [
          ['exchange', 1, { type: 'participant', id: b }],
          ['exchange', 1, { type: 'participant', id: b }],
        ],
      );
    });

    test('grants are non-zero integers within BBT_MAX_GRANT and never take a balance below zero', async () => {
      const [, , , d] = ids as [number, number, number, number];
      for (const tokens of [0, 1.5, 'abc', '5', 101, -101, 1e308, null]) {
        const res = await grant(api, d, tokens as number);
        assert.equal(res.status, 400, String(tokens));
      }
      assert.deepEqual((await grant(api, d, 100)).body, { success: 'Tokens given', new_tokens: 100 });
      assert.deepEqual((await grant(api, d, -40)).body, { success: 'Tokens given', new_tokens: 60 });
      assert.deepEqual((await grant(api, d, -61)).body, { error: 'Not enough tokens to take away', code: 'negative_balance' });
      assert.deepEqual((await grant(api, 9999, 5)).status, 404);
      assert.equal(await balanceOf(api, d), 60);
    });

    test('token history is newest first and paginated', async () => {
      const [, , , , e] = ids as [number, number, number, number, number];
      for (const tokens of [1, 2, 3, 4, 5]) await grant(api, e, tokens);
      const page1 = (await api.inject('GET', `/users/${e}/tokens?page_size=2`)).body;
      assert.equal(page1.bbt_tokens, 15);
      assert.deepEqual(
        page1.entries.map((x: any) => x.amount),
        [5, 4],
      );
      const page3 = (await api.inject('GET', `/users/${e}/tokens?page_size=2&page=3`)).body;
      assert.deepEqual(
        page3.entries.map((x: any) => x.amount),
        [1],
      );
      assert.equal((await api.inject('GET', `/users/${e}/tokens?page_size=1001`)).status, 400);
      assert.equal((await api.inject('GET', `/users/${e}/tokens?page=0`)).status, 400);
      assert.equal((await api.inject('GET', '/users/9999/tokens')).status, 404);
    });
  });
}
