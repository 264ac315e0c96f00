import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  BACKENDS,
  createTestDatabase,
  httpJson,
  sampleParticipant,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
  type TestDatabase,
} from './helpers.js';
import { openStream, type StreamEvent } from './sse-client.js';

const types = (events: StreamEvent[]) => events.filter((e) => e.event !== 'ready').map((e) => e.event);

for (const backend of BACKENDS) {
  describe(`live updates (${backend.name})`, { skip: backend.skip }, () => {
    let database: TestDatabase;
    let apps: TestApp[];
    let bases: string[];
    let self: number;
    let other: number;
    const keys: Record<string, string> = {};

    before(async () => {
      database = await createTestDatabase(backend.name);
      // On PostgreSQL two API processes share the database: events raised on one reach clients of the other.
      apps = [await startTestApp(backend.name, {}, database)];
      if (backend.name === 'postgres') apps.push(await startTestApp(backend.name, {}, database));
      bases = await Promise.all(apps.map((app) => app.listen()));
      const api = apps[0]!;
      self = Number(Object.keys((await api.inject('POST', '/register', sampleParticipant(1))).body)[0]);
      other = Number(Object.keys((await api.inject('POST', '/register', sampleParticipant(2))).body)[0]);
      keys.volunteer = await api.createKey('volunteer', undefined, 'Desk 1');
      keys.self = await api.createKey('participant', self);
      keys.other = await api.createKey('participant', other);
    });
    after(async () => {
      for (const app of apps ?? []) await app.close();
      await database?.drop();
    });

    test('each role receives what it may read, live, from any API process', async () => {
      const listenOn = bases[bases.length - 1]!;
      const streams = {
        admin: openStream(listenOn, TEST_ADMIN_KEY),
        volunteer: openStream(listenOn, keys.volunteer!),
        self: openStream(listenOn, keys.self!),
        other: openStream(listenOn, keys.other!),
      };
      try {
        for (const stream of Object.values(streams)) await stream.waitFor((e) => e.some((x) => x.event === 'ready'), 'ready');
        const writer = bases[0]!;
        await httpJson(writer, 'PUT', '/bbt_token_admin_give', { participant_id: self, tokens: 5 });
        const placed = await httpJson(writer, 'POST', '/boba', { participant_id: self }, keys.self);
        const orderId = Number(Object.keys(placed.body)[0]);
        await httpJson(writer, 'PUT', '/boba', { order_id: orderId, status: 'In Progress' }, keys.volunteer);
        await httpJson(writer, 'POST', '/checkin', { participant_id: self }, keys.volunteer);

        await streams.admin.waitFor((e) => types(e).length >= 5, 'five events for the admin');
        assert.deepEqual(types(streams.admin.events), ['tokens', 'order', 'tokens', 'order', 'checkin']);
        await streams.self.waitFor((e) => types(e).length >= 5, 'five events for the participant');
        assert.deepEqual(types(streams.self.events), ['tokens', 'order', 'tokens', 'order', 'checkin']);
        await streams.volunteer.waitFor((e) => types(e).length >= 3, 'orders and the check-in for the volunteer');
        assert.deepEqual(types(streams.volunteer.events), ['order', 'order', 'checkin']);

        const moved = streams.self.events.filter((e) => e.event === 'order')[1]!;
        assert.equal(moved.data.order_id, orderId);
        assert.equal(moved.data.order.status, 'In Progress');
        const balances = streams.self.events.filter((e) => e.event === 'tokens').map((e) => e.data);
        assert.deepEqual(balances, [
          { participant_id: self, bbt_tokens: 5 },
          { participant_id: self, bbt_tokens: 0 },
        ]);
        const checkIn = streams.volunteer.events.find((e) => e.event === 'checkin')!;
        assert.equal(checkIn.data.check_in.volunteer_name, 'Desk 1');

        // Nothing about someone else reaches a participant.
        await new Promise((resolve) => setTimeout(resolve, 600));
        assert.deepEqual(types(streams.other.events), []);
      } finally {
        for (const stream of Object.values(streams)) await stream.close();
      }
    });

    test('the event stream carries the security headers and, for an allowed origin, CORS', async () => {
      const app = await startTestApp(backend.name, { CORS_ORIGINS: 'https://app.example.com' });
      try {
        const base = await app.listen();
        const aborter = new AbortController();
        const response = await fetch(`${base}/events`, {
          headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, origin: 'https://app.example.com' },
          signal: aborter.signal,
        });
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('access-control-allow-origin'), 'https://app.example.com');
        assert.equal(response.headers.get('x-frame-options'), 'SAMEORIGIN');
        aborter.abort();
      } finally {
        await app.close();
      }
    });

    test('a client that reconnects with Last-Event-ID receives what it missed, once', async () => {
      const base = bases[0]!;
      const first = openStream(base, keys.other!);
      await first.waitFor((e) => e.some((x) => x.event === 'ready'), 'ready');
      const lastSeen = first.events[0]!.data.last_event_id as number;
      await first.close();

      await httpJson(base, 'PUT', '/bbt_token_admin_give', { participant_id: other, tokens: 3 });
      await httpJson(base, 'PUT', '/bbt_token_admin_give', { participant_id: self, tokens: 1 });
      await httpJson(base, 'PUT', '/bbt_token_admin_give', { participant_id: other, tokens: 4 });

      const again = openStream(base, keys.other!, lastSeen);
      try {
        await again.waitFor((e) => types(e).length >= 2, 'the two missed balance changes');
        await httpJson(base, 'PUT', '/bbt_token_admin_give', { participant_id: other, tokens: 1 });
        await again.waitFor((e) => types(e).length >= 3, 'the live one after the replay');
        await new Promise((resolve) => setTimeout(resolve, 600));
        assert.deepEqual(
          again.events.filter((e) => e.event === 'tokens').map((e) => e.data.bbt_tokens),
          [3, 7, 8],
        );
        const ids = again.events.filter((e) => e.id !== undefined).map((e) => e.id!);
        assert.deepEqual(
          ids,
          [...ids].sort((a, b) => a - b),
        );
        assert.ok(ids[0]! > lastSeen);
      } finally {
        await again.close();
      }
    });
  });
}
