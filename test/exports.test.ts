import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { systemClock } from '../src/clock.js';
import type { DatabaseHandle } from '../src/db/database.js';
import type { Db } from '../src/db/tables.js';
import { generateParticipants } from '../src/demo/generate-participants.js';
import { type ExportEnd, ExportsService } from '../src/modules/exports/exports.service.js';
import { importParticipants } from '../src/modules/import/import.service.js';
import { BACKENDS, openTestDatabase, startTestApp, TEST_ADMIN_KEY, type TestApp } from './helpers.js';

const EXPORTS = ['participants', 'checkins', 'scans', 'orders', 'ledger', 'loans'] as const;
type ExportName = (typeof EXPORTS)[number];

const HEADERS: Record<ExportName, string[]> = {
  participants: [
    'id',
    'Name',
    'Email',
    'Phone',
    'Company',
    'Skills',
    'Dietary Restrictions',
    'Tags',
    'checked_in',
    'checked_in_at',
    'bbt_tokens',
    'created_at',
  ],
  checkins: ['participant_id', 'checked_in_at', 'recorded_at', 'offline', 'volunteer_key_id', 'volunteer_key_name'],
  scans: [
    'id',
    'checkpoint_id',
    'checkpoint_name',
    'participant_id',
    'outcome',
    'reason',
    'scanned_at',
    'received_at',
    'offline',
    'annulled_at',
    'key_id',
    'key_name',
  ],
  orders: [
    'id',
    'participant_id',
    'status',
    'size',
    'flavour',
    'sweetness',
    'ice',
    'toppings',
    'location',
    'cost',
    'created_at',
    'updated_at',
  ],
  ledger: ['id', 'participant_id', 'amount', 'kind', 'order_id', 'counterpart_id', 'actor_key_id', 'created_at'],
  loans: [
    'id',
    'item_id',
    'item_name',
    'participant_id',
    'quantity',
    'returned',
    'lost',
    'status',
    'due_at',
    'created_at',
    'updated_at',
    'closed_at',
    'request_id',
    'key_id',
    'key_name',
  ],
};

/** What a cell holds once parsed back: text guarded against formulas, numbers as written, times in ISO 8601. */
const text = (value: string | null) => (value === null ? '' : /^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
const num = (value: number | null) => (value === null ? '' : String(value));
const time = (millis: number | null) => (millis === null ? '' : new Date(millis).toISOString());
const bool = (value: boolean) => (value ? 'true' : 'false');

/** Each export's rows as the database holds them, written independently of the export's code. */
async function expectedRows(db: Db, name: ExportName): Promise<string[][]> {
  switch (name) {
    case 'participants': {
      const rows = await db
        .selectFrom('participants')
        .leftJoin('check_ins', 'check_ins.participant_id', 'participants.id')
        .selectAll('participants')
        .select('check_ins.checked_in_at')
        .where('participants.deleted_at', 'is', null)
        .orderBy('participants.id')
        .execute();
      const skills = await db
        .selectFrom('participant_skills')
        .innerJoin('skills', 'skills.id', 'participant_skills.skill_id')
        .select(['participant_skills.participant_id', 'skills.name', 'participant_skills.rating'])
        .orderBy('participant_skills.id')
        .execute();
      const skillsOf = (id: number) =>
        skills
          .filter((s) => s.participant_id === id)
          .map((s) => `${s.name}:${s.rating}`)
          .join('; ');
      return rows.map((r) => [
        num(r.id),
        text(r.name),
        text(r.email),
        text(r.phone),
        text(r.company),
        text(skillsOf(r.id)),
        text(r.dietary_restrictions),
        (JSON.parse(r.tags) as string[]).join('; '),
        bool(r.checked_in_at !== null),
        time(r.checked_in_at),
        num(r.bbt_tokens),
        time(r.created_at),
      ]);
    }
    case 'checkins': {
      const rows = await db
        .selectFrom('check_ins')
        .leftJoin('api_keys', 'api_keys.id', 'check_ins.volunteer_id')
        .selectAll('check_ins')
        .select('api_keys.name')
        .orderBy('participant_id')
        .execute();
      return rows.map((r) => [
        num(r.participant_id),
        time(r.checked_in_at),
        time(r.recorded_at),
        bool(r.recorded_at !== r.checked_in_at),
        num(r.volunteer_id),
        text(r.name),
      ]);
    }
    case 'scans': {
      const rows = await db
        .selectFrom('checkpoint_scans')
        .innerJoin('checkpoints', 'checkpoints.id', 'checkpoint_scans.checkpoint_id')
        .leftJoin('api_keys', 'api_keys.id', 'checkpoint_scans.key_id')
        .selectAll('checkpoint_scans')
        .select(['checkpoints.name as checkpoint_name', 'api_keys.name as key_name'])
        .orderBy('checkpoint_scans.id')
        .execute();
      return rows.map((r) => [
        num(r.id),
        num(r.checkpoint_id),
        text(r.checkpoint_name),
        num(r.participant_id),
        r.outcome,
        text(r.reason),
        time(r.scanned_at),
        time(r.received_at),
        bool(r.offline === 1),
        time(r.annulled_at),
        num(r.key_id),
        text(r.key_name),
      ]);
    }
    case 'orders': {
      const rows = await db.selectFrom('boba_orders').selectAll().orderBy('id').execute();
      return rows.map((r) => [
        num(r.id),
        num(r.participant_id),
        r.status,
        text(r.size),
        text(r.flavour),
        text(r.sweetness),
        text(r.ice),
        text(r.toppings),
        text(r.location),
        num(r.cost),
        time(r.created_at),
        time(r.updated_at),
      ]);
    }
    case 'ledger': {
      const rows = await db.selectFrom('token_ledger').selectAll().orderBy('id').execute();
      return rows.map((r) => [
        num(r.id),
        num(r.participant_id),
        num(r.amount),
        r.kind,
        num(r.order_id),
        num(r.counterpart_id),
        num(r.actor_key_id),
        time(r.created_at),
      ]);
    }
    case 'loans': {
      const rows = await db
        .selectFrom('hardware_loans')
        .innerJoin('hardware_items', 'hardware_items.id', 'hardware_loans.item_id')
        .leftJoin('api_keys', 'api_keys.id', 'hardware_loans.key_id')
        .selectAll('hardware_loans')
        .select(['hardware_items.name as item_name', 'api_keys.name as key_name'])
        .orderBy('hardware_loans.id')
        .execute();
      return rows.map((r) => [
        num(r.id),
        num(r.item_id),
        text(r.item_name),
        num(r.participant_id),
        num(r.quantity),
        num(r.returned),
        num(r.lost),
        r.status,
        time(r.due_at),
        time(r.created_at),
        time(r.updated_at),
        time(r.closed_at),
        num(r.request_id),
        num(r.key_id),
        text(r.key_name),
      ]);
    }
  }
}

/** The CSV text as records; asserts it starts with a byte order mark and the export's header row. */
function parseCsv(body: string, name: ExportName): string[][] {
  assert.equal(body.charCodeAt(0), 0xfeff, `${name}: no byte order mark`);
  const [header, ...rows] = parse(body, { bom: true });
  assert.deepEqual(header, HEADERS[name]);
  return rows;
}

const only = (map: Record<string, unknown>) => Number(Object.keys(map)[0]);

/** The body as sent: fetch's text() would drop the byte order mark. */
const bytesAsText = async (response: Response) => Buffer.from(await response.arrayBuffer()).toString('utf8');

/** Names a spreadsheet would run as formulas, and the separators and characters a CSV must quote or keep. */
const DANGEROUS_NAMES = ['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', '\tx', '\rx'];

for (const backend of BACKENDS) {
  describe(`CSV exports (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let handle: DatabaseHandle;
    let counter = 0;
    let seeded: Promise<{ people: { id: number; name: string; email: string; phone: string; company: string }[] }> | undefined;

    const download = async (name: ExportName, as?: string | null) => api.inject('GET', `/exports/${name}.csv`, undefined, as);

    const register = async (fields: Record<string, unknown> = {}) => {
      const n = ++counter;
      const body = {
        name: `Exported Person ${n}`,
        company: `Company ${n} Ltd`,
        email: `exported${n}@example.com`,
        phone: `+1-555-010-${String(n).padStart(4, '0')}`,
        skills: [
          { skill: 'Python', rating: 4 },
          { skill: 'SQL', rating: 3 },
        ],
        ...fields,
      };
      const res = await api.inject('POST', '/register', body);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return { id: only(res.body), name: body.name, email: body.email, phone: body.phone, company: body.company };
    };

    /** Participants, check-ins (one offline), scans (accepted, refused, annulled, offline), tokens, orders, loans. */
    const seed = async () => {
      const people = [
        await register({ tags: ['hacker', 'meal-group-a'], dietary_restrictions: 'Vegan, no nuts' }),
        await register({ name: 'Zoë Ñúñez 李', company: 'Acme, "Inc"\nLtd' }),
        await register({ skills: [] }),
        await register(),
      ];
      const [a, b, c, d] = people.map((p) => p.id) as [number, number, number, number];
      for (const name of DANGEROUS_NAMES) await register({ name });

      assert.equal((await api.inject('POST', '/checkin', { participant_id: a })).status, 200);
      assert.equal((await api.inject('POST', '/checkin', { participant_id: b })).status, 200);
      const earlier = new Date(Date.now() - 60_000).toISOString();
      const offline = await api.inject('POST', '/sync/scans', [
        { check_in: true, participant_id: c, nonce: 'offline-check-in', scanned_at: earlier },
      ]);
      assert.equal(offline.status, 200, JSON.stringify(offline.body));

      const checkpoint = await api.inject('POST', '/checkpoints', {
        name: '@Lunch, day 1',
        kind: 'meal',
        per_participant_limit: 1,
        requires_check_in: false,
      });
      assert.equal(checkpoint.status, 201, JSON.stringify(checkpoint.body));
      const checkpointId = only(checkpoint.body);
      const scan = (participantId: number, nonce: string) =>
        api.inject('POST', `/checkpoints/${checkpointId}/scans`, { participant_id: participantId, nonce });
      const accepted = await scan(a, 'scan-nonce-1');
      assert.equal(accepted.status, 201, JSON.stringify(accepted.body));
      await scan(a, 'scan-nonce-2'); // refused: already_redeemed
      const undone = await scan(b, 'scan-nonce-3');
      assert.equal((await api.inject('POST', `/scans/${undone.body.scan_id}/undo`)).status, 200);
      await api.inject('POST', '/sync/scans', [
        { checkpoint_id: checkpointId, participant_id: d, nonce: 'offline-scan', scanned_at: earlier },
      ]);

      for (const id of [a, b, c]) {
        assert.equal((await api.inject('PUT', '/bbt_token_admin_give', { participant_id: id, tokens: 10 })).status, 200);
      }
      assert.equal((await api.inject('PUT', '/bbt_token_admin_give', { participant_id: a, tokens: -2 })).status, 200);
      const exchange = await api.inject('PUT', '/bbt_token_exchange', { participant_1_id: a, participant_2_id: b });
      assert.equal(exchange.status, 200, JSON.stringify(exchange.body));
      const order = await api.inject('POST', '/boba', { participant_id: a, location: '+Table 5', toppings: 'Pearls, Jelly' });
      assert.equal(order.status, 200, JSON.stringify(order.body));
      await api.inject('PUT', '/boba', { order_id: only(order.body), status: 'In Progress' });
      const cancelled = await api.inject('POST', '/boba', { participant_id: b });
      await api.inject('PUT', '/boba', { order_id: only(cancelled.body), status: 'Cancelled' });

      const item = await api.inject('POST', '/hardware', {
        name: '=cmd()',
        quantity: 5,
        per_participant_limit: null,
        requires_check_in: false,
      });
      assert.equal(item.status, 201, JSON.stringify(item.body));
      const itemId = only(item.body);
      const loan = await api.inject('POST', '/hardware/loans', { item_id: itemId, participant_id: a });
      assert.equal(loan.status, 201, JSON.stringify(loan.body));
      assert.equal((await api.inject('POST', `/hardware/loans/${only(loan.body)}/return`, {})).status, 200);
      assert.equal((await api.inject('POST', '/hardware/loans', { item_id: itemId, participant_id: b })).status, 201);

      // Deleted as DELETE /users/:id leaves it: a tombstone the participants export leaves out, its ledger kept.
      const gone = await register();
      await api.inject('PUT', '/bbt_token_admin_give', { participant_id: gone.id, tokens: 3 });
      await handle.db
        .updateTable('participants')
        .set({
          deleted_at: Date.now(),
          name: 'Deleted participant',
          email: '',
          email_key: `deleted:${gone.id}`,
          phone: '',
          company: '',
        })
        .where('id', '=', gone.id)
        .execute();
      return { people };
    };

    before(async () => {
      api = await startTestApp(backend.name, { BBT_TOKENS_COOLDOWN: '0' });
      handle = openTestDatabase(api.database);
    });
    after(async () => {
      await handle?.destroy();
      await api?.close();
    });

    test('an empty export is its header row alone, as a dated CSV attachment that no cache keeps', async () => {
      for (const name of EXPORTS) {
        const res = await download(name);
        assert.equal(res.status, 200, name);
        assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
        assert.match(
          String(res.headers['content-disposition']),
          new RegExp(`^attachment; filename="tapioca-${name}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`),
        );
        assert.equal(res.headers['cache-control'], 'no-store');
        assert.equal(res.body, `\uFEFF${HEADERS[name].join(',')}\n`);
      }
    });

    test('every export parses back to the rows the database holds', async () => {
      await (seeded ??= seed());
      for (const name of EXPORTS) {
        const rows = parseCsv((await download(name)).body, name);
        assert.ok(rows.length > 0, `${name} is empty`);
        assert.deepEqual(rows, await expectedRows(handle.db, name), name);
      }
      const column = (name: ExportName, rows: string[][], header: string) =>
        rows.map((row) => row[HEADERS[name].indexOf(header)]);
      const checkIns = parseCsv((await download('checkins')).body, 'checkins');
      assert.deepEqual(column('checkins', checkIns, 'offline').sort(), ['false', 'false', 'true']);
      const scans = parseCsv((await download('scans')).body, 'scans');
      assert.deepEqual(
        scans.map((row) => [row[4], row[5], row[8], row[9] === '' ? 'counted' : 'annulled']),
        [
          ['accepted', '', 'false', 'counted'],
          ['refused', 'already_redeemed', 'false', 'counted'],
          ['accepted', '', 'false', 'annulled'],
          ['accepted', '', 'true', 'counted'],
        ],
      );
      const ledger = parseCsv((await download('ledger')).body, 'ledger');
      assert.deepEqual([...new Set(column('ledger', ledger, 'kind'))].sort(), ['exchange', 'grant', 'order', 'refund']);
      const loans = parseCsv((await download('loans')).body, 'loans');
      assert.deepEqual(column('loans', loans, 'status'), ['returned', 'out']);
    });

    test("the participants export matches GET /users, in the import's headers, without deleted participants", async () => {
      const { people } = await (seeded ??= seed());
      const rows = parseCsv((await download('participants')).body, 'participants');
      const deleted = await handle.db.selectFrom('participants').select('id').where('deleted_at', 'is not', null).execute();
      assert.equal(deleted.length, 1);
      const users = (await api.inject('GET', '/users')).body as Record<string, any>;
      assert.deepEqual(
        rows.map((row) => Number(row[0])),
        Object.keys(users)
          .map(Number)
          .filter((id) => id !== deleted[0]!.id),
      );
      const field = (id: number, header: string) =>
        rows.find((row) => Number(row[0]) === id)![HEADERS.participants.indexOf(header)];
      for (const row of rows) {
        const user = users[row[0]!];
        const skills = (user.skills as { skill: string; rating: number }[]).map((s) => `${s.skill}:${s.rating}`).join('; ');
        assert.deepEqual(
          [row[2], row[5], row[6], row[7], row[8], row[10]],
          [user.email, skills, user.dietary_restrictions, user.tags.join('; '), String(user.checked_in), String(user.bbt_tokens)],
        );
      }
      const [a, b] = people as [(typeof people)[number], (typeof people)[number]];
      assert.equal(field(a.id, 'Phone'), `'${a.phone}`);
      assert.equal(field(a.id, 'Skills'), 'Python:4; SQL:3');
      assert.equal(field(a.id, 'Dietary Restrictions'), 'Vegan, no nuts');
      assert.equal(field(a.id, 'Tags'), 'hacker; meal-group-a');
      assert.equal(field(b.id, 'Name'), 'Zoë Ñúñez 李');
      assert.equal(field(b.id, 'Company'), 'Acme, "Inc"\nLtd');
    });

    test('a text cell a spreadsheet would run as a formula comes back with a leading quote; numbers do not', async () => {
      await (seeded ??= seed());
      const names = parseCsv((await download('participants')).body, 'participants').map((row) => row[1]);
      for (const name of DANGEROUS_NAMES) assert.ok(names.includes(`'${name}`), `${JSON.stringify(name)} not guarded`);
      assert.ok(!names.some((name) => DANGEROUS_NAMES.includes(name!)));

      const ledger = parseCsv((await download('ledger')).body, 'ledger');
      assert.ok(
        ledger.some((row) => row[2] === '-2'),
        'a negative amount is a number, written as one',
      );
      const orders = parseCsv((await download('orders')).body, 'orders');
      assert.ok(orders.some((row) => row[8] === "'+Table 5"));
      assert.ok(orders.some((row) => row[7] === 'Pearls, Jelly'));
      const loans = parseCsv((await download('loans')).body, 'loans');
      assert.ok(loans.every((row) => row[2] === "'=cmd()"));
      const scans = parseCsv((await download('scans')).body, 'scans');
      assert.ok(scans.every((row) => row[2] === "'@Lunch, day 1"));
    });

    test('only the participants export carries personal data', async () => {
      const { people } = await (seeded ??= seed());
      for (const name of EXPORTS.filter((n) => n !== 'participants')) {
        const body = (await download(name)).body as string;
        for (const person of people) {
          for (const value of [person.name, person.email, person.phone, person.company, 'Vegan', 'Zoë', 'Acme']) {
            assert.ok(!body.includes(value), `${name} export contains ${JSON.stringify(value)}`);
          }
        }
      }
    });

    test('only an admin key may export', async () => {
      const volunteer = await api.createKey('volunteer');
      const participant = await api.createKey('participant', 1);
      for (const name of EXPORTS) {
        assert.deepEqual((await download(name, volunteer)).body, { error: 'Forbidden', code: 'forbidden' });
        assert.equal((await download(name, participant)).status, 403);
        assert.equal((await download(name, null)).status, 401);
      }
      const unknown = await api.inject('GET', '/exports/keys.csv');
      assert.deepEqual([unknown.status, unknown.body], [404, { error: 'Not found', code: 'not_found' }]);
    });

    test('HEAD answers the headers without reading the export', async () => {
      const res = await api.app.inject({
        method: 'HEAD',
        url: '/exports/ledger.csv',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
      assert.equal(res.body, '');
    });
  });

  describe(`a large CSV export (${backend.name})`, { skip: backend.skip }, () => {
    const PEOPLE = 5000;
    let api: TestApp;
    let handle: DatabaseHandle;
    let base: string;

    before(async () => {
      api = await startTestApp(backend.name);
      handle = openTestDatabase(api.database);
      const summary = await importParticipants(handle, generateParticipants(PEOPLE));
      assert.equal(summary.imported, PEOPLE);
      base = await api.listen();
    });
    after(async () => {
      await handle?.destroy();
      await api?.close();
    });

    test('streams, chunked and without a length, every participant', async () => {
      const response = await fetch(`${base}/exports/participants.csv`, {
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('transfer-encoding'), 'chunked');
      assert.equal(response.headers.get('content-length'), null);
      const rows = parseCsv(await bytesAsText(response), 'participants');
      assert.equal(rows.length, PEOPLE);
      assert.deepEqual(rows, await expectedRows(handle.db, 'participants'));
    });

    test('a client gone mid-stream stops the reading; the server goes on serving', async () => {
      // The same export with 100-row chunks: 50 of them, read only as fast as the reader takes them.
      const exports = new ExportsService(handle.db, systemClock, 100);
      let ended!: (end: ExportEnd) => void;
      const end = new Promise<ExportEnd>((resolve) => (ended = resolve));
      const csv = await exports.open('participants', ended);
      for await (const piece of csv) {
        assert.ok(String(piece).startsWith('\uFEFFid,Name'));
        break; // destroys the stream, as Fastify does when the connection closes
      }
      const { complete, chunks, rows } = await end;
      assert.equal(complete, false);
      assert.ok(chunks < 10, `read ${chunks} of 50 chunks after the reader left`);
      assert.ok(rows < PEOPLE);

      // Over HTTP: the connection dropped after the first bytes; the next requests are served as usual.
      const aborter = new AbortController();
      const response = await fetch(`${base}/exports/participants.csv`, {
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
        signal: aborter.signal,
      });
      const reader = response.body!.getReader();
      assert.equal((await reader.read()).done, false);
      aborter.abort();
      await assert.rejects(reader.read());
      assert.equal((await fetch(`${base}/health`)).status, 200);
      const again = await fetch(`${base}/exports/ledger.csv`, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
      assert.equal(await bytesAsText(again), `\uFEFF${HEADERS.ledger.join(',')}\n`);
    });
  });
}
