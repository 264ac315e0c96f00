import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DatabaseHandle } from '../src/db/database.js';
import { BACKENDS, openTestDatabase, startTestApp, type TestApp } from './helpers.js';

const only = (map: Record<string, unknown>) => Number(Object.keys(map)[0]);
const ids = (map: Record<string, unknown>) => Object.keys(map).map(Number);
const ascending = (list: number[]) => [...list].sort((a, b) => a - b);

for (const backend of BACKENDS) {
  describe(`GET /me/export (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let handle: DatabaseHandle;
    const person = {
      name: 'Ada Exporter',
      company: 'Analytical Engines',
      email: 'ada.exporter@example.com',
      phone: '+44-20-7946-0001',
      skills: [
        { skill: 'Rust', rating: 5 },
        { skill: 'SQL', rating: 2 },
      ],
      tags: ['hacker', 'mentor'],
      dietary_restrictions: 'Halal',
    };
    const other = {
      name: 'Bob Otherperson',
      company: 'Elsewhere Corp',
      email: 'bob.other@example.com',
      phone: '+1-555-777-8888',
      skills: [{ skill: 'Go', rating: 3 }],
    };
    let a: number;
    let b: number;
    let keyOfA: string;
    let revokedKeyOfA: string;
    let keyOfB: string;

    before(async () => {
      api = await startTestApp(backend.name, { BBT_TOKENS_COOLDOWN: '0' });
      handle = openTestDatabase(api.database);
      a = only((await api.inject('POST', '/register', person)).body);
      b = only((await api.inject('POST', '/register', other)).body);
      assert.equal((await api.inject('PUT', `/users/${a}`, { phone: '+44-20-7946-0002' })).status, 200);
      assert.equal((await api.inject('POST', '/checkin', { participant_id: a })).status, 200);
      assert.equal((await api.inject('POST', '/checkin', { participant_id: b })).status, 200);

      const checkpoint = await api.inject('POST', '/checkpoints', { name: 'Dinner', kind: 'meal', per_participant_limit: 1 });
      const checkpointId = only(checkpoint.body);
      for (const [id, nonce] of [
        [a, 'nonce-a-00001'],
        [a, 'nonce-a-00002'],
        [b, 'nonce-b-00001'],
      ] as const) {
        await api.inject('POST', `/checkpoints/${checkpointId}/scans`, { participant_id: id, nonce });
      }

      for (const id of [a, b]) await api.inject('PUT', '/bbt_token_admin_give', { participant_id: id, tokens: 10 });
      assert.equal((await api.inject('PUT', '/bbt_token_exchange', { participant_1_id: a, participant_2_id: b })).status, 200);
      assert.equal((await api.inject('POST', '/boba', { participant_id: a, location: 'Table 3' })).status, 200);
      assert.equal((await api.inject('POST', '/boba', { participant_id: b })).status, 200);

      const item = await api.inject('POST', '/hardware', { name: 'Oscilloscope', quantity: 3, per_participant_limit: null });
      const itemId = only(item.body);
      const loan = await api.inject('POST', '/hardware/loans', { item_id: itemId, participant_id: a });
      assert.equal(loan.status, 201, JSON.stringify(loan.body));
      assert.equal((await api.inject('POST', `/hardware/loans/${only(loan.body)}/return`, { note: 'all fine' })).status, 200);
      assert.equal((await api.inject('POST', '/hardware/loans', { item_id: itemId, participant_id: b })).status, 201);
      assert.equal((await api.inject('POST', '/hardware/requests', { item_id: itemId, participant_id: a })).status, 201);

      keyOfA = await api.createKey('participant', a, 'Ada phone');
      revokedKeyOfA = await api.createKey('participant', a, 'Ada old phone');
      keyOfB = await api.createKey('participant', b, 'Bob phone');
      const keys = (await api.inject('GET', '/keys')).body as Record<string, { name: string }>;
      const revoked = Object.entries(keys).find(([, key]) => key.name === 'Ada old phone')![0];
      assert.equal((await api.inject('DELETE', `/keys/${revoked}`)).status, 200);
    });
    after(async () => {
      await handle?.destroy();
      await api?.close();
    });

    test("a participant key gets all of the participant's own data, as a JSON attachment", async () => {
      const res = await api.inject('GET', '/me/export', undefined, keyOfA);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.match(String(res.headers['content-type']), /^application\/json/);
      assert.match(
        String(res.headers['content-disposition']),
        /^attachment; filename="tapioca-my-data-\d{4}-\d{2}-\d{2}\.json"$/,
      );
      assert.equal(res.headers['cache-control'], 'no-store');
      const { key, participant: data } = res.body;

      const keys = (await api.inject('GET', '/keys')).body as Record<string, Record<string, unknown>>;
      const [ownKeyId] = Object.entries(keys).find(([, k]) => k.name === 'Ada phone')!;
      assert.deepEqual(key, { ...keys[ownKeyId], id: Number(ownKeyId) });
      assert.deepEqual(
        data.api_keys,
        Object.entries(keys)
          .filter(([, k]) => k.participant_id === a)
          .map(([id, k]) => ({
            id: Number(id),
            name: k.name,
            created_at: k.created_at,
            expires_at: k.expires_at,
            last_used_at: k.last_used_at,
            revoked_at: k.revoked_at,
          })),
      );
      assert.deepEqual(
        data.api_keys.map((k: { name: string; revoked_at: string | null }) => [k.name, k.revoked_at !== null]),
        [
          ['Ada phone', false],
          ['Ada old phone', true],
        ],
      );

      const user = (await api.inject('GET', `/users/${a}`)).body[a];
      const row = await handle.db.selectFrom('participants').selectAll().where('id', '=', a).executeTakeFirstOrThrow();
      assert.deepEqual(data.profile, {
        id: a,
        name: user.name,
        email: user.email,
        phone: '+44-20-7946-0002',
        company: user.company,
        dietary_restrictions: 'Halal',
        tags: ['hacker', 'mentor'],
        created_at: new Date(row.created_at).toISOString(),
        updated_at: new Date(row.updated_at).toISOString(),
      });
      assert.deepEqual(data.skills, person.skills);
      const checkIn = await handle.db
        .selectFrom('check_ins')
        .selectAll()
        .where('participant_id', '=', a)
        .executeTakeFirstOrThrow();
      assert.deepEqual(data.check_in, {
        checked_in_at: new Date(checkIn.checked_in_at).toISOString(),
        recorded_at: new Date(checkIn.recorded_at).toISOString(),
        offline: false,
      });
      assert.equal(data.badge_version, (await api.inject('GET', '/me', undefined, keyOfA)).body.badge.version);

      const ledger = await handle.db
        .selectFrom('token_ledger')
        .selectAll()
        .where('participant_id', '=', a)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        data.tokens.ledger,
        ledger.map(({ participant_id: _, ...rest }) => ({ ...rest, created_at: new Date(rest.created_at).toISOString() })),
      );
      assert.deepEqual(
        data.tokens.ledger.map((r: { kind: string }) => r.kind),
        ['grant', 'exchange', 'order'],
      );
      assert.equal(data.tokens.balance, user.bbt_tokens);
      assert.equal(
        data.tokens.balance,
        ledger.reduce((sum, r) => sum + r.amount, 0),
      );
      assert.equal(data.tokens.last_exchange_at, new Date(row.last_exchange_at!).toISOString());

      const orders = (await api.inject('GET', `/boba?participant_id=${a}`)).body;
      assert.deepEqual(
        data.orders.map((o: { id: number }) => o.id),
        ids(orders),
      );
      assert.equal(data.orders[0].location, 'Table 3');

      const scans = (await api.inject('GET', `/users/${a}/scans`)).body;
      assert.deepEqual(
        data.scans.map((s: { id: number }) => s.id),
        ascending(ids(scans)),
      );
      assert.deepEqual(
        data.scans.map((s: { checkpoint_name: string; outcome: string; reason: string | null }) => [
          s.checkpoint_name,
          s.outcome,
          s.reason,
        ]),
        [
          ['Dinner', 'accepted', null],
          ['Dinner', 'refused', 'already_redeemed'],
        ],
      );

      const loans = (await api.inject('GET', `/users/${a}/loans`)).body;
      assert.deepEqual(
        data.hardware_loans.map((l: { id: number }) => l.id),
        ascending(ids(loans)),
      );
      assert.deepEqual(
        data.hardware_loans[0].events.map((e: { kind: string; note: string | null }) => [e.kind, e.note]),
        [
          ['lent', null],
          ['returned', 'all fine'],
        ],
      );
      const requests = (await api.inject('GET', `/hardware/requests?status=all&participant_id=${a}`)).body;
      assert.deepEqual(
        data.hardware_requests.map((r: { id: number }) => r.id),
        ascending(ids(requests)),
      );
      assert.equal(data.hardware_requests[0].item_name, 'Oscilloscope');

      const audit = await handle.db
        .selectFrom('audit_log')
        .select('id')
        .where('target', '=', `participant:${a}`)
        .orderBy('id')
        .execute();
      assert.ok(audit.length > 0, 'the registration, the update and the check-in by staff are audited');
      assert.deepEqual(
        data.audit.map((r: { id: number }) => r.id),
        audit.map((r) => r.id),
      );
    });

    test("nothing of anyone else's, and no secret", async () => {
      const res = await api.inject('GET', '/me/export', undefined, keyOfA);
      const text = JSON.stringify(res.body);
      for (const value of [other.name, other.email, other.phone, other.company, 'Bob phone', 'Go']) {
        assert.ok(!text.includes(value), `the export carries ${value}`);
      }
      const { badge_code: badgeCode } = await handle.db
        .selectFrom('participants')
        .select('badge_code')
        .where('id', '=', a)
        .executeTakeFirstOrThrow();
      for (const secret of [keyOfA, revokedKeyOfA, keyOfB, badgeCode, 'key_hash']) {
        assert.ok(!text.includes(secret), 'the export carries a secret');
      }
      const data = res.body.participant;
      const ofB = async (table: 'boba_orders' | 'hardware_loans' | 'checkpoint_scans' | 'token_ledger') =>
        (await handle.db.selectFrom(table).select('id').where('participant_id', '=', b).execute()).map((r) => r.id);
      const none = (list: { id: number }[], others: number[]) => assert.ok(list.every((r) => !others.includes(r.id)));
      none(data.orders, await ofB('boba_orders'));
      none(data.hardware_loans, await ofB('hardware_loans'));
      none(data.scans, await ofB('checkpoint_scans'));
      none(data.tokens.ledger, await ofB('token_ledger'));

      // Bob's export is Bob's.
      const bob = (await api.inject('GET', '/me/export', undefined, keyOfB)).body;
      assert.equal(bob.participant.profile.id, b);
      assert.ok(!JSON.stringify(bob).includes(person.email));
    });

    test('a staff key gets its key alone', async () => {
      for (const role of ['admin', 'volunteer'] as const) {
        const secret = await api.createKey(role, undefined, `${role} desk`);
        const res = await api.inject('GET', '/me/export', undefined, secret);
        assert.equal(res.status, 200);
        assert.deepEqual(Object.keys(res.body).sort(), ['exported_at', 'key', 'participant']);
        assert.equal(res.body.participant, null);
        assert.deepEqual(
          { ...res.body.key, created_at: typeof res.body.key.created_at },
          {
            id: res.body.key.id,
            name: `${role} desk`,
            role,
            participant_id: null,
            created_at: 'string',
            expires_at: null,
            last_used_at: res.body.key.last_used_at,
            revoked_at: null,
          },
        );
      }
    });
  });
}
