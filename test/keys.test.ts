import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { importParticipants } from '../src/modules/import/import.service.js';
import { runTsx } from './cli-runner.js';
import {
  BACKENDS,
  createTestDatabase,
  manualClock,
  openTestDatabase,
  sampleParticipant,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
  type TestDatabase,
} from './helpers.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const KEY_PATTERN = /^tpk_[A-Za-z0-9_-]{43,}$/;
const UNAUTHENTICATED = { error: 'Authentication required', code: 'authentication_required' };

/** Every property name and every string value in a JSON document, however deep. */
function walk(value: unknown, visit: (name: string | undefined, value: unknown) => void, name?: string): void {
  visit(name, value);
  if (Array.isArray(value)) for (const item of value) walk(item, visit);
  else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) walk(item, visit, key);
}

function assertNoSecrets(document: unknown, secrets: string[]): void {
  walk(document, (name, value) => {
    if (name !== undefined) assert.doesNotMatch(name, /hash/i, `property ${name}`);
    if (typeof value !== 'string') return;
    for (const secret of secrets) assert.ok(!value.includes(secret), `a value contains a secret: ${value}`);
    assert.doesNotMatch(value, /[0-9a-f]{64}/i, 'a value looks like a key hash');
  });
}

function assertUnauthenticated(res: { status: number; body: unknown; headers: Record<string, unknown> }, what: string) {
  assert.equal(res.status, 401, what);
  assert.equal(res.headers['www-authenticate'], 'Bearer', what);
  assert.deepEqual(res.body, UNAUTHENTICATED, what);
}

for (const backend of BACKENDS) {
  describe(`API keys (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    const clock = manualClock();
    before(async () => {
      api = await startTestApp(backend.name, {}, undefined, { clock });
      for (let n = 1; n <= 3; n++) assert.equal((await api.inject('POST', '/register', sampleParticipant(n))).status, 200);
    });
    after(() => api?.close());

    const keyIdOf = async (key: string): Promise<number> => {
      const res = await api.inject('GET', '/me', undefined, key);
      assert.equal(res.status, 200);
      return res.body.key.id;
    };

    test('POST /keys creates a key of each role, shown once, that works at once', async () => {
      for (const [role, participantId, probe] of [
        ['admin', undefined, '/keys'],
        ['volunteer', undefined, '/users'],
        ['participant', 2, '/users/2'],
      ] as const) {
        const res = await api.inject('POST', '/keys', {
          role,
          name: `New ${role}`,
          ...(participantId === undefined ? {} : { participant_id: participantId }),
        });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.deepEqual(Object.keys(res.body).sort(), ['expires_at', 'id', 'key', 'name', 'participant_id', 'role']);
        assert.ok(Number.isInteger(res.body.id) && res.body.id > 0);
        assert.equal(res.body.name, `New ${role}`);
        assert.equal(res.body.role, role);
        assert.equal(res.body.participant_id, participantId ?? null);
        assert.equal(res.body.expires_at, null);
        assert.match(res.body.key, KEY_PATTERN);
        assert.ok(res.body.key.length - 'tpk_'.length >= 43, 'at least 256 bits of base64url');

        const me = await api.inject('GET', '/me', undefined, res.body.key);
        assert.equal(me.status, 200);
        assert.deepEqual(me.body.key, { id: res.body.id, name: `New ${role}`, role, participant_id: participantId ?? null });
        assert.equal((await api.inject('GET', probe, undefined, res.body.key)).status, 200, `${role} ${probe}`);
      }

      const expiring = await api.inject('POST', '/keys', { role: 'volunteer', name: 'Weekend desk', expires_in_days: 2 });
      assert.equal(expiring.status, 200);
      const expiresAt = Date.parse(expiring.body.expires_at);
      assert.equal(expiresAt, clock.now() + 2 * 86_400_000, expiring.body.expires_at);
      assert.equal((await api.inject('GET', '/users', undefined, expiring.body.key)).status, 200);
    });

    test('two keys are never the same', async () => {
      const keys = await Promise.all(Array.from({ length: 10 }, () => api.createKey('volunteer')));
      assert.equal(new Set(keys).size, 10);
    });

    test('POST /keys refuses bad requests', async () => {
      const cases: [unknown, number][] = [
        [{ role: 'participant', name: 'No participant' }, 400],
        [{ role: 'participant', name: 'Unknown participant', participant_id: 999 }, 404],
        [{ role: 'admin', name: 'Bound admin', participant_id: 1 }, 400],
        [{ role: 'volunteer', name: 'Bound volunteer', participant_id: 1 }, 400],
        [{ role: 'root', name: 'Bad role' }, 400],
        [{ name: 'No role' }, 400],
        [{ role: 'volunteer' }, 400],
        [{ role: 'volunteer', name: '' }, 400],
        [{ role: 'volunteer', name: 'x'.repeat(101) }, 400],
        [{ role: 'volunteer', name: 42 }, 400],
        [{ role: 'volunteer', name: 'Zero days', expires_in_days: 0 }, 400],
        [{ role: 'volunteer', name: 'Negative days', expires_in_days: -1 }, 400],
        [{ role: 'volunteer', name: 'Fraction days', expires_in_days: 1.5 }, 400],
        [{ role: 'volunteer', name: 'String days', expires_in_days: '3' }, 400],
        [{ role: 'volunteer', name: 'Forever', expires_in_days: 100_000 }, 400],
        [{ role: 'participant', name: 'Bad id', participant_id: 'one' }, 400],
      ];
      const countBefore = Object.keys((await api.inject('GET', '/keys')).body).length;
      for (const [body, status] of cases) {
        const res = await api.inject('POST', '/keys', body);
        assert.equal(res.status, status, JSON.stringify(body));
        assert.equal(typeof res.body.error, 'string', JSON.stringify(body));
        assert.equal(res.body.key, undefined);
      }
      assert.equal(Object.keys((await api.inject('GET', '/keys')).body).length, countBefore, 'no key was created');
    });

    test('GET /keys lists keys by id without any secret or hash', async () => {
      const secret = await api.createKey('participant', 3, 'Listed key');
      const res = await api.inject('GET', '/keys');
      assert.equal(res.status, 200);
      const entries = Object.entries(res.body as Record<string, any>);
      assert.ok(entries.length >= 2);
      for (const [id, key] of entries) {
        assert.equal(String(key.id), id);
        assert.deepEqual(Object.keys(key).sort(), [
          'created_at',
          'expires_at',
          'id',
          'last_used_at',
          'name',
          'participant_id',
          'revoked_at',
          'role',
        ]);
        assert.equal('key' in key, false);
      }
      const listed = entries.map(([, key]) => key).find((key) => key.name === 'Listed key');
      assert.deepEqual(
        { ...listed, id: 0, created_at: 0 },
        {
          id: 0,
          created_at: 0,
          name: 'Listed key',
          role: 'participant',
          participant_id: 3,
          expires_at: null,
          last_used_at: null,
          revoked_at: null,
        },
      );
      assert.equal(Date.parse(listed.created_at), clock.now());
      assertNoSecrets(res.body, [secret, TEST_ADMIN_KEY, sha256(secret), sha256(TEST_ADMIN_KEY)]);
      assert.ok(!JSON.stringify(res.body).includes(secret));
    });

    test('last_used_at is set once a key is used', async () => {
      const key = await api.createKey('volunteer', undefined, 'Used key');
      const id = await keyIdOf(key);
      const listed = async () => (await api.inject('GET', '/keys')).body[id];
      const used = await listed();
      assert.notEqual(used.last_used_at, null);
      assert.equal(Date.parse(used.last_used_at), clock.now());

      const unused = await api.inject('POST', '/keys', { role: 'volunteer', name: 'Unused key' });
      assert.equal((await api.inject('GET', '/keys')).body[unused.body.id].last_used_at, null);
    });

    test('DELETE /keys/:id revokes at once; twice keeps the first time; unknown ids are 404', async () => {
      const key = await api.createKey('volunteer', undefined, 'Lost phone');
      const id = await keyIdOf(key);
      const first = await api.inject('DELETE', `/keys/${id}`);
      assert.equal(first.status, 200);
      assert.equal(first.body.id, id);
      assert.equal(first.body.name, 'Lost phone');
      assert.equal(Date.parse(first.body.revoked_at), clock.now());
      assert.equal('key' in first.body, false);

      for (const url of ['/me', '/users', '/users/1']) assertUnauthenticated(await api.inject('GET', url, undefined, key), url);
      assertUnauthenticated(await api.inject('POST', '/checkin', { participant_id: 1 }, key), 'POST /checkin');
      assert.equal((await api.inject('GET', '/checkin?participant_id=1')).body.checked_in, false);

      clock.advance(5);
      const second = await api.inject('DELETE', `/keys/${id}`);
      assert.equal(second.status, 200);
      assert.equal(second.body.revoked_at, first.body.revoked_at);
      assert.equal((await api.inject('GET', '/keys')).body[id].revoked_at, first.body.revoked_at);

      for (const unknown of ['999999', '0', 'abc']) {
        const res = await api.inject('DELETE', `/keys/${unknown}`);
        assert.equal(res.status, 404, unknown);
        assert.deepEqual(res.body, { error: 'Key not found', code: 'key_not_found' });
      }
    });

    test('a revoked participant key stops working; their other keys do not', async () => {
      const revoked = await api.createKey('participant', 1, 'Old phone');
      const kept = await api.createKey('participant', 1, 'New phone');
      assert.equal((await api.inject('DELETE', `/keys/${await keyIdOf(revoked)}`)).status, 200);
      assertUnauthenticated(await api.inject('GET', '/users/1', undefined, revoked), 'revoked');
      assert.equal((await api.inject('GET', '/users/1', undefined, kept)).status, 200);
    });

    test('a key is refused from the moment it expires', async () => {
      const created = await api.inject('POST', '/keys', { role: 'volunteer', name: 'Friday only', expires_in_days: 1 });
      const { id, key } = created.body;
      clock.advance(86_400_000 - 1);
      assert.equal((await api.inject('GET', '/users', undefined, key)).status, 200);
      clock.advance(1);
      assertUnauthenticated(await api.inject('GET', '/users', undefined, key), 'expired');
      assertUnauthenticated(await api.inject('GET', '/me', undefined, key), 'expired /me');
      const listed = (await api.inject('GET', '/keys')).body[id];
      assert.equal(Date.parse(listed.expires_at), clock.now());
      assert.equal(listed.revoked_at, null);
    });

    test('no key, a garbage key or a malformed header is 401', async () => {
      const valid = await api.createKey('admin', undefined, 'Valid');
      for (const headers of [
        {},
        { authorization: 'Bearer tpk_garbage' },
        { authorization: 'Bearer ' + 'A'.repeat(43) },
        { authorization: `Bearer ${TEST_ADMIN_KEY}x` },
        { authorization: `Bearer ${valid.slice(0, -1)}` },
        { authorization: `Bearer ${sha256(TEST_ADMIN_KEY)}` },
        { authorization: `Basic ${Buffer.from(`admin:${TEST_ADMIN_KEY}`).toString('base64')}` },
        { authorization: TEST_ADMIN_KEY },
        { authorization: 'Bearer' },
        { authorization: '' },
      ]) {
        const res = await api.app.inject({ method: 'GET', url: '/keys', headers });
        assert.equal(res.statusCode, 401, JSON.stringify(headers));
        assert.equal(res.headers['www-authenticate'], 'Bearer');
        assert.deepEqual(res.json(), UNAUTHENTICATED);
      }
      assert.equal(
        (await api.app.inject({ method: 'GET', url: '/keys', headers: { authorization: `bearer ${valid}` } })).statusCode,
        200,
      );
    });

    test('TAPIOCA_ADMIN_KEY is stored as a hash once, however often the app starts', async () => {
      const rows = async (database: TestDatabase) => {
        const handle = openTestDatabase(database);
        try {
          return await handle.db
            .selectFrom('api_keys')
            .select(['id', 'name', 'role', 'participant_id', 'key_hash', 'revoked_at'])
            .execute();
        } finally {
          await handle.destroy();
        }
      };
      const first = await rows(api.database);
      const envKeys = first.filter((row) => row.key_hash === sha256(TEST_ADMIN_KEY));
      assert.equal(envKeys.length, 1);
      assert.deepEqual(
        { ...envKeys[0], id: 0 },
        {
          id: 0,
          name: 'TAPIOCA_ADMIN_KEY',
          role: 'admin',
          participant_id: null,
          key_hash: sha256(TEST_ADMIN_KEY),
          revoked_at: null,
        },
      );
      for (const row of first) {
        assert.notEqual(row.key_hash, TEST_ADMIN_KEY);
        assert.match(row.key_hash, /^[0-9a-f]{64}$/);
        assert.ok(!row.key_hash.includes('tpk_'));
      }

      const again = await startTestApp(backend.name, {}, api.database);
      try {
        assert.equal((await again.inject('GET', '/keys')).status, 200);
      } finally {
        await again.close();
      }
      const second = await rows(api.database);
      assert.equal(second.length, first.length, 'no key was added by the second start');
      assert.equal(second.filter((row) => row.key_hash === sha256(TEST_ADMIN_KEY)).length, 1);
      assert.equal((await api.inject('GET', '/keys')).status, 200, 'the first app still accepts the key');
    });

    // Last in this suite: it empties the event's participants.
    test('import --reset drops participant keys with their participants but keeps admin and volunteer keys', async () => {
      const volunteer = await api.createKey('volunteer', undefined, 'Survives reset');
      const participant = await api.createKey('participant', 1, 'Goes with participant 1');
      const handle = openTestDatabase(api.database);
      try {
        const summary = await importParticipants(handle, [sampleParticipant(91)], { reset: true });
        assert.equal(summary.imported, 1);
        const roles = await handle.db.selectFrom('api_keys').select('role').distinct().orderBy('role').execute();
        assert.deepEqual(
          roles.map((row) => row.role),
          ['admin', 'volunteer'],
        );
      } finally {
        await handle.destroy();
      }
      assert.equal((await api.inject('GET', '/keys')).status, 200, 'TAPIOCA_ADMIN_KEY still works');
      assert.equal((await api.inject('GET', '/users', undefined, volunteer)).status, 200);
      assertUnauthenticated(await api.inject('GET', '/users/1', undefined, participant), 'the old participant 1 key');
    });
  });

  describe(`first admin key without TAPIOCA_ADMIN_KEY (${backend.name})`, { skip: backend.skip }, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(backend.name);
    });
    after(() => database?.drop());

    test('the first start creates, announces and (SQLite) saves one admin key; later starts do not', async () => {
      const config = loadConfig({ DATABASE_URL: database.url, DEMO_PARTICIPANTS: '0', LOG_LEVEL: 'silent' });
      const start = async () => {
        const messages: string[] = [];
        const app = await buildApp(config, { announceAdminKey: (message) => messages.push(message) });
        return { app, messages };
      };

      const first = await start();
      let key: string;
      try {
        assert.equal(first.messages.length, 1);
        key = first.messages[0]!.match(/tpk_[A-Za-z0-9_-]+/)?.[0] ?? '';
        assert.match(key, KEY_PATTERN);
        const res = await first.app.inject({ method: 'GET', url: '/keys', headers: { authorization: `Bearer ${key}` } });
        assert.equal(res.statusCode, 200);
        const keys = Object.values(res.json<Record<string, any>>());
        assert.equal(keys.length, 1);
        assert.equal(keys[0].role, 'admin');
        assert.ok(!res.body.includes(key));

        const saved = backend.name === 'sqlite' ? join(dirname(database.url.slice('sqlite:'.length)), 'admin.key') : undefined;
        if (saved) {
          assert.equal(readFileSync(saved, 'utf8'), `${key}\n`);
          assert.equal(statSync(saved).mode & 0o777, 0o600);
          assert.ok(first.messages[0]!.includes(saved));
        } else {
          assert.doesNotMatch(first.messages[0]!, /saved/);
        }
      } finally {
        await first.app.close();
      }

      const second = await start();
      try {
        assert.deepEqual(second.messages, []);
        const res = await second.app.inject({ method: 'GET', url: '/keys', headers: { authorization: `Bearer ${key}` } });
        assert.equal(res.statusCode, 200);
        assert.equal(Object.keys(res.json()).length, 1);
      } finally {
        await second.app.close();
      }
    });
  });
}

/** Runs the keys CLI as an organizer would, with the public address sign-in links are built on. */
const runKeysCli = (args: string[], env: Record<string, string>) =>
  runTsx(['src/cli/keys.ts', ...args], { PUBLIC_URL: 'https://hack.example.com', ...env });

/** A CSV parser for what the CLI writes: quoted fields may hold commas and doubled quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\n').filter((l) => l !== '')) {
    const fields: string[] = [];
    let rest = line;
    while (true) {
      const quoted = rest.match(/^"((?:[^"]|"")*)"(,|$)/);
      const match = quoted ?? rest.match(/^([^,]*)(,|$)/);
      fields.push(quoted ? match![1]!.replaceAll('""', '"') : match![1]!);
      rest = rest.slice(match![0].length);
      if (match![2] === '') break;
    }
    rows.push(fields);
  }
  return rows;
}

describe('keys CLI (sqlite)', () => {
  let dir: string;
  let env: Record<string, string>;
  let database: TestDatabase;
  /** An app on the CLI's database, open while the CLI runs beside it, as at a real event. */
  let api: TestApp;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tapioca-keys-cli-'));
    database = { url: `sqlite:${join(dir, 'cli.db')}`, drop: async () => {} };
    env = { DATABASE_URL: database.url };
    api = await startTestApp('sqlite', {}, database);
  });
  after(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('create prints the key once, list shows no secret, revoke stops it', async () => {
    const created = await runKeysCli(['create', '--role', 'volunteer', '--name', 'Desk 1'], env);
    assert.equal(created.code, 0, created.stderr);
    const id = Number(created.stdout.match(/^created key (\d+) \(volunteer\)$/m)?.[1]);
    const key = created.stdout.match(/^key \(shown once\): (\S+)$/m)?.[1] ?? '';
    assert.ok(id > 0, created.stdout);
    assert.match(key, KEY_PATTERN);
    assert.equal(created.stdout.split(key).length, 2, 'the key is printed exactly once');
    assert.equal((await api.inject('GET', '/users', undefined, key)).status, 200);

    const admin = await runKeysCli(['create', '--role', 'admin', '--name', 'Organizer', '--expires-days', '3'], env);
    assert.equal(admin.code, 0, admin.stderr);
    const adminKey = admin.stdout.match(/key \(shown once\): (\S+)/)?.[1] ?? '';
    assert.match(adminKey, KEY_PATTERN);
    assert.equal((await api.inject('GET', '/keys', undefined, adminKey)).status, 200);

    const revoked = await runKeysCli(['revoke', String(id)], env);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stdout.trim(), `revoked key ${id} (Desk 1)`);
    assertUnauthenticated(await api.inject('GET', '/users', undefined, key), 'revoked by the CLI');

    const listed = await runKeysCli(['list'], env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /^\d+\tadmin\t-\tTAPIOCA_ADMIN_KEY\tactive\tlast used (never|\d{4}-)/m);
    assert.match(listed.stdout, new RegExp(`^${id}\\tvolunteer\\t-\\tDesk 1\\trevoked \\d{4}-.*\\tlast used \\d{4}-`, 'm'));
    assert.match(listed.stdout, /\tadmin\t-\tOrganizer\texpires \d{4}-/);
    for (const secret of [key, adminKey, TEST_ADMIN_KEY, sha256(key), sha256(adminKey), sha256(TEST_ADMIN_KEY)]) {
      assert.ok(!listed.stdout.includes(secret));
    }
    assert.doesNotMatch(listed.stdout, /tpk_|[0-9a-f]{64}/);
  });

  test('participants --out writes one sign-in link per participant without a key, once', async () => {
    const handle = openTestDatabase(database);
    try {
      const summary = await importParticipants(handle, [
        sampleParticipant(1),
        { ...sampleParticipant(2), name: 'Doe, "Jane"' },
        sampleParticipant(3),
        sampleParticipant(4),
      ]);
      assert.equal(summary.imported, 4);
    } finally {
      await handle.destroy();
    }
    // Participant 3 already has a key, so gets no second one.
    const ownKey = await api.createKey('participant', 3, 'Self-made');

    const out = join(dir, 'links.csv');
    const run = await runKeysCli(['participants', '--out', out], env);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stdout.includes(`created 3 participant keys; sign-in links written to ${out}`), run.stdout);
    assert.doesNotMatch(run.stdout, /tpk_/, 'keys go to the file, not the terminal');
    assert.equal(statSync(out).mode & 0o777, 0o600);

    const [header, ...rows] = parseCsv(readFileSync(out, 'utf8'));
    assert.deepEqual(header, ['id', 'name', 'email', 'sign_in_link']);
    assert.deepEqual(
      rows.map(([id, name, email]) => [id, name, email]),
      [
        ['1', 'Test Person 1', 'person1@example.com'],
        ['2', 'Doe, "Jane"', 'person2@example.com'],
        ['4', 'Test Person 4', 'person4@example.com'],
      ],
    );
    const links = rows.map((row) => {
      const match = row[3]!.match(/^https:\/\/hack\.example\.com\/app\/#key=(tpk_[A-Za-z0-9_-]+)$/);
      assert.ok(match, row[3]);
      assert.match(match[1]!, KEY_PATTERN);
      return { id: Number(row[0]), key: match[1]! };
    });
    assert.equal(new Set(links.map((link) => link.key)).size, 3);

    const again = await runKeysCli(['participants', '--out', join(dir, 'links2.csv')], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /created 0 participant keys/);
    assert.equal(readFileSync(join(dir, 'links2.csv'), 'utf8'), 'id,name,email,sign_in_link\n');

    for (const { id, key } of [...links, { id: 3, key: ownKey }]) {
      const res = await api.inject('GET', `/users/${id}`, undefined, key);
      assert.equal(res.status, 200, `participant ${id}`);
      assert.deepEqual(Object.keys(res.body), [String(id)]);
      assert.equal((await api.inject('GET', `/users/${id === 1 ? 2 : 1}`, undefined, key)).status, 403);
      assert.equal((await api.inject('GET', '/me', undefined, key)).body.participant.id, id);
    }
    const keys = Object.values((await api.inject('GET', '/keys')).body as Record<string, any>);
    const participantKeys = keys.filter((key) => key.role === 'participant');
    assert.deepEqual(participantKeys.map((key) => key.participant_id).sort(), [1, 2, 3, 4]);
  });

  test('bad arguments exit non-zero with a usage message', async () => {
    const usage = /usage:\n\s+npm run keys -- create --role admin\|volunteer\|participant --name NAME/;
    const cases: [string[], RegExp[]][] = [
      [[], [usage]],
      [['rotate'], [usage]],
      [
        ['create', '--role', 'root', '--name', 'Root'],
        [/--role must be one of admin, volunteer, participant/, usage],
      ],
      [['participants'], [/--out FILE is required/, usage]],
      [['revoke', 'abc'], [/ID must be a positive integer/]],
      [['list', '--bogus'], [/--bogus/]],
    ];
    await Promise.all(
      cases.map(async ([args, messages], index) => {
        const { code, stdout, stderr } = await runKeysCli(args, { DATABASE_URL: `sqlite:${join(dir, `bad-${index}.db`)}` });
        assert.notEqual(code, 0, args.join(' '));
        for (const message of messages) assert.match(stderr, message, args.join(' '));
        assert.doesNotMatch(stderr, /\n\s+at /, `no stack trace: ${args.join(' ')}`);
        assert.doesNotMatch(stdout, /tpk_/);
      }),
    );
  });
});
