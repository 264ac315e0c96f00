import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKENDS, openTestDatabase, sampleParticipant, startTestApp, type TestApp } from './helpers.js';

const idOf = (map: Record<string, unknown>) => Number(Object.keys(map)[0]);

for (const backend of BACKENDS) {
  describe(`audit log (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let volunteer: string;
    let participantKey: string;
    let alice: number;
    let bob: number;

    /** The newest audit rows matching the query, as GET /audit answers them. */
    const audit = async (query = '') => {
      const res = await api.inject('GET', `/audit${query}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.rows as any[];
    };
    const newest = async (action: string) => {
      const [row] = await audit(`?action=${encodeURIComponent(action)}`);
      assert.ok(row, `no audit row for ${action}`);
      return row;
    };

    before(async () => {
      api = await startTestApp(backend.name);
      alice = idOf((await api.inject('POST', '/register', sampleParticipant(1))).body);
      bob = idOf((await api.inject('POST', '/register', sampleParticipant(2))).body);
      volunteer = await api.createKey('volunteer', undefined, 'door volunteer');
      participantKey = await api.createKey('participant', alice);
    });
    after(() => api.close());

    test('registration, edits, tags and badge rotation by an admin are audited with before and after', async () => {
      const created = await newest('participant.create');
      assert.equal(created.target, `participant:${bob}`);
      assert.equal(created.after.email, 'person2@example.com');
      assert.equal(created.actor.role, 'admin');

      const res = await api.inject('PUT', `/users/${alice}`, {
        company: 'Globex',
        tags: ['mentor'],
        skills: [{ skill: 'Go', rating: 2 }],
      });
      assert.equal(res.status, 200);
      const edit = await newest('participant.update');
      assert.equal(edit.target, `participant:${alice}`);
      assert.deepEqual(edit.before, { company: 'Acme', tags: ['hacker'], skills: [] });
      assert.deepEqual(edit.after, { company: 'Globex', tags: ['mentor'], skills: [{ skill: 'Go', rating: 2 }] });

      assert.equal((await api.inject('POST', `/users/${alice}/badge/rotate`)).status, 200);
      const rotation = await newest('badge.rotate');
      assert.equal(rotation.target, `participant:${alice}`);
      assert.equal(typeof rotation.after.badge_version, 'number');
    });

    test("a participant's own changes are not audited; a volunteer's check-in is, under the volunteer's key", async () => {
      const beforeCount = (await audit()).length;
      assert.equal((await api.inject('PUT', `/users/${alice}`, { phone: '+1 555 0101' }, participantKey)).status, 200);
      assert.equal((await audit()).length, beforeCount, 'a participant editing themself is not an audited staff change');

      assert.equal((await api.inject('POST', '/checkin', { participant_id: alice }, volunteer)).status, 200);
      const checkIn = await newest('check_in.create');
      assert.equal(checkIn.target, `participant:${alice}`);
      assert.equal(checkIn.actor.name, 'door volunteer');
      assert.equal(checkIn.actor.role, 'volunteer');
      assert.equal(checkIn.after.offline, false);
      // A refused repeat changes nothing and writes nothing.
      assert.equal((await api.inject('POST', '/checkin', { participant_id: alice }, volunteer)).status, 400);
      assert.equal((await audit('?action=check_in.create')).length, 1);
    });

    test('grants, orders and order moves are audited', async () => {
      assert.equal((await api.inject('PUT', '/bbt_token_admin_give', { participant_id: alice, tokens: 10 })).status, 200);
      const grant = await newest('tokens.grant');
      assert.deepEqual([grant.before, grant.after], [{ bbt_tokens: 0 }, { bbt_tokens: 10 }]);

      const order = idOf((await api.inject('POST', '/boba', { participant_id: alice })).body);
      assert.equal((await newest('order.create')).target, `order:${order}`);
      assert.equal((await api.inject('PUT', '/boba', { order_id: order, status: 'In Progress' }, volunteer)).status, 200);
      assert.equal((await api.inject('PUT', '/boba', { order_id: order, status: 'Cancelled' }, volunteer)).status, 200);
      const [cancel, start] = await audit(`?target=order:${order}&action=order.move`);
      assert.deepEqual([start.before, start.after], [{ status: 'Placed' }, { status: 'In Progress' }]);
      assert.deepEqual([cancel.before, cancel.after], [{ status: 'In Progress' }, { status: 'Cancelled' }]);
    });

    test('key creation and revocation are audited, a repeated revocation only once', async () => {
      const created = await api.inject('POST', '/keys', { role: 'volunteer', name: 'kitchen' });
      const keyId = created.body.id as number;
      assert.equal((await newest('key.create')).target, `key:${keyId}`);
      assert.equal((await api.inject('DELETE', `/keys/${keyId}`)).status, 200);
      assert.equal((await api.inject('DELETE', `/keys/${keyId}`)).status, 200);
      assert.equal((await audit(`?target=key:${keyId}&action=key.revoke`)).length, 1);
    });

    test('checkpoint changes, accepted scans and undos are audited', async () => {
      const checkpoint = idOf((await api.inject('POST', '/checkpoints', { name: 'Lunch', kind: 'meal' })).body);
      assert.equal((await newest('checkpoint.create')).target, `checkpoint:${checkpoint}`);
      assert.equal((await api.inject('PUT', `/checkpoints/${checkpoint}`, { name: 'Lunch Saturday' })).status, 200);
      const update = await newest('checkpoint.update');
      assert.deepEqual([update.before.name, update.after.name], ['Lunch', 'Lunch Saturday']);

      const scan = await api.inject(
        'POST',
        `/checkpoints/${checkpoint}/scans`,
        { participant_id: alice, nonce: 'audit-scan-1' },
        volunteer,
      );
      assert.equal(scan.status, 201, JSON.stringify(scan.body));
      const accepted = await newest('scan.accept');
      assert.equal(accepted.target, `participant:${alice}`);
      assert.equal(accepted.after.checkpoint_id, checkpoint);
      const scanId = scan.body.scan_id as number;
      assert.equal((await api.inject('POST', `/scans/${scanId}/undo`, undefined, volunteer)).status, 200);
      assert.deepEqual((await newest('scan.undo')).after, { scan_id: scanId, checkpoint_id: checkpoint, annulled: true });

      assert.equal((await api.inject('DELETE', `/checkpoints/${checkpoint}`)).status, 200);
      assert.equal((await newest('checkpoint.archive')).target, `checkpoint:${checkpoint}`);
    });

    test('hardware items, requests and loans are audited', async () => {
      const item = idOf((await api.inject('POST', '/hardware', { name: 'Arduino', quantity: 3 })).body);
      assert.equal((await newest('hardware.create')).target, `hardware:${item}`);
      assert.equal((await api.inject('PUT', `/hardware/${item}`, { quantity: 4 })).status, 200);
      const update = await newest('hardware.update');
      assert.deepEqual([update.before.quantity, update.after.quantity], [3, 4]);

      const request = await api.inject('POST', '/hardware/requests', { item_id: item, participant_id: alice }, volunteer);
      assert.equal(request.status, 201, JSON.stringify(request.body));
      assert.equal((await newest('hardware_request.create')).target, `hardware_request:${idOf(request.body)}`);

      const loan = await api.inject('POST', '/hardware/loans', { item_id: item, participant_id: alice }, volunteer);
      assert.equal(loan.status, 201, JSON.stringify(loan.body));
      const loanId = idOf(loan.body);
      assert.equal((await newest('loan.lend')).target, `loan:${loanId}`);
      assert.equal((await api.inject('POST', `/hardware/loans/${loanId}/return`, {}, volunteer)).status, 200);
      const returned = await newest('loan.return');
      assert.deepEqual([returned.before.status, returned.after.status], ['out', 'returned']);
    });

    test('filters by actor, action and target, pages newest first; only admins read it', async () => {
      const volunteerKeyId = (await api.inject('GET', '/me', undefined, volunteer)).body.key.id as number;
      const byVolunteer = await audit(`?actor=${volunteerKeyId}`);
      assert.ok(byVolunteer.length > 0);
      assert.ok(byVolunteer.every((row) => row.actor.key_id === volunteerKeyId));
      const aboutAlice = await audit(`?target=participant:${alice}`);
      assert.ok(aboutAlice.every((row) => row.target === `participant:${alice}`));
      const ids = (await audit()).map((row) => row.id as number);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => b - a),
      );
      assert.equal((await api.inject('GET', '/audit?page=2')).body.rows.length, 0);
      assert.equal((await api.inject('GET', '/audit', undefined, volunteer)).status, 403);
      assert.equal((await api.inject('GET', '/audit?actor=abc')).status, 400);
    });

    test('the database refuses to change or delete an audit row', async () => {
      const handle = openTestDatabase(api.database);
      try {
        await assert.rejects(handle.db.updateTable('audit_log').set({ action: 'forged' }).execute(), /append-only/);
        await assert.rejects(handle.db.deleteFrom('audit_log').execute(), /append-only/);
      } finally {
        await handle.destroy();
      }
      assert.ok((await audit()).every((row) => row.action !== 'forged'));
    });
  });
}
