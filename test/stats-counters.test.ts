import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import * as statsCounters from '../src/db/migrations/20261201_06_stats_counters.js';
import * as metricsCounters from '../src/db/migrations/20261202_16_metrics_counters.js';
import { BOBA_STATUSES, type Db } from '../src/db/tables.js';
import { generateParticipants } from '../src/demo/generate-participants.js';
import { importParticipants } from '../src/modules/import/import.service.js';
import { freePort } from '../scripts/free-port.js';
import { BACKENDS, openTestDatabase, sampleParticipant, startTestApp, type TestApp } from './helpers.js';

const HOUR_MS = 3_600_000;

interface Counts {
  participants: number;
  checked_in: number;
  tokens_in_circulation: number;
  orders_by_status: Record<string, number>;
  check_ins_over_time: { hour: string; count: number }[];
  /** GET /metrics's: tokens each kind of ledger row gave (`<kind>:in`) and took, deliveries by status. */
  ledger: Record<string, number>;
  webhook_deliveries: Record<string, number>;
}

/** Non-zero entries only, sorted: what the ledger and delivery counts compare as. */
const nonZero = (entries: [string, number][]) =>
  Object.fromEntries(entries.filter(([, value]) => value !== 0).sort(([a], [b]) => a.localeCompare(b)));

/** The dashboard's counts, counted row by row from the tables themselves. */
async function recount(db: Db): Promise<Counts> {
  const participants = await db.selectFrom('participants').select('bbt_tokens').execute();
  const orders = await db.selectFrom('boba_orders').select('status').execute();
  const checkIns = await db.selectFrom('check_ins').select('checked_in_at').execute();
  const ledger = new Map<string, number>();
  for (const { kind, amount } of await db.selectFrom('token_ledger').select(['kind', 'amount']).execute()) {
    const counter = `${kind}:${amount > 0 ? 'in' : 'out'}`;
    ledger.set(counter, (ledger.get(counter) ?? 0) + Math.abs(amount));
  }
  const deliveries = new Map<string, number>();
  for (const { status } of await db.selectFrom('webhook_deliveries').select('status').execute()) {
    deliveries.set(status, (deliveries.get(status) ?? 0) + 1);
  }
  const hours = new Map<number, number>();
  for (const { checked_in_at } of checkIns) {
    const hour = Math.floor(Number(checked_in_at) / HOUR_MS) * HOUR_MS;
    hours.set(hour, (hours.get(hour) ?? 0) + 1);
  }
  return {
    participants: participants.length,
    checked_in: checkIns.length,
    tokens_in_circulation: participants.reduce((sum, p) => sum + p.bbt_tokens, 0),
    orders_by_status: Object.fromEntries(
      BOBA_STATUSES.map((status) => [status, orders.filter((o) => o.status === status).length]),
    ),
    check_ins_over_time: [...hours]
      .sort(([a], [b]) => a - b)
      .map(([hour, count]) => ({ hour: new Date(hour).toISOString(), count })),
    ledger: nonZero([...ledger]),
    webhook_deliveries: nonZero([...deliveries]),
  };
}

/** The same counts as the counter tables hold them, shards summed. */
async function maintained(db: Db): Promise<Counts> {
  const counters = new Map(
    (
      await sql<{
        counter: string;
        value: number;
      }>`select counter, cast(sum(value) as bigint) as value from stats_counters group by counter`.execute(db)
    ).rows.map((row) => [row.counter, Number(row.value)]),
  );
  const hours = (
    await sql<{ hour: number; count: number }>`
      select hour, cast(sum(count) as bigint) as count from stats_check_in_hours group by hour having sum(count) <> 0 order by hour`.execute(
      db,
    )
  ).rows.map((row) => ({ hour: new Date(Number(row.hour) * HOUR_MS).toISOString(), count: Number(row.count) }));
  return {
    participants: counters.get('participants') ?? 0,
    checked_in: hours.reduce((sum, h) => sum + h.count, 0),
    tokens_in_circulation: counters.get('tokens') ?? 0,
    orders_by_status: Object.fromEntries(BOBA_STATUSES.map((status) => [status, counters.get(`order:${status}`) ?? 0])),
    check_ins_over_time: hours,
    ledger: nonZero([...counters].filter(([name]) => name.startsWith('ledger:')).map(([name, v]) => [name.slice(7), v])),
    webhook_deliveries: nonZero(
      [...counters].filter(([name]) => name.startsWith('webhook:')).map(([name, v]) => [name.slice(8), v]),
    ),
  };
}

for (const backend of BACKENDS) {
  describe(`stats counters (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let direct: ReturnType<typeof openTestDatabase>;
    before(async () => {
      api = await startTestApp(backend.name, { BBT_TOKENS_COOLDOWN: '0', BBT_PAIR_EXCHANGES: '0' });
      direct = openTestDatabase(api.database);
    });
    after(async () => {
      await direct?.destroy();
      await api?.close();
    });

    /** GET /stats and the counter tables both agree with a recount. */
    const assertCounted = async (after: string) => {
      const expected = await recount(direct.db);
      assert.deepEqual(await maintained(direct.db), expected, `counter tables after ${after}`);
      const { participants, checked_in, tokens_in_circulation, orders_by_status, check_ins_over_time } = (
        await api.inject('GET', '/stats')
      ).body;
      const { ledger: _ledger, webhook_deliveries: _deliveries, ...dashboard } = expected;
      assert.deepEqual(
        { participants, checked_in, tokens_in_circulation, orders_by_status, check_ins_over_time },
        dashboard,
        `GET /stats after ${after}`,
      );
    };
    const ok = async (method: string, url: string, body?: unknown) => {
      const res = await api.inject(method, url, body);
      assert.equal(res.status, 200, `${method} ${url}: ${JSON.stringify(res.body)}`);
      return res.body;
    };

    test('stay equal to a recount through every kind of write, by the API, another connection and the import', async () => {
      for (let n = 1; n <= 6; n++) await ok('POST', '/register', sampleParticipant(n));
      await assertCounted('registrations');
      // Nothing listens there: its deliveries stay pending (the retries are minutes apart).
      const hook = { url: `http://127.0.0.1:${await freePort()}/`, events: ['check_in', 'order.created', 'tokens.granted'] };
      assert.equal((await api.inject('POST', '/webhooks', hook)).status, 201);

      for (const id of [1, 2, 3, 4]) await ok('PUT', '/bbt_token_admin_give', { participant_id: id, tokens: 20 + id });
      await ok('PUT', '/bbt_token_admin_give', { participant_id: 4, tokens: -3 });
      for (const id of [1, 2, 3]) await ok('POST', '/checkin', { participant_id: id });
      const placed = [];
      for (const id of [1, 2, 2, 3]) placed.push(Number(Object.keys(await ok('POST', '/boba', { participant_id: id }))[0]));
      await ok('PUT', '/boba', { order_id: placed[0], status: 'In Progress' });
      await ok('PUT', '/boba', { order_id: placed[0], status: 'Out for Delivery' });
      await ok('PUT', '/boba', { order_id: placed[1], status: 'Cancelled' });
      await ok('PUT', '/bbt_token_exchange', { participant_1_id: 1, participant_2_id: 5 });
      await ok('PUT', '/bbt_token_exchange', { participant_1_id: 4, participant_2_id: 3 });
      await ok('PUT', '/users/3', { name: 'Renamed', skills: [{ skill: 'Go', rating: 2 }] });
      await assertCounted('grants, check-ins, orders, cancels, exchanges and an update');

      // Another process (a CLI, a second API process, a hand-written statement) writing directly.
      const now = Date.now();
      await direct.db
        .insertInto('participants')
        .values({
          name: 'Direct',
          company: 'X',
          email: 'direct@example.com',
          email_key: 'direct@example.com',
          phone: '1',
          badge_code: 'direct-badge',
          bbt_tokens: 7,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await direct.db.updateTable('participants').set({ bbt_tokens: 11 }).where('id', '=', 6).execute();
      await direct.db
        .updateTable('check_ins')
        .set({ checked_in_at: now - 5 * HOUR_MS })
        .where('participant_id', '=', 1)
        .execute();
      // Moved within its hour (most likely): one bucket loses and gains it in the same statement.
      await direct.db
        .updateTable('check_ins')
        .set((eb) => ({ checked_in_at: eb('checked_in_at', '+', 1) }))
        .where('participant_id', '=', 3)
        .execute();
      await direct.db.updateTable('boba_orders').set({ status: 'Delivered' }).where('id', '=', placed[3]!).execute();
      const [firstDelivery, secondDelivery] = (
        await direct.db.selectFrom('webhook_deliveries').select('id').orderBy('id').limit(2).execute()
      ).map((row) => row.id);
      await direct.db.updateTable('webhook_deliveries').set({ status: 'delivered' }).where('id', '=', firstDelivery!).execute();
      await direct.db.deleteFrom('webhook_deliveries').where('id', '=', secondDelivery!).execute();
      // Participant 2 goes with their check-in, orders and ledger (ON DELETE CASCADE).
      await direct.db.deleteFrom('participants').where('id', '=', 2).execute();
      await assertCounted('writes through another connection');

      if (backend.name === 'postgres') {
        await sql`truncate check_ins`.execute(direct.db);
        await ok('POST', '/checkin', { participant_id: 3 });
        await assertCounted('TRUNCATE');
        await sql`truncate token_ledger`.execute(direct.db);
        await sql`truncate webhook_deliveries cascade`.execute(direct.db);
        await ok('PUT', '/bbt_token_admin_give', { participant_id: 3, tokens: 4 });
        const { ledger, webhook_deliveries } = await maintained(direct.db);
        assert.deepEqual([ledger, webhook_deliveries], [{ 'grant:in': 4 }, { pending: 1 }], 'after TRUNCATE of the ledger');
        await assertCounted('TRUNCATE of the ledger and deliveries');
      }

      // The import CLI's reset: every participant deleted and the file's inserted, in one transaction.
      const importer = openTestDatabase(api.database);
      try {
        const summary = await importParticipants(importer, generateParticipants(40), { reset: true });
        assert.equal(summary.imported, 40);
        await assertCounted('an import with reset');
        await importParticipants(importer, generateParticipants(60).slice(40));
        await assertCounted('an appending import');
      } finally {
        await importer.destroy();
      }
      await ok('PUT', '/bbt_token_admin_give', { participant_id: 12, tokens: 9 });
      await ok('POST', '/checkin', { participant_id: 12 });
      await ok('POST', '/boba', { participant_id: 12 });
      await assertCounted('writes after the import');
    });

    test('the migration counts the data that exists when it runs', async () => {
      // As if the database had been filled before the counters existed: drop them, write, migrate again.
      await metricsCounters.down(direct.db);
      await statsCounters.down(direct.db);
      const now = Date.now();
      await direct.db
        .insertInto('participants')
        .values({
          name: 'Before',
          company: 'X',
          email: 'before@example.com',
          email_key: 'before@example.com',
          phone: '1',
          badge_code: 'before-badge',
          bbt_tokens: 13,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await direct.db.updateTable('participants').set({ bbt_tokens: 4 }).where('id', '=', 12).execute();
      await direct.db
        .insertInto('check_ins')
        .values({ participant_id: 13, checked_in_at: now - 30 * HOUR_MS, volunteer_id: 1 })
        .execute();
      await direct.db.updateTable('boba_orders').set({ status: 'Delivered' }).execute();
      await direct.db
        .insertInto('token_ledger')
        .values({ participant_id: 13, amount: -2, kind: 'grant', created_at: now })
        .execute();
      await direct.db.updateTable('webhook_deliveries').set({ status: 'failed' }).execute();
      const unchanged = await recount(direct.db);
      assert.ok(
        unchanged.participants > 0 &&
          unchanged.tokens_in_circulation > 0 &&
          unchanged.checked_in > 1 &&
          (unchanged.ledger['grant:out'] ?? 0) >= 2 &&
          (unchanged.webhook_deliveries.failed ?? 0) > 0,
        'there is data to count',
      );

      await statsCounters.up(direct.db);
      await metricsCounters.up(direct.db);
      await assertCounted('the migration');
    });
  });
}

const postgres = BACKENDS.find((backend) => backend.name === 'postgres')!;

describe('stats counters under concurrent PostgreSQL writers', { skip: postgres.skip }, () => {
  let api: TestApp;
  before(async () => {
    api = await startTestApp('postgres');
    for (let n = 1; n <= 8; n++) await api.inject('POST', '/register', sampleParticipant(n));
  });
  after(() => api?.close());

  test('each backend counts in a shard of its own; shards of exited backends are folded, totals unchanged', async () => {
    const writers = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const client = new pg.Client({ connectionString: api.database.url });
        await client.connect();
        return client;
      }),
    );
    const pids = await Promise.all(
      writers.map(async (client) => (await client.query('select pg_backend_pid() as pid')).rows[0].pid as number),
    );
    // Every writer moves every participant's balance, all at once: a shared counter row would be a queue.
    await Promise.all(
      writers.map(async (client, w) => {
        for (let round = 0; round < 25; round++) {
          await client.query('begin');
          for (let id = 1; id <= 8; id++)
            await client.query('update participants set bbt_tokens = bbt_tokens + $1 where id = $2', [w + 1, id]);
          await client.query('commit');
        }
      }),
    );
    const direct = openTestDatabase(api.database);
    try {
      const shards = async () =>
        (
          await sql<{ shard: number }>`select distinct shard from stats_counters where counter = 'tokens'`.execute(direct.db)
        ).rows.map((r) => r.shard);
      const written = await shards();
      assert.ok(
        pids.every((pid) => written.includes(pid)),
        `a shard per writer: ${pids.join(', ')} in ${written.join(', ')}`,
      );
      assert.deepEqual(await maintained(direct.db), await recount(direct.db));

      await Promise.all(writers.map((client) => client.end()));
      for (let wait = 0; wait < 100; wait++) {
        const live = await sql<{ pid: number }>`select pid from pg_stat_activity where pid = any(${pids}::integer[])`.execute(
          direct.db,
        );
        if (live.rows.length === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // A new API process folds on its first GET /stats.
      const second = await startTestApp('postgres', {}, api.database);
      try {
        const stats = (await second.inject('GET', '/stats')).body;
        const expected = await recount(direct.db);
        assert.equal(stats.tokens_in_circulation, expected.tokens_in_circulation);
        assert.equal(stats.tokens_in_circulation, 25 * 8 * (1 + 2 + 3 + 4));
        const left = await shards();
        assert.ok(
          pids.every((pid) => !left.includes(pid)),
          `shards of exited backends ${pids.join(', ')} folded, left ${left.join(', ')}`,
        );
        assert.ok(left.includes(0));
        assert.deepEqual(await maintained(direct.db), expected);
      } finally {
        await second.close();
      }
    } finally {
      await direct.destroy();
    }
  });
});
