import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Readable } from 'node:stream';
import { BACKENDS, openTestDatabase, startTestApp, TEST_ADMIN_KEY, type TestApp } from './helpers.js';

const PARTICIPANTS = 20_000;
const PAGE_SIZE = 2500;
const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Margaret'];
const LAST_NAMES = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Hamilton',
  'Ritchie',
  'Kay',
  'Lamport',
  'Wirth',
];
const SKILLS = ['Python', 'Go', 'Rust', 'SQL', 'C'];

interface Expected {
  name: string;
  company: string;
  email: string;
  phone: string;
  checked_in: boolean;
  bbt_tokens: number;
  bbt_tokens_last_exchange_time: number;
  skills: { skill: string; rating: number }[];
  tags: string[];
  dietary_restrictions: string;
}

/** The participants the suite loads, as GET /users must show them; every 5th (from the 3rd) is checked in. */
function makeParticipants(): Expected[] {
  return Array.from({ length: PARTICIPANTS }, (_, index) => {
    const id = index + 1;
    // 0 to 3 skills, stored in an order unlike the skills' ids.
    const skills = Array.from({ length: id % 4 }, (_, k) => ({
      skill: SKILLS[(id + 2 * k) % SKILLS.length]!,
      rating: 1 + ((id + k) % 5),
    }));
    return {
      name: `${FIRST_NAMES[id % FIRST_NAMES.length]} ${LAST_NAMES[id % LAST_NAMES.length]}`,
      company: `Company ${id % 97}`,
      email: `Person.${id}@Example.org`,
      phone: `+1-555-${String(id).padStart(7, '0')}`,
      checked_in: id % 5 === 3,
      bbt_tokens: 0,
      bbt_tokens_last_exchange_time: 0,
      skills,
      // Several tag lists and some text that needs escaping, through the streamed path too.
      tags: id % 3 === 0 ? ['mentor', 'meal-group-b'] : id % 3 === 1 ? ['hacker'] : [],
      dietary_restrictions: id % 7 === 0 ? 'Vegan, "strict"' : '',
    };
  });
}

/** The seed's id-keyed object for the ids passing `keep`, as JSON.stringify writes it. */
const expectedJson = (participants: Expected[], keep: (id: number, p: Expected) => boolean) =>
  JSON.stringify(Object.fromEntries(participants.flatMap((p, index) => (keep(index + 1, p) ? [[index + 1, p]] : []))));

/** Page `page` of PAGE_SIZE among the ids passing `keep`. */
function pageOf(keep: (id: number, p: Expected) => boolean, page: number) {
  let seen = 0;
  const ids = new Set<number>();
  for (const [index, p] of makeParticipants().entries()) {
    if (!keep(index + 1, p)) continue;
    seen += 1;
    if (seen > (page - 1) * PAGE_SIZE && seen <= page * PAGE_SIZE) ids.add(index + 1);
  }
  return (id: number) => ids.has(id);
}

const searchMatches = (q: string) => {
  const text = q.trim().toLowerCase();
  return (id: number, p: Expected) =>
    p.name.toLowerCase().includes(text) || p.email.toLowerCase().includes(text) || String(id) === text;
};

for (const backend of BACKENDS) {
  describe(`reads at scale (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let base: string;
    const participants = makeParticipants();
    /** Server-side order of events, for the event-loop test. */
    const seen: string[] = [];

    before(async () => {
      api = await startTestApp(backend.name, { PAGE_SIZE: String(PAGE_SIZE) });
      // Observes, never changes: when /health arrives, and when the list of everyone has been produced in full.
      api.app.addHook('onRequest', async (request) => {
        if (request.url === '/health') seen.push('health');
      });
      api.app.addHook('onSend', async (request, _reply, payload) => {
        if (request.url !== '/users') return payload;
        if (typeof (payload as Readable | null)?.on === 'function')
          (payload as Readable).on('end', () => seen.push('list produced'));
        else seen.push('list produced');
        return payload;
      });
      base = await api.listen();

      const direct = openTestDatabase(api.database);
      try {
        const skillIds = new Map<string, number>();
        for (const name of SKILLS) {
          const { id } = await direct.db.insertInto('skills').values({ name }).returning('id').executeTakeFirstOrThrow();
          skillIds.set(name, id);
        }
        const now = Date.now();
        for (let start = 0; start < PARTICIPANTS; start += 1000) {
          const slice = participants.slice(start, start + 1000);
          await direct.db
            .insertInto('participants')
            .values(
              slice.map((p, offset) => ({
                id: start + offset + 1,
                name: p.name,
                company: p.company,
                email: p.email,
                email_key: p.email.toLowerCase(),
                phone: p.phone,
                tags: JSON.stringify(p.tags),
                dietary_restrictions: p.dietary_restrictions,
                badge_code: `badge-${start + offset + 1}`,
                created_at: now,
                updated_at: now,
              })),
            )
            .execute();
          const ratings = slice.flatMap((p, offset) =>
            p.skills.map((s) => ({ participant_id: start + offset + 1, skill_id: skillIds.get(s.skill)!, rating: s.rating })),
          );
          if (ratings.length > 0) await direct.db.insertInto('participant_skills').values(ratings).execute();
          const checkIns = slice.flatMap((p, offset) =>
            p.checked_in ? [{ participant_id: start + offset + 1, checked_in_at: now, volunteer_id: 1 }] : [],
          );
          if (checkIns.length > 0) await direct.db.insertInto('check_ins').values(checkIns).execute();
        }
      } finally {
        await direct.destroy();
      }
    });
    after(() => api?.close());

    const get = async (path: string) => {
      const response = await fetch(base + path, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
      return { status: response.status, streamed: !response.headers.has('content-length'), text: await response.text() };
    };

    test('a long list is streamed, byte for byte the JSON of the whole object, whatever the filter', async () => {
      const cases: [string, (id: number, p: Expected) => boolean][] = [
        ['/users', () => true],
        ['/users?checked_in=true', (_id, p) => p.checked_in],
        ['/users?checked_in=false', (_id, p) => !p.checked_in],
        // Page 2 starts past an offset and spans chunks of the listing.
        ['/users?page=2', (id) => id > PAGE_SIZE && id <= 2 * PAGE_SIZE],
        ['/users?page=8', (id) => id > 7 * PAGE_SIZE],
        ['/users?q=ada', searchMatches('ada')],
        ['/users?q=%20%20LOVE%20', searchMatches('love')],
        ['/users?q=Example.ORG&checked_in=true', (id, p) => searchMatches('example.org')(id, p) && p.checked_in],
        ['/users?q=ada&checked_in=true', (id, p) => searchMatches('ada')(id, p) && p.checked_in],
        ['/users?q=ada&page=1', pageOf(searchMatches('ada'), 1)],
        // Two letters: too short for the trigram index, read from the table.
        ['/users?q=ho', searchMatches('ho')],
      ];
      for (const [path, keep] of cases) {
        const res = await get(path);
        assert.equal(res.status, 200, path);
        assert.equal(res.streamed, true, `${path} is streamed`);
        assert.equal(res.text, expectedJson(participants, keep), path);
      }
    });

    test('a short answer comes whole, in the same bytes, with the skills of exactly the participants found', async () => {
      const cases: [string, (id: number, p: Expected) => boolean][] = [
        ['/users?page=9', () => false],
        ['/users?q=nobody', () => false],
        ['/users?q=123', searchMatches('123')],
        ['/users?q=123&checked_in=false', (id, p) => searchMatches('123')(id, p) && !p.checked_in],

        ['/users?q=person.1999@', searchMatches('person.1999@')],
        ['/users?q=edsger%20lovelace', searchMatches('edsger lovelace')],
        // Past the first page of a long search: what is left is shorter than a chunk.
        ['/users?q=grace&page=2', pageOf(searchMatches('grace'), 2)],
        ['/users?q=ada&page=2', pageOf(searchMatches('ada'), 2)],
      ];
      for (const [path, keep] of cases) {
        const res = await get(path);
        assert.equal(res.status, 200, path);
        assert.equal(res.streamed, false, `${path} is not streamed`);
        assert.equal(res.text, expectedJson(participants, keep), path);
      }
      // The cases above find someone.
      assert.ok(Object.keys(JSON.parse((await get('/users?q=123')).text)).length > 1);
      assert.ok(Object.keys(JSON.parse((await get('/users?q=grace&page=2')).text)).length > 1);
    });

    test('a streamed answer is cached, within the byte bound, until the database changes', async () => {
      const cached = backend.name === 'sqlite' ? 'hit' : null;
      const read = () => fetch(`${base}/users?checked_in=true`, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
      const first = await (await read()).text();
      const again = await read();
      assert.equal(again.headers.get('x-cache'), cached);
      assert.equal(await again.text(), first);

      // Larger than the bound of another server on the same database: never kept.
      const small = await startTestApp(backend.name, { RESPONSE_CACHE_MAX_BYTES: String(1_000_000) }, api.database);
      try {
        for (let n = 0; n < 2; n++) {
          const res = await small.inject('GET', '/users');
          assert.equal(Object.keys(res.body).length, PARTICIPANTS);
          assert.equal(res.headers['x-cache'], undefined);
        }
      } finally {
        await small.close();
      }
    });

    test('GET /health is answered while the list of everyone is still being read', async () => {
      // A change first, so the list is read from the database, not from the cache.
      assert.equal((await api.inject('PUT', '/users/1', { company: 'Changed' })).status, 200);
      seen.length = 0;
      const list = await fetch(`${base}/users`, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
      assert.equal(list.status, 200);
      // The list has begun (its headers are here); /health is sent now and answered before the list is read to its end.
      const health = await fetch(`${base}/health`);
      assert.equal(health.status, 200);
      await health.arrayBuffer();
      const body = await list.text();
      assert.equal(Object.keys(JSON.parse(body)).length, PARTICIPANTS);
      assert.deepEqual(seen, ['health', 'list produced']);
    });
  });
}
