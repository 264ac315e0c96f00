import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKENDS, manualClock, sampleParticipant, startTestApp, type TestApp } from './helpers.js';

/** What the seed's Python clients rely on beyond the challenge's own examples. */
for (const backend of BACKENDS) {
  describe(`seed compatibility (${backend.name})`, { skip: backend.skip }, () => {
    // Not on a whole second, so a value in milliseconds or a rounded one would show.
    const clock = manualClock(1_700_000_000_750);
    let api: TestApp;
    before(async () => {
      api = await startTestApp(backend.name, { BBT_TOKENS_COOLDOWN: '5', BBT_PAIR_EXCHANGES: '0' }, undefined, { clock });
      for (let n = 1; n <= 3; n++) assert.equal((await api.inject('POST', '/register', sampleParticipant(n))).status, 200);
      assert.equal((await api.inject('POST', '/checkin', { participant_id: 2 })).status, 200);
    });
    after(() => api?.close());

    const lastExchangeTimes = async () =>
      Object.fromEntries(
        Object.entries((await api.inject('GET', '/users')).body).map(([id, participant]: [string, any]) => [
          id,
          participant.bbt_tokens_last_exchange_time,
        ]),
      );

    test('bbt_tokens_last_exchange_time: unix seconds of the last exchange, 0 before any, wherever a participant is returned', async () => {
      assert.deepEqual(await lastExchangeTimes(), { 1: 0, 2: 0, 3: 0 });
      const exchange = (a: number, b: number) =>
        api.inject('PUT', '/bbt_token_exchange', { participant_1_id: a, participant_2_id: b });

      assert.equal((await exchange(1, 2)).status, 200);
      assert.deepEqual(await lastExchangeTimes(), { 1: 1_700_000_000, 2: 1_700_000_000, 3: 0 });

      clock.advance(5_499);
      assert.equal((await exchange(1, 3)).status, 200);
      assert.deepEqual(await lastExchangeTimes(), { 1: 1_700_000_006, 2: 1_700_000_000, 3: 1_700_000_006 });

      assert.equal((await api.inject('GET', '/users/2')).body[2].bbt_tokens_last_exchange_time, 1_700_000_000);
      const updated = await api.inject('PUT', '/users/3', { company: 'Initech' });
      assert.equal(updated.body[3].bbt_tokens_last_exchange_time, 1_700_000_006);
      const me = await api.inject('GET', '/me', undefined, await api.createKey('participant', 1));
      assert.equal(me.body.participant.bbt_tokens_last_exchange_time, 1_700_000_006);
      assert.equal((await api.inject('GET', '/users?checked_in=true')).body[2].bbt_tokens_last_exchange_time, 1_700_000_000);
      // A grant moves tokens but is no exchange.
      assert.equal((await api.inject('PUT', '/bbt_token_admin_give', { participant_id: 2, tokens: 3 })).status, 200);
      assert.equal((await api.inject('GET', '/users/2')).body[2].bbt_tokens_last_exchange_time, 1_700_000_000);
    });

    test('checked_in takes true and false in any letter case, as Python sends a bool', async () => {
      for (const value of ['true', 'True', 'TRUE', 'tRuE']) {
        const res = await api.inject('GET', `/users?checked_in=${value}`);
        assert.equal(res.status, 200, value);
        assert.deepEqual(Object.keys(res.body), ['2'], value);
      }
      for (const value of ['false', 'False', 'FALSE']) {
        const res = await api.inject('GET', `/users?checked_in=${value}&page=1`);
        assert.equal(res.status, 200, value);
        assert.deepEqual(Object.keys(res.body), ['1', '3'], value);
      }
      for (const value of ['yes', '1', 'Truth', '', 'None']) {
        const res = await api.inject('GET', `/users?checked_in=${value}`);
        assert.deepEqual([res.status, res.body.error], [400, 'checked_in must be true or false'], value);
      }
    });
  });
}
