import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { DatabaseHandle } from '../src/db/database.js';
import { enqueueWebhookEvent } from '../src/modules/webhooks/webhooks.outbox.js';
import { BACKENDS, createTestDatabase, openTestDatabase, TEST_ADMIN_KEY, type TestDatabase } from './helpers.js';
import { waitUntil } from './sse-client.js';
import { type Receiver, startReceiver } from './webhooks-receiver.js';

const postgres = BACKENDS.find((backend) => backend.name === 'postgres')!;
const INSTANCES = 3;
const ENDPOINTS = 4;
const EVENTS = 60;

describe('webhooks with several API instances on one PostgreSQL database', { skip: postgres.skip, timeout: 120_000 }, () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let receiver: Receiver;
  const apps: FastifyInstance[] = [];

  before(async () => {
    database = await createTestDatabase('postgres');
    receiver = await startReceiver();
    const config = loadConfig({
      DATABASE_URL: database.url,
      DEMO_PARTICIPANTS: '0',
      LOG_LEVEL: 'silent',
      TAPIOCA_ADMIN_KEY: TEST_ADMIN_KEY,
    });
    for (let i = 0; i < INSTANCES; i++) {
      const app = await buildApp(config, { webhooks: { pollMs: 20, retryBaseMs: 10 } });
      await app.ready();
      apps.push(app);
    }
    handle = openTestDatabase(database);
  });
  after(async () => {
    for (const app of apps) await app.close();
    await handle?.destroy();
    await receiver?.close();
    await database?.drop();
  });

  test('every delivery reaches its receiver exactly once, in order per endpoint', async () => {
    const paths = Array.from({ length: ENDPOINTS }, (_, n) => `/endpoint-${n}`);
    for (const path of paths) {
      // Answers after a moment, so instances overlap while sends are in flight.
      receiver.answer(path, () => new Promise((resolve) => setTimeout(() => resolve({ status: 200 }), Math.random() * 3)));
      const res = await apps[0]!.inject({
        method: 'POST',
        url: '/webhooks',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
        payload: { url: `${receiver.base}${path}`, events: ['order.moved'] },
      });
      assert.equal(res.statusCode, 201);
    }
    // One transaction after another, as causally ordered changes are: ids then follow the order of commits.
    for (let order = 1; order <= EVENTS; order++) {
      await handle.transact((trx) =>
        enqueueWebhookEvent(
          trx,
          'order.moved',
          { order_id: order, participant_id: 1, from: 'Placed', to: 'In Progress', location: null },
          Date.now(),
        ),
      );
    }
    const total = ENDPOINTS * EVENTS;
    await waitUntil(
      async () => {
        const delivered = await handle.db
          .selectFrom('webhook_deliveries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', '=', 'delivered')
          .executeTakeFirstOrThrow();
        return Number(delivered.n) === total;
      },
      'every delivery to be delivered',
      60_000,
    );

    const ids = receiver.received.map((request) => String(request.headers['webhook-id']));
    assert.equal(ids.length, total, 'no delivery was sent twice');
    assert.equal(new Set(ids).size, total);
    for (const path of paths) {
      const orders = receiver.at(path).map((request) => JSON.parse(request.body).data.order_id as number);
      assert.deepEqual(
        orders,
        Array.from({ length: EVENTS }, (_, n) => n + 1),
        `${path} got its events in order`,
      );
    }
    const attempts = await handle.db.selectFrom('webhook_attempts').select(['delivery_id', 'status_code']).execute();
    assert.equal(attempts.length, total);
    assert.ok(attempts.every((attempt) => attempt.status_code === 200));
  });
});
