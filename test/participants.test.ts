import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKENDS, httpJson, sampleParticipant, startTestApp, TEST_ADMIN_KEY, type TestApp } from './helpers.js';

const NOT_FOUND = { error: 'Participant not found', code: 'participant_not_found' };
const EMAIL_TAKEN = { error: 'Email Already Exists', code: 'email_taken' };

/** The five participants every test below starts from (ids 1-5; 2 and 4 get checked in). */
const SEED = [
  sampleParticipant(1, [
    { skill: 'Python', rating: 4 },
    { skill: 'Go', rating: 2 },
  ]),
  sampleParticipant(2, [{ skill: 'Rust', rating: 5 }]),
  sampleParticipant(3, []),
  sampleParticipant(4, [{ skill: 'Python', rating: 1 }]),
  sampleParticipant(5, [{ skill: 'Go', rating: 3 }]),
];

/** What a participant carries until told otherwise (test/participant-fields.test.ts covers setting them). */
const NEW_FIELDS = { tags: ['hacker'], dietary_restrictions: '' };

const expectedView = (n: number) => {
  const { skills, ...fields } = SEED[n - 1]!;
  return { ...fields, checked_in: n === 2 || n === 4, bbt_tokens: 0, bbt_tokens_last_exchange_time: 0, skills, ...NEW_FIELDS };
};

for (const backend of BACKENDS) {
  describe(`participants (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    before(async () => {
      api = await startTestApp(backend.name, { PAGE_SIZE: '2', BODY_LIMIT_BYTES: '1024' });
      for (const participant of SEED) assert.equal((await api.inject('POST', '/register', participant)).status, 200);
      for (const id of [2, 4]) {
        assert.equal((await api.inject('POST', '/checkin', { participant_id: id, volunteer_id: 1 })).status, 200);
      }
    });
    after(() => api?.close());

    /** Snapshot of everything a failed request must leave alone. */
    const state = async () => ({
      users: (await api.inject('GET', '/users')).body,
      skills: (await api.inject('GET', '/skills')).body,
    });

    describe('GET /users', () => {
      test('lists every participant keyed by id, ascending, in the full shape', async () => {
        const res = await api.inject('GET', '/users');
        assert.equal(res.status, 200);
        assert.deepEqual(Object.keys(res.body), ['1', '2', '3', '4', '5']);
        for (let n = 1; n <= 5; n++) assert.deepEqual(res.body[n], expectedView(n));
      });

      test('checked_in=true|false filters', async () => {
        const checkedIn = await api.inject('GET', '/users?checked_in=true');
        assert.equal(checkedIn.status, 200);
        assert.deepEqual(checkedIn.body, { 2: expectedView(2), 4: expectedView(4) });
        const notCheckedIn = await api.inject('GET', '/users?checked_in=false');
        assert.equal(notCheckedIn.status, 200);
        assert.deepEqual(notCheckedIn.body, { 1: expectedView(1), 3: expectedView(3), 5: expectedView(5) });
      });

      test('any other checked_in value is a 400', async () => {
        for (const value of ['yes', '1', '0', 'truee', ' true', '', 'null']) {
          const res = await api.inject('GET', `/users?checked_in=${value}`);
          assert.equal(res.status, 400, value);
          assert.equal(typeof res.body.error, 'string', value);
        }
      });

      test('page=N returns page N of PAGE_SIZE, a page past the end is {}', async () => {
        const pages: string[][] = [];
        for (let page = 1; page <= 4; page++) {
          const res = await api.inject('GET', `/users?page=${page}`);
          assert.equal(res.status, 200);
          for (const [id, participant] of Object.entries(res.body)) assert.deepEqual(participant, expectedView(Number(id)));
          pages.push(Object.keys(res.body));
        }
        assert.deepEqual(pages, [['1', '2'], ['3', '4'], ['5'], []]);
        assert.deepEqual((await api.inject('GET', '/users?page=1000')).body, {});
      });

      test('page combines with the checked_in filter', async () => {
        assert.deepEqual(Object.keys((await api.inject('GET', '/users?checked_in=false&page=1')).body), ['1', '3']);
        assert.deepEqual((await api.inject('GET', '/users?checked_in=false&page=2')).body, { 5: expectedView(5) });
        assert.deepEqual((await api.inject('GET', '/users?page=1&checked_in=true')).body, {
          2: expectedView(2),
          4: expectedView(4),
        });
        assert.deepEqual((await api.inject('GET', '/users?checked_in=true&page=2')).body, {});
      });

      test('an invalid page number is a 400', async () => {
        for (const page of ['0', '-1', 'abc', '1.5', '']) {
          const res = await api.inject('GET', `/users?page=${page}`);
          assert.equal(res.status, 400, page);
          assert.deepEqual(res.body, { error: 'Invalid page number', code: 'validation_failed' }, page);
        }
      });
    });

    describe('GET /users/:id', () => {
      test('returns {"<id>": participant}', async () => {
        for (const n of [1, 4]) {
          const res = await api.inject('GET', `/users/${n}`);
          assert.equal(res.status, 200);
          assert.deepEqual(res.body, { [n]: expectedView(n) });
        }
      });

      test('an unknown id or one that is not a positive integer is a 404', async () => {
        for (const id of ['999', '0', '-1', 'abc', '1.5', '99999999999']) {
          const res = await api.inject('GET', `/users/${id}`);
          assert.equal(res.status, 404, id);
          assert.deepEqual(res.body, NOT_FOUND, id);
        }
      });
    });

    describe('PUT /users/:id', () => {
      test('a partial update changes only the fields sent', async () => {
        const res = await api.inject('PUT', '/users/3', { name: 'Renamed Person' });
        assert.equal(res.status, 200);
        const expected = { ...expectedView(3), name: 'Renamed Person' };
        assert.deepEqual(res.body, { 3: expected });

        const more = await api.inject('PUT', '/users/3', { company: 'Initech', phone: '555-1234' });
        assert.equal(more.status, 200);
        assert.deepEqual(more.body, { 3: { ...expected, company: 'Initech', phone: '555-1234' } });
        assert.deepEqual((await api.inject('GET', '/users/3')).body, more.body);
        // The others are untouched.
        assert.deepEqual((await api.inject('GET', '/users/2')).body, { 2: expectedView(2) });
      });

      test('fields that are not strings are a 400 and change nothing', async () => {
        const snapshot = await state();
        for (const body of [
          { name: 42 },
          { company: null },
          { email: 5 },
          { phone: true },
          { phone: ['555'] },
          { name: 'Valid', email: { address: 'x@example.com' } },
          { email: 'not-an-email' },
        ]) {
          const res = await api.inject('PUT', '/users/1', body);
          assert.equal(res.status, 400, JSON.stringify(body));
          assert.equal(typeof res.body.error, 'string', JSON.stringify(body));
        }
        assert.deepEqual(await state(), snapshot);
      });

      test('unknown fields are ignored, including ones the API computes', async () => {
        const res = await api.inject('PUT', '/users/5', {
          favourite_colour: 'teal',
          checked_in: true,
          bbt_tokens: 1000,
          bbt_tokens_last_exchange_time: 99,
          id: 1,
          phone: '+1-555-999-9999',
        });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { 5: { ...expectedView(5), phone: '+1-555-999-9999' } });
        assert.equal((await api.inject('GET', '/checkin?participant_id=5')).body.checked_in, false);
        assert.deepEqual(Object.keys((await api.inject('GET', '/users')).body), ['1', '2', '3', '4', '5']);
        assert.equal((await api.inject('PUT', '/users/5', { phone: SEED[4]!.phone })).status, 200);
      });

      test('invalid skills lists are a 400 naming the problem, and change nothing', async () => {
        const snapshot = await state();
        const cases: [unknown, RegExp][] = [
          [[{ skill: 'Go', rating: '4' }], /rating/],
          [[{ skill: 'Go', rating: 0 }], /rating/],
          [[{ skill: 'Go', rating: 6 }], /rating/],
          [[{ skill: 'Go', rating: 1.5 }], /rating/],
          [[{ skill: 'Go', rating: null }], /rating/],
          [[{ skill: 'Go' }], /rating/],
          [[{ skill: '', rating: 3 }], /skill/],
          [[{ skill: '   ', rating: 3 }], /skill/],
          [[{ skill: 7, rating: 3 }], /skill/],
          [[{ rating: 3 }], /skill/],
          [
            [
              { skill: 'Go', rating: 3 },
              { skill: 'Rust', rating: 9 },
            ],
            /skills\[1\]\.rating/,
          ],
          [['Go'], /skills/],
          [{ skill: 'Go', rating: 3 }, /skills/],
          ['Go', /skills/],
          [null, /skills/],
        ];
        for (const [skills, mentions] of cases) {
          const res = await api.inject('PUT', '/users/1', { skills });
          assert.equal(res.status, 400, JSON.stringify(skills));
          assert.match(res.body.error, mentions, JSON.stringify(skills));
        }
        assert.deepEqual(await state(), snapshot);
      });

      test('skills are upserted: new ones added, listed ones re-rated, unlisted ones kept', async () => {
        const res = await api.inject('PUT', '/users/1', {
          skills: [
            { skill: 'Elixir', rating: 5 },
            { skill: 'Python', rating: 2 },
          ],
        });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body[1].skills, [
          { skill: 'Python', rating: 2 },
          { skill: 'Go', rating: 2 },
          { skill: 'Elixir', rating: 5 },
        ]);
        assert.deepEqual((await api.inject('GET', '/users/1')).body, res.body);
        const skills = (await api.inject('GET', '/skills')).body;
        assert.deepEqual(skills.Python, { frequency: 2, average_rating: 1.5 });
        assert.deepEqual(skills.Elixir, { frequency: 1, average_rating: 5 });
        assert.deepEqual(skills.Go, { frequency: 2, average_rating: 2.5 });

        // An empty list and a repeated rating change nothing.
        for (const skills of [[], [{ skill: 'Go', rating: 2 }]]) {
          const same = await api.inject('PUT', '/users/1', { skills });
          assert.equal(same.status, 200);
          assert.deepEqual(same.body, res.body);
        }
        assert.deepEqual((await api.inject('GET', '/skills')).body, skills);
      });

      test('all or nothing: a valid name with an invalid skill changes nothing', async () => {
        const snapshot = await state();
        const res = await api.inject('PUT', '/users/2', {
          name: 'Should Not Stick',
          skills: [
            { skill: 'Haskell', rating: 4 },
            { skill: 'Rust', rating: 7 },
          ],
        });
        assert.equal(res.status, 400);
        assert.match(res.body.error, /skills\[1\]\.rating/);
        assert.deepEqual(await state(), snapshot);
      });

      test("another participant's e-mail, in any letter case, is 400 Email Already Exists", async () => {
        for (const email of ['person2@example.com', 'PERSON2@example.com', 'Person2@Example.COM']) {
          const res = await api.inject('PUT', '/users/4', { email });
          assert.equal(res.status, 400, email);
          assert.deepEqual(res.body, EMAIL_TAKEN, email);
        }
        assert.equal((await api.inject('GET', '/users/4')).body[4].email, 'person4@example.com');
      });

      test('all or nothing: a taken e-mail with new fields and skills changes nothing, GET /skills included', async () => {
        const snapshot = await state();
        const res = await api.inject('PUT', '/users/4', {
          name: 'Also Not Sticking',
          email: 'PERSON1@EXAMPLE.COM',
          skills: [
            { skill: 'Zig', rating: 5 },
            { skill: 'Python', rating: 5 },
          ],
        });
        assert.deepEqual(res.body, EMAIL_TAKEN);
        assert.equal(res.status, 400);
        const now = await state();
        assert.equal(now.skills.Zig, undefined);
        assert.deepEqual(now, snapshot);
      });

      test("changing the letter case of one's own e-mail is allowed, and the new case then blocks others", async () => {
        const res = await api.inject('PUT', '/users/4', { email: 'Person4@Example.com' });
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, { 4: { ...expectedView(4), email: 'Person4@Example.com' } });
        assert.deepEqual((await api.inject('PUT', '/users/5', { email: 'person4@example.com' })).body, EMAIL_TAKEN);
        assert.deepEqual(
          (await api.inject('POST', '/register', { ...sampleParticipant(90), email: 'PERSON4@EXAMPLE.COM' })).body,
          EMAIL_TAKEN,
        );
        // A new, free address works too, and frees the old one.
        assert.equal((await api.inject('PUT', '/users/4', { email: 'someone.else@example.com' })).status, 200);
        assert.equal((await api.inject('PUT', '/users/5', { email: 'person4@example.com' })).status, 200);
        assert.equal((await api.inject('PUT', '/users/5', { email: 'person5@example.com' })).status, 200);
        assert.equal((await api.inject('PUT', '/users/4', { email: 'person4@example.com' })).status, 200);
        assert.deepEqual((await api.inject('GET', '/users/4')).body, { 4: expectedView(4) });
      });

      test('an unknown or malformed id is a 404', async () => {
        for (const id of ['999', '0', '-1', 'abc', '1.5']) {
          const res = await api.inject('PUT', `/users/${id}`, { name: 'Nobody' });
          assert.equal(res.status, 404, id);
          assert.deepEqual(res.body, NOT_FOUND, id);
        }
        const res = await api.inject('PUT', '/users/999', { skills: [{ skill: 'Ghost', rating: 3 }] });
        assert.equal(res.status, 404);
        assert.equal((await api.inject('GET', '/skills')).body.Ghost, undefined);
      });
    });

    describe('POST /register', () => {
      test('returns {"<id>": participant}, not checked in and with no tokens', async () => {
        const body = sampleParticipant(6, [
          { skill: 'TypeScript', rating: 5 },
          { skill: 'Go', rating: 1 },
        ]);
        const res = await api.inject('POST', '/register', body);
        assert.equal(res.status, 200);
        const { skills, ...fields } = body;
        assert.deepEqual(res.body, {
          6: { ...fields, checked_in: false, bbt_tokens: 0, bbt_tokens_last_exchange_time: 0, skills, ...NEW_FIELDS },
        });
        assert.deepEqual((await api.inject('GET', '/users/6')).body, res.body);
        assert.deepEqual((await api.inject('GET', '/checkin?participant_id=6')).body, {
          participant_id: 6,
          checked_in: false,
        });
      });

      test('skills are optional; a skill named twice keeps its last rating', async () => {
        const { skills: _skills, ...noSkills } = sampleParticipant(7);
        const res = await api.inject('POST', '/register', noSkills);
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, {
          7: { ...noSkills, checked_in: false, bbt_tokens: 0, bbt_tokens_last_exchange_time: 0, skills: [], ...NEW_FIELDS },
        });

        const twice = await api.inject(
          'POST',
          '/register',
          sampleParticipant(8, [
            { skill: 'Kotlin', rating: 1 },
            { skill: 'Swift', rating: 2 },
            { skill: 'Kotlin', rating: 4 },
          ]),
        );
        assert.equal(twice.status, 200);
        assert.deepEqual(twice.body[8].skills, [
          { skill: 'Kotlin', rating: 4 },
          { skill: 'Swift', rating: 2 },
        ]);
        assert.deepEqual((await api.inject('GET', '/skills?keyword=kotlin')).body, {
          Kotlin: { frequency: 1, average_rating: 4 },
        });
      });

      test('each required field missing is a 400 "<field> required"', async () => {
        const snapshot = await state();
        for (const field of ['name', 'company', 'email', 'phone'] as const) {
          const body: Record<string, unknown> = { ...sampleParticipant(50) };
          delete body[field];
          const res = await api.inject('POST', '/register', body);
          assert.equal(res.status, 400, field);
          assert.deepEqual(res.body, { error: `${field} required`, code: 'validation_failed' });
        }
        for (const body of [
          { ...sampleParticipant(50), name: 5 },
          { ...sampleParticipant(50), phone: null },
          { ...sampleParticipant(50), email: 'no-at-sign' },
        ]) {
          const res = await api.inject('POST', '/register', body);
          assert.equal(res.status, 400, JSON.stringify(body));
          assert.equal(typeof res.body.error, 'string');
        }
        assert.deepEqual(await state(), snapshot);
      });

      test('a taken e-mail, in any letter case, is 400 Email Already Exists and registers no one', async () => {
        const snapshot = await state();
        for (const email of ['person1@example.com', 'PERSON1@EXAMPLE.COM', 'pErSoN6@example.com']) {
          const res = await api.inject('POST', '/register', {
            ...sampleParticipant(60, [{ skill: 'Cobol', rating: 2 }]),
            email,
          });
          assert.equal(res.status, 400, email);
          assert.deepEqual(res.body, EMAIL_TAKEN, email);
        }
        assert.deepEqual(await state(), snapshot);
      });

      test('an invalid skill leaves no participant behind', async () => {
        const snapshot = await state();
        for (const skills of [
          [
            { skill: 'Scala', rating: 3 },
            { skill: 'Perl', rating: '4' },
          ],
          [{ skill: '', rating: 3 }],
          [{ skill: 'Scala', rating: 6 }],
        ]) {
          const res = await api.inject('POST', '/register', sampleParticipant(70, skills as never));
          assert.equal(res.status, 400, JSON.stringify(skills));
          assert.match(res.body.error, /skills\[\d\]/);
        }
        assert.deepEqual(await state(), snapshot);
        // The e-mail was not taken by the failed attempts; ids carry on without a gap.
        const res = await api.inject('POST', '/register', sampleParticipant(70));
        assert.equal(res.status, 200);
        assert.deepEqual(Object.keys(res.body), ['9']);
      });

      test('20 parallel registrations with one e-mail give exactly one participant', async () => {
        const base = await api.listen();
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            httpJson(base, 'POST', '/register', {
              ...sampleParticipant(100 + i, [{ skill: `Race${i % 3}`, rating: (i % 5) + 1 }]),
              email: i % 2 ? 'racer@example.com' : 'RACER@example.com',
            }),
          ),
        );
        const wins = results.filter((r) => r.status === 200);
        assert.equal(wins.length, 1);
        assert.ok(results.every((r) => r.status === 200 || (r.status === 400 && r.body.error === 'Email Already Exists')));
        const users = (await httpJson(base, 'GET', '/users')).body as Record<string, { email: string; name: string }>;
        const racers = Object.entries(users).filter(([, p]) => p.email.toLowerCase() === 'racer@example.com');
        assert.equal(racers.length, 1);
        assert.deepEqual({ [racers[0]![0]]: racers[0]![1] }, wins[0]!.body);
        // Only the winner's skill was counted.
        const raceSkills = (await httpJson(base, 'GET', '/skills?keyword=race')).body;
        const winner = Object.values(wins[0]!.body)[0] as { skills: { skill: string; rating: number }[] };
        assert.deepEqual(raceSkills, { [winner.skills[0]!.skill]: { frequency: 1, average_rating: winner.skills[0]!.rating } });
      });
    });

    describe('HTTP errors are JSON', () => {
      const raw = async (method: 'POST' | 'PUT' | 'GET', url: string, payload: string, contentType?: string) => {
        const response = await api.app.inject({
          method,
          url,
          payload,
          headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, ...(contentType ? { 'content-type': contentType } : {}) },
        });
        assert.match(String(response.headers['content-type']), /^application\/json/);
        const body = JSON.parse(response.body);
        assert.deepEqual(Object.keys(body), ['error', 'code']);
        assert.equal(typeof body.error, 'string');
        assert.equal(typeof body.code, 'string');
        return { status: response.statusCode, body };
      };

      test('malformed JSON is a 400', async () => {
        assert.equal((await raw('POST', '/register', '{"name": "x",', 'application/json')).status, 400);
        assert.equal((await raw('PUT', '/users/1', "{name: 'x'}", 'application/json')).status, 400);
        assert.equal((await raw('POST', '/register', '', 'application/json')).status, 400);
      });

      test('a body that is not a JSON object is a 400', async () => {
        for (const payload of ['[]', '"text"', '42', 'null']) {
          assert.equal((await raw('POST', '/register', payload, 'application/json')).status, 400, payload);
        }
      });

      test('a content type other than JSON is a 415', async () => {
        const json = JSON.stringify(sampleParticipant(80));
        assert.equal((await raw('POST', '/register', json, 'text/plain')).status, 415);
        assert.equal((await raw('PUT', '/users/1', json, 'application/x-www-form-urlencoded')).status, 415);
      });

      test('a body over the limit is a 413', async () => {
        const big = JSON.stringify({ ...sampleParticipant(81), name: 'x'.repeat(2000) });
        assert.ok(Buffer.byteLength(big) > 1024);
        assert.equal((await raw('POST', '/register', big, 'application/json')).status, 413);
        assert.equal((await raw('PUT', '/users/1', big, 'application/json')).status, 413);
        assert.equal((await api.inject('GET', '/users/1')).body[1].name, SEED[0]!.name);
      });

      test('an unknown route is a 404', async () => {
        const res = await raw('GET', '/nothing/here', '');
        assert.equal(res.status, 404);
        assert.equal((await raw('POST', '/users', '{}', 'application/json')).status, 404);
      });
    });
  });
}
