import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKENDS, httpJson, sampleParticipant, startTestApp, type TestApp } from './helpers.js';
import { seededRandom } from '../src/demo/generate-participants.js';

interface SkillRating {
  skill: string;
  rating: number;
}
interface ParticipantBody {
  email: string;
  skills: SkillRating[];
}
type SkillStats = Record<string, { frequency: number; average_rating: number }>;

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const round2 = (value: number) => Math.round(value * 100) / 100;

/** What GET /skills must say, recomputed from the participants of GET /users. */
function skillsFromParticipants(users: Record<string, ParticipantBody>): SkillStats {
  const totals = new Map<string, { frequency: number; sum: number }>();
  for (const participant of Object.values(users)) {
    for (const { skill, rating } of participant.skills) {
      const total = totals.get(skill) ?? { frequency: 0, sum: 0 };
      total.frequency += 1;
      total.sum += rating;
      totals.set(skill, total);
    }
  }
  const result: SkillStats = {};
  for (const name of [...totals.keys()].sort(byCodeUnits)) {
    const { frequency, sum } = totals.get(name)!;
    result[name] = { frequency, average_rating: round2(sum / frequency) };
  }
  return result;
}

// Ratings chosen so averages need rounding: (5+4+4)/3 = 4.333..., (1+2+2)/3 = 1.666..., (3+4)/2 = 3.5.
const FIXTURE: SkillRating[][] = [
  [
    { skill: 'Python', rating: 5 },
    { skill: 'C++', rating: 3 },
    { skill: 'aws', rating: 1 },
  ],
  [
    { skill: 'Python', rating: 4 },
    { skill: 'C#', rating: 2 },
    { skill: 'NumPy', rating: 1 },
  ],
  [
    { skill: 'Python', rating: 4 },
    { skill: 'C++', rating: 4 },
    { skill: 'NumPy', rating: 2 },
    { skill: 'Zig', rating: 5 },
  ],
  [
    { skill: 'NumPy', rating: 2 },
    { skill: 'PyTorch', rating: 3 },
  ],
];

const ALL_SKILLS: SkillStats = {
  'C#': { frequency: 1, average_rating: 2 },
  'C++': { frequency: 2, average_rating: 3.5 },
  NumPy: { frequency: 3, average_rating: 1.67 },
  PyTorch: { frequency: 1, average_rating: 3 },
  Python: { frequency: 3, average_rating: 4.33 },
  Zig: { frequency: 1, average_rating: 5 },
  aws: { frequency: 1, average_rating: 1 },
};

const pick = (names: string[]) => Object.fromEntries(names.map((name) => [name, ALL_SKILLS[name]!]));

for (const backend of BACKENDS) {
  describe(`skills (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    before(async () => {
      api = await startTestApp(backend.name);
    });
    after(() => api?.close());

    test('no participants, no skills', async () => {
      const res = await api.inject('GET', '/skills');
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, {});
    });

    describe('GET /skills', () => {
      before(async () => {
        for (const [i, skills] of FIXTURE.entries()) {
          assert.equal((await api.inject('POST', '/register', sampleParticipant(i + 1, skills))).status, 200);
        }
      });

      test('frequency and average rating (2 decimals) of every skill, sorted by name in code-unit order', async () => {
        const res = await api.inject('GET', '/skills');
        assert.equal(res.status, 200);
        assert.deepEqual(res.body, ALL_SKILLS);
        assert.deepEqual(Object.keys(res.body), ['C#', 'C++', 'NumPy', 'PyTorch', 'Python', 'Zig', 'aws']);
      });

      test('frequency filters are inclusive', async () => {
        assert.deepEqual((await api.inject('GET', '/skills?min_frequency=2')).body, pick(['C++', 'NumPy', 'Python']));
        assert.deepEqual((await api.inject('GET', '/skills?max_frequency=1')).body, pick(['C#', 'PyTorch', 'Zig', 'aws']));
        assert.deepEqual((await api.inject('GET', '/skills?min_frequency=2&max_frequency=2')).body, pick(['C++']));
        assert.deepEqual((await api.inject('GET', '/skills?min_frequency=4')).body, {});
      });

      test('average rating filters compare the rounded average, inclusively', async () => {
        assert.deepEqual((await api.inject('GET', '/skills?min_average_rating=3.5')).body, pick(['C++', 'Python', 'Zig']));
        assert.deepEqual((await api.inject('GET', '/skills?max_average_rating=1.67')).body, pick(['NumPy', 'aws']));
        assert.deepEqual((await api.inject('GET', '/skills?max_average_rating=1.66')).body, pick(['aws']));
        assert.deepEqual(
          (await api.inject('GET', '/skills?min_average_rating=2&max_average_rating=4')).body,
          pick(['C#', 'C++', 'PyTorch']),
        );
      });

      test('keyword is a case-insensitive substring of the name', async () => {
        assert.deepEqual((await api.inject('GET', '/skills?keyword=py')).body, pick(['NumPy', 'PyTorch', 'Python']));
        assert.deepEqual((await api.inject('GET', '/skills?keyword=PY')).body, pick(['NumPy', 'PyTorch', 'Python']));
        assert.deepEqual((await api.inject('GET', '/skills?keyword=AWS')).body, pick(['aws']));
        assert.deepEqual((await api.inject('GET', `/skills?keyword=${encodeURIComponent('c+')}`)).body, pick(['C++']));
        assert.deepEqual((await api.inject('GET', `/skills?keyword=${encodeURIComponent('#')}`)).body, pick(['C#']));
        assert.deepEqual((await api.inject('GET', '/skills?keyword=cobol')).body, {});
      });

      test('filters combine', async () => {
        assert.deepEqual(
          (await api.inject('GET', '/skills?keyword=py&min_frequency=3&min_average_rating=2')).body,
          pick(['Python']),
        );
      });

      test('a filter value that is not a number is a 400', async () => {
        for (const query of [
          'min_frequency=abc',
          'max_frequency=',
          'min_frequency=1.5',
          'max_frequency=two',
          'min_average_rating=high',
          'max_average_rating=',
          'max_average_rating=4,5',
        ]) {
          const res = await api.inject('GET', `/skills?${query}`);
          assert.equal(res.status, 400, query);
          assert.equal(typeof res.body.error, 'string', query);
          assert.match(res.body.error, new RegExp(query.split('=')[0]!), query);
        }
      });

      test('statistics follow updates: re-rating moves the average, a new skill appears', async () => {
        const res = await api.inject('PUT', '/users/4', {
          skills: [
            { skill: 'NumPy', rating: 5 },
            { skill: 'Rust', rating: 4 },
          ],
        });
        assert.equal(res.status, 200);
        const skills = (await api.inject('GET', '/skills')).body;
        assert.deepEqual(skills.NumPy, { frequency: 3, average_rating: 2.67 });
        assert.deepEqual(skills.Rust, { frequency: 1, average_rating: 4 });
        assert.deepEqual(skills.PyTorch, ALL_SKILLS.PyTorch);
        assert.deepEqual(skills, skillsFromParticipants((await api.inject('GET', '/users')).body));
      });
    });
  });

  // Its own suite, so its database is created after the one above is dropped: two PostgreSQL test
  // schemas alive at once confuse Kysely's migrator, which looks for its lock table in every schema.
  describe(`skills property (${backend.name})`, { skip: backend.skip }, () => {
    let fresh: TestApp;
    before(async () => {
      fresh = await startTestApp(backend.name);
    });
    after(() => fresh?.close());

    test('after a random sequence of valid and invalid requests, GET /skills equals a recomputation', async () => {
      const random = seededRandom(20231124);
      const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
      const choose = <T>(list: readonly T[]) => list[int(0, list.length - 1)]!;
      const NAMES = ['Go', 'go', 'Rust', 'Python', 'C++', 'Haskell', 'SQL', 'Elm', 'Zig'];
      const EMAILS = Array.from({ length: 30 }, (_, i) => `user${i}@example.com`);
      const randomCase = (email: string) => [...email].map((c) => (random() < 0.3 ? c.toUpperCase() : c)).join('');
      const validSkills = () => Array.from({ length: int(0, 4) }, () => ({ skill: choose(NAMES), rating: int(1, 5) }));
      const invalidSkills = () => {
        const skills: unknown[] = validSkills();
        const bad = choose<unknown>([
          { skill: choose(NAMES), rating: String(int(1, 5)) },
          { skill: choose(NAMES), rating: choose([0, 6, -1, 2.5]) },
          { skill: '', rating: 3 },
          { skill: choose(NAMES) },
          { rating: 4 },
        ]);
        skills.splice(int(0, skills.length), 0, bad);
        return skills;
      };

      // The model: id -> lower-cased e-mail and skills (Map keeps first position, last rating wins).
      const model = new Map<number, { emailKey: string; email: string; skills: Map<string, number> }>();
      const emailOwner = (email: string) => [...model].find(([, p]) => p.emailKey === email.toLowerCase())?.[0];
      const applySkills = (target: Map<string, number>, skills: SkillRating[]) => {
        for (const { skill, rating } of skills) target.set(skill, rating);
      };
      const counts = { register: 0, update: 0, refused: 0 };

      for (let step = 0; step < 200; step++) {
        const ids = [...model.keys()];
        const kind =
          ids.length === 0
            ? 'register'
            : choose(['register', 'register', 'update', 'update', 'update', 'invalid-update', 'invalid-register', 'unknown-id']);
        const label = `step ${step} (${kind})`;

        if (kind === 'register') {
          const email = randomCase(choose(EMAILS));
          const skills = validSkills();
          const res = await fresh.inject('POST', '/register', { name: `P${step}`, company: 'Co', email, phone: '1', skills });
          if (emailOwner(email) !== undefined) {
            assert.deepEqual([res.status, res.body], [400, { error: 'Email Already Exists', code: 'email_taken' }], label);
            counts.refused += 1;
          } else {
            assert.equal(res.status, 200, label);
            const id = Number(Object.keys(res.body)[0]);
            assert.ok(
              ids.every((other) => other < id),
              label,
            );
            const expected = new Map<string, number>();
            applySkills(expected, skills);
            model.set(id, { emailKey: email.toLowerCase(), email, skills: expected });
            counts.register += 1;
          }
        } else if (kind === 'invalid-register') {
          const res = await fresh.inject('POST', '/register', {
            name: `P${step}`,
            company: 'Co',
            email: `fresh${step}@example.com`,
            phone: '1',
            skills: invalidSkills(),
          });
          assert.equal(res.status, 400, label);
          counts.refused += 1;
        } else if (kind === 'update') {
          const id = choose(ids);
          const skills = validSkills();
          const body: Record<string, unknown> = { skills };
          if (random() < 0.3) body.email = randomCase(choose(EMAILS));
          if (random() < 0.3) body.name = `Renamed ${step}`;
          const res = await fresh.inject('PUT', `/users/${id}`, body);
          const owner = body.email === undefined ? undefined : emailOwner(body.email as string);
          if (owner !== undefined && owner !== id) {
            assert.deepEqual([res.status, res.body], [400, { error: 'Email Already Exists', code: 'email_taken' }], label);
            counts.refused += 1;
          } else {
            assert.equal(res.status, 200, label);
            const participant = model.get(id)!;
            applySkills(participant.skills, skills);
            if (body.email !== undefined) {
              participant.email = body.email as string;
              participant.emailKey = participant.email.toLowerCase();
            }
            assert.deepEqual(
              res.body[id].skills,
              [...participant.skills].map(([skill, rating]) => ({ skill, rating })),
              label,
            );
            counts.update += 1;
          }
        } else if (kind === 'invalid-update') {
          const res = await fresh.inject('PUT', `/users/${choose(ids)}`, { name: `Bad ${step}`, skills: invalidSkills() });
          assert.equal(res.status, 400, label);
          counts.refused += 1;
        } else {
          const res = await fresh.inject('PUT', `/users/${Math.max(...ids) + int(1, 5)}`, { skills: validSkills() });
          assert.deepEqual(
            [res.status, res.body],
            [404, { error: 'Participant not found', code: 'participant_not_found' }],
            label,
          );
          counts.refused += 1;
        }

        if (step % 50 === 49 || step === 199) {
          const users = (await fresh.inject('GET', '/users')).body as Record<string, ParticipantBody>;
          assert.deepEqual(
            Object.fromEntries(Object.entries(users).map(([id, p]) => [id, { email: p.email, skills: p.skills }])),
            Object.fromEntries(
              [...model].map(([id, p]) => [
                String(id),
                { email: p.email, skills: [...p.skills].map(([skill, rating]) => ({ skill, rating })) },
              ]),
            ),
            `participants after step ${step}`,
          );
          const skills = (await fresh.inject('GET', '/skills')).body;
          const expected = skillsFromParticipants(users);
          assert.deepEqual(skills, expected, `skills after step ${step}`);
          assert.deepEqual(Object.keys(skills), Object.keys(expected), `skill order after step ${step}`);
        }
      }
      // The sequence really exercised every path.
      assert.ok(counts.register >= 20 && counts.update >= 40 && counts.refused >= 40, JSON.stringify(counts));
    });

    test('two API instances on one database, updating in parallel, keep the statistics exact', async () => {
      const other = await startTestApp(backend.name, {}, fresh.database);
      try {
        const bases = [await fresh.listen(), await other.listen()];
        const random = seededRandom(7);
        const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
        const ids: number[] = [];
        for (let n = 0; n < 6; n++) {
          const res = await fresh.inject('POST', '/register', sampleParticipant(2000 + n, [{ skill: 'Go', rating: 3 }]));
          ids.push(Number(Object.keys(res.body)[0]));
        }
        const NAMES = ['Go', 'Rust', 'Python', 'Brand New A', 'Brand New B', 'Brand New C'];
        const requests = Array.from({ length: 60 }, (_, i) => {
          const skills = Array.from({ length: int(1, 3) }, () => ({
            skill: NAMES[int(0, NAMES.length - 1)]!,
            rating: int(1, 5),
          }));
          return i % 6 === 5
            ? httpJson(bases[i % 2]!, 'POST', '/register', { ...sampleParticipant(1000 + i), skills })
            : httpJson(bases[i % 2]!, 'PUT', `/users/${ids[int(0, ids.length - 1)]}`, { skills });
        });
        const results = await Promise.all(requests);
        assert.deepEqual(
          results.filter((r) => r.status !== 200),
          [],
        );
        const users = (await httpJson(bases[1]!, 'GET', '/users')).body;
        const expected = skillsFromParticipants(users);
        for (const base of bases) assert.deepEqual((await httpJson(base, 'GET', '/skills')).body, expected);
        for (const name of ['Brand New A', 'Brand New B', 'Brand New C']) assert.ok(expected[name], name);
      } finally {
        await other.close();
      }
    });
  });
}
