import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type ApiResponse,
  type As,
  BACKENDS,
  createTestDatabase,
  httpJson,
  openTestDatabase,
  sampleParticipant,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
  type TestDatabase,
} from './helpers.js';
import { seededRandom } from '../src/demo/generate-participants.js';
import { hardwareDiscrepancies } from '../scripts/hardware-audit.js';

const parallel = <T>(count: number, fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: count }, (_, i) => fn(i)));
/** Answers counted by outcome: `ok` for a success, else the status and code. */
const tally = (results: ApiResponse[]) => {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const what = r.status === 200 || r.status === 201 ? 'ok' : `${r.status} ${r.body?.code}`;
    counts[what] = (counts[what] ?? 0) + 1;
  }
  return counts;
};
const idOf = (res: ApiResponse) => Number(Object.keys(res.body)[0]);
const valueOf = (res: ApiResponse) => Object.values<any>(res.body)[0];
/** A refusal the test expects, or a failure naming what came back instead (a 500 from a broken constraint, say). */
const assertOkOr = (res: ApiResponse, codes: string[], what: string) => {
  if (res.status === 200 || res.status === 201) return;
  assert.ok(res.status === 409 && codes.includes(res.body?.code), `${what}: ${res.status} ${JSON.stringify(res.body)}`);
};

for (const backend of BACKENDS) {
  describe(`hardware under races (${backend.name})`, { skip: backend.skip }, () => {
    let database: TestDatabase;
    let apps: TestApp[];
    let bases: string[];
    let desks: string[];
    let calls = 0;
    let people = 0;
    // On PostgreSQL two API instances share one database, as in a scaled-out deployment; requests alternate.
    const call = <T = any>(method: string, path: string, body?: unknown, as: As = TEST_ADMIN_KEY): Promise<ApiResponse<T>> =>
      httpJson<T>(bases[calls++ % bases.length]!, method, path, body, as);
    const desk = () => desks[calls % desks.length]!;
    const register = async () => {
      const res = await call('POST', '/register', sampleParticipant(++people, []));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return idOf(res);
    };
    const createItem = async (fields: Record<string, unknown>) => {
      const res = await call('POST', '/hardware', { name: 'Race kit', requires_check_in: false, ...fields });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return idOf(res);
    };
    const item = async (id: number) => {
      const res = await call('GET', `/hardware/${id}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body[id];
    };
    const stock = async (id: number) => {
      const { quantity, out, available } = await item(id);
      return { quantity, out, available };
    };
    const lend = (itemId: number, participantId: number, fields: Record<string, unknown> = {}) =>
      call('POST', '/hardware/loans', { item_id: itemId, participant_id: participantId, ...fields }, desk());
    const lent = async (itemId: number, participantId: number, fields: Record<string, unknown> = {}) => {
      const res = await lend(itemId, participantId, fields);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return idOf(res);
    };
    const giveBack = (loanId: number, body: Record<string, unknown> = {}) =>
      call('POST', `/hardware/loans/${loanId}/return`, body, desk());
    const writeOff = (loanId: number, body: Record<string, unknown> = {}) => call('POST', `/hardware/loans/${loanId}/lost`, body);
    const loanWithHistory = async (loanId: number) => {
      const res = await call('GET', `/hardware/loans/${loanId}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body[loanId];
    };

    before(async () => {
      database = await createTestDatabase(backend.name);
      const instances = backend.name === 'postgres' ? 2 : 1;
      apps = [];
      for (let i = 0; i < instances; i++) apps.push(await startTestApp(backend.name, {}, database));
      bases = await Promise.all(apps.map((app) => app.listen()));
      desks = [
        await apps[0]!.createKey('volunteer', undefined, 'Desk 1'),
        await apps[0]!.createKey('volunteer', undefined, 'Desk 2'),
      ];
    });
    after(async () => {
      for (const app of apps ?? []) await app.close();
      await database?.drop();
    });

    test('20 parallel loans of the last unit: exactly one 201, the rest out_of_stock', async () => {
      const id = await createItem({ quantity: 3 });
      for (let i = 0; i < 2; i++) await lent(id, await register());
      const racers = await parallel(20, () => register());
      const results = await parallel(20, (i) => lend(id, racers[i]!));
      assert.deepEqual(tally(results), { ok: 1, '409 out_of_stock': 19 });
      assert.deepEqual(await stock(id), { quantity: 3, out: 3, available: 0 });
      const loans = await call('GET', `/hardware/loans?item_id=${id}`, undefined, desks[0]);
      assert.equal(Object.keys(loans.body).length, 3);
    });

    test('20 parallel loans of 2 units with 5 available: exactly two 201', async () => {
      const id = await createItem({ quantity: 5, per_participant_limit: null });
      const racers = await parallel(20, () => register());
      const results = await parallel(20, (i) => lend(id, racers[i]!, { quantity: 2 }));
      assert.deepEqual(tally(results), { ok: 2, '409 out_of_stock': 18 });
      assert.deepEqual(await stock(id), { quantity: 5, out: 4, available: 1 });
    });

    test('per-participant limit 2 under races: 20 parallel loans of one participant, two 201', async () => {
      const id = await createItem({ quantity: 50, per_participant_limit: 2 });
      const p = await register();
      const results = await parallel(20, () => lend(id, p));
      assert.deepEqual(tally(results), { ok: 2, '409 per_participant_limit': 18 });
      // Loans of one and two units racing: whatever the order, they end holding exactly the limit.
      const q = await register();
      const mixed = await parallel(20, (i) => lend(id, q, { quantity: (i % 2) + 1 }));
      assert.ok(
        mixed.every((r) => r.status === 201 || r.body.code === 'per_participant_limit'),
        JSON.stringify(tally(mixed)),
      );
      const held = mixed.filter((r) => r.status === 201).reduce((sum, r) => sum + valueOf(r).quantity, 0);
      assert.equal(held, 2);
      assert.equal((await stock(id)).out, 4);
    });

    test('20 parallel requests of one participant for one item: one 201, the rest already_requested', async () => {
      const id = await createItem({ quantity: 1 });
      const p = await register();
      const results = await parallel(20, () => call('POST', '/hardware/requests', { item_id: id, participant_id: p }, desk()));
      assert.deepEqual(tally(results), { ok: 1, '409 already_requested': 19 });
      assert.equal((await item(id)).requested, 1);
    });

    test('10 parallel loans collecting one request: one 201, the rest request_closed', async () => {
      const id = await createItem({ quantity: 20, per_participant_limit: null });
      const p = await register();
      const asked = await call('POST', '/hardware/requests', { item_id: id, participant_id: p, quantity: 2 }, desk());
      assert.equal(asked.status, 201, JSON.stringify(asked.body));
      const requestId = idOf(asked);
      const results = await parallel(10, () => lend(id, p, { request_id: requestId }));
      assert.deepEqual(tally(results), { ok: 1, '409 request_closed': 9 });
      const loanId = idOf(results.find((r) => r.status === 201)!);
      const request = (await call('GET', `/hardware/requests?item_id=${id}&status=all`, undefined, desk())).body[requestId];
      assert.deepEqual([request.status, request.loan_id], ['collected', loanId]);
      assert.deepEqual(await stock(id), { quantity: 20, out: 2, available: 18 });
    });

    test('10 parallel full returns of one loan: one 200, the rest already_returned, one return recorded', async () => {
      const id = await createItem({ quantity: 5, per_participant_limit: null });
      const loanId = await lent(id, await register(), { quantity: 3 });
      const results = await parallel(10, () => giveBack(loanId));
      assert.deepEqual(tally(results), { ok: 1, '409 already_returned': 9 });
      const loan = await loanWithHistory(loanId);
      assert.deepEqual([loan.returned, loan.outstanding, loan.status], [3, 0, 'returned']);
      assert.deepEqual(
        loan.history.map((h: any) => [h.kind, h.quantity]),
        [
          ['lent', 3],
          ['returned', 3],
        ],
      );
      assert.deepEqual(await stock(id), { quantity: 5, out: 0, available: 5 });
    });

    test('10 parallel returns and write-offs of one unit on a loan of 4: exactly four go through', async () => {
      const id = await createItem({ quantity: 8, per_participant_limit: null });
      const loanId = await lent(id, await register(), { quantity: 4 });
      const results = await parallel(10, (i) =>
        i % 3 === 0 ? writeOff(loanId, { quantity: 1 }) : giveBack(loanId, { quantity: 1 }),
      );
      const loan = await loanWithHistory(loanId);
      assert.deepEqual([loan.returned + loan.lost, loan.outstanding], [4, 0]);
      assert.equal(loan.status, loan.lost > 0 ? 'lost' : 'returned');
      // Every refusal came once the loan was closed, so it names how the loan ended.
      const closed = loan.status === 'lost' ? 'loan_lost' : 'already_returned';
      assert.deepEqual(tally(results), { ok: 4, [`409 ${closed}`]: 6 });
      assert.equal(loan.history.length, 5);
      assert.deepEqual(await stock(id), { quantity: 8 - loan.lost, out: 0, available: 8 - loan.lost });
    });

    test('quantity edits racing loans: an edit never goes below the units out, a loan never above the quantity', async () => {
      // Each round lends to different people, so the loans wait on nothing but the item.
      const borrowers = await parallel(16, () => register());
      const quantities = [3, 10, 5, 8, 2, 6];
      let loans = 0;
      let edits = 0;
      // An edit that checks a stale count of units out passes only in some interleavings: several rounds.
      for (let round = 0; round < 5; round++) {
        const id = await createItem({ quantity: 10, per_participant_limit: null });
        let lentThisRound = 0;
        const results = await parallel(24, (i) =>
          i % 2 === 0
            ? call('PUT', `/hardware/${id}`, { quantity: quantities[(i / 2) % quantities.length] })
            : lend(id, borrowers[(i - 1) / 2]!),
        );
        results.forEach((res, i) => {
          const what = `round ${round}, ${i % 2 === 0 ? 'edit' : 'loan'} ${i}`;
          if (i % 2 === 0) {
            assertOkOr(res, ['quantity_below_loans'], what);
            if (res.status !== 200) return;
            edits += 1;
            const edited = res.body[id];
            assert.ok(edited.out <= edited.quantity, `${what} answered ${JSON.stringify(edited)}`);
          } else {
            assertOkOr(res, ['out_of_stock'], what);
            if (res.status === 201) lentThisRound += 1;
          }
        });
        const after = await stock(id);
        assert.equal(after.out, lentThisRound, `round ${round}`);
        assert.ok(after.out <= after.quantity, `round ${round}: ${JSON.stringify(after)}`);
        loans += lentThisRound;
      }
      assert.ok(loans > 0 && edits > 0, `${loans} loans and ${edits} edits went through`);
    });

    test('a random mix of loans, returns, write-offs and quantity edits, then the books balance', async () => {
      const random = seededRandom(backend.name === 'sqlite' ? 14 : 41);
      const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
      const items = [
        await createItem({ name: 'Arduino', quantity: 4, per_participant_limit: 1 }),
        await createItem({ name: 'Breadboard', quantity: 6, per_participant_limit: 2 }),
        await createItem({ name: 'Jumper wires', quantity: 3, per_participant_limit: null }),
        await createItem({ name: 'Oscilloscope', quantity: 8, per_participant_limit: 3, loan_hours: 1 }),
      ];
      const participants = await parallel(10, () => register());
      /** What the answers said happened to each loan: lent, returned and lost units. */
      const books = new Map<number, { quantity: number; returned: number; lost: number }>();
      const done: Record<string, number> = {};
      const count = (what: string) => (done[what] = (done[what] ?? 0) + 1);

      const operation = async () => {
        const roll = random();
        if (roll < 0.45 || books.size === 0) {
          const quantity = pick([1, 1, 2]);
          const res = await lend(pick(items), pick(participants), { quantity });
          assertOkOr(res, ['out_of_stock', 'per_participant_limit'], 'loan');
          if (res.status === 201) {
            books.set(idOf(res), { quantity, returned: 0, lost: 0 });
            count('lent');
          }
        } else if (roll < 0.8) {
          const loanId = pick([...books.keys()]);
          const quantity = pick([1, 1, 2]);
          const lost = roll >= 0.68;
          const res = lost ? await writeOff(loanId, { quantity }) : await giveBack(loanId, { quantity });
          assertOkOr(res, ['already_returned', 'loan_lost', 'return_exceeds_loan'], lost ? 'write-off' : 'return');
          if (res.status === 200) {
            books.get(loanId)![lost ? 'lost' : 'returned'] += quantity;
            count(lost ? 'lost' : 'returned');
          }
        } else {
          const res = await call('PUT', `/hardware/${pick(items)}`, { quantity: Math.floor(random() * 10) });
          assertOkOr(res, ['quantity_below_loans'], 'edit');
          if (res.status === 200) count('edited');
        }
      };
      for (let wave = 0; wave < 14; wave++) await parallel(16, operation);
      for (const what of ['lent', 'returned', 'lost', 'edited'])
        assert.ok(done[what]! > 0, `the mix ${what}: ${JSON.stringify(done)}`);

      const handle = openTestDatabase(database);
      try {
        const db = handle.db;
        const stored = await db
          .selectFrom('hardware_items')
          .select(['id', 'quantity', 'units_out', 'per_participant_limit'])
          .where('id', 'in', items)
          .execute();
        const loans = await db
          .selectFrom('hardware_loans')
          .select(['id', 'item_id', 'participant_id', 'quantity', 'returned', 'lost', 'status'])
          .where('item_id', 'in', items)
          .execute();
        const holdings = await db
          .selectFrom('hardware_holdings')
          .select(['item_id', 'participant_id', 'units'])
          .where('item_id', 'in', items)
          .execute();
        const movements = await db
          .selectFrom('hardware_loan_events as e')
          .innerJoin('hardware_loans as l', 'l.id', 'e.loan_id')
          .select(['e.loan_id', 'e.kind', (eb) => eb.fn.sum<number>('e.quantity').as('units')])
          .where('l.item_id', 'in', items)
          .groupBy(['e.loan_id', 'e.kind'])
          .execute();

        // Every loan the answers accepted, and none besides, with what the answers said came back or was lost.
        assert.deepEqual(
          loans.map((l) => Number(l.id)).sort((a, b) => a - b),
          [...books.keys()].sort((a, b) => a - b),
        );
        const outstanding = (l: (typeof loans)[number]) => l.quantity - l.returned - l.lost;
        for (const l of loans) {
          const where = `loan ${l.id}`;
          assert.deepEqual(
            { quantity: l.quantity, returned: l.returned, lost: l.lost },
            books.get(Number(l.id)),
            `${where}: stored against the answers`,
          );
          assert.ok(outstanding(l) >= 0, where);
          assert.equal(l.status, outstanding(l) > 0 ? 'out' : l.lost > 0 ? 'lost' : 'returned', where);
          const moved = (kind: string) =>
            Number(movements.find((m) => Number(m.loan_id) === Number(l.id) && m.kind === kind)?.units ?? 0);
          assert.deepEqual(
            [moved('lent'), moved('returned'), moved('lost')],
            [l.quantity, l.returned, l.lost],
            `${where} events`,
          );
        }

        const listed = (await call('GET', '/hardware?archived=true')).body;
        for (const row of stored) {
          const where = `item ${row.id}`;
          const open = loans.filter((l) => l.item_id === row.id && l.status === 'out');
          assert.equal(
            row.units_out,
            open.reduce((sum, l) => sum + outstanding(l), 0),
            `${where}: out against the open loans`,
          );
          assert.ok(row.units_out >= 0 && row.units_out <= row.quantity, `${where}: ${row.units_out} out of ${row.quantity}`);
          assert.deepEqual(
            [listed[row.id].quantity, listed[row.id].out],
            [row.quantity, row.units_out],
            `${where} as the API says`,
          );
          for (const p of participants) {
            const held = open.filter((l) => l.participant_id === p).reduce((sum, l) => sum + outstanding(l), 0);
            const units = holdings.find((h) => h.item_id === row.id && h.participant_id === p)?.units ?? 0;
            assert.equal(units, held, `${where}, participant ${p}: holdings against the open loans`);
            if (row.per_participant_limit !== null) assert.ok(held <= row.per_participant_limit, `${where}, participant ${p}`);
          }
        }
        // The audit the bench runs agrees.
        assert.deepEqual(await hardwareDiscrepancies(db), []);
      } finally {
        await handle.destroy();
      }
    });
  });
}
