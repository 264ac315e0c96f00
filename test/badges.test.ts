import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import { importParticipants } from '../src/modules/import/import.service.js';
import { base32ToBytes, totp } from '../src/shared/totp.js';
import { BACKENDS, openTestDatabase, sampleParticipant, startTestApp, TEST_ADMIN_KEY, type TestApp } from './helpers.js';

const PUBLIC_URL = 'https://hack.example.com';
// jsqr is CommonJS typed as an ES module: its function is both module.exports and its `default`.
const jsQR = jsqr.default;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** A signed badge: `<participant id>.<version>.<Ed25519 signature, base64url>`. */
const SIGNED_BADGE = /^(\d+)\.(\d+)\.([A-Za-z0-9_-]{86})$/;

/** What a phone camera reads from a PNG badge. */
function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)
    ?.data;
}

for (const backend of BACKENDS) {
  describe(`QR badges (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let volunteer: string;
    /** Participant keys by participant id. */
    const keys = new Map<number, string>();
    const keyOf = (id: number) => keys.get(id) as string;

    /** The stored badge codes by participant id, read past the API. */
    const storedCodes = async (): Promise<Map<number, string>> => {
      const handle = openTestDatabase(api.database);
      try {
        const rows = await handle.db.selectFrom('participants').select(['id', 'badge_code']).orderBy('id').execute();
        return new Map(rows.map((row) => [row.id, row.badge_code]));
      } finally {
        await handle.destroy();
      }
    };
    const badgeOf = async (id: number): Promise<string> => {
      const res = await api.inject('GET', '/me', undefined, keyOf(id));
      assert.equal(res.status, 200);
      return res.body.badge.badge;
    };
    const balanceOf = async (id: number): Promise<number> => (await api.inject('GET', `/users/${id}`)).body[id].bbt_tokens;
    /** The live code participant `id`'s phone shows now, from the secret GET /me gives it. */
    const liveCodeOf = async (id: number): Promise<string> => {
      const res = await api.inject('GET', '/me', undefined, keyOf(id));
      return totp(base32ToBytes(res.body.live_code.secret), Date.now());
    };
    /** Checks a badge code names this participant and version, signed by the key the roster hands to scanners. */
    const assertSignedBadge = async (code: string, participantId: number, version: number) => {
      const match = SIGNED_BADGE.exec(code);
      assert.ok(match, `a signed badge code: ${code}`);
      assert.deepEqual([Number(match[1]), Number(match[2])], [participantId, version]);
      const roster = await api.inject('GET', '/sync/roster', undefined, volunteer);
      assert.equal(roster.status, 200);
      const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: roster.body.badge_key.public_key }, format: 'jwk' });
      const message = Buffer.from(`tapioca-badge:${participantId}.${version}`);
      assert.ok(verify(null, message, key, Buffer.from(match[3] as string, 'base64url')), 'signed by the badge key');
    };

    before(async () => {
      // No cooldown and no pair limit, so the exchange tests do not depend on each other's order.
      api = await startTestApp(backend.name, { PUBLIC_URL, BBT_TOKENS_COOLDOWN: '0', BBT_PAIR_EXCHANGES: '0' });
      for (let n = 1; n <= 4; n++) assert.equal((await api.inject('POST', '/register', sampleParticipant(n))).status, 200);
      const handle = openTestDatabase(api.database);
      try {
        const summary = await importParticipants(handle, [sampleParticipant(5), sampleParticipant(6)]);
        assert.equal(summary.imported, 2);
      } finally {
        await handle.destroy();
      }
      for (let id = 1; id <= 6; id++) keys.set(id, await api.createKey('participant', id, `participant ${id}`));
      volunteer = await api.createKey('volunteer', undefined, 'Scanner');
    });
    after(() => api?.close());

    test('every participant, registered or imported, has its own unguessable badge code', async () => {
      const codes = await storedCodes();
      assert.deepEqual([...codes.keys()], [1, 2, 3, 4, 5, 6]);
      for (const code of codes.values()) assert.match(code, /^[A-Za-z0-9_-]{22,}$/, 'at least 128 bits, URL-safe');
      assert.equal(new Set(codes.values()).size, 6);
    });

    test('GET /me shows a participant their signed badge and the URL it encodes', async () => {
      for (const id of [1, 5]) {
        const res = await api.inject('GET', '/me', undefined, keyOf(id));
        assert.equal(res.status, 200);
        const code = res.body.badge.badge as string;
        assert.deepEqual(res.body.badge, { participant_id: id, badge: code, version: 1, url: `${PUBLIC_URL}/b/${code}` });
        await assertSignedBadge(code, id, 1);
        assert.equal(res.body.participant.id, id);
      }
      const staff = await api.inject('GET', '/me', undefined, volunteer);
      assert.equal(staff.status, 200);
      assert.equal(staff.body.badge, null);
    });

    test('badge images: SVG and PNG of the badge URL for the participant, volunteers and admins', async () => {
      const code = await badgeOf(2);
      for (const as of [keyOf(2), volunteer, TEST_ADMIN_KEY]) {
        const headers = { authorization: `Bearer ${as}` };
        const svg = await api.app.inject({ method: 'GET', url: '/users/2/badge.svg', headers });
        assert.equal(svg.statusCode, 200);
        assert.match(String(svg.headers['content-type']), /^image\/svg\+xml/);
        assert.ok(svg.body.includes('<svg'), 'an SVG image');

        const png = await api.app.inject({ method: 'GET', url: '/users/2/badge.png', headers });
        assert.equal(png.statusCode, 200);
        assert.match(String(png.headers['content-type']), /^image\/png/);
        assert.deepEqual(png.rawPayload.subarray(0, 8), PNG_SIGNATURE);
        assert.equal(decodeQr(png.rawPayload), `${PUBLIC_URL}/b/${code}`);
      }
    });

    test("a participant cannot read another participant's badge; unknown participants are 404", async () => {
      for (const format of ['svg', 'png']) {
        const res = await api.inject('GET', `/users/3/badge.${format}`, undefined, keyOf(2));
        assert.equal(res.status, 403, format);
        assert.deepEqual(res.body, { error: 'Forbidden', code: 'forbidden' });
        assert.equal((await api.inject('GET', `/users/3/badge.${format}`, undefined, null)).status, 401);
        assert.equal((await api.inject('GET', `/users/999/badge.${format}`)).status, 404);
        assert.equal((await api.inject('GET', `/users/999/badge.${format}`, undefined, volunteer)).status, 404);
      }
    });

    test('GET /badges/:code tells staff whose badge it is; participants may not look badges up', async () => {
      const code = await badgeOf(3);
      for (const as of [volunteer, undefined]) {
        const res = await api.inject('GET', `/badges/${code}`, undefined, as);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { participant_id: 3, name: 'Test Person 3', checked_in: false });
      }
      assert.equal((await api.inject('GET', `/badges/${code}`, undefined, keyOf(3))).status, 403);
      assert.equal((await api.inject('GET', `/badges/${code}`, undefined, null)).status, 401);
      for (const unknown of [
        'no-such-badge',
        code.slice(0, -1),
        code.toLowerCase() === code ? code.toUpperCase() : code.toLowerCase(),
      ]) {
        const res = await api.inject('GET', `/badges/${encodeURIComponent(unknown)}`, undefined, volunteer);
        assert.equal(res.status, 404, unknown);
        assert.deepEqual(res.body, { error: 'Badge not found', code: 'badge_not_found' });
      }
    });

    test('POST /checkin by badge checks the holder in, recorded against the scanning key', async () => {
      const code = await badgeOf(4);
      const res = await api.inject('POST', '/checkin', { badge: code }, volunteer);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.participant_id, 4);
      assert.equal(res.body.checked_in, true);
      assert.equal(res.body.volunteer_name, 'Scanner');
      assert.deepEqual((await api.inject('GET', `/badges/${code}`, undefined, volunteer)).body, {
        participant_id: 4,
        name: 'Test Person 4',
        checked_in: true,
      });
      assert.equal((await api.inject('GET', '/checkin?participant_id=4', undefined, keyOf(4))).body.checked_in, true);
      const twice = await api.inject('POST', '/checkin', { badge: code }, volunteer);
      assert.deepEqual([twice.status, twice.body], [400, { error: 'Already checked in', code: 'already_checked_in' }]);

      const unknown = await api.inject('POST', '/checkin', { badge: 'no-such-badge' }, volunteer);
      assert.deepEqual([unknown.status, unknown.body], [404, { error: 'Badge not found', code: 'badge_not_found' }]);
      assert.equal(
        (await api.inject('POST', '/checkin', { badge: await badgeOf(1) }, keyOf(1))).status,
        403,
        'not by a participant',
      );
      assert.equal((await api.inject('GET', '/checkin?participant_id=1')).body.checked_in, false);
    });

    test('a participant exchanges by scanning the other badge; never by bare ids', async () => {
      const [before1, before2] = [await balanceOf(1), await balanceOf(2)];
      const res = await api.inject(
        'PUT',
        '/bbt_token_exchange',
        { participant_2_badge: await badgeOf(2), participant_2_code: await liveCodeOf(2) },
        keyOf(1),
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(res.body, {
        success: 'Tokens exchanged',
        new_tokens_1: before1 + 1,
        new_tokens_2: before2 + 1,
        participant_2_name: 'Test Person 2',
      });
      assert.deepEqual([await balanceOf(1), await balanceOf(2)], [before1 + 1, before2 + 1]);

      const withOwnId = await api.inject(
        'PUT',
        '/bbt_token_exchange',
        { participant_1_id: 1, participant_2_badge: await badgeOf(2), participant_2_code: await liveCodeOf(2) },
        keyOf(1),
      );
      assert.equal(withOwnId.status, 200, 'naming themself as participant 1 is fine');

      const refusals: [unknown, number][] = [
        [{ participant_2_id: 2 }, 403],
        [{ participant_1_id: 1, participant_2_id: 2 }, 403],
        [{ participant_1_id: 3, participant_2_badge: await badgeOf(2) }, 403],
        [{ participant_1_id: 3, participant_2_id: 2 }, 403],
        [{ participant_2_badge: 'no-such-badge' }, 404],
        [{ participant_2_badge: await badgeOf(1) }, 400],
        [{ participant_2_id: 2, participant_2_badge: await badgeOf(2) }, 400],
        [{}, 400],
      ];
      const balances = [await balanceOf(1), await balanceOf(2), await balanceOf(3)];
      for (const [body, status] of refusals) {
        const refused = await api.inject('PUT', '/bbt_token_exchange', body, keyOf(1));
        assert.equal(refused.status, status, JSON.stringify(body));
        assert.equal(typeof refused.body.error, 'string');
      }
      assert.deepEqual([await balanceOf(1), await balanceOf(2), await balanceOf(3)], balances, 'no refusal moved a token');
    });

    test('an admin can still exchange by ids, or by badge', async () => {
      const [before5, before6] = [await balanceOf(5), await balanceOf(6)];
      const byIds = await api.inject('PUT', '/bbt_token_exchange', { participant_1_id: 5, participant_2_id: 6 });
      assert.equal(byIds.status, 200, JSON.stringify(byIds.body));
      assert.deepEqual(byIds.body, {
        success: 'Tokens exchanged',
        new_tokens_1: before5 + 1,
        new_tokens_2: before6 + 1,
        participant_2_name: 'Test Person 6',
      });
      const byBadge = await api.inject('PUT', '/bbt_token_exchange', {
        participant_1_id: 6,
        participant_2_badge: await badgeOf(5),
      });
      assert.equal(byBadge.status, 200, JSON.stringify(byBadge.body));
      assert.deepEqual(byBadge.body, {
        success: 'Tokens exchanged',
        new_tokens_1: before6 + 2,
        new_tokens_2: before5 + 2,
        participant_2_name: 'Test Person 5',
      });
      assert.equal(
        (await api.inject('PUT', '/bbt_token_exchange', { participant_1_id: 5, participant_2_id: 6 }, volunteer)).status,
        403,
      );
    });

    test('rotating a badge (admin only) retires the old code everywhere and the new one works', async () => {
      const old = await badgeOf(6);
      const oldPrinted = (await storedCodes()).get(6) as string;
      assert.equal(
        (await api.inject('GET', `/badges/${oldPrinted}`, undefined, volunteer)).status,
        200,
        'pre-signing code works',
      );
      for (const as of [volunteer, keyOf(6)]) {
        assert.equal((await api.inject('POST', '/users/6/badge/rotate', undefined, as)).status, 403);
      }
      assert.equal(await badgeOf(6), old, 'refused rotations change nothing');
      assert.equal((await api.inject('POST', '/users/999/badge/rotate')).status, 404);

      const res = await api.inject('POST', '/users/6/badge/rotate');
      assert.equal(res.status, 200);
      const fresh = res.body.badge as string;
      assert.deepEqual(res.body, { participant_id: 6, badge: fresh, version: 2, url: `${PUBLIC_URL}/b/${fresh}` });
      assert.notEqual(fresh, old);
      await assertSignedBadge(fresh, 6, 2);
      assert.equal(await badgeOf(6), fresh);
      assert.notEqual((await storedCodes()).get(6), oldPrinted, 'the pre-signing code changes too');

      const gone = { error: 'Badge not found', code: 'badge_not_found' };
      for (const retired of [old, oldPrinted]) {
        const lookup = await api.inject('GET', `/badges/${retired}`, undefined, volunteer);
        assert.deepEqual([lookup.status, lookup.body], [404, gone], retired);
      }
      const checkIn = await api.inject('POST', '/checkin', { badge: old }, volunteer);
      assert.deepEqual([checkIn.status, checkIn.body], [404, gone]);
      const exchange = await api.inject('PUT', '/bbt_token_exchange', { participant_2_badge: old }, keyOf(3));
      assert.deepEqual([exchange.status, exchange.body], [404, gone]);

      const png = await api.app.inject({
        method: 'GET',
        url: '/users/6/badge.png',
        headers: { authorization: `Bearer ${keyOf(6)}` },
      });
      assert.equal(decodeQr(png.rawPayload), `${PUBLIC_URL}/b/${fresh}`);
      assert.deepEqual((await api.inject('GET', `/badges/${fresh}`, undefined, volunteer)).body, {
        participant_id: 6,
        name: 'Test Person 6',
        checked_in: false,
      });
      const before3 = await balanceOf(3);
      const freshExchange = { participant_2_badge: fresh, participant_2_code: await liveCodeOf(6) };
      assert.equal((await api.inject('PUT', '/bbt_token_exchange', freshExchange, keyOf(3))).status, 200);
      assert.equal(await balanceOf(3), before3 + 1);
      assert.equal((await api.inject('POST', '/checkin', { badge: fresh }, volunteer)).status, 200);
      assert.equal((await api.inject('GET', `/badges/${fresh}`, undefined, volunteer)).body.checked_in, true);
    });

    test('every ledger row records the key that caused it', async () => {
      const adminKeyId = (await api.inject('GET', '/me')).body.key.id as number;
      const participantKeyId = (await api.inject('GET', '/me', undefined, keyOf(3))).body.key.id as number;
      assert.notEqual(adminKeyId, participantKeyId);

      assert.equal((await api.inject('PUT', '/bbt_token_admin_give', { participant_id: 3, tokens: 7 })).status, 200);
      assert.equal(
        (
          await api.inject(
            'PUT',
            '/bbt_token_exchange',
            { participant_2_badge: await badgeOf(4), participant_2_code: await liveCodeOf(4) },
            keyOf(3),
          )
        ).status,
        200,
      );

      const handle = openTestDatabase(api.database);
      try {
        const rows = await handle.db
          .selectFrom('token_ledger')
          .select(['participant_id', 'amount', 'kind', 'counterpart_id', 'actor_key_id'])
          .where('participant_id', 'in', [3, 4])
          .orderBy('id', 'desc')
          .limit(3)
          .execute();
        assert.deepEqual(
          rows.map((row) => ({ ...row })).sort((a, b) => a.participant_id - b.participant_id || a.amount - b.amount),
          [
            { participant_id: 3, amount: 1, kind: 'exchange', counterpart_id: 4, actor_key_id: participantKeyId },
            { participant_id: 3, amount: 7, kind: 'grant', counterpart_id: null, actor_key_id: adminKeyId },
            { participant_id: 4, amount: 1, kind: 'exchange', counterpart_id: 3, actor_key_id: participantKeyId },
          ],
        );
        const unattributed = await handle.db.selectFrom('token_ledger').select('id').where('actor_key_id', 'is', null).execute();
        assert.deepEqual(unattributed, [], 'no ledger row lacks its actor');
      } finally {
        await handle.destroy();
      }
    });
  });
}
