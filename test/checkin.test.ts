import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKENDS, httpJson, sampleParticipant, startTestApp, type TestApp } from './helpers.js';

for (const backend of BACKENDS) {
  describe(`check-in (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    before(async () => {
      api = await startTestApp(backend.name);
      for (let n = 1; n <= 3; n++) assert.equal((await api.inject('POST', '/register', sampleParticipant(n))).status, 200);
    });
    after(() => api?.close());

    test('a participant not yet checked in', async () => {
      const res = await api.inject('GET', '/checkin?participant_id=1');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { participant_id: 1, checked_in: false });
    });

    test('checking in records the time and the volunteer key (never a volunteer_id from the body)', async () => {
      const desk = await api.createKey('volunteer', undefined, 'Desk 3');
      const deskId = Object.values((await api.inject('GET', '/keys')).body).find((k: any) => k.name === 'Desk 3') as {
        id: number;
      };
      const before = Math.floor(Date.now() / 1000);
      const res = await api.inject('POST', '/checkin', { participant_id: 2, volunteer_id: 7 }, desk);
      assert.equal(res.status, 200);
      assert.equal(res.body.participant_id, 2);
      assert.equal(res.body.checked_in, true);
      assert.equal(res.body.volunteer_id, deskId.id);
      assert.equal(res.body.volunteer_name, 'Desk 3');
      assert.ok(res.body.check_in_time >= before && res.body.check_in_time <= Math.floor(Date.now() / 1000));
      assert.deepEqual((await api.inject('GET', '/checkin?participant_id=2')).body, res.body);
      assert.equal((await api.inject('GET', '/users/2')).body['2'].checked_in, true);
      assert.deepEqual(Object.keys((await api.inject('GET', '/users?checked_in=true')).body), ['2']);
      assert.deepEqual(Object.keys((await api.inject('GET', '/users?checked_in=false')).body), ['1', '3']);
    });

    test('a second check-in is refused and keeps the first', async () => {
      const res = await api.inject('POST', '/checkin', { participant_id: 2, volunteer_id: 9 });
      assert.deepEqual(res, { ...res, status: 400, body: { error: 'Already checked in', code: 'already_checked_in' } });
      assert.equal((await api.inject('GET', '/checkin?participant_id=2')).body.volunteer_name, 'Desk 3');
    });

    test('unknown participants are 404', async () => {
      assert.deepEqual((await api.inject('GET', '/checkin?participant_id=999')).status, 404);
      const res = await api.inject('POST', '/checkin', { participant_id: 999, volunteer_id: 1 });
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, { error: 'Participant not found', code: 'participant_not_found' });
    });

    test('missing or non-integer ids are 400, never coerced', async () => {
      for (const query of ['', '?participant_id=abc', '?participant_id=1.5', '?participant_id=0', '?participant_id=-3']) {
        const res = await api.inject('GET', `/checkin${query}`);
        assert.equal(res.status, 400, query);
        assert.equal(typeof res.body.error, 'string');
      }
      for (const body of [
        {},
        { volunteer_id: 1 },
        { participant_id: '1' },
        { participant_id: 1.5 },
        { participant_id: 0 },
        { participant_id: 1, badge: 'abc' },
      ]) {
        const res = await api.inject('POST', '/checkin', body);
        assert.equal(res.status, 400, JSON.stringify(body));
      }
      assert.equal((await api.inject('GET', '/checkin?participant_id=1')).body.checked_in, false);
    });

    test('50 parallel check-ins of one participant: exactly one succeeds', async () => {
      const base = await api.listen();
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => httpJson(base, 'POST', '/checkin', { participant_id: 3, volunteer_id: i + 1 })),
      );
      const wins = results.filter((r) => r.status === 200);
      assert.equal(wins.length, 1);
      assert.ok(results.every((r) => r.status === 200 || (r.status === 400 && r.body.error === 'Already checked in')));
      const status = await httpJson(base, 'GET', '/checkin?participant_id=3');
      assert.equal(status.body.volunteer_id, wins[0]!.body.volunteer_id);
    });
  });
}
