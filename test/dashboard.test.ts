import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKENDS, sampleParticipant, startTestApp, type TestApp } from './helpers.js';

for (const backend of BACKENDS) {
  describe(`dashboard and search (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    const ids: number[] = [];
    before(async () => {
      api = await startTestApp(backend.name);
      const people = [
        {
          name: 'Ada Lovelace',
          email: 'ada@example.com',
          skills: [
            { skill: 'Python', rating: 5 },
            { skill: 'Rust', rating: 3 },
          ],
        },
        { name: 'Grace Hopper', email: 'grace@navy.example', skills: [{ skill: 'Python', rating: 4 }] },
        { name: 'Alan 100% Turing', email: 'alan_t@example.com', skills: [{ skill: 'Go', rating: 2 }] },
      ];
      for (const [n, person] of people.entries()) {
        const res = await api.inject('POST', '/register', { ...sampleParticipant(n), ...person });
        ids.push(Number(Object.keys(res.body)[0]));
      }
    });
    after(() => api?.close());

    test('GET /users?q= finds by part of the name or e-mail in any case, or by exact id', async () => {
      const names = async (q: string) =>
        Object.values((await api.inject('GET', `/users?q=${encodeURIComponent(q)}`)).body).map((p: any) => p.name);
      assert.deepEqual(await names('ada'), ['Ada Lovelace']);
      assert.deepEqual(await names('HOPPER'), ['Grace Hopper']);
      assert.deepEqual(await names('navy.example'), ['Grace Hopper']);
      assert.deepEqual(await names(String(ids[2])), ['Alan 100% Turing']);
      // LIKE wildcards in the search are plain characters.
      assert.deepEqual(await names('100%'), ['Alan 100% Turing']);
      assert.deepEqual(await names('_'), ['Alan 100% Turing']);
      assert.deepEqual(await names('%'), ['Alan 100% Turing']);
      assert.deepEqual(await names('nobody'), []);
      await api.inject('POST', '/checkin', { participant_id: ids[0] });
      const checkedIn = (await api.inject('GET', '/users?q=a&checked_in=true')).body;
      assert.deepEqual(Object.keys(checkedIn), [String(ids[0])]);
      assert.equal((await api.inject('GET', `/users?q=${'x'.repeat(201)}`)).status, 400);
    });

    test('GET /stats reports live counts, top skills and check-ins per hour', async () => {
      await api.inject('POST', '/checkin', { participant_id: ids[2] });
      await api.inject('PUT', '/bbt_token_admin_give', { participant_id: ids[1], tokens: 12 });
      await api.inject('POST', '/boba', { participant_id: ids[1] });
      const stats = (await api.inject('GET', '/stats')).body;
      assert.equal(stats.participants, 3);
      assert.equal(stats.checked_in, 2);
      assert.equal(stats.tokens_in_circulation, 7);
      assert.deepEqual(stats.orders_by_status, {
        Placed: 1,
        'In Progress': 0,
        'Out for Delivery': 0,
        Delivered: 0,
        Cancelled: 0,
      });
      assert.deepEqual(stats.top_skills[0], { skill: 'Python', frequency: 2, average_rating: 4.5 });
      assert.equal(stats.top_skills.length, 3);
      // Both check-ins fall in this hour (unless the test straddles an hour boundary): one bucket each hour.
      const buckets = stats.check_ins_over_time as { hour: string; count: number }[];
      assert.equal(new Set(buckets.map((b) => b.hour)).size, buckets.length);
      assert.equal(
        buckets.reduce((sum, b) => sum + b.count, 0),
        2,
      );
      const hour = Date.parse(buckets[buckets.length - 1]!.hour);
      assert.equal(hour % 3_600_000, 0);
      assert.ok(Date.now() - hour < 3_600_000 && Date.now() >= hour);
    });

    test('POST /keys/participant-links creates a key per participant without one and answers a CSV', async () => {
      const res = await api.app.inject({
        method: 'POST',
        url: '/keys/participant-links',
        headers: { authorization: 'Bearer test-admin-key-0123456789abcdef' },
      });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/csv/);
      const [header, ...rows] = res.body.trim().split('\n');
      assert.equal(header, 'id,name,email,sign_in_link');
      assert.equal(rows.length, 3);
      const key = /#key=(tpk_[\w-]+)$/.exec(rows[0]!)?.[1];
      assert.ok(key, rows[0]);
      assert.equal((await api.inject('GET', `/users/${ids[0]}`, undefined, key)).status, 200);
      const again = await api.app.inject({
        method: 'POST',
        url: '/keys/participant-links',
        headers: { authorization: 'Bearer test-admin-key-0123456789abcdef' },
      });
      assert.equal(again.body.trim(), 'id,name,email,sign_in_link');
    });
  });
}
