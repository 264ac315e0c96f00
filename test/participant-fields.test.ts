import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DatabaseHandle } from '../src/db/database.js';
import { importParticipants } from '../src/modules/import/import.service.js';
import { runTsx } from './cli-runner.js';
import { BACKENDS, openTestDatabase, sampleParticipant, startTestApp, type TestApp } from './helpers.js';

const fieldsOf = (participant: { tags: string[]; dietary_restrictions: string }) => ({
  tags: participant.tags,
  dietary_restrictions: participant.dietary_restrictions,
});

for (const backend of BACKENDS) {
  describe(`participant tags and dietary restrictions (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let handle: DatabaseHandle;
    let dir: string;
    let participantKey: string;
    let volunteerKey: string;
    before(async () => {
      api = await startTestApp(backend.name);
      handle = openTestDatabase(api.database);
      dir = mkdtempSync(join(tmpdir(), 'tapioca-participant-fields-'));
      for (const n of [1, 2]) assert.equal((await api.inject('POST', '/register', sampleParticipant(n))).status, 200);
      participantKey = await api.createKey('participant', 1);
      volunteerKey = await api.createKey('volunteer');
    });
    after(async () => {
      await handle?.destroy();
      await api?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const fieldsOfUser = async (id: number) => fieldsOf((await api.inject('GET', `/users/${id}`)).body[id]);

    test('a new participant is a hacker with no dietary restrictions, wherever they are shown', async () => {
      const expected = { tags: ['hacker'], dietary_restrictions: '' };
      assert.deepEqual(await fieldsOfUser(1), expected);
      const users = await api.inject('GET', '/users');
      assert.deepEqual(fieldsOf(users.body[1]), expected);
      assert.deepEqual(fieldsOf(users.body[2]), expected);
      const me = await api.inject('GET', '/me', undefined, participantKey);
      assert.deepEqual(fieldsOf(me.body.participant), expected);
    });

    test('an admin sets tags (each once, in the order first given) and dietary restrictions', async () => {
      const res = await api.inject('PUT', '/users/2', {
        tags: ['mentor', 'meal-group-a', 'mentor', 'sponsor_2'],
        dietary_restrictions: 'Vegan, no peanuts',
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const expected = { tags: ['mentor', 'meal-group-a', 'sponsor_2'], dietary_restrictions: 'Vegan, no peanuts' };
      assert.deepEqual(fieldsOf(res.body[2]), expected);
      assert.deepEqual(await fieldsOfUser(2), expected);
      assert.deepEqual(fieldsOf((await api.inject('GET', '/users')).body[2]), expected);

      // Other fields leave them alone; an empty list takes every tag away.
      assert.deepEqual(fieldsOf((await api.inject('PUT', '/users/2', { phone: '555' })).body[2]), expected);
      const cleared = await api.inject('PUT', '/users/2', { tags: [], dietary_restrictions: '' });
      assert.deepEqual(fieldsOf(cleared.body[2]), { tags: [], dietary_restrictions: '' });
    });

    test('a participant sets their own dietary restrictions, but not their tags', async () => {
      const own = await api.inject('PUT', '/users/1', { dietary_restrictions: 'Halal' }, participantKey);
      assert.equal(own.status, 200, JSON.stringify(own.body));
      assert.deepEqual(fieldsOf(own.body[1]), { tags: ['hacker'], dietary_restrictions: 'Halal' });

      const tagging = await api.inject(
        'PUT',
        '/users/1',
        { tags: ['mentor'], dietary_restrictions: 'None', name: 'X' },
        participantKey,
      );
      assert.equal(tagging.status, 403);
      assert.deepEqual(tagging.body, { error: 'Forbidden', code: 'forbidden' });
      // Even a list they already carry: only an admin hands tags out.
      assert.equal((await api.inject('PUT', '/users/1', { tags: ['hacker'] }, participantKey)).status, 403);
      const after = (await api.inject('GET', '/users/1')).body[1];
      assert.deepEqual(fieldsOf(after), { tags: ['hacker'], dietary_restrictions: 'Halal' });
      assert.equal(after.name, sampleParticipant(1).name, 'nothing of the refused request was written');

      assert.equal((await api.inject('PUT', '/users/2', { dietary_restrictions: 'x' }, participantKey)).status, 403);
      assert.equal((await api.inject('PUT', '/users/1', { dietary_restrictions: 'x' }, volunteerKey)).status, 403);
      assert.deepEqual(await fieldsOfUser(1), { tags: ['hacker'], dietary_restrictions: 'Halal' });
    });

    test('malformed tags and over-long dietary restrictions are refused with a clear message', async () => {
      const before = (await api.inject('GET', '/users/1')).body;
      const cases: [unknown, RegExp][] = [
        [{ tags: ['Mentor'] }, /^A tag is 1 to 40 lower-case letters/],
        [{ tags: ['meal group'] }, /^A tag is 1 to 40 lower-case letters/],
        [{ tags: [''] }, /^A tag is 1 to 40 lower-case letters/],
        [{ tags: ['a'.repeat(41)] }, /^A tag is 1 to 40 lower-case letters/],
        [{ tags: [7] }, /^A tag is 1 to 40 lower-case letters/],
        [{ tags: 'mentor' }, /^tags must be a list of at most 20 tags$/],
        [{ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, /^tags must be a list of at most 20 tags$/],
        [{ dietary_restrictions: 'x'.repeat(201) }, /^dietary_restrictions must be a string of at most 200 characters$/],
        [{ dietary_restrictions: null }, /^dietary_restrictions must be a string/],
        [{ name: 'Renamed', tags: ['ok', 'NOT-OK'] }, /^A tag is/],
      ];
      for (const [body, message] of cases) {
        const res = await api.inject('PUT', '/users/1', body);
        assert.equal(res.status, 400, JSON.stringify(body));
        assert.equal(res.body.code, 'validation_failed', JSON.stringify(body));
        assert.match(res.body.error, message, JSON.stringify(body));
      }
      const tooLong = await api.inject('POST', '/register', { ...sampleParticipant(9), dietary_restrictions: 'x'.repeat(201) });
      assert.equal(tooLong.status, 400);
      assert.deepEqual((await api.inject('GET', '/users/1')).body, before);
      assert.equal((await api.inject('GET', '/users/9')).status, 404);
    });

    test('registration: an admin may give tags; a volunteer or an anonymous open registration may not', async () => {
      const byAdmin = await api.inject('POST', '/register', {
        ...sampleParticipant(10),
        tags: ['volunteer', 'meal-group-b', 'volunteer'],
        dietary_restrictions: 'Kosher',
      });
      assert.equal(byAdmin.status, 200, JSON.stringify(byAdmin.body));
      const [id] = Object.keys(byAdmin.body);
      assert.deepEqual(fieldsOf(byAdmin.body[id!]), { tags: ['volunteer', 'meal-group-b'], dietary_restrictions: 'Kosher' });
      assert.deepEqual(await fieldsOfUser(Number(id)), { tags: ['volunteer', 'meal-group-b'], dietary_restrictions: 'Kosher' });

      const tagged = { ...sampleParticipant(11), tags: ['mentor'] };
      const refused = await api.inject('POST', '/register', tagged, volunteerKey);
      assert.equal(refused.status, 403);
      assert.equal(refused.body.code, 'forbidden');
      // Nothing was kept of the refused registration: the same e-mail registers fine without tags.
      const { tags: _tags, ...untagged } = tagged;
      const byVolunteer = await api.inject(
        'POST',
        '/register',
        { ...untagged, dietary_restrictions: 'Gluten-free' },
        volunteerKey,
      );
      assert.equal(byVolunteer.status, 200, JSON.stringify(byVolunteer.body));
      assert.deepEqual(fieldsOf(Object.values<any>(byVolunteer.body)[0]), {
        tags: ['hacker'],
        dietary_restrictions: 'Gluten-free',
      });

      const open = await startTestApp(backend.name, { OPEN_REGISTRATION: 'true' }, api.database);
      try {
        const anonymousTagged = await open.inject('POST', '/register', { ...sampleParticipant(12), tags: ['hacker'] }, null);
        assert.equal(anonymousTagged.status, 403);
        assert.equal(anonymousTagged.body.code, 'forbidden');
        const anonymous = await open.inject(
          'POST',
          '/register',
          { ...sampleParticipant(12), dietary_restrictions: 'Vegetarian' },
          null,
        );
        assert.equal(anonymous.status, 200, JSON.stringify(anonymous.body));
        const participant = Object.values<any>(anonymous.body)[0];
        assert.deepEqual(fieldsOf(participant), { tags: ['hacker'], dietary_restrictions: 'Vegetarian' });
        assert.equal(typeof participant.api_key, 'string');
      } finally {
        await open.close();
      }
    });

    test('the import takes tags (trimmed, lower-cased, each once) and dietary restrictions; bad ones skip the record', async () => {
      const record = (n: number, extra: object = {}) => ({ ...sampleParticipant(100 + n), ...extra });
      const records = [
        record(0, { tags: [' Mentor ', 'MEAL-Group-A', 'mentor'], dietary_restrictions: 'Vegetarian' }),
        record(1),
        record(2, { tags: ['not a tag'] }),
        record(3, { tags: 'mentor' }),
        record(4, { dietary_restrictions: 42 }),
        record(5, { tags: [], dietary_restrictions: '' }),
        record(6, { tags: [null] }),
      ];
      const file = join(dir, 'tagged.json');
      writeFileSync(file, JSON.stringify(records));
      const { code, stdout, stderr } = await runTsx(['src/cli/import.ts', file], { DATABASE_URL: api.database.url });
      assert.equal(code, 0, stderr);
      assert.match(stdout, /^imported 3, skipped 4 in /m);
      assert.match(stdout, /skipped record 2: A tag is 1 to 40 lower-case letters/);
      assert.match(stdout, /skipped record 3: tags must be a list of at most 20 tags/);
      assert.match(stdout, /skipped record 4: dietary_restrictions must be a string of at most 200 characters/);
      assert.match(stdout, /skipped record 6: A tag is 1 to 40 lower-case letters/);

      const users = Object.values<any>((await api.inject('GET', '/users')).body);
      const byEmail = (n: number) => users.find((user) => user.email === sampleParticipant(100 + n).email);
      assert.deepEqual(fieldsOf(byEmail(0)), { tags: ['mentor', 'meal-group-a'], dietary_restrictions: 'Vegetarian' });
      assert.deepEqual(fieldsOf(byEmail(1)), { tags: ['hacker'], dietary_restrictions: '' });
      assert.deepEqual(fieldsOf(byEmail(5)), { tags: [], dietary_restrictions: '' });
      for (const n of [2, 3, 4, 6]) assert.equal(byEmail(n), undefined);
    });

    test('a reset import clears every scan and resets the counts, but keeps the checkpoints', async () => {
      const created = await api.inject('POST', '/checkpoints', { name: 'Lunch', kind: 'meal', requires_check_in: false });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const [checkpointId] = Object.keys(created.body);
      const scan = (body: object) => api.inject('POST', `/checkpoints/${checkpointId}/scans`, body);
      assert.equal((await scan({ participant_id: 1, nonce: 'nonce-0001' })).status, 201);
      // A badge that matched nobody: a scan row that no deleted participant takes away with it.
      assert.equal((await scan({ badge: 'no-such-badge', nonce: 'nonce-0002' })).status, 404);
      // An offline upload that could not be counted: an offline conflict, counted apart.
      const upload = await api.inject('POST', '/sync/scans', [
        {
          checkpoint_id: Number(checkpointId),
          badge: 'no-such-badge',
          nonce: 'nonce-0003',
          scanned_at: new Date().toISOString(),
        },
      ]);
      assert.equal(upload.status, 200, JSON.stringify(upload.body));
      assert.equal(upload.body.results[0].code, 'offline_conflict');
      const checkpoint = async () => (await api.inject('GET', `/checkpoints/${checkpointId}`)).body[checkpointId!];
      assert.deepEqual((await checkpoint()).counts, { accepted: 1, participants: 1, refused: 2, conflicts: 1 });

      const summary = await importParticipants(handle, [{ ...sampleParticipant(1), tags: ['Mentor'] }], { reset: true });
      assert.equal(summary.imported, 1);
      assert.deepEqual(await handle.db.selectFrom('checkpoint_scans').selectAll().execute(), []);
      assert.deepEqual(await handle.db.selectFrom('checkpoint_participants').selectAll().execute(), []);
      const kept = await checkpoint();
      assert.equal(kept.name, 'Lunch');
      assert.deepEqual(kept.counts, { accepted: 0, participants: 0, refused: 0, conflicts: 0 });
      assert.deepEqual((await api.inject('GET', `/checkpoints/${checkpointId}/scans`)).body, {});

      // The new participant 1 has their meal to come; scan ids start again from 1, like the event's other records.
      const again = await scan({ participant_id: 1, nonce: 'nonce-0001' });
      assert.equal(again.status, 201, JSON.stringify(again.body));
      assert.equal(again.body.scan_id, 1);
      assert.deepEqual(again.body.participant, {
        id: 1,
        name: sampleParticipant(1).name,
        tags: ['mentor'],
        dietary_restrictions: '',
      });

      const users = (await api.inject('GET', '/users')).body;
      assert.deepEqual(Object.keys(users), ['1']);
      assert.deepEqual(fieldsOf(users[1]), { tags: ['mentor'], dietary_restrictions: '' });
    });
  });
}
