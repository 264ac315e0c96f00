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
  });
}
