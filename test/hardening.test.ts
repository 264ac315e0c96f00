import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { BACKENDS, sampleParticipant, startTestApp, TEST_ADMIN_KEY, type TestApp } from './helpers.js';

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'referrer-policy': 'no-referrer',
} as const;
const ALLOWED_ORIGIN = 'https://app.example.com';
const EVIL_ORIGIN = 'https://evil.example';
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

function assertSecurityHeaders(res: LightMyRequestResponse, what: string): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) assert.equal(res.headers[name], value, `${what}: ${name}`);
  const csp = String(res.headers['content-security-policy'] ?? '');
  assert.match(csp, /default-src 'self'/, `${what}: content-security-policy`);
  assert.match(csp, /frame-ancestors/, `${what}: content-security-policy`);
}

/** Neither the admin key, any key, nor anything shaped like a SHA-256 hex digest appears in a response. */
function assertNoSecret(res: LightMyRequestResponse, what: string, allowedKey?: string): void {
  const text = JSON.stringify(res.headers) + res.body;
  assert.ok(!text.includes(TEST_ADMIN_KEY), `${what} shows the admin key`);
  assert.ok(!text.includes(createHash('sha256').update(TEST_ADMIN_KEY).digest('hex')), `${what} shows the admin key's hash`);
  assert.doesNotMatch(text, /(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])/i, `${what} shows something like a key hash`);
  const keys = text.match(/tpk_[A-Za-z0-9_-]+/g) ?? [];
  assert.deepEqual(
    keys.filter((key) => key !== allowedKey),
    [],
    `${what} shows a key`,
  );
}

function assertTooMany(res: LightMyRequestResponse, what: string): void {
  assert.equal(res.statusCode, 429, what);
  assert.deepEqual(res.json(), { error: 'Too many requests', code: 'rate_limited' }, what);
  const retryAfter = Number(res.headers['retry-after']);
  assert.ok(
    Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60,
    `${what}: Retry-After ${res.headers['retry-after']}`,
  );
}

for (const backend of BACKENDS) {
  describe(`hardening (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    /** Apps with their own configuration, closed after the suite. */
    const extra: TestApp[] = [];
    const startExtra = async (env: Record<string, string>) => {
      const app = await startTestApp(backend.name, env);
      extra.push(app);
      return app;
    };
    before(async () => {
      api = await startTestApp(backend.name);
      for (let n = 1; n <= 2; n++) assert.equal((await api.inject('POST', '/register', sampleParticipant(n))).status, 200);
    });
    after(async () => {
      await Promise.all(extra.map((app) => app.close()));
      await api?.close();
    });

    test('security headers on public, authenticated, error and image responses', async () => {
      const participant = await api.createKey('participant', 1);
      const cases: [string, Record<string, string>, number][] = [
        ['/health', {}, 200],
        ['/skills', {}, 200],
        ['/users', bearer(TEST_ADMIN_KEY), 200],
        ['/users/1/badge.svg', bearer(participant), 200],
        ['/users/999', bearer(TEST_ADMIN_KEY), 404],
        ['/users/2', bearer(participant), 403],
        ['/no-such-route', {}, 404],
      ];
      for (const [url, headers, status] of cases) {
        const res = await api.app.inject({ method: 'GET', url, headers });
        assert.equal(res.statusCode, status, url);
        assertSecurityHeaders(res, `GET ${url}`);
        assert.equal(res.headers['x-powered-by'], undefined);
      }
    });

    test('refusals by the authentication hook (401, 403, 429) carry the security and CORS headers too', async () => {
      const app = await startExtra({ CORS_ORIGINS: ALLOWED_ORIGIN, AUTH_FAILURE_LIMIT: '1' });
      const volunteer = await app.createKey('volunteer');
      const forbidden = await app.app.inject({
        method: 'GET',
        url: '/keys',
        headers: { ...bearer(volunteer), origin: ALLOWED_ORIGIN },
      });
      assert.equal(forbidden.statusCode, 403);
      const unauthenticated = await app.app.inject({ method: 'GET', url: '/users', headers: { origin: ALLOWED_ORIGIN } });
      assert.equal(unauthenticated.statusCode, 401);
      const limited = await app.app.inject({ method: 'GET', url: '/users', headers: { origin: ALLOWED_ORIGIN } });
      assert.equal(limited.statusCode, 429);
      for (const res of [forbidden, unauthenticated, limited]) {
        assertSecurityHeaders(res, String(res.statusCode));
        assert.equal(
          res.headers['access-control-allow-origin'],
          ALLOWED_ORIGIN,
          `${res.statusCode}: a browser app must be able to read it`,
        );
      }
    });

    test('CORS: no origin is allowed by default', async () => {
      const preflight = await api.app.inject({
        method: 'OPTIONS',
        url: '/users',
        headers: {
          origin: EVIL_ORIGIN,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
      assert.equal(preflight.headers['access-control-allow-origin'], undefined);
      assert.equal(preflight.headers['access-control-allow-credentials'], undefined);
      for (const origin of [EVIL_ORIGIN, ALLOWED_ORIGIN]) {
        const res = await api.app.inject({ method: 'GET', url: '/users', headers: { ...bearer(TEST_ADMIN_KEY), origin } });
        assert.equal(res.statusCode, 200);
        assert.equal(res.headers['access-control-allow-origin'], undefined, origin);
      }
      const health = await api.app.inject({ method: 'GET', url: '/health', headers: { origin: EVIL_ORIGIN } });
      assert.equal(health.headers['access-control-allow-origin'], undefined);
    });

    test('CORS: CORS_ORIGINS allows exactly the listed origins', async () => {
      const app = await startExtra({ CORS_ORIGINS: `${ALLOWED_ORIGIN}, https://desk.example.com` });
      const preflight = (origin: string) =>
        app.app.inject({
          method: 'OPTIONS',
          url: '/users',
          headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
        });
      const allowed = await preflight(ALLOWED_ORIGIN);
      assert.ok(allowed.statusCode >= 200 && allowed.statusCode < 300, String(allowed.statusCode));
      assert.equal(allowed.headers['access-control-allow-origin'], ALLOWED_ORIGIN);
      assert.match(String(allowed.headers['access-control-allow-headers']).toLowerCase(), /authorization/);
      assert.match(String(allowed.headers.vary), /Origin/);
      assert.equal(
        (await preflight('https://desk.example.com')).headers['access-control-allow-origin'],
        'https://desk.example.com',
      );
      for (const origin of [EVIL_ORIGIN, 'https://app.example.com.evil.example', 'http://app.example.com', 'null']) {
        assert.equal((await preflight(origin)).headers['access-control-allow-origin'], undefined, origin);
      }

      const read = async (origin: string) =>
        app.app.inject({ method: 'GET', url: '/users', headers: { ...bearer(TEST_ADMIN_KEY), origin } });
      const fromApp = await read(ALLOWED_ORIGIN);
      assert.equal(fromApp.statusCode, 200);
      assert.equal(fromApp.headers['access-control-allow-origin'], ALLOWED_ORIGIN);
      const fromEvil = await read(EVIL_ORIGIN);
      assert.equal(fromEvil.headers['access-control-allow-origin'], undefined);
      assertSecurityHeaders(fromApp, 'CORS response');
    });

    test('CORS: the allowed origin may use every method the API has', async () => {
      const app = await startExtra({ CORS_ORIGINS: ALLOWED_ORIGIN });
      for (const [method, url] of [
        ['PUT', '/users/1'],
        ['PUT', '/bbt_token_exchange'],
        ['DELETE', '/keys/1'],
      ]) {
        const res = await app.app.inject({
          method: 'OPTIONS',
          url,
          headers: {
            origin: ALLOWED_ORIGIN,
            'access-control-request-method': method!,
            'access-control-request-headers': 'authorization,content-type',
          },
        });
        assert.equal(res.headers['access-control-allow-origin'], ALLOWED_ORIGIN);
        assert.ok(
          String(res.headers['access-control-allow-methods'])
            .split(',')
            .map((m) => m.trim())
            .includes(method!),
          `${method} ${url}`,
        );
      }
    });

    test('a body over the size limit is 413, and nothing is stored', async () => {
      const huge = { ...sampleParticipant(50), company: 'x'.repeat(1_100_000) };
      const res = await api.app.inject({ method: 'POST', url: '/register', headers: bearer(TEST_ADMIN_KEY), payload: huge });
      assert.equal(res.statusCode, 413);
      assert.deepEqual(res.json(), { error: 'Request body too large', code: 'payload_too_large' });
      assertSecurityHeaders(res, '413');

      const small = await startExtra({ BODY_LIMIT_BYTES: '2048' });
      const over = await small.app.inject({
        method: 'POST',
        url: '/register',
        headers: bearer(TEST_ADMIN_KEY),
        payload: { ...sampleParticipant(51), company: 'x'.repeat(3000) },
      });
      assert.equal(over.statusCode, 413);
      assert.equal(
        (await small.inject('POST', '/register', sampleParticipant(52))).status,
        200,
        'a body under the limit is fine',
      );
      assert.deepEqual(Object.keys((await small.inject('GET', '/users')).body), ['1']);
      assert.deepEqual(Object.keys((await api.inject('GET', '/users')).body), ['1', '2']);
    });

    test('failed authentications are rate-limited per client address; valid keys from it are still served', async () => {
      const app = await startExtra({ AUTH_FAILURE_LIMIT: '5' });
      const volunteer = await app.createKey('volunteer');
      const request = (headers: Record<string, string>, remoteAddress?: string) =>
        app.app.inject({ method: 'GET', url: '/users', headers, ...(remoteAddress ? { remoteAddress } : {}) });

      // Successes do not count.
      for (let i = 0; i < 10; i++) assert.equal((await request(bearer(volunteer))).statusCode, 200);
      for (let i = 0; i < 5; i++) {
        const res = await request(i % 2 === 0 ? bearer(`tpk_guess_${i}`) : {});
        assert.equal(res.statusCode, 401, `failure ${i + 1}`);
      }
      assert.equal((await request(bearer(volunteer))).statusCode, 200, 'a valid volunteer key after the limit');
      assert.equal((await request(bearer(TEST_ADMIN_KEY))).statusCode, 200, 'the admin key after the limit');
      assertTooMany(await request(bearer('tpk_guess_again')), 'another guess after the limit');
      assertTooMany(await request({}), 'no key after the limit');

      // Public routes stay open, and other clients are not affected.
      assert.equal((await app.app.inject({ method: 'GET', url: '/health' })).statusCode, 200);
      assert.equal((await request(bearer(volunteer), '10.1.2.3')).statusCode, 200);
      assert.equal((await request(bearer('tpk_other_client'), '10.1.2.3')).statusCode, 401);
    });

    test('closed registration: anonymous POST /register is 401 and stores nothing', async () => {
      const res = await api.app.inject({ method: 'POST', url: '/register', payload: sampleParticipant(60) });
      assert.equal(res.statusCode, 401);
      assert.equal(res.headers['www-authenticate'], 'Bearer');
      assert.deepEqual(res.json(), { error: 'Authentication required', code: 'authentication_required' });
      const participant = await api.createKey('participant', 1);
      assert.equal((await api.inject('POST', '/register', sampleParticipant(61), participant)).status, 403);
      assert.deepEqual(Object.keys((await api.inject('GET', '/users')).body), ['1', '2']);
    });

    test('open registration: anyone may register, gets their own key, and is rate-limited per address', async () => {
      const app = await startExtra({ OPEN_REGISTRATION: 'true', REGISTRATION_RATE_LIMIT: '3' });
      const register = (n: number, headers: Record<string, string> = {}, remoteAddress?: string) =>
        app.app.inject({
          method: 'POST',
          url: '/register',
          payload: sampleParticipant(n),
          headers,
          ...(remoteAddress ? { remoteAddress } : {}),
        });

      const first = await register(1);
      assert.equal(first.statusCode, 200, first.body);
      const [id, participant] = Object.entries(first.json<Record<string, any>>())[0]!;
      assert.equal(id, '1');
      assert.equal(participant.email, 'person1@example.com');
      assert.match(participant.api_key, /^tpk_[A-Za-z0-9_-]{43,}$/);
      assertNoSecret(first, 'open registration', participant.api_key);

      const key = participant.api_key as string;
      const me = await app.inject('GET', '/me', undefined, key);
      assert.equal(me.status, 200);
      assert.deepEqual(me.body.key, { id: me.body.key.id, name: me.body.key.name, role: 'participant', participant_id: 1 });
      assert.equal(me.body.participant.id, 1);
      assert.equal(me.body.participant.api_key, undefined, 'the key is shown only once');
      const own = await app.inject('GET', '/users/1', undefined, key);
      assert.equal(own.status, 200);
      assert.equal(own.body['1'].api_key, undefined);

      assert.equal((await register(2)).statusCode, 200);
      assert.equal((await app.inject('GET', '/users/2', undefined, key)).status, 403, 'not somebody else');
      assert.equal((await app.inject('GET', '/users', undefined, key)).status, 403);
      assert.equal((await register(3)).statusCode, 200);
      assertTooMany(await register(4), 'the fourth anonymous registration in a minute');
      assertTooMany(await register(5), 'the fifth');

      // Staff are not limited, nor are other addresses; a bad key is still a failed authentication.
      assert.equal((await register(6, bearer(TEST_ADMIN_KEY))).statusCode, 200);
      assert.equal((await register(7, {}, '10.9.8.7')).statusCode, 200);
      assert.equal((await register(8, bearer('tpk_not_a_key'))).statusCode, 401);
      assert.deepEqual(Object.keys((await app.inject('GET', '/users')).body), ['1', '2', '3', '4', '5']);
    });

    test('no response shows the admin key, another key or a key hash', async () => {
      const participant = await api.createKey('participant', 2, 'Spot check');
      const created = await api.app.inject({
        method: 'POST',
        url: '/keys',
        headers: bearer(TEST_ADMIN_KEY),
        payload: { role: 'volunteer', name: 'Shown once' },
      });
      assert.equal(created.statusCode, 200);
      assertNoSecret(created, 'POST /keys', created.json().key);

      const requests: [string, string, string][] = [
        ['GET', '/keys', TEST_ADMIN_KEY],
        ['GET', '/me', TEST_ADMIN_KEY],
        ['GET', '/me', participant],
        ['GET', '/me', created.json().key],
        ['GET', '/users', TEST_ADMIN_KEY],
        ['GET', '/users/2', participant],
        ['GET', '/users/2/tokens', participant],
        ['GET', '/openapi.json', TEST_ADMIN_KEY],
        ['GET', '/keys', participant],
        ['GET', '/keys', `${TEST_ADMIN_KEY}-wrong`],
      ];
      for (const [method, url, key] of requests) {
        const res = await api.app.inject({ method: method as 'GET', url, headers: bearer(key) });
        assert.ok(res.statusCode < 500, `${method} ${url}: ${res.statusCode}`);
        assertNoSecret(res, `${method} ${url}`);
      }
      const revoke = await api.app.inject({
        method: 'DELETE',
        url: `/keys/${created.json().id}`,
        headers: bearer(TEST_ADMIN_KEY),
      });
      assert.equal(revoke.statusCode, 200);
      assertNoSecret(revoke, 'DELETE /keys/:id');
    });
  });
}
