import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { ConfigError, loadConfig } from '../src/config.js';
import { BACKENDS, openTestDatabase, sampleParticipant, startTestApp, TEST_ADMIN_KEY, type TestApp } from './helpers.js';

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
/** A forged X-Forwarded-For entry: a different client address every time. */
const randomAddress = () => `198.18.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

function assertTooMany(res: LightMyRequestResponse, what: string): void {
  assert.equal(res.statusCode, 429, `${what}: ${res.body}`);
  assert.deepEqual(res.json(), { error: 'Too many requests', code: 'rate_limited' }, what);
  const retryAfter = Number(res.headers['retry-after']);
  assert.ok(
    Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60,
    `${what}: Retry-After ${res.headers['retry-after']}`,
  );
}

describe('TRUST_PROXY and the rate-limit variables', () => {
  test('TRUST_PROXY=true is refused with a message that says what to set instead', () => {
    for (const value of ['true', 'TRUE']) {
      assert.throws(
        () => loadConfig({ TRUST_PROXY: value }),
        (error: unknown) =>
          error instanceof ConfigError &&
          error.message.startsWith('Invalid configuration: TRUST_PROXY ') &&
          error.message.includes('TRUST_PROXY=1') &&
          error.message.includes('TRUST_PROXY=127.0.0.1'),
      );
    }
  });

  test('TRUST_PROXY takes a hop count or proxy addresses and CIDRs', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: 'false' }).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: '0' }).trustProxy, false);
    assert.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1);
    assert.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(loadConfig({ TRUST_PROXY: '127.0.0.1' }).trustProxy, ['127.0.0.1']);
    assert.deepEqual(loadConfig({ TRUST_PROXY: ' 10.0.0.0/8, ::1 ,loopback' }).trustProxy, ['10.0.0.0/8', '::1', 'loopback']);
    for (const value of ['proxy.example', '10.0.0.0/33', '127.0.0.1,', '-1', '101']) {
      assert.throws(
        () => loadConfig({ TRUST_PROXY: value }),
        (error: unknown) => error instanceof ConfigError && error.message.startsWith('Invalid configuration: TRUST_PROXY '),
        value,
      );
    }
  });

  test('the new limits have defaults and are validated', () => {
    const { access } = loadConfig({});
    assert.deepEqual([access.rateLimitAddresses, access.badgeImageLimit, access.participantLinksLimit], [10_000, 60, 2]);
    for (const variable of ['RATE_LIMIT_ADDRESSES', 'BADGE_IMAGE_RATE_LIMIT', 'PARTICIPANT_LINKS_RATE_LIMIT']) {
      assert.throws(
        () => loadConfig({ [variable]: '0' }),
        (error: unknown) => error instanceof ConfigError && error.message.startsWith(`Invalid configuration: ${variable} `),
      );
    }
  });
});

for (const backend of BACKENDS) {
  describe(`rate limits (${backend.name})`, { skip: backend.skip }, () => {
    /** Apps with their own configuration, closed after the suite. */
    const apps: TestApp[] = [];
    const start = async (env: Record<string, string> = {}) => {
      const app = await startTestApp(backend.name, env);
      apps.push(app);
      return app;
    };
    after(async () => {
      await Promise.all(apps.map((app) => app.close()));
    });

    describe('failed authentications', () => {
      let api: TestApp;
      let volunteer: string;
      let revoked: string;
      let expired: string;
      before(async () => {
        api = await start();
        volunteer = await api.createKey('volunteer');
        revoked = await api.createKey('volunteer', undefined, 'revoked');
        expired = await api.createKey('volunteer', undefined, 'expired');
        const listed = Object.values<{ id: number; name: string }>((await api.inject('GET', '/keys')).body);
        const idOf = (name: string) => listed.find((key) => key.name === name)!.id;
        assert.equal((await api.inject('DELETE', `/keys/${idOf('revoked')}`)).status, 200);
        const handle = openTestDatabase(api.database);
        await handle.db
          .updateTable('api_keys')
          .set({ expires_at: Date.now() - 1000 })
          .where('id', '=', idOf('expired'))
          .execute();
        await handle.destroy();
      });

      test('30 failures from one address: its valid keys are still served, its unknown keys get 429', async () => {
        const from = (headers: Record<string, string>) =>
          api.app.inject({ method: 'GET', url: '/users', headers, remoteAddress: '192.0.2.10' });
        const failures = [{}, bearer('tpk_guess'), { authorization: 'Basic abc' }, bearer(revoked), bearer(expired)];
        for (let i = 0; i < 30; i++)
          assert.equal((await from(failures[i % failures.length]!)).statusCode, 401, `failure ${i + 1}`);

        assert.equal((await from(bearer(TEST_ADMIN_KEY))).statusCode, 200, 'the admin key behind the same address');
        assert.equal((await from(bearer(volunteer))).statusCode, 200, 'a volunteer key behind the same address');
        assertTooMany(await from(bearer('tpk_another_guess')), 'an unknown key');
        assertTooMany(await from({}), 'no key');
        assertTooMany(await from(bearer(revoked)), 'a revoked key');
        assertTooMany(await from(bearer(expired)), 'an expired key');
        for (let i = 0; i < 5; i++) assert.equal((await from(bearer(TEST_ADMIN_KEY))).statusCode, 200, 'and it stays served');
        const elsewhere = await api.app.inject({
          method: 'GET',
          url: '/users',
          headers: bearer('tpk_guess'),
          remoteAddress: '192.0.2.11',
        });
        assert.equal(elsewhere.statusCode, 401, 'another address is counted on its own');
      });

      test('the counters are bounded: past RATE_LIMIT_ADDRESSES addresses the least recently seen is forgotten', async () => {
        const small = await start({ AUTH_FAILURE_LIMIT: '2', RATE_LIMIT_ADDRESSES: '3' });
        const guess = (remoteAddress: string) =>
          small.app.inject({ method: 'GET', url: '/users', headers: bearer('tpk_guess'), remoteAddress });
        for (let i = 0; i < 2; i++) assert.equal((await guess('192.0.2.1')).statusCode, 401);
        assertTooMany(await guess('192.0.2.1'), 'the first address over the limit');
        for (const other of ['192.0.2.2', '192.0.2.3', '192.0.2.4']) assert.equal((await guess(other)).statusCode, 401, other);
        assert.equal((await guess('192.0.2.1')).statusCode, 401, 'three newer addresses pushed the first one out');
        assert.equal((await guess('192.0.2.4')).statusCode, 401);
        assertTooMany(await guess('192.0.2.4'), 'a remembered address is still limited');
      });
    });

    describe('client addresses behind a proxy', () => {
      test('TRUST_PROXY=1: a forged X-Forwarded-For chain cannot choose the counted address', async () => {
        const app = await start({ TRUST_PROXY: '1', AUTH_FAILURE_LIMIT: '3' });
        // What one TLS proxy on the same host passes on: whatever the client sent, then the client's address.
        const viaProxy = (forwardedFor: string, key = 'tpk_guess') =>
          app.app.inject({
            method: 'GET',
            url: '/users',
            headers: { ...bearer(key), 'x-forwarded-for': forwardedFor },
            remoteAddress: '127.0.0.1',
          });
        const victim = '203.0.113.7';
        for (let i = 0; i < 3; i++) {
          assert.equal((await viaProxy(`${victim}, ${randomAddress()}, 198.51.100.1`)).statusCode, 401, `failure ${i + 1}`);
        }
        assertTooMany(await viaProxy(`${randomAddress()}, 198.51.100.1`), 'the attacker, whatever it forges');
        assert.equal((await viaProxy(victim)).statusCode, 401, 'the address named in forged headers was not counted');
        assert.equal((await viaProxy(victim, TEST_ADMIN_KEY)).statusCode, 200);
      });

      test('random X-Forwarded-For from a client that is not a trusted proxy still hits the limit', async () => {
        const settings: Record<string, string>[] = [{}, { TRUST_PROXY: '10.0.0.1' }];
        for (const env of settings) {
          const app = await start({ ...env, AUTH_FAILURE_LIMIT: '3' });
          const guess = (remoteAddress: string, forwardedFor: string) =>
            app.app.inject({
              method: 'GET',
              url: '/users',
              headers: { ...bearer('tpk_guess'), 'x-forwarded-for': forwardedFor },
              remoteAddress,
            });
          const what = `TRUST_PROXY=${env.TRUST_PROXY ?? '(unset)'}`;
          for (let i = 0; i < 3; i++) assert.equal((await guess('192.0.2.50', randomAddress())).statusCode, 401, what);
          assertTooMany(await guess('192.0.2.50', randomAddress()), `${what}: a direct client`);
          if (env.TRUST_PROXY) {
            // Through the listed proxy, the address it appended is the client.
            for (let i = 0; i < 3; i++) assert.equal((await guess('10.0.0.1', `${randomAddress()}, 192.0.2.60`)).statusCode, 401);
            assertTooMany(await guess('10.0.0.1', `${randomAddress()}, 192.0.2.60`), `${what}: a client behind the proxy`);
            assert.equal((await guess('10.0.0.1', '192.0.2.61')).statusCode, 401, 'another client behind the proxy');
          }
        }
      });

      test('TRUST_PROXY=1: open registration stays limited per client whatever X-Forwarded-For says', async () => {
        const app = await start({ TRUST_PROXY: '1', OPEN_REGISTRATION: 'true', REGISTRATION_RATE_LIMIT: '3' });
        const register = (n: number, client: string) =>
          app.app.inject({
            method: 'POST',
            url: '/register',
            payload: sampleParticipant(n),
            headers: { 'x-forwarded-for': `${randomAddress()}, ${client}` },
            remoteAddress: '127.0.0.1',
          });
        for (let n = 1; n <= 3; n++) assert.equal((await register(n, '198.51.100.2')).statusCode, 200);
        assertTooMany(await register(4, '198.51.100.2'), 'a fourth registration with a new forged address');
        assert.equal((await register(5, '198.51.100.3')).statusCode, 200, 'another client');
      });
    });

    describe('per-key limits on the expensive routes', () => {
      test('badge images: one key gets 429 while another key is still served', async () => {
        const app = await start({ BADGE_IMAGE_RATE_LIMIT: '2' });
        assert.equal((await app.inject('POST', '/register', sampleParticipant(1))).status, 200);
        const desk1 = await app.createKey('volunteer', undefined, 'desk 1');
        const desk2 = await app.createKey('volunteer', undefined, 'desk 2');
        const image = (format: 'png' | 'svg', key: string) =>
          app.app.inject({ method: 'GET', url: `/users/1/badge.${format}`, headers: bearer(key) });

        for (let i = 0; i < 2; i++) {
          const res = await image('png', desk1);
          assert.equal(res.statusCode, 200);
          assert.equal(res.headers['content-type'], 'image/png');
        }
        assertTooMany(await image('png', desk1), 'a third PNG in a minute');
        assertTooMany(await image('svg', desk1), 'an SVG shares the budget');
        assert.equal((await image('png', desk2)).statusCode, 200, 'another key from the same address');
        assert.equal((await image('svg', desk2)).statusCode, 200);
      });

      test('POST /keys/participant-links: one key gets 429 while another key is still served', async () => {
        const app = await start({ PARTICIPANT_LINKS_RATE_LIMIT: '1' });
        assert.equal((await app.inject('POST', '/register', sampleParticipant(1))).status, 200);
        const otherAdmin = await app.createKey('admin', undefined, 'second admin');
        const links = (key: string) => app.app.inject({ method: 'POST', url: '/keys/participant-links', headers: bearer(key) });

        const first = await links(TEST_ADMIN_KEY);
        assert.equal(first.statusCode, 200);
        assert.match(String(first.headers['content-type']), /^text\/csv/);
        assertTooMany(await links(TEST_ADMIN_KEY), 'a second export by the same key');
        assert.equal((await links(otherAdmin)).statusCode, 200, 'another admin key');
      });
    });
  });
}
