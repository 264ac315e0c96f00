import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { DatabaseHandle } from '../src/db/database.js';
import { generateParticipants } from '../src/demo/generate-participants.js';
import { importParticipants } from '../src/modules/import/import.service.js';
import type { ParticipantInput } from '../src/modules/participants/participants.service.js';
import { assertSkillAggregatesExact, BACKENDS, openTestDatabase, startTestApp, type TestApp } from './helpers.js';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

const OLD: ParticipantInput[] = [1, 2, 3].map((n) => ({
  name: `Old ${n}`,
  company: 'Before Inc',
  email: `old${n}@example.com`,
  phone: `555-111-000${n}`,
  skills: [{ skill: 'Cobol', rating: n }],
}));

const emailsOf = (users: Record<string, { email: string }>) => Object.values(users).map((user) => user.email);

for (const backend of BACKENDS) {
  describe(`reset import as one unit (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let handle: DatabaseHandle;
    let dir: string;
    before(async () => {
      api = await startTestApp(backend.name);
      handle = openTestDatabase(api.database);
      dir = mkdtempSync(join(tmpdir(), 'tapioca-import-reset-'));
    });
    after(async () => {
      await handle?.destroy();
      await api?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** The event before the reset: three participants, one checked in, one with a key. Returns that key. */
    async function loadOldEvent(): Promise<string> {
      const summary = await importParticipants(handle, OLD, { reset: true });
      assert.equal(summary.imported, 3);
      assert.equal((await api.inject('POST', '/checkin', { participant_id: 1 })).status, 200);
      return api.createKey('participant', 2);
    }

    async function assertOldEvent(participantKey: string, when: string): Promise<void> {
      const users = await api.inject('GET', '/users');
      assert.deepEqual(Object.keys(users.body), ['1', '2', '3'], when);
      assert.deepEqual(emailsOf(users.body), ['old1@example.com', 'old2@example.com', 'old3@example.com'], when);
      assert.equal(users.body[1].checked_in, true, when);
      assert.equal((await api.inject('GET', '/users/2', undefined, participantKey)).status, 200, when);
      assert.deepEqual((await api.inject('GET', '/skills')).body, { Cobol: { frequency: 3, average_rating: 2 } }, when);
    }

    test('a reset keeps the old data until the new data is complete; a bad record is skipped with its index', async () => {
      const participantKey = await loadOldEvent();
      const records: unknown[] = generateParticipants(40, 5);
      records[23] = { ...(records[23] as ParticipantInput), name: 'Nul\u0000Byte' };

      let checks = 0;
      const summary = await importParticipants(handle, records, {
        reset: true,
        batchSize: 10,
        onProgress: async (done) => {
          checks += 1;
          await assertOldEvent(participantKey, `after ${done} records were read`);
        },
      });
      assert.equal(checks, 4);
      assert.equal(summary.imported, 39);
      assert.deepEqual(
        summary.skipped.map((s) => s.index),
        [23],
      );
      assert.match(summary.skipped[0]!.reason, /name.*NUL/);

      const users = await api.inject('GET', '/users');
      const expected = records.filter((_, index) => index !== 23).map((record) => (record as ParticipantInput).email);
      assert.deepEqual(
        Object.keys(users.body),
        expected.map((_, i) => String(i + 1)),
      );
      assert.deepEqual(emailsOf(users.body), expected);
      assert.equal(Object.values(users.body as Record<string, { checked_in: boolean }>).filter((u) => u.checked_in).length, 0);
      assert.equal(
        (await api.inject('GET', '/users/2', undefined, participantKey)).status,
        401,
        'the old key went with its participant',
      );
      assert.equal((await api.inject('GET', '/skills')).body.Cobol, undefined);
      assert.equal((await api.inject('GET', '/stats')).body.participants, 39);
      await assertSkillAggregatesExact(handle);
    });

    test("a reset retires the old event's badges: the new person given an old id is not let in by the old badge", async () => {
      const participantKey = await loadOldEvent();
      const me = await api.inject('GET', '/me', undefined, participantKey);
      assert.equal(me.status, 200);
      const signed = me.body.badge.badge as string;
      const printed = (
        await handle.db.selectFrom('participants').select('badge_code').where('id', '=', 2).executeTakeFirstOrThrow()
      ).badge_code;
      for (const code of [signed, printed]) {
        assert.equal((await api.inject('GET', `/badges/${code}`)).body.participant_id, 2, 'works before the reset');
      }

      const summary = await importParticipants(handle, generateParticipants(3, 7), { reset: true });
      assert.equal(summary.imported, 3);
      assert.notEqual((await api.inject('GET', '/users/2')).body[2].email, 'old2@example.com', 'id 2 is someone else now');
      for (const code of [signed, printed]) {
        const lookup = await api.inject('GET', `/badges/${code}`);
        assert.deepEqual([lookup.status, lookup.body], [404, { error: 'Badge not found', code: 'badge_not_found' }], code);
        assert.equal((await api.inject('POST', '/checkin', { badge: code })).status, 404, code);
      }
      assert.equal((await api.inject('GET', '/users/2')).body[2].checked_in, false);
    });

    test('ids follow the file; e-mails taken in any letter case are skipped with their index; skill counts match a recount', async () => {
      const file = generateParticipants(25, 6);
      const records: ParticipantInput[] = [...file];
      records.splice(7, 0, { ...file[2]!, name: 'Same e-mail, other case', email: file[2]!.email.toUpperCase() });
      records.push({ ...file[0]!, name: 'Same e-mail again', email: file[0]!.email.replace(/^./, (c) => c.toUpperCase()) });
      const reset = await importParticipants(handle, records, { reset: true, batchSize: 4 });
      assert.equal(reset.imported, 25);
      assert.deepEqual(reset.skipped, [
        { index: 7, reason: 'email already taken' },
        { index: 26, reason: 'email already taken' },
      ]);
      let users = (await api.inject('GET', '/users')).body;
      assert.deepEqual(
        emailsOf(users),
        file.map((p) => p.email),
      );

      const more: ParticipantInput[] = [
        {
          ...OLD[0]!,
          email: 'new1@example.org',
          skills: [
            { skill: 'Go', rating: 5 },
            { skill: 'Cobol', rating: 1 },
          ],
        },
        { ...OLD[1]!, email: file[4]!.email.toUpperCase() },
        {
          ...OLD[2]!,
          email: 'new2@example.org',
          skills: [
            { skill: 'Go', rating: 2 },
            { skill: 'Go', rating: 4 },
          ],
        },
        { ...OLD[0]!, email: 'NEW1@example.org' },
        { ...OLD[1]!, email: 'new3@example.org' },
        { ...OLD[2]!, email: file[24]!.email },
      ];
      const appended = await importParticipants(handle, more, { batchSize: 2 });
      assert.equal(appended.imported, 3);
      assert.deepEqual(
        appended.skipped.map((s) => s.index),
        [1, 3, 5],
      );
      for (const skipped of appended.skipped) assert.equal(skipped.reason, 'email already taken');
      users = (await api.inject('GET', '/users')).body;
      assert.deepEqual(Object.keys(users).slice(25), ['26', '27', '28']);
      assert.deepEqual(emailsOf(users).slice(25), ['new1@example.org', 'new2@example.org', 'new3@example.org']);
      assert.deepEqual(users[27].skills, [{ skill: 'Go', rating: 4 }]);

      await assertSkillAggregatesExact(handle);
      const badges = await handle.db.selectFrom('participants').select('badge_code').execute();
      assert.equal(new Set(badges.map((row) => row.badge_code)).size, 28);
      for (const { badge_code } of badges) assert.match(badge_code, /^[\w-]{22}$/);
      assert.equal((await api.inject('GET', '/stats')).body.participants, 28);
    });

    test('kill -9 of the import CLI in the middle of a reset leaves the old data; a rerun loads the file', async () => {
      const participantKey = await loadOldEvent();
      const records = generateParticipants(20_000, 12);
      const file = join(dir, 'participants.json');
      writeFileSync(file, JSON.stringify(records));
      const env = { ...process.env, DATABASE_URL: api.database.url, LOG_LEVEL: 'silent' };

      // A process group of its own, so the kill reaches npx, tsx and the node process running the import.
      const cli = spawn('npx', ['tsx', 'src/cli/import.ts', '--reset', file], { cwd: PROJECT_ROOT, env, detached: true });
      let output = '';
      cli.stderr.on('data', (chunk) => (output += chunk));
      const exit = once(cli, 'exit');
      await new Promise<void>((resolve, reject) => {
        cli.stdout.on('data', (chunk) => {
          output += chunk;
          if (/records processed/.test(output)) resolve();
        });
        cli.once('exit', () => reject(new Error(`the import ended before its first progress line:\n${output}`)));
      });
      process.kill(-cli.pid!, 'SIGKILL');
      await exit;
      assert.doesNotMatch(output, /imported \d+/, 'killed before it finished');
      await assertOldEvent(participantKey, 'after the kill');

      const rerun = spawn('npx', ['tsx', 'src/cli/import.ts', '--reset', file], { cwd: PROJECT_ROOT, env });
      let rerunOutput = '';
      rerun.stdout.on('data', (chunk) => (rerunOutput += chunk));
      rerun.stderr.on('data', (chunk) => (rerunOutput += chunk));
      const [code] = await once(rerun, 'exit');
      assert.equal(code, 0, rerunOutput);
      assert.match(rerunOutput, /imported 20000, skipped 0/);
      const { count, last } = await handle.db
        .selectFrom('participants')
        .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.max('id').as('last')])
        .executeTakeFirstOrThrow();
      assert.deepEqual([Number(count), Number(last)], [20_000, 20_000]);
      const twentieth = await handle.db
        .selectFrom('participants')
        .select('email')
        .where('id', '=', 20_000)
        .executeTakeFirstOrThrow();
      assert.equal(twentieth.email, records[19_999]!.email);
    });
  });
}
