import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { base32ToBytes, bytesToBase32, hotp, isLiveCode, totp } from '../src/shared/totp.js';
import { BACKENDS, manualClock, sampleParticipant, startTestApp, TEST_ADMIN_KEY, type TestApp } from './helpers.js';

const RFC_SECRET = new TextEncoder().encode('12345678901234567890');
/** RFC 6238 appendix B, SHA-1: seconds since the epoch and the 8-digit code. */
const RFC_6238_SHA1: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('live codes: the shared TOTP module', () => {
  test('RFC 6238 SHA-1 test vectors, 8 digits and the last 6', () => {
    for (const [seconds, code] of RFC_6238_SHA1) {
      assert.equal(totp(RFC_SECRET, seconds * 1000, 8), code, `T=${seconds}`);
      assert.equal(totp(RFC_SECRET, seconds * 1000), code.slice(2), `T=${seconds}, 6 digits`);
    }
  });

  test('RFC 4226 HOTP test vectors', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => assert.equal(hotp(RFC_SECRET, counter), code, `counter ${counter}`));
  });

  test('RFC 4648 base32, both ways', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [text, base32] of vectors) {
      assert.equal(bytesToBase32(new TextEncoder().encode(text)), base32);
      assert.equal(new TextDecoder().decode(base32ToBytes(base32)), text);
    }
    assert.deepEqual(base32ToBytes('mzxw6ytboi======'), new TextEncoder().encode('foobar'), 'lower case and padding');
    assert.equal(bytesToBase32(RFC_SECRET), 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    assert.throws(() => base32ToBytes('MZ1W'), /not a base32 character/);
  });

  test('the current and the previous step are live; the one before and the next are not', () => {
    const now = 1_700_000_015_000;
    assert.ok(isLiveCode(RFC_SECRET, totp(RFC_SECRET, now), now));
    assert.ok(isLiveCode(RFC_SECRET, totp(RFC_SECRET, now - 30_000), now));
    assert.ok(!isLiveCode(RFC_SECRET, totp(RFC_SECRET, now - 60_000), now));
    assert.ok(!isLiveCode(RFC_SECRET, totp(RFC_SECRET, now + 30_000), now));
    assert.ok(!isLiveCode(RFC_SECRET, '', now));
  });
});

interface LiveCodeView {
  secret: string;
  digits: number;
  period: number;
  algorithm: string;
}

for (const backend of BACKENDS) {
  describe(`live exchange codes (${backend.name})`, { skip: backend.skip }, () => {
    // In the middle of a 30 s step, so "the previous step" is 30 s back and "90 s ago" three steps back.
    const clock = manualClock(1_800_000_015_000);
    let api: TestApp;
    const keys = new Map<number, string>();
    const keyOf = (id: number) => keys.get(id) as string;

    const meOf = async (id: number): Promise<{ badge: string; liveCode: LiveCodeView }> => {
      const res = await api.inject('GET', '/me', undefined, keyOf(id));
      assert.equal(res.status, 200);
      return { badge: res.body.badge.badge, liveCode: res.body.live_code };
    };
    /** The code participant `id`'s phone showed `agoMs` before now, computed from the secret /me gave it. */
    const codeOf = async (id: number, agoMs = 0) => totp(base32ToBytes((await meOf(id)).liveCode.secret), clock.now() - agoMs);
    const exchange = (scanner: number, body: object) => api.inject('PUT', '/bbt_token_exchange', body, keyOf(scanner));
    const balanceOf = async (id: number): Promise<number> => (await api.inject('GET', `/users/${id}`)).body[id].bbt_tokens;

    before(async () => {
      // No cooldown, so each test's exchanges do not wait on the others'; each test uses its own pairs.
      api = await startTestApp(backend.name, { BBT_TOKENS_COOLDOWN: '0' }, undefined, { clock });
      for (let n = 1; n <= 8; n++) {
        const res = await api.inject('POST', '/register', sampleParticipant(n, []));
        assert.equal(res.status, 200);
        const id = Number(Object.keys(res.body)[0]);
        keys.set(id, await api.createKey('participant', id));
      }
    });
    after(() => api?.close());

    test('GET /me gives a participant the live-code secret, and staff none', async () => {
      const { liveCode } = await meOf(1);
      assert.deepEqual(liveCode, { secret: liveCode.secret, digits: 6, period: 30, algorithm: 'SHA1' });
      assert.match(liveCode.secret, /^[A-Z2-7]{32}$/, '20 bytes of base32');
      assert.notEqual((await meOf(2)).liveCode.secret, liveCode.secret, 'one secret per participant');
      const volunteer = await api.createKey('volunteer');
      for (const as of [volunteer, TEST_ADMIN_KEY]) {
        const staff = await api.inject('GET', '/me', undefined, as);
        assert.equal(staff.body.live_code, null);
      }
    });

    test('a code from 90 s ago, or none, is stale; the current one is accepted', async () => {
      const { badge } = await meOf(2);
      const stale = { error: 'No live code, or an old one: ask them to show the live code on their phone', code: 'stale_code' };
      const old = await exchange(1, { participant_2_badge: badge, participant_2_code: await codeOf(2, 90_000) });
      assert.deepEqual([old.status, old.body], [400, stale]);
      const none = await exchange(1, { participant_2_badge: badge });
      assert.deepEqual([none.status, none.body], [400, stale]);
      assert.deepEqual([await balanceOf(1), await balanceOf(2)], [0, 0], 'no refusal moved a token');

      const live = await exchange(1, { participant_2_badge: badge, participant_2_code: await codeOf(2) });
      assert.equal(live.status, 200, JSON.stringify(live.body));
      assert.deepEqual([live.body.new_tokens_1, live.body.new_tokens_2], [1, 1]);
    });

    test('the previous step is accepted (a code read just before it changed), the one before that is not', async () => {
      const { badge } = await meOf(4);
      const tooOld = await exchange(3, { participant_2_badge: badge, participant_2_code: await codeOf(4, 60_000) });
      assert.equal(tooOld.body.code, 'stale_code');
      const previous = await exchange(3, { participant_2_badge: badge, participant_2_code: await codeOf(4, 30_000) });
      assert.equal(previous.status, 200, JSON.stringify(previous.body));
    });

    test('a code that is not 6 digits is a malformed request', async () => {
      const { badge } = await meOf(6);
      for (const code of ['12345', '1234567', 'abcdef', 123456]) {
        const res = await exchange(5, { participant_2_badge: badge, participant_2_code: code });
        assert.deepEqual(
          [res.status, res.body],
          [400, { error: 'participant_2_code must be the 6 digits of the live code', code: 'validation_failed' }],
          String(code),
        );
      }
    });

    test('an admin exchange needs no live code, by ids or by badge', async () => {
      const byIds = await api.inject('PUT', '/bbt_token_exchange', { participant_1_id: 5, participant_2_id: 6 });
      assert.equal(byIds.status, 200, JSON.stringify(byIds.body));
      const byBadge = await api.inject('PUT', '/bbt_token_exchange', {
        participant_1_id: 5,
        participant_2_badge: (await meOf(7)).badge,
      });
      assert.equal(byBadge.status, 200, JSON.stringify(byBadge.body));
    });

    test("after a badge rotation the old secret's codes are refused and the new secret's accepted", async () => {
      const before = await meOf(8);
      const rotated = await api.inject('POST', '/users/8/badge/rotate');
      assert.equal(rotated.status, 200);
      const after = await meOf(8);
      assert.notEqual(after.liveCode.secret, before.liveCode.secret);
      const oldSecretCode = totp(base32ToBytes(before.liveCode.secret), clock.now());
      const refused = await exchange(7, { participant_2_badge: after.badge, participant_2_code: oldSecretCode });
      assert.equal(refused.body.code, 'stale_code');
      const accepted = await exchange(7, { participant_2_badge: after.badge, participant_2_code: await codeOf(8) });
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    });

    test('a live code stays good as the clock moves into the next step, then goes stale', async () => {
      const { badge } = await meOf(3);
      const shown = await codeOf(3);
      clock.advance(30_000);
      const second = await exchange(2, { participant_2_badge: badge, participant_2_code: shown });
      assert.equal(second.status, 200, JSON.stringify(second.body));
      clock.advance(30_000);
      const third = await exchange(4, { participant_2_badge: badge, participant_2_code: shown });
      assert.equal(third.body.code, 'stale_code', 'a minute on, the same code is refused');
    });
  });

  describe(`live exchange codes switched off (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    before(async () => {
      api = await startTestApp(backend.name, { EXCHANGE_REQUIRES_LIVE_CODE: 'false' });
    });
    after(() => api?.close());

    test('with EXCHANGE_REQUIRES_LIVE_CODE=false a printed badge is enough', async () => {
      const ids: number[] = [];
      for (const n of [1, 2])
        ids.push(Number(Object.keys((await api.inject('POST', '/register', sampleParticipant(n, []))).body)[0]));
      const [one, two] = ids as [number, number];
      const badge = (await api.inject('GET', '/me', undefined, await api.createKey('participant', two))).body.badge.badge;
      const res = await api.inject(
        'PUT',
        '/bbt_token_exchange',
        { participant_2_badge: badge },
        await api.createKey('participant', one),
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
    });
  });
}
