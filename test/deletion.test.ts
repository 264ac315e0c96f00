import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../src/db/database.js';
import {
  type As,
  assertSkillAggregatesExact,
  BACKENDS,
  httpJson,
  ledgerBalances,
  type ManualClock,
  manualClock,
  openTestDatabase,
  sampleParticipant,
  startTestApp,
  type TestApp,
} from './helpers.js';

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const onlyId = (map: Record<string, unknown>) => {
  const ids = Object.keys(map);
  assert.equal(ids.length, 1, JSON.stringify(map));
  return Number(ids[0]);
};

const UNKNOWN_PARTICIPANT = { error: 'Participant not found', code: 'participant_not_found' };
const UNKNOWN_BADGE = { error: 'Badge not found', code: 'badge_not_found' };

for (const backend of BACKENDS) {
  describe(`participant deletion (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let direct: DatabaseHandle;
    let clock: ManualClock;
    let volunteer: string;
    let people = 0;
    let nonces = 0;
    let listening: Promise<string> | undefined;
    /** Concurrent requests go through the real HTTP server. */
    const base = () => (listening ??= api.listen());

    const nonce = () => `deletion-${backend.name}-${++nonces}`;
    const register = async (skills: { skill: string; rating: number }[] = [], fields: Record<string, unknown> = {}) => {
      const res = await api.inject('POST', '/register', { ...sampleParticipant(++people, skills), ...fields });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return onlyId(res.body);
    };
    const ok = async (method: string, url: string, body?: unknown, as?: As, status = 200) => {
      const res = await api.inject(method, url, body, as);
      assert.equal(res.status, status, `${method} ${url}: ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const newItem = async (fields: Record<string, unknown> = {}) =>
      onlyId(
        await ok('POST', '/hardware', { name: 'Arduino', quantity: 10, requires_check_in: false, ...fields }, undefined, 201),
      );
    const newCheckpoint = async () =>
      onlyId(
        await ok(
          'POST',
          '/checkpoints',
          { name: 'Snacks', kind: 'other', per_participant_limit: null, requires_check_in: false },
          undefined,
          201,
        ),
      );
    /** The badge the participant's phone shows (signed), and the printed code from before signing. */
    const badgesOf = async (id: number, key: string) => {
      const me = await ok('GET', '/me', undefined, key);
      const row = await direct.db.selectFrom('participants').select('badge_code').where('id', '=', id).executeTakeFirstOrThrow();
      return { signed: me.badge.badge as string, printed: row.badge_code };
    };
    /** Every participant's balance, deleted ones too, is the sum of their ledger rows. */
    const assertBalancesMatchLedger = async () => {
      const rows = await ledgerBalances(direct.db);
      assert.ok(rows.length > 0);
      for (const row of rows) assert.equal(row.bbt_tokens, row.ledger, `participant ${row.id}`);
    };
    const auditOf = (id: number) =>
      direct.db.selectFrom('audit_log').selectAll().where('target', '=', `participant:${id}`).orderBy('id').execute();

    before(async () => {
      clock = manualClock();
      api = await startTestApp(
        backend.name,
        // Pages of 2: a search's page must not come up short for the deleted participants matching it.
        { BBT_TOKENS_COOLDOWN: '0', BBT_PAIR_EXCHANGES: '0', AUTH_FAILURE_LIMIT: '100000', PAGE_SIZE: '2' },
        undefined,
        { clock },
      );
      direct = openTestDatabase(api.database);
      volunteer = await api.createKey('volunteer', undefined, 'Door desk');
    });
    after(async () => {
      await direct?.destroy();
      await api?.close();
    });

    test('an admin deletes a participant: personal data gone, totals kept, the id unknown everywhere', async () => {
      const victim = await register(
        [
          { skill: 'Python', rating: 4 },
          { skill: 'Erlang', rating: 5 },
        ],
        { tags: ['mentor'], dietary_restrictions: 'vegan', name: 'Zoltan Quibble' },
      );
      const friend = await register([{ skill: 'Python', rating: 2 }]);
      const victimKey = await api.createKey('participant', victim, 'victim phone');
      const friendKey = await api.createKey('participant', friend, 'friend phone');
      const { signed, printed } = await badgesOf(victim, victimKey);

      // A history: tokens, orders (one still Placed, one started), a check-in, a scan, a loan that came back,
      // an open hardware request, an exchange, and an admin edit (audited with before and after).
      await ok('PUT', '/bbt_token_admin_give', { participant_id: victim, tokens: 20 });
      await ok('PUT', '/bbt_token_exchange', { participant_1_id: victim, participant_2_id: friend });
      const placed = onlyId(await ok('POST', '/boba', { participant_id: victim }));
      const started = onlyId(await ok('POST', '/boba', { participant_id: victim }));
      await ok('PUT', '/boba', { order_id: started, status: 'In Progress' });
      await ok('POST', '/checkin', { participant_id: victim }, volunteer);
      const checkpoint = await newCheckpoint();
      const scanNonce = nonce();
      const scanned = await ok(
        'POST',
        `/checkpoints/${checkpoint}/scans`,
        { participant_id: victim, nonce: scanNonce },
        volunteer,
        201,
      );
      assert.equal(scanned.participant.dietary_restrictions, 'vegan');
      const item = await newItem();
      const loan = onlyId(await ok('POST', '/hardware/loans', { item_id: item, participant_id: victim }, volunteer, 201));
      await ok('POST', `/hardware/loans/${loan}/return`, {}, volunteer);
      const request = onlyId(await ok('POST', '/hardware/requests', { item_id: item }, victimKey, 201));
      await ok('PUT', `/users/${victim}`, { phone: '+1-555-999-0000' });
      const earlierAudit = await auditOf(victim);
      assert.ok(
        earlierAudit.some((row) => row.after !== null && row.after.includes('555-999')),
        'the edit is audited in full',
      );

      const statsBefore = await ok('GET', '/stats');
      const skillsBefore = await ok('GET', '/skills');
      assert.equal(skillsBefore.Python.frequency, 2);
      assert.equal(skillsBefore.Erlang.frequency, 1);
      const rosterBefore = await ok('GET', '/sync/roster', undefined, volunteer);
      assert.ok(rosterBefore.participants.some((p: { id: number }) => p.id === victim));
      const balanceBefore = (await ok('GET', `/users/${victim}/tokens`)).bbt_tokens as number;

      clock.advance(MINUTE);
      assert.deepEqual(await ok('DELETE', `/users/${victim}`), { id: victim, deleted: true });

      // The tombstone: no personal data, a new badge, the balance (with the refund of the Placed order) kept.
      const tombstone = await direct.db.selectFrom('participants').selectAll().where('id', '=', victim).executeTakeFirstOrThrow();
      assert.deepEqual(
        {
          name: tombstone.name,
          email: tombstone.email,
          email_key: tombstone.email_key,
          phone: tombstone.phone,
          company: tombstone.company,
          dietary_restrictions: tombstone.dietary_restrictions,
          tags: tombstone.tags,
          deleted_at: Number(tombstone.deleted_at),
          badge_version: tombstone.badge_version,
        },
        {
          name: 'Deleted participant',
          email: '',
          email_key: `deleted:${victim}`,
          phone: '',
          company: '',
          dietary_restrictions: '',
          tags: '[]',
          deleted_at: clock.now(),
          badge_version: 2,
        },
      );
      assert.notEqual(tombstone.badge_code, printed);
      assert.equal(tombstone.bbt_tokens, balanceBefore + 5, 'the Placed order was refunded');
      const skillRows = await direct.db
        .selectFrom('participant_skills')
        .select('id')
        .where('participant_id', '=', victim)
        .execute();
      assert.deepEqual(skillRows, []);

      // Totals stay, linked to the tombstone.
      const orders = (await ok('GET', '/boba')) as Record<
        string,
        { participant_id: number; participant_name: string; status: string }
      >;
      assert.equal(orders[placed]?.status, 'Cancelled');
      assert.equal(orders[started]?.status, 'In Progress', 'an order the kitchen started stays');
      assert.equal(orders[started]?.participant_name, 'Deleted participant');
      const refunds = await direct.db
        .selectFrom('token_ledger')
        .select(['amount', 'kind'])
        .where('order_id', '=', placed)
        .orderBy('id')
        .execute();
      assert.deepEqual(refunds, [
        { amount: -5, kind: 'order' },
        { amount: 5, kind: 'refund' },
      ]);
      const requests = await ok('GET', `/hardware/requests?status=all&item_id=${item}`);
      assert.equal(requests[request].status, 'cancelled');
      const loans = await ok('GET', `/hardware/loans?item_id=${item}`);
      assert.equal(loans[loan].participant_name, 'Deleted participant');
      const scans = await ok('GET', `/checkpoints/${checkpoint}/scans`);
      assert.ok(Object.values<{ participant_id: number }>(scans).some((scan) => scan.participant_id === victim));
      // The kitchen may still cancel the order it started: the refund goes to the tombstone, with its ledger row.
      await ok('PUT', '/boba', { order_id: started, status: 'Cancelled' });
      const checkIn = await direct.db
        .selectFrom('check_ins')
        .select('participant_id')
        .where('participant_id', '=', victim)
        .execute();
      assert.equal(checkIn.length, 1, 'the check-in stays');
      await assertBalancesMatchLedger();

      // Statistics: skills follow exactly, the participant count drops, the check-in (history) stays counted.
      await assertSkillAggregatesExact(direct);
      const skillsAfter = await ok('GET', '/skills');
      assert.equal(skillsAfter.Python.frequency, 1);
      assert.equal(skillsAfter.Python.average_rating, 2);
      assert.equal(skillsAfter.Erlang, undefined);
      const statsAfter = await ok('GET', '/stats');
      assert.equal(statsAfter.participants, statsBefore.participants - 1);
      assert.equal(statsAfter.checked_in, statsBefore.checked_in);

      // Reads and writes by id answer as for an id that never existed.
      const never = 999_999;
      for (const id of [victim, never]) {
        const reads = [
          await api.inject('GET', `/users/${id}`),
          await api.inject('PUT', `/users/${id}`, { phone: '1' }),
          await api.inject('GET', `/users/${id}/tokens`),
          await api.inject('GET', `/users/${id}/scans`),
          await api.inject('GET', `/users/${id}/loans`),
          await api.inject('GET', `/users/${id}/badge.svg`),
          await api.inject('GET', `/users/${id}/badge.png`),
          await api.inject('POST', `/users/${id}/badge/rotate`),
          await api.inject('GET', `/checkin?participant_id=${id}`),
          await api.inject('POST', '/checkin', { participant_id: id }, volunteer),
          await api.inject('PUT', '/bbt_token_admin_give', { participant_id: id, tokens: 1 }),
          await api.inject('PUT', '/bbt_token_exchange', { participant_1_id: id, participant_2_id: friend }),
          await api.inject('PUT', '/bbt_token_exchange', { participant_1_id: friend, participant_2_id: id }),
          await api.inject('POST', '/boba', { participant_id: id }),
          await api.inject('POST', '/hardware/requests', { item_id: item, participant_id: id }, volunteer),
          await api.inject('POST', '/hardware/loans', { item_id: item, participant_id: id }, volunteer),
          await api.inject('POST', '/keys', { role: 'participant', name: 'again', participant_id: id }),
          await api.inject('DELETE', `/users/${id}`),
        ];
        for (const res of reads) assert.deepEqual([res.status, res.body], [404, UNKNOWN_PARTICIPANT], `participant ${id}`);
        const scan = await api.inject(
          'POST',
          `/checkpoints/${checkpoint}/scans`,
          { participant_id: id, nonce: nonce() },
          volunteer,
        );
        assert.deepEqual([scan.status, scan.body.code, scan.body.status], [404, 'participant_not_found', 'refused']);
      }

      // Old badges, printed or signed, match nobody.
      for (const code of [signed, printed]) {
        for (const res of [
          await api.inject('GET', `/badges/${encodeURIComponent(code)}`, undefined, volunteer),
          await api.inject('POST', '/checkin', { badge: code }, volunteer),
          await api.inject('PUT', '/bbt_token_exchange', { participant_2_badge: code }, friendKey),
        ]) {
          assert.deepEqual([res.status, res.body], [404, UNKNOWN_BADGE], code);
        }
        const scan = await api.inject('POST', `/checkpoints/${checkpoint}/scans`, { badge: code, nonce: nonce() }, volunteer);
        assert.deepEqual([scan.status, scan.body.code], [404, 'unknown_badge']);
        const lend = await api.inject('POST', '/hardware/loans', { item_id: item, badge: code }, volunteer);
        assert.deepEqual([lend.status, lend.body.code], [404, 'unknown_badge']);
      }
      const uploaded = await ok(
        'POST',
        '/sync/scans',
        [
          { check_in: true, participant_id: victim, nonce: nonce(), scanned_at: iso(clock.now() - MINUTE) },
          { check_in: true, badge: signed, nonce: nonce(), scanned_at: iso(clock.now() - MINUTE) },
          { checkpoint_id: checkpoint, badge: signed, nonce: nonce(), scanned_at: iso(clock.now() - MINUTE) },
        ],
        volunteer,
      );
      assert.deepEqual(
        uploaded.results.map((result: { status: string; code: string }) => [result.status, result.code]),
        [
          ['unknown', 'participant_not_found'],
          ['unknown', 'badge_not_found'],
          ['unknown', 'offline_conflict'],
        ],
      );

      // What is kept for replays and live updates no longer names them.
      const replay = await ok(
        'POST',
        `/checkpoints/${checkpoint}/scans`,
        { participant_id: victim, nonce: scanNonce },
        volunteer,
        201,
      );
      assert.deepEqual(
        [replay.scan_id, replay.participant],
        [scanned.scan_id, { id: victim, name: 'Deleted participant', tags: [], dietary_restrictions: '' }],
      );
      const stored = [
        ...(await direct.db.selectFrom('events').select('payload').execute()).map((row) => row.payload),
        ...(await direct.db.selectFrom('checkpoint_scans').select('answer').execute()).map((row) => row.answer),
      ];
      assert.ok(stored.length > 0);
      assert.ok(!stored.some((text) => text.includes('Zoltan') || text.includes('vegan')), 'no name or diet left behind');

      // Their key no longer works.
      assert.equal((await api.inject('GET', '/me', undefined, victimKey)).status, 401);

      // Lists and searches leave them out, whatever matches.
      const everyone = await ok('GET', '/users');
      assert.equal(everyone[victim], undefined);
      assert.ok(everyone[friend]);
      for (const q of ['zoltan', 'quibble', 'deleted', 'participant', String(victim), `person${victim}@`]) {
        assert.equal((await ok('GET', `/users?q=${encodeURIComponent(q)}`))[victim], undefined, q);
      }
      assert.equal((await ok('GET', '/users?checked_in=true'))[victim], undefined);

      // Offline scanners drop them: a change since the earlier roster names them as removed.
      const delta = await ok('GET', `/sync/roster?since=${rosterBefore.cursor}`, undefined, volunteer);
      assert.equal(delta.full, false);
      assert.deepEqual(delta.removed, [victim]);
      assert.ok(!delta.participants.some((p: { id: number }) => p.id === victim));
      const full = await ok('GET', '/sync/roster', undefined, volunteer);
      assert.deepEqual(full.removed, []);
      assert.ok(!full.participants.some((p: { id: number }) => p.id === victim));
      assert.ok(!JSON.stringify(full).includes('Zoltan'));

      // Audited; what was recorded about them before has lost its before and after.
      const audit = await auditOf(victim);
      const deletion = audit.filter((row) => row.action === 'participant.delete');
      assert.equal(deletion.length, 1);
      assert.equal(deletion[0]!.actor_role, 'admin');
      assert.equal(deletion[0]!.redacted_at, null);
      assert.deepEqual([deletion[0]!.before, deletion[0]!.after], [null, null]);
      const earlier = audit.filter((row) => row.action !== 'participant.delete');
      assert.equal(earlier.length, earlierAudit.length);
      for (const row of earlier) {
        assert.deepEqual([row.before, row.after, Number(row.redacted_at)], [null, null, clock.now()], row.action);
      }
      assert.ok(!JSON.stringify(audit).includes('555-999'));

      // The sign-in link export skips them, though they have no usable key.
      const links = await api.inject('POST', '/keys/participant-links');
      assert.equal(links.status, 200);
      assert.ok(
        !String(links.body)
          .split('\n')
          .some((line) => line.startsWith(`${victim},`)),
        String(links.body),
      );
    });

    test('a participant deletes themself only with confirm: true; nobody else but an admin may', async () => {
      const self = await register([{ skill: 'Go', rating: 3 }]);
      const other = await register();
      const selfKey = await api.createKey('participant', self);
      const otherKey = await api.createKey('participant', other);

      for (const body of [undefined, {}, { confirm: false }]) {
        const res = await api.inject('DELETE', `/users/${self}`, body, selfKey);
        assert.deepEqual([res.status, res.body.code], [400, 'confirmation_required'], JSON.stringify(body));
      }
      assert.equal((await api.inject('DELETE', `/users/${self}`, { confirm: true }, otherKey)).status, 403);
      assert.equal((await api.inject('DELETE', `/users/${self}`, { confirm: true }, volunteer)).status, 403);
      assert.equal((await api.inject('DELETE', `/users/${self}`, { confirm: 'yes' }, selfKey)).status, 400);
      assert.equal((await ok('GET', `/users/${self}`))[self].name, `Test Person ${self}`, 'nothing deleted yet');

      assert.deepEqual(await ok('DELETE', `/users/${self}`, { confirm: true }, selfKey), { id: self, deleted: true });
      assert.equal((await api.inject('GET', `/users/${self}`)).status, 404);
      assert.equal(
        (await api.inject('DELETE', `/users/${self}`, { confirm: true }, selfKey)).status,
        401,
        'their key went with them',
      );
      const [row] = (await auditOf(self)).filter((entry) => entry.action === 'participant.delete');
      assert.equal(row?.actor_role, 'participant');
      assert.ok((await ok('GET', `/users/${other}`))[other]);
      await assertSkillAggregatesExact(direct);
    });

    test('refused while hardware is out on loan to them, and nothing changes; allowed once it is back', async () => {
      const borrower = await register([{ skill: 'Soldering', rating: 5 }]);
      const key = await api.createKey('participant', borrower);
      const item = await newItem({ name: 'Oscilloscope' });
      const other = await newItem({ name: 'Multimeter' });
      const loan = onlyId(await ok('POST', '/hardware/loans', { item_id: item, participant_id: borrower }, volunteer, 201));
      const request = onlyId(await ok('POST', '/hardware/requests', { item_id: other }, key, 201));
      await ok('PUT', '/bbt_token_admin_give', { participant_id: borrower, tokens: 5 });
      const order = onlyId(await ok('POST', '/boba', { participant_id: borrower }));

      const refused = await api.inject('DELETE', `/users/${borrower}`);
      assert.equal(refused.status, 409);
      assert.equal(refused.body.code, 'loans_open');
      assert.match(refused.body.error, /return it or mark it lost first/);
      assert.equal((await ok('GET', `/users/${borrower}`))[borrower].name, `Test Person ${borrower}`);
      assert.equal((await ok('GET', '/me', undefined, key)).participant.id, borrower, 'the key still works');
      assert.equal((await ok('GET', `/hardware/requests?status=all&item_id=${other}`))[request].status, 'requested');
      assert.equal((await ok('GET', `/boba?participant_id=${borrower}`))[order].status, 'Placed');
      assert.equal((await ok('GET', '/skills')).Soldering.frequency, 1);

      await ok('POST', `/hardware/loans/${loan}/lost`, {});
      await ok('DELETE', `/users/${borrower}`);
      assert.equal((await ok('GET', `/hardware/requests?status=all&item_id=${other}`))[request].status, 'cancelled');
      assert.equal((await ok('GET', '/skills')).Soldering, undefined);
      await assertBalancesMatchLedger();
      await assertSkillAggregatesExact(direct);
    });

    test('a search finds the participants after deleted ones that match it too', async () => {
      for (let i = 0; i < 3; i++) await ok('DELETE', `/users/${await register()}`);
      const pat = await register([], { name: 'Pat Participant' });
      const kim = await register([], { name: 'Kim Participant' });
      // Every tombstone is a "Deleted participant" too, with a lower id than theirs.
      assert.deepEqual(Object.keys(await ok('GET', '/users?q=participant&page=1')).map(Number), [pat, kim]);
      assert.deepEqual(Object.keys(await ok('GET', '/users?q=participant')).map(Number), [pat, kim]);
      assert.deepEqual(await ok('GET', '/users?q=participant&page=2'), {});
    });

    test('concurrent deletions of one participant: exactly one succeeds, the others find nobody', async () => {
      const target = await register([{ skill: 'Haskell', rating: 4 }]);
      await ok('PUT', '/bbt_token_admin_give', { participant_id: target, tokens: 15 });
      for (let i = 0; i < 3; i++) await ok('POST', '/boba', { participant_id: target });
      const url = await base();
      const answers = await Promise.all(Array.from({ length: 6 }, () => httpJson(url, 'DELETE', `/users/${target}`)));
      const statuses = answers.map((answer) => answer.status).sort();
      assert.deepEqual(statuses, [200, 404, 404, 404, 404, 404], JSON.stringify(answers.map((answer) => answer.body)));
      assert.equal((await auditOf(target)).filter((row) => row.action === 'participant.delete').length, 1);
      const refunds = await direct.db
        .selectFrom('token_ledger')
        .select('amount')
        .where('participant_id', '=', target)
        .where('kind', '=', 'refund')
        .execute();
      assert.equal(refunds.length, 3, 'each Placed order refunded once');
      await assertBalancesMatchLedger();
      await assertSkillAggregatesExact(direct);
    });

    test('writes racing a deletion land before it or not at all', async () => {
      const target = await register([{ skill: 'Zig', rating: 2 }]);
      const partner = await register();
      const item = await newItem({ name: 'Raspberry Pi', quantity: 100, per_participant_limit: null });
      await ok('PUT', '/bbt_token_admin_give', { participant_id: target, tokens: 30 });
      const order = onlyId(await ok('POST', '/boba', { participant_id: target }));
      const url = await base();
      const racing = [
        httpJson(url, 'PUT', '/bbt_token_admin_give', { participant_id: target, tokens: 3 }),
        httpJson(url, 'POST', '/boba', { participant_id: target }),
        httpJson(url, 'POST', '/boba', { participant_id: target }),
        httpJson(url, 'PUT', '/bbt_token_exchange', { participant_1_id: target, participant_2_id: partner }),
        httpJson(url, 'POST', '/hardware/requests', { item_id: item, participant_id: target }, volunteer),
        httpJson(url, 'PUT', `/users/${target}`, { skills: [{ skill: 'Zig', rating: 5 }] }),
        httpJson(url, 'POST', '/keys', { role: 'participant', name: 'racing key', participant_id: target }),
        // The kitchen cancelling an order locks it, then the balance: the deletion the other way round.
        httpJson(url, 'PUT', '/boba', { order_id: order, status: 'Cancelled' }),
      ];
      const [deleted, ...others] = await Promise.all([httpJson(url, 'DELETE', `/users/${target}`), ...racing]);
      assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
      for (const other of others) {
        // A cancel that came second finds the order cancelled by the deletion.
        const fine = [200, 201, 404].includes(other.status) || other.body?.code === 'invalid_transition';
        assert.ok(fine, JSON.stringify(other.body));
      }
      const refunds = await direct.db.selectFrom('token_ledger').select('amount').where('order_id', '=', order).execute();
      assert.deepEqual(refunds.map((row) => row.amount).sort(), [-5, 5], 'the order paid for once and refunded once');

      // Whatever came first was undone or kept by the deletion; nothing came after it.
      const keys = await direct.db.selectFrom('api_keys').select('revoked_at').where('participant_id', '=', target).execute();
      assert.ok(
        keys.every((key) => key.revoked_at !== null),
        'no working key for the tombstone',
      );
      const open = await direct.db
        .selectFrom('hardware_requests')
        .select('id')
        .where('participant_id', '=', target)
        .where('status', 'in', ['requested', 'ready'])
        .execute();
      assert.deepEqual(open, []);
      const placed = await direct.db
        .selectFrom('boba_orders')
        .select('id')
        .where('participant_id', '=', target)
        .where('status', '=', 'Placed')
        .execute();
      assert.deepEqual(placed, []);
      const skills = await direct.db.selectFrom('participant_skills').select('id').where('participant_id', '=', target).execute();
      assert.deepEqual(skills, []);
      await assertBalancesMatchLedger();
      await assertSkillAggregatesExact(direct);
    });

    test(
      'a scan deciding while the participant is deleted leaves no name or diet in its stored answer',
      { skip: backend.name !== 'postgres' && 'SQLite runs one write transaction at a time' },
      async () => {
        const target = await register([], { name: 'Racing Rosalind', dietary_restrictions: 'halal' });
        const checkpoint = onlyId(
          await ok(
            'POST',
            '/checkpoints',
            { name: 'Lunch', kind: 'meal', per_participant_limit: 5, requires_check_in: false },
            undefined,
            201,
          ),
        );
        await ok('POST', `/checkpoints/${checkpoint}/scans`, { participant_id: target, nonce: nonce() }, volunteer, 201);
        const waitingOnLocks = async () =>
          Number(
            (
              await sql<{ n: string }>`select count(*) as n from pg_stat_activity
                where wait_event_type = 'Lock' and datname = current_database()`.execute(direct.db)
            ).rows[0]!.n,
          );
        const waitUntil = async (condition: () => Promise<boolean>, what: string) => {
          for (let tries = 0; !(await condition()); tries++) {
            assert.ok(tries < 500, `gave up waiting until ${what}`);
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        };
        const url = await base();
        let scan: Promise<{ status: number; body: any }> | undefined;
        let deletion: Promise<{ status: number; body: any }> | undefined;
        let deleted = false;
        // Holding the participant's count row stalls the scan after it has read the participant.
        await direct.db.transaction().execute(async (trx) => {
          await sql`select 1 from checkpoint_participants where checkpoint_id = ${checkpoint}
            and participant_id = ${target} for update`.execute(trx);
          scan = httpJson(url, 'POST', `/checkpoints/${checkpoint}/scans`, { participant_id: target, nonce: nonce() }, volunteer);
          await waitUntil(async () => (await waitingOnLocks()) >= 1, 'the scan waits');
          deletion = httpJson(url, 'DELETE', `/users/${target}`).finally(() => (deleted = true));
          await waitUntil(async () => deleted || (await waitingOnLocks()) >= 2, 'the deletion waits or answers');
        });
        const [scanned, erased] = await Promise.all([scan!, deletion!]);
        assert.equal(erased.status, 200, JSON.stringify(erased.body));
        assert.ok([201, 404].includes(scanned.status), JSON.stringify(scanned.body));
        const answers = await direct.db
          .selectFrom('checkpoint_scans')
          .select('answer')
          .where('checkpoint_id', '=', checkpoint)
          .execute();
        assert.ok(
          answers.every(({ answer }) => !answer.includes('Rosalind') && !answer.includes('halal')),
          JSON.stringify(answers),
        );
      },
    );
  });
}
