import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { base32ToBytes, totp } from '../src/shared/totp.js';
import {
  type ApiResponse,
  BACKENDS,
  createTestDatabase,
  httpJson,
  sampleParticipant,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
  type TestDatabase,
} from './helpers.js';
import { openStream } from './sse-client.js';

const firstKey = (body: Record<string, unknown>) => Number(Object.keys(body)[0]);

for (const backend of BACKENDS) {
  describe(`the kitchen's board: from, location, names (${backend.name})`, { skip: backend.skip }, () => {
    let database: TestDatabase;
    let apps: TestApp[];
    let bases: string[];
    let api: TestApp;
    let calls = 0;
    // On PostgreSQL two API instances share one database, as in a scaled-out deployment; requests alternate.
    const call = <T = any>(method: string, path: string, body?: unknown, as: string = TEST_ADMIN_KEY): Promise<ApiResponse<T>> =>
      httpJson<T>(bases[calls++ % bases.length]!, method, path, body, as);
    const register = async (n: number) => firstKey((await api.inject('POST', '/register', sampleParticipant(n, []))).body);
    const balanceOf = async (id: number) => (await api.inject('GET', `/users/${id}`)).body[id].bbt_tokens as number;
    const placeOrder = async (participantId: number, extra: Record<string, unknown> = {}) => {
      const res = await api.inject('POST', '/boba', { participant_id: participantId, ...extra });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return firstKey(res.body);
    };
    const statusOf = async (orderId: number) =>
      Object.entries<any>((await api.inject('GET', '/boba')).body).find(([id]) => Number(id) === orderId)?.[1].status as string;
    const refundsOf = async (participantId: number) =>
      ((await api.inject('GET', `/users/${participantId}/tokens`)).body.entries as any[]).filter((e) => e.kind === 'refund')
        .length;

    let ada: number;
    let grace: number;

    before(async () => {
      database = await createTestDatabase(backend.name);
      apps = [await startTestApp(backend.name, { BBT_TOKENS_PER_ORDER: '5' }, database)];
      if (backend.name === 'postgres') apps.push(await startTestApp(backend.name, { BBT_TOKENS_PER_ORDER: '5' }, database));
      api = apps[0]!;
      bases = await Promise.all(apps.map((app) => app.listen()));
      ada = await register(1);
      grace = await register(2);
      await api.inject('PUT', '/users/' + ada, { name: 'Ada Lovelace' });
      await api.inject('PUT', '/users/' + grace, { name: 'Grace Hopper' });
      for (const id of [ada, grace]) await api.inject('PUT', '/bbt_token_admin_give', { participant_id: id, tokens: 500 });
    });
    after(async () => {
      for (const app of apps ?? []) await app.close();
      await database?.drop();
    });

    test('a move whose `from` is the current status goes through', async () => {
      const orderId = await placeOrder(ada);
      const res = await api.inject('PUT', '/boba', { order_id: orderId, status: 'In Progress', from: 'Placed' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body[orderId].status, 'In Progress');
      const next = await api.inject('PUT', '/boba', { order_id: orderId, status: 'Out for Delivery', from: 'In Progress' });
      assert.equal(next.body[orderId].status, 'Out for Delivery');
    });

    test('a stale `from` answers 409 order_moved and changes nothing', async () => {
      const orderId = await placeOrder(ada);
      assert.equal((await api.inject('PUT', '/boba', { order_id: orderId, status: 'In Progress', from: 'Placed' })).status, 200);
      const twice = await api.inject('PUT', '/boba', { order_id: orderId, status: 'In Progress', from: 'Placed' });
      assert.deepEqual([twice.status, twice.body], [409, { error: 'Order is no longer Placed', code: 'order_moved' }]);
      // Even a move that would be allowed from the current status is refused when the caller saw another.
      const cancel = await api.inject('PUT', '/boba', { order_id: orderId, status: 'Cancelled', from: 'Placed' });
      assert.deepEqual([cancel.status, cancel.body], [409, { error: 'Order is no longer Placed', code: 'order_moved' }]);
      assert.equal(await statusOf(orderId), 'In Progress');
    });

    test('a cancelled order is refunded once, and a repeated cancel with `from` is a 409', async () => {
      const before = await balanceOf(grace);
      const refundsBefore = await refundsOf(grace);
      const orderId = await placeOrder(grace);
      const first = await api.inject('PUT', '/boba', { order_id: orderId, status: 'Cancelled', from: 'Placed' });
      assert.equal(first.body[orderId].status, 'Cancelled');
      const again = await api.inject('PUT', '/boba', { order_id: orderId, status: 'Cancelled', from: 'Placed' });
      assert.deepEqual([again.status, again.body], [409, { error: 'Order is no longer Placed', code: 'order_moved' }]);
      assert.equal(await balanceOf(grace), before);
      assert.equal(await refundsOf(grace), refundsBefore + 1);
    });

    test('`from` keeps the other rules: a bad status, an impossible move, someone else’s order', async () => {
      const orderId = await placeOrder(ada);
      const bogus = await api.inject('PUT', '/boba', { order_id: orderId, status: 'In Progress', from: 'Lost' });
      assert.deepEqual([bogus.status, bogus.body], [400, { error: 'Invalid status', code: 'invalid_status' }]);
      const impossible = await api.inject('PUT', '/boba', { order_id: orderId, status: 'Delivered', from: 'Placed' });
      assert.deepEqual(
        [impossible.status, impossible.body],
        [400, { error: 'Cannot move an order from Placed to Delivered', code: 'invalid_transition' }],
      );
      const missing = await api.inject('PUT', '/boba', { order_id: 99999, status: 'In Progress', from: 'Placed' });
      assert.deepEqual([missing.status, missing.body.code], [404, 'order_not_found']);

      const graceKey = await api.createKey('participant', grace);
      const notTheirs = await api.inject(
        'PUT',
        '/boba',
        { order_id: orderId, status: 'Cancelled', from: 'In Progress' },
        graceKey,
      );
      assert.equal(notTheirs.status, 403, 'ownership is checked before anything is said about the status');
      const adaKey = await api.createKey('participant', ada);
      const own = await api.inject('PUT', '/boba', { order_id: orderId, status: 'Cancelled', from: 'Placed' }, adaKey);
      assert.equal(own.body[orderId].status, 'Cancelled');
      const ownAgain = await api.inject('PUT', '/boba', { order_id: orderId, status: 'Cancelled', from: 'Placed' }, adaKey);
      assert.deepEqual([ownAgain.status, ownAgain.body.code], [409, 'order_moved']);
    });

    test('two simultaneous moves from the same status: exactly one goes through, refunded at most once', async () => {
      // A double tap, a second device cancelling, and a start racing a cancel (both allowed from Placed).
      const pairs = [
        ['In Progress', 'In Progress'],
        ['Cancelled', 'Cancelled'],
        ['In Progress', 'Cancelled'],
      ] as const;
      for (const pair of pairs) {
        for (let round = 0; round < 4; round++) {
          const refundsBefore = await refundsOf(grace);
          const orderId = await placeOrder(grace);
          const balanceBefore = await balanceOf(grace);
          const answers = await Promise.all(
            pair.map((status) => call('PUT', '/boba', { order_id: orderId, status, from: 'Placed' })),
          );
          assert.deepEqual(answers.map((a) => a.status).sort(), [200, 409], JSON.stringify(answers.map((a) => a.body)));
          assert.equal(answers.find((a) => a.status === 409)!.body.code, 'order_moved');
          const winner = pair[answers.findIndex((a) => a.status === 200)]!;
          assert.equal(await statusOf(orderId), winner);
          const refunded = winner === 'Cancelled' ? 1 : 0;
          assert.equal(await refundsOf(grace), refundsBefore + refunded);
          assert.equal(await balanceOf(grace), balanceBefore + 5 * refunded);
        }
      }
    });

    test('a location is optional, 1 to 100 characters, stored and returned', async () => {
      const placed = await api.inject('POST', '/boba', { participant_id: ada, location: 'Table 12' });
      const orderId = firstKey(placed.body);
      assert.equal(placed.body[orderId].location, 'Table 12');
      const longest = 'R'.repeat(100);
      const far = await placeOrder(ada, { location: longest });
      const plain = await placeOrder(ada);
      const before = await balanceOf(ada);
      for (const location of ['', 'x'.repeat(101), 12, null]) {
        const res = await api.inject('POST', '/boba', { participant_id: ada, location });
        assert.deepEqual(
          [res.status, res.body],
          [400, { error: 'location must be a string of 1 to 100 characters', code: 'validation_failed' }],
          JSON.stringify(location),
        );
      }
      assert.equal(await balanceOf(ada), before, 'a refused order costs nothing');
      const listed = (await api.inject('GET', `/boba?participant_id=${ada}`)).body;
      assert.equal(listed[orderId].location, 'Table 12');
      assert.equal(listed[far].location, longest);
      assert.equal(listed[plain].location, null);
      const moved = await api.inject('PUT', '/boba', { order_id: orderId, status: 'In Progress', from: 'Placed' });
      assert.equal(moved.body[orderId].location, 'Table 12');
    });

    test("every order object names its participant: the placed, the moved, the listed, /me's", async () => {
      const placed = await api.inject('POST', '/boba', { participant_id: grace, location: 'Room E5' });
      const orderId = firstKey(placed.body);
      assert.equal(placed.body[orderId].participant_name, 'Grace Hopper');
      const moved = await api.inject('PUT', '/boba', { order_id: orderId, status: 'In Progress' });
      assert.equal(moved.body[orderId].participant_name, 'Grace Hopper');

      const all = (await api.inject('GET', '/boba')).body;
      assert.ok(Object.keys(all).length > 10);
      for (const order of Object.values<any>(all)) {
        assert.equal(order.participant_name, order.participant_id === ada ? 'Ada Lovelace' : 'Grace Hopper');
      }
      const inProgress = (await api.inject('GET', `/boba?status=In%20Progress&participant_id=${grace}`)).body;
      assert.equal(inProgress[orderId].participant_name, 'Grace Hopper');
      const me = (await api.inject('GET', '/me', undefined, await api.createKey('participant', grace))).body;
      assert.equal(me.orders[orderId].participant_name, 'Grace Hopper');

      // The name is read with the order, so a corrected name shows on the board at once.
      await api.inject('PUT', `/users/${grace}`, { name: 'Rear Admiral Grace Hopper' });
      const renamed = (await api.inject('GET', `/boba?participant_id=${grace}`)).body;
      assert.equal(renamed[orderId].participant_name, 'Rear Admiral Grace Hopper');
      await api.inject('PUT', `/users/${grace}`, { name: 'Grace Hopper' });
    });

    test('live order events carry the name and the location', async () => {
      const stream = openStream(bases[bases.length - 1]!, TEST_ADMIN_KEY);
      try {
        await stream.ready();
        const orderId = firstKey((await call('POST', '/boba', { participant_id: ada, location: 'Table 7' })).body);
        await call('PUT', '/boba', { order_id: orderId, status: 'In Progress', from: 'Placed' });
        const forOrder = () => stream.events.filter((e) => e.event === 'order' && e.data.order_id === orderId);
        await stream.waitFor(() => forOrder().length >= 2, 'both order events');
        assert.deepEqual(
          forOrder().map((e) => [e.data.order.status, e.data.order.participant_name, e.data.order.location]),
          [
            ['Placed', 'Ada Lovelace', 'Table 7'],
            ['In Progress', 'Ada Lovelace', 'Table 7'],
          ],
        );
      } finally {
        await stream.close();
      }
    });

    test('an exchange by badge tells participant 1 whom they met', async () => {
      const adaKey = await api.createKey('participant', ada);
      const graceMe = (await api.inject('GET', '/me', undefined, await api.createKey('participant', grace))).body;
      // What Ada's phone reads off Grace's: her badge, and the live code it shows now.
      const scanned = {
        participant_2_badge: graceMe.badge.badge,
        participant_2_code: totp(base32ToBytes(graceMe.live_code.secret), Date.now()),
      };
      const res = await api.inject('PUT', '/bbt_token_exchange', scanned, adaKey);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.participant_2_name, 'Grace Hopper');
      assert.equal(typeof res.body.new_tokens_1, 'number');
    });
  });
}
