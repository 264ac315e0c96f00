import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { type BuildOptions, buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { DatabaseHandle } from '../src/db/database.js';
import { enqueueWebhookEvent, type WebhookEvent } from '../src/modules/webhooks/webhooks.outbox.js';
import {
  type ApiResponse,
  BACKENDS,
  createTestDatabase,
  manualClock,
  openTestDatabase,
  sampleParticipant,
  TEST_ADMIN_KEY,
  type TestDatabase,
} from './helpers.js';
import { waitUntil } from './sse-client.js';
import { closedPortUrl, type Receiver, startReceiver } from './webhooks-receiver.js';

const HOUR_MS = 3600_000;
const WAIT_MS = 20_000;

interface Api {
  app: FastifyInstance;
  handle: DatabaseHandle;
  database: TestDatabase;
  inject<T = any>(method: string, url: string, body?: unknown): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

async function startApi(backend: 'sqlite' | 'postgres', options: BuildOptions): Promise<Api> {
  const database = await createTestDatabase(backend);
  const config = loadConfig({
    DATABASE_URL: database.url,
    DEMO_PARTICIPANTS: '0',
    LOG_LEVEL: 'silent',
    TAPIOCA_ADMIN_KEY: TEST_ADMIN_KEY,
    BBT_TOKENS_COOLDOWN: '0',
  });
  const app = await buildApp(config, options);
  const handle = openTestDatabase(database);
  return {
    app,
    handle,
    database,
    async inject(method, url, body) {
      const response = await app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      const json = (response.headers['content-type'] ?? '').toString().includes('json');
      return { status: response.statusCode, body: json ? response.json() : (response.body as never), headers: response.headers };
    },
    async close() {
      await app.close();
      await handle.destroy();
      await database.drop();
    },
  };
}

/** Writes an event to the outbox as a service does, in a transaction of its own. */
const enqueue = (api: Api, event: WebhookEvent, data: object, now = Date.now()) =>
  api.handle.transact((trx) => enqueueWebhookEvent(trx, event, data, now));

async function register(api: Api, url: string, events: string[], format?: string): Promise<{ id: number; secret: string }> {
  const res = await api.inject('POST', '/webhooks', { url, events, ...(format ? { format } : {}) });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body;
}

interface DeliveryView {
  id: number;
  webhook_id: number;
  event: string;
  data: Record<string, unknown>;
  status: string;
  next_attempt_at: string | null;
  finished_at: string | null;
  attempts: {
    attempted_at: string;
    duration_ms: number;
    status_code: number | null;
    response: string | null;
    error: string | null;
  }[];
}

async function deliveriesOf(api: Api, webhookId: number): Promise<DeliveryView[]> {
  const res = await api.inject('GET', `/webhooks/${webhookId}/deliveries`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.deliveries;
}

const waitForDeliveries = async (api: Api, webhookId: number, what: string, done: (deliveries: DeliveryView[]) => boolean) => {
  let last: DeliveryView[] = [];
  await waitUntil(async () => done((last = await deliveriesOf(api, webhookId))), what, WAIT_MS);
  return last;
};

const checkIn = (participantId: number) => ({
  participant_id: participantId,
  checked_in_at: new Date().toISOString(),
  offline: false,
});

for (const backend of BACKENDS) {
  describe(`webhooks (${backend.name})`, { skip: backend.skip, timeout: 120_000 }, () => {
    let api: Api;
    let receiver: Receiver;

    before(async () => {
      receiver = await startReceiver();
      // A long timeout: a receiver that never answers stays in flight for the whole test.
      api = await startApi(backend.name, { webhooks: { pollMs: 20, retryBaseMs: 10, timeoutMs: 60_000 } });
    });
    after(async () => {
      await api?.close();
      await receiver?.close();
    });

    test('POST /webhooks checks its body and shows a Standard Webhooks secret only once', async () => {
      for (const [body, message] of [
        [{ url: 'ftp://example.com/x', events: ['check_in'] }, /url must be an http or https URL/],
        [{ url: 'http://', events: ['check_in'] }, /url must be an http or https URL/],
        [{ url: 'https://example.com/x', events: [] }, /events must be a non-empty list/],
        [{ url: 'https://example.com/x', events: ['check_in', 'order.*'] }, /events must be a non-empty list/],
        [{ url: 'https://example.com/x', events: ['check_in'], format: 'xml' }, /format must be one of json, discord, slack/],
      ] as const) {
        const res = await api.inject('POST', '/webhooks', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.code, 'validation_failed');
        assert.match(res.body.error, message);
      }

      const res = await api.inject('POST', '/webhooks', {
        url: 'https://example.com/hook',
        events: ['loan.lent', 'check_in', 'loan.*', 'check_in'],
      });
      assert.equal(res.status, 201);
      const { id, secret, created_at, ...rest } = res.body;
      assert.deepEqual(rest, { url: 'https://example.com/hook', events: ['check_in', 'loan.*'], format: 'json' });
      assert.match(secret, /^whsec_[A-Za-z0-9+/]+={0,2}$/);
      assert.ok(Buffer.from(secret.slice('whsec_'.length), 'base64').length >= 24);
      assert.ok(!Number.isNaN(Date.parse(created_at)));

      const listed = (await api.inject('GET', '/webhooks')).body;
      assert.deepEqual(listed[id], {
        id,
        url: 'https://example.com/hook',
        events: ['check_in', 'loan.*'],
        format: 'json',
        created_at,
        pending: 0,
        failed: 0,
      });
      assert.ok(!JSON.stringify(listed).includes('whsec_'));
      assert.equal((await api.inject('DELETE', `/webhooks/${id}`)).status, 200);
    });

    test('a delivery is signed per Standard Webhooks and verifies, by hand and with the standardwebhooks library', async () => {
      const hook = await register(api, `${receiver.base}/signed`, ['check_in']);
      const other = await register(api, `${receiver.base}/scans-only`, ['scan']);
      receiver.answer('/signed', () => ({ status: 204 }));
      await enqueue(api, 'check_in', checkIn(42));
      await waitUntil(() => receiver.at('/signed').length === 1, 'the signed delivery', WAIT_MS);
      const [request] = receiver.at('/signed');
      const { headers, body } = request!;

      const [delivery] = await waitForDeliveries(api, hook.id, 'delivered', (list) => list[0]?.status === 'delivered');
      assert.equal(headers['webhook-id'], `msg_${delivery!.id}`);
      assert.equal(headers['content-type'], 'application/json');
      assert.equal(headers['user-agent'], 'Tapioca-Webhooks');
      const timestamp = String(headers['webhook-timestamp']);
      assert.match(timestamp, /^\d+$/);
      assert.ok(Math.abs(Number(timestamp) - Date.now() / 1000) < 300);

      const key = Buffer.from(hook.secret.slice('whsec_'.length), 'base64');
      const expected = createHmac('sha256', key).update(`${headers['webhook-id']}.${timestamp}.${body}`).digest('base64');
      assert.equal(headers['webhook-signature'], `v1,${expected}`);
      const verified = new Webhook(hook.secret).verify(body, headers as Record<string, string>);
      const parsed = JSON.parse(body);
      assert.deepEqual(verified, parsed);
      assert.equal(parsed.type, 'check_in');
      assert.deepEqual(parsed.data, delivery!.data);
      assert.equal(parsed.data.participant_id, 42);
      assert.ok(!Number.isNaN(Date.parse(parsed.timestamp)));
      // Another endpoint's secret, or a changed body, does not verify.
      assert.throws(() => new Webhook(other.secret).verify(body, headers as Record<string, string>));
      assert.throws(() => new Webhook(hook.secret).verify(body.replace('42', '43'), headers as Record<string, string>));

      assert.equal(delivery!.attempts.length, 1);
      assert.equal(delivery!.attempts[0]!.status_code, 204);
      assert.equal(delivery!.attempts[0]!.error, null);
      // Subscribed to scans only: the check-in was not queued for it.
      assert.deepEqual(await deliveriesOf(api, other.id), []);
    });

    test('loan.* subscribes to every loan event', async () => {
      const hook = await register(api, `${receiver.base}/loans`, ['loan.*']);
      const loan = {
        loan_id: 3,
        item_id: 1,
        item_name: 'Arduino',
        participant_id: 5,
        quantity: 1,
        returned: 0,
        lost: 0,
        status: 'out',
        due_at: null,
      };
      await enqueue(api, 'loan.lent', loan);
      await enqueue(api, 'loan.returned', { ...loan, returned: 1, status: 'returned' });
      await enqueue(api, 'order.moved', { order_id: 1, participant_id: 5, from: 'Placed', to: 'In Progress', location: null });
      await waitUntil(() => receiver.at('/loans').length === 2, 'both loan events', WAIT_MS);
      assert.deepEqual(
        receiver.at('/loans').map((request) => JSON.parse(request.body).type),
        ['loan.lent', 'loan.returned'],
      );
      assert.equal((await deliveriesOf(api, hook.id)).length, 2);
    });

    test('a receiver answering 500 gets the same message again, delivered on the second attempt', async () => {
      const hook = await register(api, `${receiver.base}/flaky`, ['tokens.granted']);
      receiver.answer('/flaky', (_request, nth) => (nth === 1 ? { status: 500, body: 'boom' } : { status: 200, body: 'ok' }));
      await enqueue(api, 'tokens.granted', { participant_id: 7, amount: 5, balance: 5 });
      const [delivery] = await waitForDeliveries(
        api,
        hook.id,
        'delivered after a retry',
        (list) => list[0]?.status === 'delivered',
      );
      assert.deepEqual(
        delivery!.attempts.map(({ status_code, response, error }) => ({ status_code, response, error })),
        [
          { status_code: 500, response: 'boom', error: null },
          { status_code: 200, response: 'ok', error: null },
        ],
      );
      assert.ok(delivery!.finished_at);
      assert.equal(delivery!.next_attempt_at, null);
      const requests = receiver.at('/flaky');
      assert.equal(requests.length, 2);
      assert.deepEqual(
        requests.map((request) => request.headers['webhook-id']),
        [`msg_${delivery!.id}`, `msg_${delivery!.id}`],
      );
      assert.equal(requests[0]!.body, requests[1]!.body);
    });

    test('an endpoint gets its events in order, a failing one holding back the rest', async () => {
      const hook = await register(api, `${receiver.base}/ordered`, ['order.moved']);
      receiver.answer('/ordered', (_request, nth) => (nth === 1 ? { status: 503 } : { status: 200 }));
      for (let order = 1; order <= 5; order++) {
        await enqueue(api, 'order.moved', {
          order_id: order,
          participant_id: 1,
          from: 'Placed',
          to: 'In Progress',
          location: null,
        });
      }
      const deliveries = await waitForDeliveries(
        api,
        hook.id,
        'five deliveries',
        (list) => list.length === 5 && list.every((d) => d.status === 'delivered'),
      );
      const ids = deliveries.map((delivery) => delivery.id).sort((a, b) => a - b);
      assert.deepEqual(
        receiver.at('/ordered').map((request) => request.headers['webhook-id']),
        [ids[0], ...ids].map((id) => `msg_${id}`),
      );
      assert.deepEqual(
        receiver.at('/ordered').map((request) => JSON.parse(request.body).data.order_id),
        [1, 1, 2, 3, 4, 5],
      );
      // Newest first.
      assert.deepEqual(
        deliveries.map((delivery) => delivery.id),
        [...ids].reverse(),
      );
    });

    test('a dead receiver and one that never answers hold up neither requests nor other endpoints', async () => {
      const dead = await register(api, await closedPortUrl(), ['scan']);
      const slow = await register(api, `${receiver.base}/never`, ['scan']);
      await register(api, `${receiver.base}/healthy`, ['scan']);
      receiver.answer('/never', () => 'hang');
      const scan = {
        scan_id: 1,
        checkpoint_id: 2,
        checkpoint_name: 'Lunch',
        participant_id: 9,
        outcome: 'accepted',
        reason: null,
        scanned_at: new Date().toISOString(),
      };
      await enqueue(api, 'scan', scan);
      await enqueue(api, 'scan', { ...scan, scan_id: 2 });
      await waitUntil(() => receiver.hanging.size === 1, 'the slow receiver to hold a request open', WAIT_MS);
      await waitUntil(() => receiver.at('/healthy').length === 2, 'the healthy endpoint to get both scans', WAIT_MS);
      const deadDeliveries = await waitForDeliveries(api, dead.id, 'failed attempts at the dead receiver', (list) =>
        list.some((delivery) => delivery.attempts.length >= 2),
      );

      // The API answers, writes included, while a delivery is still in flight.
      const listed = await api.inject('GET', '/webhooks');
      assert.equal(listed.status, 200);
      assert.equal(listed.body[slow.id].pending, 2);
      assert.ok(listed.body[dead.id].pending >= 1);
      const participant = await api.inject('POST', '/register', sampleParticipant(1));
      assert.equal(participant.status, 200);
      assert.equal(receiver.hanging.size, 1, 'the slow delivery is still in flight');
      assert.equal(receiver.at('/never').length, 1, "the slow endpoint's second scan waits behind its first");

      const deadAttempt = deadDeliveries.find((delivery) => delivery.attempts.length > 0)!.attempts[0]!;
      assert.equal(deadAttempt.status_code, null);
      assert.match(deadAttempt.error ?? '', /ECONNREFUSED/);
      assert.equal((await deliveriesOf(api, dead.id)).filter((delivery) => delivery.status === 'pending').length, 2);

      // Deleting the endpoints cancels what they still had queued, the delivery in flight included.
      for (const id of [dead.id, slow.id]) assert.equal((await api.inject('DELETE', `/webhooks/${id}`)).status, 200);
      const statuses = await api.handle.db
        .selectFrom('webhook_deliveries')
        .select('status')
        .where('endpoint_id', 'in', [dead.id, slow.id])
        .execute();
      assert.deepEqual(new Set(statuses.map((row) => row.status)), new Set(['cancelled']));
    });

    test('instrumented routes queue their events: check-in, grant, scan and loan', async () => {
      const discord = await register(api, `${receiver.base}/discord`, ['check_in'], 'discord');
      const slack = await register(api, `${receiver.base}/slack`, ['tokens.granted'], 'slack');
      const registered = await api.inject('POST', '/register', sampleParticipant(2));
      const participantId = Number(Object.keys(registered.body)[0]);
      assert.equal((await api.inject('POST', '/checkin', { participant_id: participantId })).status, 200);
      assert.equal((await api.inject('PUT', '/bbt_token_admin_give', { participant_id: participantId, tokens: 5 })).status, 200);
      await waitUntil(
        () => receiver.at('/discord').length === 1 && receiver.at('/slack').length === 1,
        'both chat messages',
        WAIT_MS,
      );
      assert.deepEqual(JSON.parse(receiver.at('/discord')[0]!.body), {
        content: `✅ Participant #${participantId} checked in`,
        allowed_mentions: { parse: [] },
      });
      assert.deepEqual(JSON.parse(receiver.at('/slack')[0]!.body), {
        text: `🪙 Participant #${participantId} got 5 tokens (balance 5)`,
      });
      const [delivery] = await deliveriesOf(api, discord.id);
      // Ids and non-personal fields only.
      assert.equal(delivery!.data.participant_id, participantId);
      assert.ok(!JSON.stringify(delivery!.data).includes('example.com'));
      assert.equal((await deliveriesOf(api, slack.id)).length, 1);

      await register(api, `${receiver.base}/floor`, ['scan', 'loan.*'], 'discord');
      const checkpoint = { name: 'Lunch', kind: 'other', per_participant_limit: null, requires_check_in: false };
      const checkpointId = Number(Object.keys((await api.inject('POST', '/checkpoints', checkpoint)).body)[0]);
      const scan = await api.inject('POST', `/checkpoints/${checkpointId}/scans`, {
        participant_id: participantId,
        nonce: 'webhook-e2e-scan',
      });
      assert.equal(scan.status, 201, JSON.stringify(scan.body));
      const item = { name: 'Arduino Uno', quantity: 3, per_participant_limit: null, requires_check_in: false };
      const itemId = Number(Object.keys((await api.inject('POST', '/hardware', item)).body)[0]);
      const loan = await api.inject('POST', '/hardware/loans', { item_id: itemId, participant_id: participantId });
      const loanId = Number(Object.keys(loan.body)[0]);
      await waitUntil(() => receiver.at('/floor').length === 2, 'the scan and the loan', WAIT_MS);
      assert.deepEqual(
        receiver.at('/floor').map((request) => JSON.parse(request.body).content),
        [
          `📍 Participant #${participantId} scanned at Lunch`,
          `🔌 1 × Arduino Uno lent to participant #${participantId} (loan #${loanId})`,
        ],
      );
    });

    test('chat formats escape what people typed', async () => {
      await register(api, `${receiver.base}/discord-scan`, ['scan', 'order.moved'], 'discord');
      await register(api, `${receiver.base}/slack-scan`, ['scan', 'order.moved'], 'slack');
      const scan = {
        scan_id: 5,
        checkpoint_id: 2,
        checkpoint_name: '*VIP* <!channel> @everyone',
        participant_id: null,
        outcome: 'refused',
        reason: 'unknown_badge',
        scanned_at: new Date().toISOString(),
      };
      await enqueue(api, 'scan', scan);
      await enqueue(api, 'order.moved', {
        order_id: 7,
        participant_id: 1,
        from: 'In Progress',
        to: 'Out for Delivery',
        location: 'Table 12',
      });
      await waitUntil(
        () => receiver.at('/discord-scan').length === 2 && receiver.at('/slack-scan').length === 2,
        'chat messages',
        WAIT_MS,
      );
      assert.deepEqual(
        receiver.at('/discord-scan').map((request) => JSON.parse(request.body).content),
        [
          '⛔ Scan refused at \\*VIP\\* <!channel> @everyone: unknown badge',
          '🧋 Order #7 moved In Progress → Out for Delivery (Table 12)',
        ],
      );
      assert.deepEqual(
        receiver.at('/slack-scan').map((request) => JSON.parse(request.body).text),
        [
          '⛔ Scan refused at *VIP* &lt;!channel&gt; @everyone: unknown badge',
          '🧋 Order #7 moved In Progress → Out for Delivery (Table 12)',
        ],
      );
    });

    test('unknown ids answer 404 with their codes', async () => {
      for (const [method, url, code] of [
        ['GET', '/webhooks/999999/deliveries', 'webhook_not_found'],
        ['GET', '/webhooks/abc/deliveries', 'webhook_not_found'],
        ['DELETE', '/webhooks/999999', 'webhook_not_found'],
        ['POST', '/webhooks/deliveries/999999/retry', 'delivery_not_found'],
        ['POST', '/webhooks/deliveries/0/retry', 'delivery_not_found'],
      ] as const) {
        const res = await api.inject(method, url);
        assert.deepEqual([res.status, res.body.code], [404, code], `${method} ${url}`);
      }
    });

    test('closing the app abandons a send in flight and gives its lease back for another process', async () => {
      const closing = await startApi(backend.name, { webhooks: { pollMs: 20, timeoutMs: 60_000 } });
      try {
        const hook = await register(closing, `${receiver.base}/held`, ['check_in']);
        receiver.answer('/held', () => 'hang');
        await enqueue(closing, 'check_in', checkIn(3));
        await waitUntil(() => receiver.at('/held').length === 1, 'the send to be in flight', WAIT_MS);
        const leased = await closing.handle.db
          .selectFrom('webhook_deliveries')
          .select('lease_until')
          .where('endpoint_id', '=', hook.id)
          .executeTakeFirstOrThrow();
        assert.ok(leased.lease_until !== null);

        await closing.app.close();
        const row = await closing.handle.db
          .selectFrom('webhook_deliveries')
          .select(['status', 'attempts', 'lease_until'])
          .where('endpoint_id', '=', hook.id)
          .executeTakeFirstOrThrow();
        assert.deepEqual(row, { status: 'pending', attempts: 0, lease_until: null });
        assert.deepEqual(await closing.handle.db.selectFrom('webhook_attempts').selectAll().execute(), []);
      } finally {
        await closing.handle.destroy();
        await closing.database.drop();
      }
    });
  });

  describe(`webhook retries over time (${backend.name})`, { skip: backend.skip, timeout: 120_000 }, () => {
    const clock = manualClock();
    let api: Api;
    let receiver: Receiver;

    before(async () => {
      receiver = await startReceiver();
      api = await startApi(backend.name, { clock, webhooks: { pollMs: 20, retryBaseMs: 60_000, timeoutMs: 200 } });
    });
    after(async () => {
      await api?.close();
      await receiver?.close();
    });

    test('retried with growing delays for 24 hours, then failed; a retry by hand sends it again', async () => {
      const hook = await register(api, `${receiver.base}/down`, ['check_in']);
      receiver.answer('/down', () => ({ status: 503, body: 'maintenance' }));
      await enqueue(api, 'check_in', checkIn(1), clock.now());
      let [delivery] = await waitForDeliveries(api, hook.id, 'the first attempt', (list) => list[0]?.attempts.length === 1);
      assert.equal(delivery!.status, 'pending');
      const nextAt = Date.parse(delivery!.next_attempt_at!);
      // 60 s base delay, ±25% jitter.
      assert.ok(
        nextAt >= clock.now() + 45_000 && nextAt <= clock.now() + 75_000,
        `${JSON.stringify(delivery)} now ${new Date(clock.now()).toISOString()}`,
      );

      // Not due yet, so nothing more is sent; a retry by hand is refused while it is pending.
      const pending = await api.inject('POST', `/webhooks/deliveries/${delivery!.id}/retry`);
      assert.deepEqual([pending.status, pending.body.code], [409, 'delivery_pending']);

      clock.advance(2 * 60_000);
      [delivery] = await waitForDeliveries(api, hook.id, 'the second attempt', (list) => list[0]?.attempts.length === 2);
      const secondNext = Date.parse(delivery!.next_attempt_at!);
      assert.ok(
        secondNext >= clock.now() + 90_000 && secondNext <= clock.now() + 150_000,
        `the delay doubled: ${JSON.stringify(delivery)} now ${new Date(clock.now()).toISOString()}`,
      );

      clock.advance(24 * HOUR_MS);
      [delivery] = await waitForDeliveries(api, hook.id, 'failed', (list) => list[0]?.status === 'failed');
      assert.equal(delivery!.attempts.length, 3);
      assert.equal(delivery!.next_attempt_at, null);
      assert.ok(delivery!.finished_at);
      assert.equal((await api.inject('GET', '/webhooks')).body[hook.id].failed, 1);

      receiver.answer('/down', () => ({ status: 200 }));
      const retried = await api.inject('POST', `/webhooks/deliveries/${delivery!.id}/retry`);
      assert.equal(retried.status, 200);
      assert.equal(retried.body.status, 'pending');
      assert.equal(retried.body.id, delivery!.id);
      [delivery] = await waitForDeliveries(api, hook.id, 'delivered by hand', (list) => list[0]?.status === 'delivered');
      assert.deepEqual(
        delivery!.attempts.map((attempt) => attempt.status_code),
        [503, 503, 503, 200],
      );
      assert.equal(new Set(receiver.at('/down').map((request) => request.headers['webhook-id'])).size, 1);

      // A delivered one may be sent again too (the receiver lost it).
      const again = await api.inject('POST', `/webhooks/deliveries/${delivery!.id}/retry`);
      assert.equal(again.status, 200);
      await waitForDeliveries(
        api,
        hook.id,
        'delivered again',
        (list) => list[0]?.attempts.length === 5 && list[0].status === 'delivered',
      );
    });

    test('a receiver that does not answer in time counts as a failed attempt', async () => {
      const hook = await register(api, `${receiver.base}/hang`, ['order.created']);
      receiver.answer('/hang', () => 'hang');
      await enqueue(
        api,
        'order.created',
        {
          order_id: 1,
          participant_id: 1,
          status: 'Placed',
          size: 'Large',
          flavour: 'Taro',
          sweetness: '50% Sweet',
          ice: 'Less Ice',
          toppings: 'Boba',
          location: null,
          cost: 5,
        },
        clock.now(),
      );
      const [delivery] = await waitForDeliveries(api, hook.id, 'the timed-out attempt', (list) => list[0]?.attempts.length === 1);
      assert.equal(delivery!.status, 'pending');
      assert.deepEqual(
        { status_code: delivery!.attempts[0]!.status_code, error: delivery!.attempts[0]!.error },
        { status_code: null, error: 'No answer within 0.2 s' },
      );
    });

    test('DELETE cancels the pending deliveries; the webhook and its deliveries are then gone', async () => {
      const hook = await register(api, `${receiver.base}/stuck`, ['tokens.granted']);
      receiver.answer('/stuck', () => ({ status: 500 }));
      for (let n = 1; n <= 3; n++)
        await enqueue(api, 'tokens.granted', { participant_id: n, amount: 1, balance: n }, clock.now());
      const deliveries = await waitForDeliveries(
        api,
        hook.id,
        'the head to be tried',
        (list) => list.length === 3 && list[2]!.attempts.length === 1,
      );
      assert.deepEqual(
        deliveries.map((delivery) => [delivery.status, delivery.attempts.length]),
        [
          ['pending', 0],
          ['pending', 0],
          ['pending', 1],
        ],
      );

      const deleted = await api.inject('DELETE', `/webhooks/${hook.id}`);
      assert.equal(deleted.status, 200);
      assert.equal(deleted.body.pending, 0);
      assert.deepEqual([(await api.inject('DELETE', `/webhooks/${hook.id}`)).body.code], ['webhook_not_found']);
      assert.deepEqual((await api.inject('GET', `/webhooks/${hook.id}/deliveries`)).body.code, 'webhook_not_found');
      assert.equal((await api.inject('GET', '/webhooks')).body[hook.id], undefined);
      const rows = await api.handle.db
        .selectFrom('webhook_deliveries')
        .select(['id', 'status', 'finished_at'])
        .where('endpoint_id', '=', hook.id)
        .execute();
      assert.deepEqual(
        rows.map((row) => row.status),
        ['cancelled', 'cancelled', 'cancelled'],
      );
      assert.ok(rows.every((row) => row.finished_at === clock.now()));
      const retry = await api.inject('POST', `/webhooks/deliveries/${rows[0]!.id}/retry`);
      assert.deepEqual([retry.status, retry.body.code], [404, 'delivery_not_found']);

      // Nothing more is queued for it.
      await enqueue(api, 'tokens.granted', { participant_id: 4, amount: 1, balance: 4 }, clock.now());
      const count = await api.handle.db
        .selectFrom('webhook_deliveries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('endpoint_id', '=', hook.id)
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 3);
    });
  });
}
