import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { type BuildOptions, buildApp } from '../src/app.js';
import type { Clock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import type { DatabaseHandle } from '../src/db/database.js';
import { lastEventId } from '../src/modules/events/events.repository.js';
import {
  BACKENDS,
  createTestDatabase,
  httpJson,
  manualClock,
  openTestDatabase,
  sampleParticipant,
  TEST_ADMIN_KEY,
  type TestDatabase,
} from './helpers.js';
import { openStream, waitUntil } from './sse-client.js';

/** A `GET /events` on a raw socket paused at once: a client that never reads a byte. */
function openSilentStream(base: string, key: string): Promise<Socket> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.pause();
      socket.write(`GET /events HTTP/1.1\r\nhost: ${hostname}\r\nauthorization: Bearer ${key}\r\n\r\n`);
      resolve(socket);
    });
    socket.on('error', reject);
  });
}

/** Resolves once the server has ended the socket (reading whatever it was sent first). */
const endOf = (socket: Socket) =>
  new Promise<void>((resolve) => {
    socket.once('end', resolve);
    socket.once('close', resolve);
    socket.on('data', () => {});
    socket.resume();
  });

async function startApp(database: TestDatabase, clock: Clock, liveUpdates: BuildOptions['liveUpdates']) {
  const config = loadConfig({
    DATABASE_URL: database.url,
    DEMO_PARTICIPANTS: '0',
    LOG_LEVEL: 'silent',
    TAPIOCA_ADMIN_KEY: TEST_ADMIN_KEY,
  });
  const app = await buildApp(config, { liveUpdates, clock });
  return { app, base: await app.listen({ port: 0, host: '127.0.0.1' }) };
}

const tokenEvents = (participantId: number | null, count: number, padding = 0) =>
  Array.from({ length: count }, () => ({
    type: 'tokens' as const,
    participant_id: participantId,
    payload: JSON.stringify({ participant_id: participantId, bbt_tokens: 1, padding: 'x'.repeat(padding) }),
    created_at: Date.now(),
  }));

for (const backend of BACKENDS) {
  describe(`live update limits (${backend.name})`, { skip: backend.skip }, () => {
    let database: TestDatabase;
    let direct: DatabaseHandle;
    /** Where writes and revocations are made: for the streams on `live`, another API process. */
    let writer: { app: FastifyInstance; base: string };
    /** Short intervals and a small bound on unsent bytes, so the tests wait milliseconds. */
    let live: { app: FastifyInstance; base: string };
    let self: number;
    let other: number;
    const clock = manualClock();

    const createKey = async (role: string, participantId?: number) => {
      const created = await httpJson(writer.base, 'POST', '/keys', { role, name: `${role} key`, participant_id: participantId });
      assert.equal(created.status, 200);
      return created.body as { id: number; key: string };
    };

    before(async () => {
      database = await createTestDatabase(backend.name);
      writer = await startApp(database, clock, {});
      live = await startApp(database, clock, { pollMs: 20, keyCheckMs: 50, pruneEveryMs: 50, maxUnsentBytes: 256 * 1024 });
      direct = openTestDatabase(database);
      self = Number(Object.keys((await httpJson(writer.base, 'POST', '/register', sampleParticipant(1))).body)[0]);
      other = Number(Object.keys((await httpJson(writer.base, 'POST', '/register', sampleParticipant(2))).body)[0]);
    });
    after(async () => {
      await writer?.app.close();
      await live?.app.close();
      await direct?.destroy();
      await database?.drop();
    });

    test('a stream whose client never reads is closed once its unsent data passes the bound; readers stay', async () => {
      const hub = live.app.eventHub;
      const reader = openStream(live.base, TEST_ADMIN_KEY);
      const silent = await openSilentStream(live.base, TEST_ADMIN_KEY);
      try {
        await reader.ready();
        await waitUntil(() => hub.subscriberCount === 2, 'both streams to subscribe');
        const perRound = 100;
        // 100 KB a round, under the 256 KiB bound, so a reader that keeps up is never near it.
        for (let round = 1; round <= 200 && hub.subscriberCount === 2; round += 1) {
          await direct.db
            .insertInto('events')
            .values(tokenEvents(null, perRound, 1000))
            .execute();
          await waitUntil(
            () => reader.events.filter((e) => e.event === 'tokens').length >= round * perRound,
            `round ${round} to be read`,
          );
        }
        assert.equal(hub.subscriberCount, 1, 'the silent stream is still subscribed after 20 MB were sent to it');
        assert.equal(reader.ended, false);
        await endOf(silent);
      } finally {
        silent.destroy();
        await reader.close();
      }
    });

    test('streams of a key revoked in another process are closed; other streams stay', async () => {
      const hub = live.app.eventHub;
      const volunteer = await createKey('volunteer');
      const admin = openStream(live.base, TEST_ADMIN_KEY);
      const revoked = openStream(live.base, volunteer.key);
      const alsoRevoked = openStream(live.base, volunteer.key);
      try {
        for (const stream of [admin, revoked, alsoRevoked]) await stream.ready();
        assert.equal(hub.subscriberCount, 3);
        assert.equal((await httpJson(writer.base, 'DELETE', `/keys/${volunteer.id}`)).status, 200);
        await waitUntil(() => revoked.ended && alsoRevoked.ended, 'the revoked key’s streams to end');
        assert.equal(hub.subscriberCount, 1);
        assert.equal(admin.ended, false);
      } finally {
        for (const stream of [admin, revoked, alsoRevoked]) await stream.close();
      }
    });

    test('the stream of a key that expires is closed', async () => {
      const oneDay = { role: 'participant', name: 'one day', participant_id: self, expires_in_days: 1 };
      const { key } = (await httpJson(writer.base, 'POST', '/keys', oneDay)).body;
      const stream = openStream(live.base, key);
      try {
        await stream.ready();
        clock.advance(86_400_000);
        await waitUntil(() => stream.ended, 'the expired key’s stream to end');
        await waitUntil(() => live.app.eventHub.subscriberCount === 0, 'no subscriber left');
      } finally {
        await stream.close();
      }
    });

    test('a participant behind 1,100 other events replays all of theirs, and an admin all of them', async () => {
      const selfKey = (await createKey('participant', self)).key;
      const since = await lastEventId(direct.db);
      const give = async (tokens: number) =>
        assert.equal((await httpJson(writer.base, 'PUT', '/bbt_token_admin_give', { participant_id: self, tokens })).status, 200);
      await give(1);
      await direct.db.insertInto('events').values(tokenEvents(other, 1100)).execute();
      await give(2);
      await give(3);

      const participant = openStream(writer.base, selfKey, since);
      const admin = openStream(writer.base, TEST_ADMIN_KEY, since);
      try {
        await participant.ready();
        await admin.ready();
        const replayed = participant.events.filter((e) => e.event === 'tokens');
        assert.deepEqual(
          replayed.map((e) => e.data),
          [1, 3, 6].map((balance) => ({ participant_id: self, bbt_tokens: balance })),
        );
        const ids = admin.events.filter((e) => e.id !== undefined).map((e) => e.id!);
        assert.equal(ids.length, 1103);
        assert.deepEqual(
          ids,
          [...new Set(ids)].sort((a, b) => a - b),
        );
        assert.ok(ids[0]! > since);
      } finally {
        await participant.close();
        await admin.close();
      }
    });

    test('events past their retention are pruned while nobody listens', async () => {
      await waitUntil(() => live.app.eventHub.subscriberCount + writer.app.eventHub.subscriberCount === 0, 'no subscriber left');
      const day = 24 * 3600_000;
      const [stale] = await direct.db
        .insertInto('events')
        .values({ ...tokenEvents(other, 1)[0]!, created_at: clock.now() - day - 1 })
        .returning('id')
        .execute();
      const [recent] = await direct.db
        .insertInto('events')
        .values({ ...tokenEvents(other, 1)[0]!, created_at: clock.now() - day })
        .returning('id')
        .execute();
      const exists = async (id: number) =>
        (await direct.db.selectFrom('events').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
      await waitUntil(async () => !(await exists(stale!.id)), 'the stale event to be pruned');
      assert.equal(await exists(recent!.id), true);
    });
  });
}
