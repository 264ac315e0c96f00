import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKENDS, openTestDatabase, sampleParticipant, startTestApp, type TestApp } from './helpers.js';

for (const backend of BACKENDS) {
  describe(`response cache (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    before(async () => {
      api = await startTestApp(backend.name);
      await api.inject('POST', '/register', sampleParticipant(1));
    });
    after(() => api?.close());

    test('a read is reused only until anything, in this process or another, changes the database', async () => {
      const first = await api.inject('GET', '/users/1');
      const second = await api.inject('GET', '/users/1');
      assert.deepEqual(second.body, first.body);
      // SQLite reuses the answer; PostgreSQL, with no cheap change version, never caches.
      assert.equal(second.headers['x-cache'], backend.name === 'sqlite' ? 'hit' : undefined);

      // A write through another connection, as the import CLI would make.
      const other = openTestDatabase(api.database);
      try {
        await other.db.updateTable('participants').set({ name: 'Renamed Elsewhere' }).where('id', '=', 1).execute();
      } finally {
        await other.destroy();
      }
      const afterOther = await api.inject('GET', '/users/1');
      assert.equal(afterOther.headers['x-cache'], undefined);
      assert.equal(afterOther.body['1'].name, 'Renamed Elsewhere');

      // A write through this process.
      await api.inject('POST', '/checkin', { participant_id: 1 });
      const afterOwn = await api.inject('GET', '/checkin?participant_id=1');
      assert.equal(afterOwn.body.checked_in, true);
      assert.equal((await api.inject('GET', '/users/1')).body['1'].checked_in, true);
    });

    test('a cached answer is only served to callers allowed to see it', async () => {
      await api.inject('POST', '/register', sampleParticipant(2));
      const own = await api.createKey('participant', 2);
      assert.equal((await api.inject('GET', '/users/1')).status, 200);
      assert.equal((await api.inject('GET', '/users/1')).status, 200);
      assert.equal((await api.inject('GET', '/users/1', undefined, own)).status, 403);
      assert.equal((await api.inject('GET', '/users/1', undefined, null)).status, 401);
      assert.equal((await api.inject('GET', '/checkin?participant_id=1', undefined, own)).status, 403);
    });

    test('URLs asking the same question share one entry: unknown fields, order, spelling of numbers, case and space of a search', async () => {
      const cached = backend.name === 'sqlite' ? 'hit' : undefined;
      const same = [
        ['/users?x=1', '/users?x=2'],
        ['/users?checked_in=false&page=1', '/users?page=01&checked_in=false&sort=name'],
        ['/users?q=Test%20Person', '/users?q=%20%20test%20PERSON%20&x=1'],
        ['/users?q=', '/users'],
        ['/users/1', '/users/01?x=1'],
      ];
      for (const [first, second] of same) {
        const answer = await api.inject('GET', first!);
        assert.equal(answer.status, 200, first);
        const again = await api.inject('GET', second!);
        assert.equal(again.headers['x-cache'], cached, second);
        assert.deepEqual(again.body, answer.body, second);
      }
      await api.inject('GET', '/users?q=person');
      assert.equal((await api.inject('GET', '/users?q=test')).headers['x-cache'], undefined);
      await api.inject('GET', '/users?page=1');
      assert.equal((await api.inject('GET', '/users?page=2')).headers['x-cache'], undefined);
    });
  });

  describe(
    `response cache size (${backend.name})`,
    { skip: backend.skip || (backend.name !== 'sqlite' && 'PostgreSQL has no response cache') },
    () => {
      const BOUND = 2400;
      let api: TestApp;
      before(async () => {
        api = await startTestApp(backend.name, { RESPONSE_CACHE_MAX_BYTES: String(BOUND) });
        for (let n = 1; n <= 3; n++) {
          const long = (text: string) => `${text} ${n} `.padEnd(200, '.');
          const res = await api.inject('POST', '/register', {
            ...sampleParticipant(n),
            name: long('name'),
            company: long('company'),
            phone: long('phone'),
          });
          assert.equal(res.status, 200);
        }
      });
      after(() => api?.close());

      test('holds no more bytes than its bound, dropping the least recently used answer first', async () => {
        const hit = async (url: string) => (await api.inject('GET', url)).headers['x-cache'] === 'hit';
        const size = Buffer.byteLength(JSON.stringify((await api.inject('GET', '/users/1')).body));
        // Two answers fit with their keys and bookkeeping, three do not.
        assert.ok(2 * (size + 300) <= BOUND && 3 * size > BOUND, `an answer of ${size} bytes`);

        assert.equal(await hit('/users/1'), true);
        assert.equal(await hit('/users/2'), false);
        assert.equal(await hit('/users/1'), true);
        // Room for /users/3 is made by dropping /users/2, used longer ago than /users/1.
        assert.equal(await hit('/users/3'), false);
        assert.equal(await hit('/users/1'), true);
        assert.equal(await hit('/users/3'), true);
        assert.equal(await hit('/users/2'), false);
        // An answer larger than the bound is never kept.
        assert.equal(await hit('/users'), false);
        assert.equal(await hit('/users'), false);
      });
    },
  );
}
