import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { DEMO_SKILLS, generateParticipants } from '../src/demo/generate-participants.js';
import { createRecordValidator } from '../src/http/validation.js';
import { importParticipants } from '../src/modules/import/import.service.js';
import { Registration } from '../src/modules/participants/participants.schemas.js';
import { runTsx } from './cli-runner.js';
import { BACKENDS, CHALLENGE_FILE, openTestDatabase, startTestApp, type TestApp } from './helpers.js';

interface SkillRating {
  skill: string;
  rating: number;
}
interface ImportRecord {
  name: string;
  company: string;
  email: string;
  phone: string;
  skills: SkillRating[];
}

const challengeAbsent = existsSync(CHALLENGE_FILE) ? false : `${fileURLToPath(CHALLENGE_FILE)} is absent`;

/** One skill per name, in the place it first appears, with its last rating. */
function lastRatingWins(skills: SkillRating[]): SkillRating[] {
  const ratings = new Map<string, number>();
  for (const { skill, rating } of skills) ratings.set(skill, rating);
  return [...ratings].map(([skill, rating]) => ({ skill, rating }));
}

const asView = (record: ImportRecord) => ({
  name: record.name,
  company: record.company,
  email: record.email,
  phone: record.phone,
  checked_in: false,
  bbt_tokens: 0,
  bbt_tokens_last_exchange_time: 0,
  skills: lastRatingWins(record.skills),
  tags: ['hacker'],
  dietary_restrictions: '',
});

function skillStats(participants: { skills: SkillRating[] }[]) {
  const totals = new Map<string, { frequency: number; sum: number }>();
  for (const { skills } of participants) {
    for (const { skill, rating } of skills) {
      const total = totals.get(skill) ?? { frequency: 0, sum: 0 };
      totals.set(skill, { frequency: total.frequency + 1, sum: total.sum + rating });
    }
  }
  const names = [...totals.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(
    names.map((name) => {
      const { frequency, sum } = totals.get(name)!;
      return [name, { frequency, average_rating: Math.round((sum / frequency) * 100) / 100 }];
    }),
  );
}

const record = (n: number, skills: SkillRating[] = [{ skill: 'Go', rating: 3 }]): ImportRecord => ({
  name: `Imported ${n}`,
  company: 'Import Co',
  email: `imported${n}@example.com`,
  phone: `555-000-${String(n).padStart(4, '0')}`,
  skills,
});

for (const backend of BACKENDS) {
  describe(`import (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let handle: DatabaseHandle;
    before(async () => {
      api = await startTestApp(backend.name);
      handle = openTestDatabase(api.database);
    });
    after(async () => {
      await handle?.destroy();
      await api?.close();
    });

    test('the challenge file gives 996 participants, ids 1..996 in file order', { skip: challengeAbsent }, async () => {
      const records = JSON.parse(readFileSync(CHALLENGE_FILE, 'utf8')) as ImportRecord[];
      assert.equal(records.length, 1000);
      const summary = await importParticipants(handle, records, { reset: true });
      assert.equal(summary.total, 1000);
      assert.equal(summary.imported, 996);
      assert.deepEqual(
        summary.skipped.map((s) => s.index),
        [474, 616, 844, 915],
      );
      for (const skipped of summary.skipped) assert.match(skipped.reason, /e-?mail/i);

      const expected: Record<string, ReturnType<typeof asView>> = {};
      let id = 0;
      for (const [index, participant] of records.entries()) {
        if (![474, 616, 844, 915].includes(index)) expected[++id] = asView(participant);
      }
      const users = await api.inject('GET', '/users');
      assert.equal(users.status, 200);
      assert.deepEqual(
        Object.keys(users.body),
        Array.from({ length: 996 }, (_, i) => String(i + 1)),
      );

      // Spot checks of the rules above, in the file's own terms, then the whole listing.
      assert.equal(users.body[100].name, 'Carolyn Gray');
      assert.equal(users.body[100].email, records[99]!.email);
      assert.deepEqual(
        records[98]!.skills.filter((s) => s.skill === 'Plotly'),
        [
          { skill: 'Plotly', rating: 2 },
          { skill: 'Plotly', rating: 4 },
        ],
      );
      assert.deepEqual(users.body[99].skills, [
        { skill: 'Next.js', rating: 3 },
        { skill: 'Plotly', rating: 4 },
      ]);
      // Record 475 follows the first skipped one, and takes the next id.
      assert.equal(users.body[475].email, records[475]!.email);
      assert.equal(users.body[996].email, records[999]!.email);
      // The skipped duplicate of bmiller@example.net did not overwrite the first one.
      assert.equal(records[474]!.email.toLowerCase(), records[345]!.email.toLowerCase());
      assert.deepEqual(users.body[346], asView(records[345]!));
      assert.deepEqual(users.body, expected);

      assert.deepEqual((await api.inject('GET', '/skills')).body, skillStats(Object.values(expected)));
    });

    test('malformed records are reported with their index and skipped; the rest loads', async () => {
      const records: unknown[] = [
        record(1),
        'not an object',
        { ...record(2), email: undefined },
        record(3, [{ skill: 'Go', rating: '4' as unknown as number }]),
        record(4, [{ skill: 'Go', rating: 9 }]),
        null,
        [record(5)],
        record(6, [{ skill: 'Rust', rating: 5 }]),
        record(7, [{ skill: '', rating: 2 }]),
        { ...record(8), name: 8 },
        { ...record(9), skills: 'Go' },
      ];
      const summary = await importParticipants(handle, records, { reset: true });
      assert.equal(summary.total, 11);
      assert.equal(summary.imported, 2);
      assert.deepEqual(
        summary.skipped.map((s) => s.index),
        [1, 2, 3, 4, 5, 6, 8, 9, 10],
      );
      const reasons = new Map(summary.skipped.map((s) => [s.index, s.reason]));
      assert.equal(reasons.get(2), 'email required');
      assert.match(reasons.get(3)!, /rating/);
      assert.match(reasons.get(4)!, /rating/);
      assert.match(reasons.get(8)!, /skill/);
      assert.match(reasons.get(9)!, /name/);
      assert.match(reasons.get(10)!, /skills/);
      for (const reason of reasons.values()) assert.ok(reason.length > 0);

      assert.deepEqual((await api.inject('GET', '/users')).body, {
        1: asView(record(1)),
        2: asView(record(6, [{ skill: 'Rust', rating: 5 }])),
      });
      assert.deepEqual((await api.inject('GET', '/skills')).body, {
        Go: { frequency: 1, average_rating: 3 },
        Rust: { frequency: 1, average_rating: 5 },
      });
    });

    test('a record listing a skill twice keeps one skill with the last rating', async () => {
      const skills = [
        { skill: 'Go', rating: 1 },
        { skill: 'Elm', rating: 2 },
        { skill: 'Go', rating: 5 },
        { skill: 'Elm', rating: 4 },
        { skill: 'Go', rating: 4 },
      ];
      const summary = await importParticipants(handle, [record(10, skills)], { reset: true });
      assert.deepEqual(summary, { total: 1, imported: 1, skipped: [] });
      assert.deepEqual((await api.inject('GET', '/users/1')).body[1].skills, [
        { skill: 'Go', rating: 4 },
        { skill: 'Elm', rating: 4 },
      ]);
      assert.deepEqual((await api.inject('GET', '/skills')).body, {
        Elm: { frequency: 1, average_rating: 4 },
        Go: { frequency: 1, average_rating: 4 },
      });
    });

    test('reset empties the database first and restarts ids at 1', async () => {
      await importParticipants(handle, [record(20), record(21), record(22)], { reset: true });
      assert.equal((await api.inject('POST', '/checkin', { participant_id: 1, volunteer_id: 3 })).status, 200);
      assert.equal((await api.inject('PUT', '/users/2', { skills: [{ skill: 'Fortran', rating: 2 }] })).status, 200);
      assert.equal((await api.inject('POST', '/register', record(23))).status, 200);

      const summary = await importParticipants(handle, [record(30, [{ skill: 'Lua', rating: 2 }]), record(31)], { reset: true });
      assert.deepEqual(summary, { total: 2, imported: 2, skipped: [] });
      assert.deepEqual((await api.inject('GET', '/users')).body, {
        1: asView(record(30, [{ skill: 'Lua', rating: 2 }])),
        2: asView(record(31)),
      });
      // Check-ins and skill statistics went with the participants.
      assert.deepEqual((await api.inject('GET', '/checkin?participant_id=1')).body, { participant_id: 1, checked_in: false });
      assert.deepEqual((await api.inject('GET', '/skills')).body, {
        Go: { frequency: 1, average_rating: 3 },
        Lua: { frequency: 1, average_rating: 2 },
      });
      // The e-mails of the emptied participants are free again, and API registrations carry on the ids.
      const registered = await api.inject('POST', '/register', record(20));
      assert.equal(registered.status, 200);
      assert.deepEqual(Object.keys(registered.body), ['3']);
    });

    test('without reset, the import adds to what is there and skips e-mails already taken in any case', async () => {
      const summary = await importParticipants(handle, [
        record(40),
        { ...record(41), email: 'IMPORTED30@EXAMPLE.COM' },
        { ...record(42), email: 'Imported40@Example.com' },
        record(43),
      ]);
      assert.equal(summary.imported, 2);
      assert.deepEqual(
        summary.skipped.map((s) => s.index),
        [1, 2],
      );
      const users = (await api.inject('GET', '/users')).body;
      assert.deepEqual(Object.keys(users), ['1', '2', '3', '4', '5']);
      assert.equal(users[1].email, 'imported30@example.com');
      assert.equal(users[1].name, 'Imported 30');
      assert.deepEqual(users[4], asView(record(40)));
      assert.deepEqual(users[5], asView(record(43)));
      assert.deepEqual((await api.inject('GET', '/skills')).body.Go, { frequency: 4, average_rating: 3 });
    });

    test('records load in batches, reporting progress after each', async () => {
      const progress: [number, number][] = [];
      const summary = await importParticipants(handle, [record(50), record(51), record(50), record(52), record(53)], {
        reset: true,
        batchSize: 2,
        onProgress: (done, total) => {
          progress.push([done, total]);
        },
      });
      assert.deepEqual(progress, [
        [2, 5],
        [4, 5],
        [5, 5],
      ]);
      assert.deepEqual(summary, { total: 5, imported: 4, skipped: [{ index: 2, reason: summary.skipped[0]!.reason }] });
      assert.deepEqual(Object.keys((await api.inject('GET', '/users')).body), ['1', '2', '3', '4']);
      assert.equal((await api.inject('GET', '/users/4')).body[4].email, 'imported53@example.com');
    });
  });
}

describe('import CLI (sqlite)', { concurrency: true }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tapioca-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('imports a file with --reset, printing progress and a summary', async () => {
    const records: unknown[] = generateParticipants(600, 11);
    records.push({ ...(records[0] as ImportRecord), name: 'Duplicate', email: (records[0] as ImportRecord).email.toUpperCase() });
    records.push({ name: 'No Email', company: 'X', phone: '1' });
    const file = join(dir, 'participants.json');
    writeFileSync(file, JSON.stringify(records));
    const databaseUrl = `sqlite:${join(dir, 'cli.db')}`;

    const { code, stdout, stderr } = await runTsx(['src/cli/import.ts', '--reset', file], { DATABASE_URL: databaseUrl }, 'npx');
    assert.equal(code, 0, stderr);
    const lines = stdout.split('\n').map((line) => line.trim());
    assert.ok(lines.includes(`importing 602 records from ${file} (replacing the event's data once all are loaded)`), stdout);
    assert.ok(lines.includes('602/602 records processed'), stdout);
    assert.match(stdout, /^imported 600, skipped 2 in \d+\.\d s$/m);
    assert.ok(lines.includes('skipped record 600: email already taken'), stdout);
    assert.ok(lines.includes('skipped record 601: email required'), stdout);

    const database = openDatabase(databaseUrl);
    try {
      const rows = await database.db.selectFrom('participants').select(['id', 'email']).orderBy('id').execute();
      assert.equal(rows.length, 600);
      assert.deepEqual(
        rows.map((row) => row.id),
        Array.from({ length: 600 }, (_, i) => i + 1),
      );
      assert.equal(rows[599]!.email, (records[599] as ImportRecord).email);
    } finally {
      await database.destroy();
    }
  });

  test('a missing file or bad arguments exit non-zero with a clear message', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'errors.db')}` };
    const missing = join(dir, 'no-such-file.json');
    const cases: [string[], RegExp][] = [
      [['src/cli/import.ts', missing], new RegExp(`cannot read ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)],
      [['src/cli/import.ts', '--force'], /unknown option --force\nusage: npm run import -- \[--reset\] <file\.json>/],
    ];
    await Promise.all(
      cases.map(async ([args, message]) => {
        const { code, stdout, stderr } = await runTsx(args, env);
        assert.notEqual(code, 0, args.join(' '));
        assert.match(stderr, message, args.join(' '));
        assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
        assert.doesNotMatch(stdout, /imported/);
      }),
    );
    assert.equal(existsSync(join(dir, 'errors.db')), false);
  });
});

describe('demo participant generator', () => {
  const isRegistration = createRecordValidator(Registration);

  test('the same seed gives the same data; another seed other data', () => {
    assert.deepEqual(generateParticipants(200, 42), generateParticipants(200, 42));
    assert.deepEqual(generateParticipants(50), generateParticipants(50, 2023));
    assert.notDeepEqual(generateParticipants(50, 42), generateParticipants(50, 43));
    // A shorter run is a prefix of a longer one with the same seed.
    assert.deepEqual(generateParticipants(10, 42), generateParticipants(200, 42).slice(0, 10));
    assert.deepEqual(generateParticipants(0), []);
  });

  test('participants are valid registrations with 2-4 distinct skills from the list and unique e-mails', () => {
    const participants = generateParticipants(2000, 7);
    assert.equal(participants.length, 2000);
    const emails = new Set(participants.map((p) => p.email.toLowerCase()));
    assert.equal(emails.size, 2000);
    const skillCounts = new Set<number>();
    for (const participant of participants) {
      assert.equal(isRegistration(participant), undefined, JSON.stringify(participant));
      const skills = participant.skills ?? [];
      skillCounts.add(skills.length);
      assert.ok(skills.length >= 2 && skills.length <= 4, JSON.stringify(skills));
      assert.equal(new Set(skills.map((s) => s.skill)).size, skills.length, JSON.stringify(skills));
      for (const { skill, rating } of skills) {
        assert.ok(DEMO_SKILLS.includes(skill), skill);
        assert.ok(Number.isInteger(rating) && rating >= 1 && rating <= 5, String(rating));
      }
      assert.match(participant.name, /^\S+ \S+$/);
      assert.ok(participant.company.length > 0 && participant.phone.length >= 10);
    }
    assert.deepEqual([...skillCounts].sort(), [2, 3, 4]);
    // Realistic variety, not one name or company repeated.
    assert.ok(new Set(participants.map((p) => p.name)).size > 500);
    assert.ok(new Set(participants.map((p) => p.company)).size > 500);
  });
});
