import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import {
  type ApiResponse,
  type As,
  BACKENDS,
  type ManualClock,
  manualClock,
  openTestDatabase,
  sampleParticipant,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
} from './helpers.js';
import { openStream, type StreamEvent } from './sse-client.js';
import { hardwareDiscrepancies } from '../scripts/hardware-audit.js';
import { generateParticipants } from '../src/demo/generate-participants.js';
import { importParticipants } from '../src/modules/import/import.service.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const REQUEST_STATUSES = ['requested', 'ready', 'collected', 'cancelled'] as const;
type RequestStatus = (typeof REQUEST_STATUSES)[number];
/** The only moves PUT /hardware/requests/:id makes; `collected` happens through a loan. */
const ALLOWED_MOVES = ['requested->ready', 'requested->cancelled', 'ready->cancelled', 'ready->requested'];

const only = (map: Record<string, any>) => {
  const entries = Object.entries(map);
  assert.equal(entries.length, 1, JSON.stringify(map));
  return { id: Number(entries[0]![0]), value: entries[0]![1] };
};
const sortedIds = (map: Record<string, unknown>) =>
  Object.keys(map)
    .map(Number)
    .sort((a, b) => a - b);
const assertError = (res: ApiResponse, status: number, code: string) => {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body?.code, code, JSON.stringify(res.body));
  assert.equal(typeof res.body.error, 'string');
};
const assertForbidden = (res: ApiResponse, what: string) =>
  assert.deepEqual([res.status, res.body], [403, { error: 'Forbidden', code: 'forbidden' }], what);
const hardwareEvents = (events: StreamEvent[], kind?: string) =>
  events.filter((e) => e.event === 'hardware' && (kind === undefined || e.data.kind === kind)).map((e) => e.data);

for (const backend of BACKENDS) {
  describe(`hardware library (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let clock: ManualClock;
    const keys = { deskA: '', deskB: '' };
    const keyIds: Record<string, number> = {};
    let adminKeyId: number;
    let adminKeyName: string;
    const names = new Map<number, string>();
    const participantKeys = new Map<number, string>();
    let people = 0;

    const register = async (): Promise<number> => {
      const res = await api.inject('POST', '/register', sampleParticipant(++people, []));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const { id } = only(res.body);
      names.set(id, `Test Person ${people}`);
      return id;
    };
    const checkedIn = async (): Promise<number> => {
      const id = await register();
      assert.equal((await api.inject('POST', '/checkin', { participant_id: id })).status, 200);
      return id;
    };
    const keyOf = async (participantId: number): Promise<string> => {
      if (!participantKeys.has(participantId)) {
        participantKeys.set(participantId, await api.createKey('participant', participantId, `participant ${participantId}`));
      }
      return participantKeys.get(participantId)!;
    };
    const badgeOf = async (participantId: number): Promise<string> =>
      (await api.inject('GET', '/me', undefined, await keyOf(participantId))).body.badge.badge;

    const createItem = async (fields: Record<string, unknown> = {}): Promise<number> => {
      const res = await api.inject('POST', '/hardware', { name: 'Arduino Uno', quantity: 3, ...fields });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return only(res.body).id;
    };
    /** An item anyone may borrow any number of, checked in or not. */
    const openItem = (fields: Record<string, unknown> = {}) =>
      createItem({ quantity: 50, per_participant_limit: null, requires_check_in: false, ...fields });
    const item = async (id: number, as: As = TEST_ADMIN_KEY) => {
      const res = await api.inject('GET', `/hardware/${id}`, undefined, as);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body[id];
    };
    const stock = async (id: number) => {
      const { quantity, out, available, requested } = await item(id);
      return { quantity, out, available, requested };
    };
    const editItem = (id: number, fields: Record<string, unknown>, as: As = TEST_ADMIN_KEY) =>
      api.inject('PUT', `/hardware/${id}`, fields, as);

    const ask = async (itemId: number, fields: Record<string, unknown> = {}, as: As = TEST_ADMIN_KEY) =>
      api.inject('POST', '/hardware/requests', { item_id: itemId, ...fields }, as);
    const requested = async (itemId: number, participantId: number, fields: Record<string, unknown> = {}) => {
      const res = await ask(itemId, { participant_id: participantId, ...fields }, keys.deskA);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return only(res.body).id;
    };
    const move = (requestId: number, status: string, fields: Record<string, unknown> = {}, as: As = keys.deskA) =>
      api.inject('PUT', `/hardware/requests/${requestId}`, { status, ...fields }, as);
    const requestList = async (query = '', as: As = keys.deskA): Promise<Record<string, any>> => {
      const res = await api.inject('GET', `/hardware/requests${query}`, undefined, as);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const requestRow = async (requestId: number) => (await requestList('?status=all'))[requestId];

    const lend = (itemId: number, target: Record<string, unknown>, fields: Record<string, unknown> = {}, as: As = keys.deskA) =>
      api.inject('POST', '/hardware/loans', { item_id: itemId, ...target, ...fields }, as);
    const lent = async (itemId: number, participantId: number, fields: Record<string, unknown> = {}, as?: As) => {
      const res = await lend(itemId, { participant_id: participantId }, fields, as);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return only(res.body);
    };
    const giveBack = (loanId: number, body: Record<string, unknown> = {}, as: As = keys.deskA) =>
      api.inject('POST', `/hardware/loans/${loanId}/return`, body, as);
    const writeOff = (loanId: number, body: Record<string, unknown> = {}, as: As = TEST_ADMIN_KEY) =>
      api.inject('POST', `/hardware/loans/${loanId}/lost`, body, as);
    const loanWithHistory = async (loanId: number, as: As = keys.deskA) => {
      const res = await api.inject('GET', `/hardware/loans/${loanId}`, undefined, as);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body[loanId];
    };
    const loanList = async (query: string): Promise<Record<string, any>> => {
      const res = await api.inject('GET', `/hardware/loans${query}`, undefined, keys.deskB);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };

    before(async () => {
      clock = manualClock();
      api = await startTestApp(backend.name, {}, undefined, { clock });
      keys.deskA = await api.createKey('volunteer', undefined, 'Desk A');
      keys.deskB = await api.createKey('volunteer', undefined, 'Desk B');
      const listed = await api.inject<Record<string, { id: number; name: string }>>('GET', '/keys');
      for (const key of Object.values(listed.body)) keyIds[key.name] = key.id;
      const me = await api.inject('GET', '/me');
      adminKeyId = me.body.key.id;
      adminKeyName = me.body.key.name;
    });
    after(() => api?.close());

    describe('items', () => {
      test('created with the defaults, read back by everyone signed in, listed', async () => {
        const res = await api.inject('POST', '/hardware', { name: 'Arduino Uno', quantity: 3 });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const { id, value } = only(res.body);
        assert.deepEqual(
          { ...value, created_at: undefined, updated_at: undefined },
          {
            name: 'Arduino Uno',
            description: '',
            quantity: 3,
            out: 0,
            available: 3,
            requested: 0,
            per_participant_limit: 1,
            loan_hours: null,
            requires_check_in: true,
            archived: false,
            created_at: undefined,
            updated_at: undefined,
          },
        );
        assert.equal(Date.parse(value.created_at), clock.now());
        assert.equal(Date.parse(value.updated_at), clock.now());
        const participant = await keyOf(await register());
        for (const as of [TEST_ADMIN_KEY, keys.deskA, participant]) {
          assert.deepEqual(await item(id, as), value);
          const listed = await api.inject('GET', '/hardware', undefined, as);
          assert.equal(listed.status, 200);
          assert.deepEqual(listed.body[id], value);
        }
        assert.equal((await api.inject('GET', '/hardware', undefined, null)).status, 401);
      });

      test('every field given', async () => {
        const id = await createItem({
          name: 'Oculus Quest',
          description: 'VR headset with two controllers',
          quantity: 0,
          per_participant_limit: null,
          loan_hours: 2.5,
          requires_check_in: false,
        });
        const value = await item(id);
        assert.deepEqual(
          [value.name, value.description, value.quantity, value.out, value.available],
          ['Oculus Quest', 'VR headset with two controllers', 0, 0, 0],
        );
        assert.deepEqual([value.per_participant_limit, value.loan_hours, value.requires_check_in], [null, 2.5, false]);
      });

      test('bad fields are 400 validation_failed and create or change nothing', async () => {
        const count = Object.keys((await api.inject('GET', '/hardware?archived=true')).body).length;
        const bad = [
          { quantity: 3 },
          { name: 'X' },
          { name: 'X', quantity: -1 },
          { name: 'X', quantity: 1.5 },
          { name: 'X', quantity: 'many' },
          { name: 'X', quantity: 3, per_participant_limit: 0 },
          { name: 'X', quantity: 3, per_participant_limit: 1.5 },
          { name: 'X', quantity: 3, loan_hours: 0 },
          { name: 'X', quantity: 3, loan_hours: -2 },
          { name: 'X', quantity: 3, requires_check_in: 'yes' },
        ];
        for (const body of bad) assertError(await api.inject('POST', '/hardware', body), 400, 'validation_failed');
        assert.equal(Object.keys((await api.inject('GET', '/hardware?archived=true')).body).length, count);

        const id = await createItem();
        const before = await item(id);
        for (const body of [{ quantity: -1 }, { per_participant_limit: 0 }, { loan_hours: 0 }, { archived: 'no' }]) {
          assertError(await editItem(id, body), 400, 'validation_failed');
        }
        assert.deepEqual(await item(id), before);
      });

      test('a partial update changes only what it names; null clears the limit and the loan time', async () => {
        const id = await createItem({ per_participant_limit: 2, loan_hours: 4 });
        const before = await item(id);
        clock.advance(1000);
        const res = await editItem(id, { name: 'Arduino Mega', description: 'with USB cable' });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const updated = res.body[id];
        assert.deepEqual(
          { ...updated, updated_at: undefined },
          { ...before, name: 'Arduino Mega', description: 'with USB cable', updated_at: undefined },
        );
        assert.equal(Date.parse(updated.updated_at), clock.now());
        const cleared = await editItem(id, { per_participant_limit: null, loan_hours: null, requires_check_in: false });
        assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
        assert.deepEqual(
          [cleared.body[id].per_participant_limit, cleared.body[id].loan_hours, cleared.body[id].requires_check_in],
          [null, null, false],
        );
        assert.deepEqual(await item(id), cleared.body[id]);
      });

      test('quantity may not go below the units out: 409 quantity_below_loans', async () => {
        const id = await openItem({ quantity: 3 });
        const p = await register();
        await lent(id, p, { quantity: 2 });
        assertError(await editItem(id, { quantity: 1 }), 409, 'quantity_below_loans');
        assertError(await editItem(id, { quantity: 0, name: 'renamed' }), 409, 'quantity_below_loans');
        assert.deepEqual(await stock(id), { quantity: 3, out: 2, available: 1, requested: 0 });
        assert.equal((await item(id)).name, 'Arduino Uno', 'a refused edit changes nothing');

        const down = await editItem(id, { quantity: 2 });
        assert.equal(down.status, 200, JSON.stringify(down.body));
        assert.deepEqual([down.body[id].quantity, down.body[id].out, down.body[id].available], [2, 2, 0]);
        assertError(await lend(id, { participant_id: p }), 409, 'out_of_stock');

        const [loanId] = sortedIds(await loanList(`?item_id=${id}`));
        assert.equal((await giveBack(loanId!, { quantity: 1 })).status, 200);
        assert.equal((await editItem(id, { quantity: 1 })).status, 200);
        assert.deepEqual(await stock(id), { quantity: 1, out: 1, available: 0, requested: 0 });
        assert.equal((await editItem(id, { quantity: 6 })).status, 200);
        assert.deepEqual(await stock(id), { quantity: 6, out: 1, available: 5, requested: 0 });
      });

      test('unknown items are 404 hardware_not_found', async () => {
        const p = await register();
        for (const [method, url, body] of [
          ['GET', '/hardware/999999', undefined],
          ['PUT', '/hardware/999999', { name: 'X' }],
          ['DELETE', '/hardware/999999', undefined],
          ['POST', '/hardware/requests', { item_id: 999999, participant_id: p }],
          ['POST', '/hardware/loans', { item_id: 999999, participant_id: p }],
        ] as const) {
          assertError(await api.inject(method, url, body), 404, 'hardware_not_found');
        }
      });

      test('archived: hidden unless asked, open requests cancelled, no new loans or requests, returns still work', async () => {
        const id = await openItem({ quantity: 5 });
        const [holder, waiting, readied, collector, latecomer] = [
          await register(),
          await register(),
          await register(),
          await register(),
          await register(),
        ];
        const held = await lent(id, holder);
        const waitingRequest = await requested(id, waiting);
        const readyRequest = await requested(id, readied);
        assert.equal((await move(readyRequest, 'ready')).status, 200);
        const collectedRequest = await requested(id, collector);
        await lent(id, collector, { request_id: collectedRequest });
        assert.equal((await stock(id)).requested, 2);

        const res = await api.inject('DELETE', `/hardware/${id}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body[id].archived, true);
        assert.equal(res.body[id].requested, 0, 'its open requests are cancelled');
        assert.equal((await api.inject('GET', '/hardware')).body[id], undefined);
        assert.equal((await api.inject('GET', '/hardware?archived=true')).body[id].archived, true);
        assert.equal((await item(id)).archived, true);
        assert.deepEqual(
          await Promise.all([waitingRequest, readyRequest, collectedRequest].map(async (r) => (await requestRow(r)).status)),
          ['cancelled', 'cancelled', 'collected'],
        );

        assertError(await lend(id, { participant_id: latecomer }), 409, 'item_archived');
        assertError(await ask(id, { participant_id: latecomer }), 409, 'item_archived');
        assertError(await ask(id, {}, await keyOf(latecomer)), 409, 'item_archived');
        const back = await giveBack(held.id);
        assert.equal(back.status, 200, JSON.stringify(back.body));
        assert.equal(back.body[held.id].status, 'returned');
        assert.deepEqual(await stock(id), { quantity: 5, out: 1, available: 4, requested: 0 });

        const restored = await editItem(id, { archived: false });
        assert.equal(restored.status, 200, JSON.stringify(restored.body));
        assert.equal(restored.body[id].archived, false);
        await lent(id, latecomer);
        assert.equal((await api.inject('GET', '/hardware')).body[id].out, 2);
      });

      test('only an admin manages items', async () => {
        const id = await createItem();
        const participant = await keyOf(await register());
        for (const as of [keys.deskA, participant]) {
          assertForbidden(await api.inject('POST', '/hardware', { name: 'X', quantity: 1 }, as), 'create');
          assertForbidden(await editItem(id, { quantity: 10 }, as), 'edit');
          assertForbidden(await api.inject('DELETE', `/hardware/${id}`, undefined, as), 'archive');
        }
        assert.deepEqual(await stock(id), { quantity: 3, out: 0, available: 3, requested: 0 });
        assert.equal((await item(id)).archived, false);
      });
    });

    describe('requests', () => {
      test('a participant asks for themself; the request is in the queue, the stock untouched', async () => {
        const id = await createItem({ name: 'Raspberry Pi 5', quantity: 2 });
        const p = await register();
        const own = await keyOf(p);
        const res = await ask(id, {}, own);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const { id: requestId, value } = only(res.body);
        assert.deepEqual(value, {
          item_id: id,
          item_name: 'Raspberry Pi 5',
          participant_id: p,
          participant_name: names.get(p),
          quantity: 1,
          status: 'requested',
          position: 1,
          loan_id: null,
          created_at: value.created_at,
          updated_at: value.updated_at,
        });
        assert.equal(Date.parse(value.created_at), clock.now());
        assert.deepEqual(await stock(id), { quantity: 2, out: 0, available: 2, requested: 1 });
        assert.deepEqual(await requestList(`?item_id=${id}`), { [requestId]: value });
        assert.deepEqual(await requestList(`?item_id=${id}`, own), { [requestId]: value });

        const other = await createItem();
        const byOwnId = await ask(other, { participant_id: p }, own);
        assert.equal(byOwnId.status, 201, JSON.stringify(byOwnId.body));
        assert.equal(only(byOwnId.body).value.participant_id, p);
      });

      test('refusals: someone else 403, staff without participant_id 400, unknown 404, archived, open, over the limit', async () => {
        const id = await createItem({ quantity: 5, per_participant_limit: 2, requires_check_in: false });
        const [p, q] = [await register(), await register()];
        assertForbidden(await ask(id, { participant_id: q }, await keyOf(p)), "asking for someone else's");
        assertError(await ask(id, {}, keys.deskA), 400, 'participant_required');
        assertError(await ask(id, {}, TEST_ADMIN_KEY), 400, 'participant_required');
        assertError(await ask(id, { participant_id: 999999 }, keys.deskA), 404, 'participant_not_found');
        assertError(await ask(999999, { participant_id: p }, keys.deskA), 404, 'hardware_not_found');
        assertError(await ask(id, { participant_id: p, quantity: 3 }), 409, 'per_participant_limit');

        // Units held count against the limit: holding 1 of 2, they may ask for 1 more, not 2.
        await lent(id, p);
        assertError(await ask(id, { participant_id: p, quantity: 2 }), 409, 'per_participant_limit');
        const first = await requested(id, p);
        assertError(await ask(id, { participant_id: p }), 409, 'already_requested');
        assertError(await ask(id, {}, await keyOf(p)), 409, 'already_requested');
        assert.equal((await move(first, 'cancelled')).status, 200);
        await requested(id, p);

        const unlimited = await openItem();
        assert.equal((await ask(unlimited, { participant_id: q, quantity: 20 })).status, 201);
        assert.deepEqual(await stock(id), { quantity: 5, out: 1, available: 4, requested: 1 });
      });

      test('positions: the place in the item queue among open requests, null once closed', async () => {
        const id = await openItem({ quantity: 1 });
        const [a, b, c] = [await register(), await register(), await register()];
        const asked = [];
        for (const p of [a, b, c]) {
          const res = await ask(id, {}, await keyOf(p));
          assert.equal(res.status, 201, JSON.stringify(res.body));
          asked.push(only(res.body));
        }
        assert.deepEqual(
          asked.map((r) => r.value.position),
          [1, 2, 3],
        );
        const [ra, rb, rc] = asked.map((r) => r.id) as [number, number, number];
        const positions = async () => {
          const all = await requestList(`?item_id=${id}&status=all`);
          return [ra, rb, rc].map((r) => all[r].position);
        };
        assert.deepEqual(await positions(), [1, 2, 3]);
        assert.equal((await stock(id)).requested, 3);

        assert.equal((await move(ra, 'cancelled', {}, await keyOf(a))).status, 200);
        assert.deepEqual(await positions(), [null, 1, 2]);
        assert.equal(only(await requestList(`?item_id=${id}`, await keyOf(c))).value.position, 2);
        await lent(id, b, { request_id: rb });
        assert.deepEqual(await positions(), [null, null, 1]);
        assert.equal((await stock(id)).requested, 1);
      });

      test('the state machine: only the documented moves, in a table', async () => {
        const id = await openItem({ quantity: 100 });
        /** A fresh request, moved into `status` the way it gets there. */
        const requestIn = async (status: RequestStatus) => {
          const p = await register();
          const requestId = await requested(id, p);
          if (status === 'ready' || status === 'cancelled') assert.equal((await move(requestId, status)).status, 200);
          if (status === 'collected') await lent(id, p, { request_id: requestId });
          return requestId;
        };
        for (const from of REQUEST_STATUSES) {
          for (const to of REQUEST_STATUSES) {
            const requestId = await requestIn(from);
            clock.advance(1000);
            const res = await move(requestId, to);
            const what = `${from} -> ${to}: ${JSON.stringify(res.body)}`;
            if (ALLOWED_MOVES.includes(`${from}->${to}`)) {
              assert.equal(res.status, 200, what);
              assert.equal(res.body[requestId].status, to, what);
              assert.equal(Date.parse(res.body[requestId].updated_at), clock.now(), what);
            } else {
              assertError(res, 400, 'invalid_transition');
              assert.equal((await requestRow(requestId)).status, from, what);
            }
          }
        }
        const requestId = await requestIn('requested');
        assertError(await move(requestId, 'lost'), 400, 'invalid_status');
        assertError(await move(999999, 'ready'), 404, 'hardware_request_not_found');
      });

      test('`from` refuses a move when the request moved meanwhile: 409 request_moved', async () => {
        const id = await openItem();
        const requestId = await requested(id, await register());
        const ready = await move(requestId, 'ready', { from: 'requested' });
        assert.equal(ready.status, 200, JSON.stringify(ready.body));
        assertError(await move(requestId, 'cancelled', { from: 'requested' }, keys.deskB), 409, 'request_moved');
        assert.equal((await requestRow(requestId)).status, 'ready');
        const back = await move(requestId, 'requested', { from: 'ready' });
        assert.equal(back.status, 200, JSON.stringify(back.body));
        assert.equal(back.body[requestId].status, 'requested');
      });

      test('a participant cancels only their own, only while requested; sees only their own', async () => {
        const id = await openItem();
        const [p, q] = [await register(), await register()];
        const [own, theirs] = [await keyOf(p), await keyOf(q)];
        const mine = only((await ask(id, {}, own)).body).id;
        const other = only((await ask(id, {}, theirs)).body).id;

        assertForbidden(await move(mine, 'ready', {}, own), 'readying their own');
        assertForbidden(await move(other, 'cancelled', {}, own), "cancelling someone else's");
        assert.equal((await move(mine, 'ready')).status, 200);
        assertForbidden(await move(mine, 'cancelled', {}, own), 'cancelling their own once ready');
        assertForbidden(await move(mine, 'requested', {}, own), 'putting their own back');
        assert.equal((await move(mine, 'requested')).status, 200);
        const cancelled = await move(mine, 'cancelled', {}, own);
        assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
        assert.equal(cancelled.body[mine].status, 'cancelled');
        assert.equal((await requestRow(other)).status, 'requested');

        for (const query of ['', '?status=all', `?participant_id=${q}`, `?item_id=${id}&status=all`]) {
          const seen = await requestList(query, own);
          assert.ok(
            Object.values(seen).every((r) => r.participant_id === p),
            `${query}: ${JSON.stringify(seen)}`,
          );
        }
        assert.deepEqual(sortedIds(await requestList(`?item_id=${id}&status=all`, own)), [mine]);
      });

      test('the list filters by item, participant and status, open by default', async () => {
        const [one, two] = [await openItem(), await openItem()];
        const [p, q] = [await register(), await register()];
        const open = await requested(one, p);
        const ready = await requested(two, p);
        assert.equal((await move(ready, 'ready')).status, 200);
        const cancelled = await requested(one, q);
        assert.equal((await move(cancelled, 'cancelled')).status, 200);
        const collected = await requested(two, q);
        await lent(two, q, { request_id: collected });

        const inItems = (map: Record<string, any>) =>
          sortedIds(Object.fromEntries(Object.entries(map).filter(([, r]) => [one, two].includes(r.item_id))));
        assert.deepEqual(inItems(await requestList()), [open, ready]);
        assert.deepEqual(inItems(await requestList('?status=open')), [open, ready]);
        assert.deepEqual(inItems(await requestList('?status=all')), [open, ready, cancelled, collected]);
        for (const [status, expected] of [
          ['requested', [open]],
          ['ready', [ready]],
          ['cancelled', [cancelled]],
          ['collected', [collected]],
        ] as const) {
          assert.deepEqual(inItems(await requestList(`?status=${status}`)), expected, status);
        }
        assert.deepEqual(sortedIds(await requestList(`?item_id=${one}&status=all`)), [open, cancelled]);
        assert.deepEqual(sortedIds(await requestList(`?participant_id=${q}&status=all`)), [cancelled, collected]);
        assert.deepEqual(sortedIds(await requestList(`?participant_id=${p}&item_id=${two}`)), [ready]);
        assert.equal((await api.inject('GET', '/hardware/requests?status=maybe', undefined, keys.deskA)).status, 400);
      });
    });

    describe('loans', () => {
      test('by participant_id: 201 with the loan, the units out', async () => {
        const id = await createItem({ name: 'Logic analyser', quantity: 2 });
        const p = await checkedIn();
        const res = await lend(id, { participant_id: p });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const { id: loanId, value } = only(res.body);
        assert.deepEqual(value, {
          item_id: id,
          item_name: 'Logic analyser',
          participant_id: p,
          participant_name: names.get(p),
          quantity: 1,
          returned: 0,
          lost: 0,
          outstanding: 1,
          status: 'out',
          overdue: false,
          due_at: null,
          lent_by: keyIds['Desk A'],
          lent_by_name: 'Desk A',
          request_id: null,
          created_at: value.created_at,
          closed_at: null,
        });
        assert.equal(Date.parse(value.created_at), clock.now());
        assert.deepEqual(await stock(id), { quantity: 2, out: 1, available: 1, requested: 0 });
        assert.deepEqual(await loanList(`?item_id=${id}`), { [loanId]: value });
        const { history, ...loan } = await loanWithHistory(loanId);
        assert.deepEqual(loan, value);
        assert.deepEqual(history, [
          { kind: 'lent', quantity: 1, note: null, key_id: keyIds['Desk A'], key_name: 'Desk A', at: value.created_at },
        ]);
      });

      test('by badge; an unknown badge 404 unknown_badge; both or neither 400 target_required; unknown participant 404', async () => {
        const id = await openItem();
        const p = await register();
        const res = await lend(id, { badge: await badgeOf(p) }, {}, TEST_ADMIN_KEY);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const { value } = only(res.body);
        assert.deepEqual([value.participant_id, value.lent_by, value.lent_by_name], [p, adminKeyId, adminKeyName]);

        assertError(await lend(id, { badge: 'no-such-badge-0000000000' }), 404, 'unknown_badge');
        assertError(await lend(id, { badge: await badgeOf(p), participant_id: p }), 400, 'target_required');
        assertError(await lend(id, {}), 400, 'target_required');
        assertError(await lend(id, { participant_id: 999999 }), 404, 'participant_not_found');
        assert.equal(Object.keys(await loanList(`?item_id=${id}`)).length, 1, 'refusals lend nothing');
        assert.equal((await stock(id)).out, 1);
      });

      test('not_checked_in unless the item does not require it', async () => {
        const strict = await createItem();
        const relaxed = await createItem({ requires_check_in: false });
        const p = await register();
        assertError(await lend(strict, { participant_id: p }), 409, 'not_checked_in');
        await lent(relaxed, p);
        assert.equal((await api.inject('POST', '/checkin', { participant_id: p })).status, 200);
        await lent(strict, p);
        assert.deepEqual([(await stock(strict)).out, (await stock(relaxed)).out], [1, 1]);
      });

      test('per_participant_limit: 1 by default, counts units held, frees with a return; null is no limit', async () => {
        const single = await createItem({ requires_check_in: false, quantity: 10 });
        const p = await register();
        assertError(await lend(single, { participant_id: p }, { quantity: 2 }), 409, 'per_participant_limit');
        const first = await lent(single, p);
        assertError(await lend(single, { participant_id: p }), 409, 'per_participant_limit');
        assert.equal((await giveBack(first.id)).status, 200);
        await lent(single, p);

        const pair = await createItem({ requires_check_in: false, quantity: 10, per_participant_limit: 2 });
        const one = await lent(pair, p);
        await lent(pair, p);
        assertError(await lend(pair, { participant_id: p }), 409, 'per_participant_limit');
        assert.equal((await giveBack(one.id)).status, 200);
        assertError(await lend(pair, { participant_id: p }, { quantity: 2 }), 409, 'per_participant_limit');
        await lent(pair, p);
        assert.equal((await stock(pair)).out, 2);

        const unlimited = await openItem({ quantity: 10 });
        await lent(unlimited, p, { quantity: 6 });
        await lent(unlimited, p, { quantity: 4 });
        assert.equal((await stock(unlimited)).available, 0);
      });

      test('out_of_stock when fewer units are available than asked', async () => {
        const id = await createItem({ requires_check_in: false, quantity: 2 });
        const [a, b, c] = [await register(), await register(), await register()];
        await lent(id, a);
        await lent(id, b);
        assertError(await lend(id, { participant_id: c }), 409, 'out_of_stock');
        const bigger = await openItem({ quantity: 3 });
        await lent(bigger, a, { quantity: 2 });
        assertError(await lend(bigger, { participant_id: b }, { quantity: 2 }), 409, 'out_of_stock');
        await lent(bigger, b);
        const none = await openItem({ quantity: 0 });
        assertError(await lend(none, { participant_id: c }), 409, 'out_of_stock');
        assert.deepEqual(await stock(id), { quantity: 2, out: 2, available: 0, requested: 0 });
        assert.deepEqual(await stock(bigger), { quantity: 3, out: 3, available: 0, requested: 0 });
      });

      test('with request_id: lends the requested quantity and marks the request collected', async () => {
        const id = await openItem({ per_participant_limit: 3 });
        const p = await register();
        const requestId = await requested(id, p, { quantity: 2 });
        assert.equal((await move(requestId, 'ready')).status, 200);
        const { id: loanId, value } = await lent(id, p, { request_id: requestId });
        assert.deepEqual([value.quantity, value.request_id], [2, requestId]);
        const request = await requestRow(requestId);
        assert.deepEqual([request.status, request.loan_id, request.position], ['collected', loanId, null]);
        assert.deepEqual(await stock(id), { quantity: 50, out: 2, available: 48, requested: 0 });

        // Straight from requested, and by badge.
        const q = await register();
        const direct = await requested(id, q);
        const byBadge = await lend(id, { badge: await badgeOf(q) }, { request_id: direct });
        assert.equal(byBadge.status, 201, JSON.stringify(byBadge.body));
        assert.equal((await requestRow(direct)).status, 'collected');
      });

      test('without request_id: the open request for that item leaves the queue all the same', async () => {
        const id = await openItem();
        const other = await openItem();
        const [p, q] = [await register(), await register()];
        const mine = await requested(id, p);
        const elsewhere = await requested(other, p);
        const behind = await requested(id, q);
        assert.equal((await requestRow(behind)).position, 2);
        const { id: loanId } = await lent(id, p);
        assert.deepEqual(
          [(await requestRow(mine)).status, (await requestRow(mine)).loan_id, (await requestRow(mine)).position],
          ['collected', loanId, null],
        );
        assert.equal((await requestRow(elsewhere)).status, 'requested', 'a request for another item stays');
        assert.equal((await requestRow(behind)).position, 1, 'the next in line moves up');
        // Without any open request, a loan collects nothing.
        const { id: second } = await lent(other, q);
        assert.equal((await loanWithHistory(second)).request_id, null);
      });

      test('request refusals: unknown 404, mismatch, closed; nothing lent', async () => {
        const id = await openItem();
        const other = await openItem();
        const [p, q] = [await register(), await register()];
        const mine = await requested(id, p);
        const theirs = await requested(id, q);
        const elsewhere = await requested(other, p);
        const cancelled = await requested(other, q);
        assert.equal((await move(cancelled, 'cancelled')).status, 200);

        assertError(await lend(id, { participant_id: p }, { request_id: 999999 }), 404, 'hardware_request_not_found');
        assertError(await lend(id, { participant_id: p }, { request_id: theirs }), 409, 'request_mismatch');
        assertError(await lend(id, { participant_id: p }, { request_id: elsewhere }), 409, 'request_mismatch');
        assertError(await lend(other, { participant_id: q }, { request_id: cancelled }), 409, 'request_closed');
        await lent(id, p, { request_id: mine });
        assertError(await lend(id, { participant_id: p }, { request_id: mine }), 409, 'request_closed');
        assert.deepEqual([(await stock(id)).out, (await stock(other)).out], [1, 0]);
        assert.deepEqual(await Promise.all([theirs, elsewhere, cancelled].map(async (r) => (await requestRow(r)).status)), [
          'requested',
          'requested',
          'cancelled',
        ]);
      });

      test('loan_hours sets due_at; overdue once it has passed, until returned', async () => {
        const id = await openItem({ loan_hours: 1.5 });
        const p = await register();
        const { id: loanId, value } = await lent(id, p);
        assert.equal(Date.parse(value.due_at), clock.now() + 1.5 * HOUR);
        assert.equal(value.overdue, false);
        const until = await lent(await openItem(), p);
        assert.equal(until.value.due_at, null);

        clock.advance(1.5 * HOUR - 1);
        assert.equal((await loanWithHistory(loanId)).overdue, false);
        assert.equal((await loanList(`?item_id=${id}&status=overdue`))[loanId], undefined);
        clock.advance(2);
        assert.equal((await loanWithHistory(loanId)).overdue, true);
        assert.deepEqual(sortedIds(await loanList(`?item_id=${id}&status=overdue`)), [loanId]);
        assert.deepEqual(sortedIds(await loanList(`?item_id=${id}&status=out`)), [loanId], 'an overdue loan is still out');
        clock.advance(48 * HOUR);
        assert.equal((await loanWithHistory(until.id)).overdue, false, 'a loan until the end is never overdue');

        const back = await giveBack(loanId);
        assert.deepEqual([back.body[loanId].status, back.body[loanId].overdue], ['returned', false]);
        assert.deepEqual(await loanList(`?item_id=${id}&status=overdue`), {});
      });

      test('participants and anonymous callers cannot lend, return or write off; volunteers cannot write off', async () => {
        const id = await openItem();
        const p = await register();
        const own = await keyOf(p);
        assertForbidden(await lend(id, { participant_id: p }, {}, own), 'lending to themself');
        const { id: loanId } = await lent(id, p);
        assertForbidden(await giveBack(loanId, {}, own), 'returning');
        assertForbidden(await writeOff(loanId, {}, own), 'writing off');
        assertForbidden(await writeOff(loanId, {}, keys.deskA), 'a volunteer writing off');
        assert.equal((await lend(id, { participant_id: p }, {}, null)).status, 401);
        assert.equal((await loanWithHistory(loanId)).outstanding, 1);
      });
    });

    describe('returns and write-offs', () => {
      test('partial then full return, then already_returned; every movement in the history with its key', async () => {
        const id = await openItem({ quantity: 5 });
        const p = await register();
        const { id: loanId, value: lentLoan } = await lent(id, p, { quantity: 3 });
        clock.advance(MINUTE);
        const partial = await giveBack(loanId, { quantity: 1, note: 'one back, scratched' }, keys.deskB);
        assert.equal(partial.status, 200, JSON.stringify(partial.body));
        const afterPartial = partial.body[loanId];
        assert.deepEqual(
          [afterPartial.returned, afterPartial.lost, afterPartial.outstanding, afterPartial.status, afterPartial.closed_at],
          [1, 0, 2, 'out', null],
        );
        assert.deepEqual(await stock(id), { quantity: 5, out: 2, available: 3, requested: 0 });
        assertError(await giveBack(loanId, { quantity: 3 }), 409, 'return_exceeds_loan');

        clock.advance(MINUTE);
        const full = await giveBack(loanId);
        assert.equal(full.status, 200, JSON.stringify(full.body));
        const closed = full.body[loanId];
        assert.deepEqual([closed.returned, closed.lost, closed.outstanding, closed.status], [3, 0, 0, 'returned']);
        assert.equal(Date.parse(closed.closed_at), clock.now());
        assert.deepEqual(await stock(id), { quantity: 5, out: 0, available: 5, requested: 0 });
        assertError(await giveBack(loanId), 409, 'already_returned');
        assertError(await giveBack(loanId, { quantity: 1 }), 409, 'already_returned');
        assertError(await writeOff(loanId), 409, 'already_returned');

        const { history, ...loan } = await loanWithHistory(loanId);
        assert.deepEqual(loan, closed);
        const start = Date.parse(lentLoan.created_at);
        assert.deepEqual(history, [
          { kind: 'lent', quantity: 3, note: null, key_id: keyIds['Desk A'], key_name: 'Desk A', at: lentLoan.created_at },
          {
            kind: 'returned',
            quantity: 1,
            note: 'one back, scratched',
            key_id: keyIds['Desk B'],
            key_name: 'Desk B',
            at: new Date(start + MINUTE).toISOString(),
          },
          {
            kind: 'returned',
            quantity: 2,
            note: null,
            key_id: keyIds['Desk A'],
            key_name: 'Desk A',
            at: new Date(start + 2 * MINUTE).toISOString(),
          },
        ]);
        assert.equal((await api.inject('POST', '/hardware/loans/999999/return', {}, keys.deskA)).status, 404);
      });

      test('lost units leave the stock; a loan with any lost unit ends lost; the events table has every row', async () => {
        const id = await openItem({ quantity: 5 });
        const p = await register();
        const { id: loanId } = await lent(id, p, { quantity: 3 });
        const lost = await writeOff(loanId, { quantity: 1, note: 'dropped in the lake' });
        assert.equal(lost.status, 200, JSON.stringify(lost.body));
        assert.deepEqual(
          [lost.body[loanId].returned, lost.body[loanId].lost, lost.body[loanId].outstanding, lost.body[loanId].status],
          [0, 1, 2, 'out'],
        );
        assert.deepEqual(await stock(id), { quantity: 4, out: 2, available: 2, requested: 0 });

        assert.equal((await giveBack(loanId, { quantity: 1, note: 'found one' }, keys.deskB)).status, 200);
        assertError(await giveBack(loanId, { quantity: 2 }), 409, 'return_exceeds_loan');
        assertError(await writeOff(loanId, { quantity: 2 }), 409, 'return_exceeds_loan');
        const end = await giveBack(loanId);
        assert.equal(end.status, 200, JSON.stringify(end.body));
        assert.deepEqual(
          [end.body[loanId].returned, end.body[loanId].lost, end.body[loanId].outstanding, end.body[loanId].status],
          [2, 1, 0, 'lost'],
        );
        assert.equal(Date.parse(end.body[loanId].closed_at), clock.now());
        assertError(await giveBack(loanId), 409, 'loan_lost');
        assertError(await writeOff(loanId), 409, 'loan_lost');
        assert.deepEqual(await stock(id), { quantity: 4, out: 0, available: 4, requested: 0 });

        const expected = [
          { kind: 'lent', quantity: 3, note: null, key_id: keyIds['Desk A'] },
          { kind: 'lost', quantity: 1, note: 'dropped in the lake', key_id: adminKeyId },
          { kind: 'returned', quantity: 1, note: 'found one', key_id: keyIds['Desk B'] },
          { kind: 'returned', quantity: 1, note: null, key_id: keyIds['Desk A'] },
        ];
        const { history } = await loanWithHistory(loanId);
        assert.deepEqual(
          history.map(({ kind, quantity, note, key_id }: any) => ({ kind, quantity, note, key_id })),
          expected,
        );
        assert.deepEqual(
          history.map((h: any) => h.key_name),
          ['Desk A', adminKeyName, 'Desk B', 'Desk A'],
        );
        // Refused returns and write-offs recorded nothing.
        const handle = openTestDatabase(api.database);
        try {
          const rows = await sql<{ kind: string; quantity: number; note: string | null; key_id: number }>`
            select kind, quantity, note, key_id from hardware_loan_events where loan_id = ${loanId} order by id`.execute(
            handle.db,
          );
          assert.deepEqual(
            rows.rows.map((r) => ({ ...r, quantity: Number(r.quantity), key_id: Number(r.key_id) })),
            expected,
          );
        } finally {
          await handle.destroy();
        }

        // All outstanding at once, without a quantity.
        const { id: whole } = await lent(id, p, { quantity: 2 });
        const gone = await writeOff(whole);
        assert.deepEqual([gone.body[whole].lost, gone.body[whole].outstanding, gone.body[whole].status], [2, 0, 'lost']);
        assert.deepEqual(await stock(id), { quantity: 2, out: 0, available: 2, requested: 0 });
      });

      test('a return frees the per-participant limit; a write-off too', async () => {
        const id = await createItem({ requires_check_in: false, quantity: 5, per_participant_limit: 2 });
        const p = await register();
        const { id: loanId } = await lent(id, p, { quantity: 2 });
        assertError(await lend(id, { participant_id: p }), 409, 'per_participant_limit');
        assert.equal((await writeOff(loanId, { quantity: 1 })).status, 200);
        await lent(id, p);
        assertError(await lend(id, { participant_id: p }), 409, 'per_participant_limit');
        assert.equal((await giveBack(loanId)).status, 200);
        await lent(id, p);
      });
    });

    describe('reading loans', () => {
      test('the list filters by status, item and participant; only staff read it', async () => {
        const id = await openItem({ quantity: 10 });
        const [p, q] = [await register(), await register()];
        const out = (await lent(id, p)).id;
        const returned = (await lent(id, p)).id;
        assert.equal((await giveBack(returned)).status, 200);
        const lost = (await lent(id, q)).id;
        assert.equal((await writeOff(lost)).status, 200);
        const partlyBack = (await lent(id, q, { quantity: 2 })).id;
        assert.equal((await giveBack(partlyBack, { quantity: 1 })).status, 200);

        assert.deepEqual(sortedIds(await loanList(`?item_id=${id}`)), [out, returned, lost, partlyBack]);
        assert.deepEqual(sortedIds(await loanList(`?item_id=${id}&status=out`)), [out, partlyBack]);
        assert.deepEqual(sortedIds(await loanList(`?item_id=${id}&status=returned`)), [returned]);
        assert.deepEqual(sortedIds(await loanList(`?item_id=${id}&status=lost`)), [lost]);
        assert.deepEqual(sortedIds(await loanList(`?participant_id=${q}`)), [lost, partlyBack]);
        assert.deepEqual(sortedIds(await loanList(`?participant_id=${p}&status=returned`)), [returned]);
        assert.equal((await api.inject('GET', '/hardware/loans?status=maybe', undefined, keys.deskA)).status, 400);
        assertForbidden(await api.inject('GET', '/hardware/loans', undefined, await keyOf(p)), 'a participant listing loans');
      });

      test('100 a page, page 1 the newest', async () => {
        const id = await openItem({ quantity: 200 });
        const p = await register();
        const loans: number[] = [];
        for (let i = 0; i < 101; i++) loans.push((await lent(id, p)).id);
        const first = await loanList(`?item_id=${id}`);
        assert.deepEqual(sortedIds(first), loans.slice(1));
        assert.deepEqual(sortedIds(await loanList(`?item_id=${id}&page=2`)), loans.slice(0, 1));
        assert.deepEqual(await loanList(`?item_id=${id}&page=3`), {});
      });

      test("one loan: staff and its borrower read it with its history; another participant can't", async () => {
        const id = await openItem();
        const [p, q] = [await register(), await register()];
        const { id: loanId, value } = await lent(id, p);
        for (const as of [TEST_ADMIN_KEY, keys.deskB, await keyOf(p)]) {
          const { history, ...loan } = await loanWithHistory(loanId, as);
          assert.deepEqual(loan, value);
          assert.equal(history.length, 1);
        }
        assertForbidden(await api.inject('GET', `/hardware/loans/${loanId}`, undefined, await keyOf(q)), "another's loan");
        assert.equal((await api.inject('GET', '/hardware/loans/999999', undefined, keys.deskA)).status, 404);

        // The desk's notes are for staff: the borrower reads the movement without them.
        assert.equal((await giveBack(loanId, { note: 'came back with a cracked screen' })).status, 200);
        assert.equal((await loanWithHistory(loanId, keys.deskB)).history[1].note, 'came back with a cracked screen');
        assert.equal((await loanWithHistory(loanId, await keyOf(p))).history[1].note, null);
      });

      test('GET /users/:id/loans and /me carry the participant loans of every status', async () => {
        const [first, second] = [await openItem(), await openItem()];
        const [p, q] = [await register(), await register()];
        const kept = (await lent(first, p)).id;
        const back = (await lent(second, p)).id;
        assert.equal((await giveBack(back)).status, 200);
        const lost = (await lent(second, p)).id;
        assert.equal((await writeOff(lost)).status, 200);
        await lent(first, q);

        const own = await keyOf(p);
        const byStaff = await api.inject('GET', `/users/${p}/loans`, undefined, keys.deskA);
        assert.equal(byStaff.status, 200, JSON.stringify(byStaff.body));
        assert.deepEqual(sortedIds(byStaff.body), [kept, back, lost]);
        assert.deepEqual(byStaff.body, await loanList(`?participant_id=${p}`));
        assert.deepEqual((await api.inject('GET', `/users/${p}/loans`, undefined, own)).body, byStaff.body);
        assert.deepEqual((await api.inject('GET', `/users/${p}/loans`)).body, byStaff.body);
        assertForbidden(await api.inject('GET', `/users/${p}/loans`, undefined, await keyOf(q)), "another's loans");

        assert.deepEqual((await api.inject('GET', '/me', undefined, own)).body.loans, byStaff.body);
        assert.equal((await api.inject('GET', '/me', undefined, keys.deskA)).body.loans, null);
        assert.equal((await api.inject('GET', '/me')).body.loans, null);
      });
    });

    test('GET /stats counts items, units, units out, overdue loans and open requests', async () => {
      // A database of its own, so the counts are only this test's.
      const statsClock = manualClock();
      const own = await startTestApp(backend.name, {}, undefined, { clock: statsClock });
      try {
        const hardware = async () => {
          const res = await own.inject('GET', '/stats');
          assert.equal(res.status, 200, JSON.stringify(res.body));
          return res.body.hardware;
        };
        assert.deepEqual(await hardware(), { items: 0, units: 0, out: 0, overdue_loans: 0, open_requests: 0 });
        const create = async (fields: Record<string, unknown>) =>
          only((await own.inject('POST', '/hardware', { name: 'Sensor kit', requires_check_in: false, ...fields })).body).id;
        const registerOwn = async (n: number) => only((await own.inject('POST', '/register', sampleParticipant(n, []))).body).id;
        const timed = await create({ quantity: 3, loan_hours: 1, per_participant_limit: null });
        const untimed = await create({ quantity: 2 });
        const [a, b, c] = [await registerOwn(1), await registerOwn(2), await registerOwn(3)];
        const loanOf = async (body: Record<string, unknown>) => {
          const res = await own.inject('POST', '/hardware/loans', body);
          assert.equal(res.status, 201, JSON.stringify(res.body));
          return only(res.body).id;
        };
        const timedLoan = await loanOf({ item_id: timed, participant_id: a, quantity: 2 });
        const untimedLoan = await loanOf({ item_id: untimed, participant_id: a });
        const requestOf = async (itemId: number, participantId: number) =>
          only((await own.inject('POST', '/hardware/requests', { item_id: itemId, participant_id: participantId })).body).id;
        await requestOf(timed, b);
        const readied = await requestOf(untimed, b);
        assert.equal((await own.inject('PUT', `/hardware/requests/${readied}`, { status: 'ready' })).status, 200);
        const cancelled = await requestOf(untimed, c);
        assert.equal((await own.inject('PUT', `/hardware/requests/${cancelled}`, { status: 'cancelled' })).status, 200);
        assert.deepEqual(await hardware(), { items: 2, units: 5, out: 3, overdue_loans: 0, open_requests: 2 });

        statsClock.advance(HOUR + 1);
        assert.deepEqual(await hardware(), { items: 2, units: 5, out: 3, overdue_loans: 1, open_requests: 2 });
        // Archived with 2 units out: it leaves the stock, but what is out still has to come back.
        assert.equal((await own.inject('DELETE', `/hardware/${timed}`)).status, 200);
        assert.deepEqual(await hardware(), { items: 1, units: 2, out: 3, overdue_loans: 1, open_requests: 1 });
        assert.equal((await own.inject('POST', `/hardware/loans/${timedLoan}/return`, {})).status, 200);
        assert.equal((await own.inject('POST', `/hardware/loans/${untimedLoan}/lost`, {})).status, 200);
        assert.deepEqual(await hardware(), { items: 1, units: 1, out: 0, overdue_loans: 0, open_requests: 1 });
      } finally {
        await own.close();
      }
    });

    test('a reset import clears requests, loans and their history; items stay, with nothing out', async () => {
      const own = await startTestApp(backend.name);
      const handle = openTestDatabase(own.database);
      try {
        const body = { name: 'Oscilloscope', quantity: 4, per_participant_limit: null, requires_check_in: false };
        const itemId = only((await own.inject('POST', '/hardware', body)).body).id;
        const people = [];
        for (const n of [1, 2, 3]) people.push(only((await own.inject('POST', '/register', sampleParticipant(n, []))).body).id);
        const loan = await own.inject('POST', '/hardware/loans', { item_id: itemId, participant_id: people[0], quantity: 2 });
        assert.equal(loan.status, 201, JSON.stringify(loan.body));
        const returned = await own.inject('POST', '/hardware/loans', { item_id: itemId, participant_id: people[1] });
        assert.equal((await own.inject('POST', `/hardware/loans/${only(returned.body).id}/return`, {})).status, 200);
        const asked = await own.inject('POST', '/hardware/requests', { item_id: itemId, participant_id: people[2] });
        assert.equal(asked.status, 201, JSON.stringify(asked.body));

        await importParticipants(handle, generateParticipants(5, 11), { reset: true });

        const rows = async (table: 'hardware_loans' | 'hardware_loan_events' | 'hardware_requests' | 'hardware_holdings') =>
          (await handle.db.selectFrom(table).selectAll().execute()).length;
        assert.deepEqual(
          [
            await rows('hardware_loans'),
            await rows('hardware_loan_events'),
            await rows('hardware_requests'),
            await rows('hardware_holdings'),
          ],
          [0, 0, 0, 0],
        );
        const items = (await own.inject('GET', '/hardware')).body;
        assert.deepEqual(
          Object.values(items).map(({ name, quantity, out, requested }: any) => ({ name, quantity, out, requested })),
          [{ name: 'Oscilloscope', quantity: 4, out: 0, requested: 0 }],
        );
        assert.deepEqual(await hardwareDiscrepancies(handle.db), []);
        const again = await own.inject('POST', '/hardware/loans', { item_id: itemId, participant_id: 1, quantity: 4 });
        assert.equal(again.status, 201, `the whole stock lends again: ${JSON.stringify(again.body)}`);
      } finally {
        await handle.destroy();
        await own.close();
      }
    });

    test('live: items reach staff; loans and requests reach staff and the borrower, not another participant', async () => {
      const base = await api.listen();
      const [borrower, bystander] = [await register(), await register()];
      const streams = {
        admin: openStream(base, TEST_ADMIN_KEY),
        volunteer: openStream(base, keys.deskB),
        borrower: openStream(base, await keyOf(borrower)),
        bystander: openStream(base, await keyOf(bystander)),
      };
      try {
        for (const stream of Object.values(streams)) await stream.ready();
        const id = await createItem({ name: 'Soldering iron', quantity: 2, requires_check_in: false });
        const asked = await ask(id, {}, await keyOf(borrower));
        assert.equal(asked.status, 201, JSON.stringify(asked.body));
        const requestId = only(asked.body).id;
        const { id: loanId } = await lent(id, borrower, { request_id: requestId });
        assert.equal((await giveBack(loanId)).status, 200);

        for (const stream of [streams.admin, streams.volunteer]) {
          await stream.waitFor(
            (e) => hardwareEvents(e, 'item').some((d) => d.item_id === id) && hardwareEvents(e, 'loan').length >= 2,
            'the item and two loan events',
          );
          const created = hardwareEvents(stream.events, 'item').find((d) => d.item_id === id);
          assert.equal(created.item.name, 'Soldering iron');
          assert.equal(created.item.quantity, 2);
        }
        await streams.borrower.waitFor((e) => hardwareEvents(e, 'loan').length >= 2, 'two loan events for the borrower');
        for (const stream of [streams.volunteer, streams.borrower]) {
          const requests = hardwareEvents(stream.events, 'request');
          assert.ok(requests.length >= 1, 'a request event');
          assert.deepEqual(
            [requests[0].request_id, requests[0].item_id, requests[0].request.status, requests[0].request.participant_id],
            [requestId, id, 'requested', borrower],
          );
          const loans = hardwareEvents(stream.events, 'loan');
          assert.deepEqual(
            loans.map((d) => [d.loan_id, d.item_id, d.loan.status, d.loan.participant_id, d.available]),
            [
              [loanId, id, 'out', borrower, 1],
              [loanId, id, 'returned', borrower, 2],
            ],
          );
        }
        assert.deepEqual(hardwareEvents(streams.borrower.events, 'item'), [], 'item events are for staff');

        // Nothing about someone else reaches a participant.
        await new Promise((resolve) => setTimeout(resolve, 600));
        assert.deepEqual(hardwareEvents(streams.bystander.events), []);
      } finally {
        for (const stream of Object.values(streams)) await stream.close();
      }
    });
  });
}
