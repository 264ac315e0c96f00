import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKENDS, sampleParticipant, startTestApp, type TestApp } from './helpers.js';

const NUL = '\u0000';

interface Attempt {
  method: string;
  url: string;
  body?: unknown;
  error: string;
}

/** Every route that stores or looks up text, each given a NUL in one field. */
const attempts = (badge: string): Attempt[] => [
  {
    method: 'POST',
    url: '/register',
    body: { ...sampleParticipant(90), name: `Eve${NUL}` },
    error: 'name must not contain NUL characters',
  },
  {
    method: 'POST',
    url: '/register',
    body: sampleParticipant(91, [{ skill: `Py${NUL}thon`, rating: 3 }]),
    error: 'skills[0].skill must not contain NUL characters',
  },
  { method: 'PUT', url: '/users/1', body: { company: `Acme${NUL}` }, error: 'company must not contain NUL characters' },
  {
    method: 'POST',
    url: '/boba',
    body: { participant_id: 1, flavour: `Taro${NUL}` },
    error: 'flavour must not contain NUL characters',
  },
  {
    method: 'PUT',
    url: '/boba',
    body: { order_id: 1, status: `Delivered${NUL}` },
    error: 'status must not contain NUL characters',
  },
  { method: 'GET', url: '/users?q=a%00b', error: 'q must not contain NUL characters' },
  { method: 'GET', url: '/skills?keyword=a%00', error: 'keyword must not contain NUL characters' },
  { method: 'GET', url: `/badges/${badge}%00`, error: 'code must not contain NUL characters' },
  { method: 'POST', url: '/checkin', body: { badge: `${badge}${NUL}` }, error: 'badge must not contain NUL characters' },
  {
    method: 'PUT',
    url: '/bbt_token_exchange',
    body: { participant_1_id: 1, participant_2_badge: `${NUL}` },
    error: 'participant_2_badge must not contain NUL characters',
  },
  {
    method: 'POST',
    url: '/keys',
    body: { role: 'volunteer', name: `Desk${NUL}1` },
    error: 'name must not contain NUL characters',
  },
];

for (const backend of BACKENDS) {
  describe(`text a database cannot store (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let badge: string;
    before(async () => {
      api = await startTestApp(backend.name);
      assert.equal((await api.inject('POST', '/register', sampleParticipant(1))).status, 200);
      badge = (await api.inject('POST', '/users/1/badge/rotate')).body.badge;
      assert.ok(badge, 'the participant has a badge code');
    });
    after(async () => api?.close());

    test('a NUL character in any text is 400 with the field named, on every route, and nothing changes', async () => {
      const before = await api.inject('GET', '/users');
      const keysBefore = Object.keys((await api.inject('GET', '/keys')).body);
      for (const { method, url, body, error } of attempts(badge)) {
        const res = await api.inject(method, url, body);
        assert.equal(res.status, 400, `${method} ${url}: ${JSON.stringify(res.body)}`);
        assert.deepEqual(res.body, { error, code: 'validation_failed' }, `${method} ${url}`);
      }
      assert.deepEqual((await api.inject('GET', '/users')).body, before.body);
      assert.deepEqual(Object.keys((await api.inject('GET', '/keys')).body), keysBefore);
      assert.equal((await api.inject('GET', '/health')).status, 200);
    });

    test('text without NUL, including other control characters and astral symbols, is stored as sent', async () => {
      const name = 'Zoë \u0001 🦄 \t tab';
      const res = await api.inject('PUT', '/users/1', { name });
      assert.equal(res.status, 200);
      assert.equal(res.body['1'].name, name);
    });
  });
}
