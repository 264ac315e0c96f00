import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { participantTallies } from '../scripts/scan-audit.js';
import type { DatabaseHandle } from '../src/db/database.js';
import { importParticipants } from '../src/modules/import/import.service.js';
import {
  type ApiResponse,
  type As,
  BACKENDS,
  createTestDatabase,
  httpJson,
  type ManualClock,
  manualClock,
  openTestDatabase,
  sampleParticipant,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
  type TestDatabase,
} from './helpers.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Longer than the roster's cursor overlap (5 minutes): a change this much older than a read is not sent again. */
const PAST_OVERLAP = 10 * MINUTE;

const iso = (ms: number) => new Date(ms).toISOString();
const onlyId = (map: Record<string, unknown>) => {
  const ids = Object.keys(map);
  assert.equal(ids.length, 1, JSON.stringify(map));
  return Number(ids[0]);
};
const parallel = <T>(count: number, fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: count }, (_, i) => fn(i)));

/** What the roster says of a participant, and nothing else: no e-mail, no phone. */
const ROSTER_FIELDS = ['badge_version', 'checked_in', 'dietary_restrictions', 'id', 'name', 'scans', 'tags'];

for (const backend of BACKENDS) {
  describe(`offline sync (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let clock: ManualClock;
    const devices = { a: '', b: '' };
    const deviceIds = { a: 0, b: 0 };
    const participantKeys = new Map<number, string>();
    let people = 0;
    let nonces = 0;

    const nonce = () => `offline-${backend.name}-${++nonces}`;
    const register = async (fields: Record<string, unknown> = {}): Promise<number> => {
      const res = await api.inject('POST', '/register', { ...sampleParticipant(++people, []), ...fields });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return onlyId(res.body);
    };
    const checkIn = async (id: number) =>
      assert.equal((await api.inject('POST', '/checkin', { participant_id: id })).status, 200);
    const createCheckpoint = async (fields: Record<string, unknown> = {}): Promise<number> => {
      const res = await api.inject('POST', '/checkpoints', { name: 'Lunch', kind: 'meal', ...fields });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return onlyId(res.body);
    };
    const checkpoint = async (id: number) => {
      const res = await api.inject('GET', `/checkpoints/${id}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body[id];
    };
    const scanList = async (id: number): Promise<Record<string, any>> => {
      const res = await api.inject('GET', `/checkpoints/${id}/scans`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const checkInStatus = async (id: number) => (await api.inject('GET', `/checkin?participant_id=${id}`)).body;
    const upload = async (items: object[], as: As = devices.a): Promise<any[]> => {
      const res = await api.inject('POST', '/sync/scans', items, as);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.results.length, items.length, 'one result per queued scan');
      return res.body.results;
    };
    /** A queued scan made a minute ago (by default) at a checkpoint, or at the door with `check_in`. */
    const queued = (target: Record<string, unknown>, fields: Record<string, unknown> = {}) => ({
      ...target,
      nonce: nonce(),
      scanned_at: iso(clock.now() - MINUTE),
      ...fields,
    });
    const atCheckpoint = (checkpointId: number, participantId: number, fields: Record<string, unknown> = {}) =>
      queued({ checkpoint_id: checkpointId, participant_id: participantId }, fields);
    const atDoor = (participantId: number, fields: Record<string, unknown> = {}) =>
      queued({ check_in: true, participant_id: participantId }, fields);
    const roster = async (query = '', as: As = devices.a) => {
      const res = await api.inject('GET', `/sync/roster${query}`, undefined, as);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const rosterEntry = (body: any, id: number) => body.participants.find((p: { id: number }) => p.id === id);
    /** The participant's current badge code, as their phone shows it. */
    const badgeOf = async (id: number): Promise<string> => {
      if (!participantKeys.has(id)) participantKeys.set(id, await api.createKey('participant', id, `participant ${id}`));
      const res = await api.inject('GET', '/me', undefined, participantKeys.get(id));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.badge.badge;
    };
    const participantView = (id: number, tags = ['hacker'], dietary = '') => ({
      id,
      name: `Test Person ${id}`,
      tags,
      dietary_restrictions: dietary,
    });

    before(async () => {
      clock = manualClock();
      api = await startTestApp(backend.name, {}, undefined, { clock });
      devices.a = await api.createKey('volunteer', undefined, 'Device A');
      devices.b = await api.createKey('volunteer', undefined, 'Device B');
      const listed = await api.inject<Record<string, { name: string }>>('GET', '/keys');
      for (const [id, key] of Object.entries(listed.body)) {
        if (key.name === 'Device A') deviceIds.a = Number(id);
        if (key.name === 'Device B') deviceIds.b = Number(id);
      }
      assert.ok(deviceIds.a > 0 && deviceIds.b > 0, 'both devices have key ids');
    });
    after(() => api?.close());

    describe('GET /sync/roster', () => {
      test('full: everyone with check-in, counts per checkpoint and badge version; every checkpoint; the badge key', async () => {
        const open = await createCheckpoint({ per_participant_limit: 2, requires_check_in: false });
        const archived = await createCheckpoint({ name: 'Breakfast' });
        assert.equal((await api.inject('DELETE', `/checkpoints/${archived}`)).status, 200);
        const ann = await register({ tags: ['hacker', 'mentor'], dietary_restrictions: 'vegan' });
        const bob = await register();
        await checkIn(ann);
        const scans = [];
        for (let i = 0; i < 2; i++) {
          const res = await api.inject('POST', `/checkpoints/${open}/scans`, { participant_id: ann, nonce: nonce() }, devices.a);
          assert.equal(res.status, 201, JSON.stringify(res.body));
          scans.push(res.body.scan_id);
        }
        assert.equal((await api.inject('POST', `/scans/${scans[0]}/undo`)).status, 200, 'an undone scan no longer counts');

        const body = await roster();
        assert.equal(body.full, true);
        assert.match(body.cursor, /^\d+\.\d+$/);
        assert.equal(body.synced_at, iso(clock.now()));
        assert.deepEqual(body.checkpoints, (await api.inject('GET', '/checkpoints?archived=true')).body);
        assert.ok(body.checkpoints[archived].archived, 'archived checkpoints come too');
        const users = (await api.inject('GET', '/users')).body;
        assert.deepEqual(
          body.participants.map((p: { id: number }) => p.id),
          Object.keys(users).map(Number),
          'everyone, in id order',
        );
        for (const entry of body.participants) assert.deepEqual(Object.keys(entry).sort(), ROSTER_FIELDS);
        const text = JSON.stringify(body);
        assert.ok(
          !text.includes(sampleParticipant(ann).email) && !text.includes(sampleParticipant(ann).phone),
          'no contact data',
        );
        assert.deepEqual(rosterEntry(body, ann), {
          ...participantView(ann, ['hacker', 'mentor'], 'vegan'),
          checked_in: true,
          badge_version: 1,
          scans: { [open]: 1 },
        });
        assert.deepEqual(rosterEntry(body, bob), { ...participantView(bob), checked_in: false, badge_version: 1, scans: {} });

        // The key an offline scanner checks badges with is the one they are signed with.
        assert.equal(body.badge_key.algorithm, 'Ed25519');
        const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: body.badge_key.public_key }, format: 'jwk' });
        const [id, version, signature] = (await badgeOf(ann)).split('.') as [string, string, string];
        assert.deepEqual([Number(id), Number(version)], [ann, 1]);
        const message = Buffer.from(`tapioca-badge:${ann}.1`);
        assert.ok(verify(null, message, publicKey, Buffer.from(signature, 'base64url')));
        assert.ok(!verify(null, Buffer.from(`tapioca-badge:${bob}.1`), publicKey, Buffer.from(signature, 'base64url')));

        assert.equal((await api.inject('GET', '/sync/roster', undefined, TEST_ADMIN_KEY)).status, 200, 'admins too');
      });

      test('delta: whoever was checked in, scanned, renamed, rotated or checked in offline since; nobody else', async () => {
        const meal = await createCheckpoint({ requires_check_in: false });
        const ids = (await Promise.all(Array.from({ length: 6 }, () => register()))).sort((x, y) => x - y);
        const [checkedIn, scanned, renamed, rotated, offlineDoor, unchanged] = ids as [
          number,
          number,
          number,
          number,
          number,
          number,
        ];
        clock.advance(PAST_OVERLAP);
        const first = await roster();
        assert.ok(rosterEntry(first, unchanged), 'everyone is in a full roster');

        clock.advance(PAST_OVERLAP);
        await checkIn(checkedIn);
        assert.equal(
          (await api.inject('POST', `/checkpoints/${meal}/scans`, { participant_id: scanned, nonce: nonce() }, devices.a)).status,
          201,
        );
        assert.equal((await api.inject('PUT', `/users/${renamed}`, { name: 'Renamed Person' })).status, 200);
        assert.equal((await api.inject('POST', `/users/${rotated}/badge/rotate`)).status, 200);
        // Walked in two hours ago, uploaded now: the upload is the change, not the walk-in.
        const [door] = await upload([atDoor(offlineDoor, { scanned_at: iso(clock.now() - 2 * HOUR) })]);
        assert.equal(door.status, 'accepted', JSON.stringify(door));

        clock.advance(PAST_OVERLAP);
        const delta = await roster(`?since=${first.cursor}`);
        assert.equal(delta.full, false);
        assert.deepEqual(
          delta.participants.map((p: { id: number }) => p.id),
          [checkedIn, scanned, renamed, rotated, offlineDoor],
          'only those changed since the cursor',
        );
        assert.equal(rosterEntry(delta, checkedIn).checked_in, true);
        assert.deepEqual(rosterEntry(delta, scanned).scans, { [meal]: 1 });
        assert.equal(rosterEntry(delta, renamed).name, 'Renamed Person');
        assert.equal(rosterEntry(delta, rotated).badge_version, 2);
        assert.equal(rosterEntry(delta, offlineDoor).checked_in, true);
        assert.deepEqual(delta.checkpoints, (await api.inject('GET', '/checkpoints?archived=true')).body, 'checkpoints whole');

        const quiet = await roster(`?since=${delta.cursor}`);
        assert.deepEqual(quiet.participants, [], 'nothing changed since, and the changes are older than the overlap');

        // An undo is a change too: the count goes, and the entry says so with no scans left there.
        const scanId = Number(Object.keys(await scanList(meal))[0]);
        assert.equal((await api.inject('POST', `/scans/${scanId}/undo`)).status, 200);
        const undone = await roster(`?since=${quiet.cursor}`);
        assert.deepEqual(
          undone.participants.map((p: { id: number; scans: object }) => [p.id, p.scans]),
          [[scanned, {}]],
        );
      });

      test('a cursor it did not give is 400 invalid_cursor; participant keys are 403, no key 401', async () => {
        for (const since of ['abc', '-5', '1e3', '', '1764633600000', '1.2.3', '.5', '1.', '1.1234567890123456']) {
          const res = await api.inject('GET', `/sync/roster?since=${encodeURIComponent(since)}`, undefined, devices.a);
          assert.equal(res.status, 400, since);
          assert.equal(res.body.code, 'invalid_cursor', `${since}: ${JSON.stringify(res.body)}`);
        }
        const hacker = await register();
        await badgeOf(hacker);
        const key = participantKeys.get(hacker)!;
        assert.equal((await api.inject('GET', '/sync/roster', undefined, key)).status, 403);
        assert.equal((await api.inject('GET', '/sync/roster', undefined, null)).status, 401);
        const meal = await createCheckpoint({ requires_check_in: false });
        const res = await api.inject('POST', '/sync/scans', [atCheckpoint(meal, hacker)], key);
        assert.equal(res.status, 403);
        assert.equal((await checkpoint(meal)).counts.accepted, 0);
      });
    });

    describe('POST /sync/scans', () => {
      test('applied in order, one result each; accepted scans are offline and listed as such', async () => {
        const meal = await createCheckpoint({ per_participant_limit: 1, requires_check_in: true });
        const [ann, bob] = [await register(), await register()];
        const walkedIn = clock.now() - 10 * MINUTE;
        const items = [
          atDoor(ann, { scanned_at: iso(walkedIn) }),
          atCheckpoint(meal, ann),
          // Bob's meal comes before his check-in in the queue: the server applies it first, so he was not in yet.
          atCheckpoint(meal, bob),
          atDoor(bob),
        ];
        const results = await upload(items);
        assert.deepEqual(
          results.map((r) => r.nonce),
          items.map((i) => i.nonce),
        );
        const expectedDoor = {
          participant_id: ann,
          checked_in: true,
          check_in_time: Math.floor(walkedIn / 1000),
          volunteer_id: deviceIds.a,
          volunteer_name: 'Device A',
        };
        assert.deepEqual(results[0], {
          nonce: items[0]!.nonce,
          check_in: true,
          offline: true,
          participant_id: ann,
          status: 'accepted',
          check_in_status: expectedDoor,
        });
        assert.deepEqual(await checkInStatus(ann), expectedDoor, 'checked in when they walked in');
        assert.deepEqual(results[1], {
          nonce: items[1]!.nonce,
          checkpoint_id: meal,
          offline: true,
          status: 'accepted',
          scan_id: results[1].scan_id,
          participant: participantView(ann),
          count: 1,
          remaining: 0,
        });
        assert.equal(results[2].status, 'refused');
        assert.equal(results[2].code, 'offline_conflict');
        assert.equal(results[2].conflict_reason, 'not_checked_in');
        assert.equal(results[2].offline, true);
        assert.deepEqual(results[2].participant, participantView(bob));
        assert.equal(typeof results[2].error, 'string');
        assert.equal(results[3].status, 'accepted');

        assert.deepEqual((await checkpoint(meal)).counts, { accepted: 1, participants: 1, refused: 1, conflicts: 1 });
        const listed = await scanList(meal);
        const accepted = listed[results[1].scan_id];
        assert.equal(accepted.offline, true);
        assert.equal(accepted.outcome, 'accepted');
        assert.equal(accepted.key_name, 'Device A');
        assert.equal(accepted.scanned_at, items[1]!.scanned_at);
        assert.equal(accepted.received_at, iso(clock.now()));
        const conflict = listed[results[2].scan_id];
        assert.deepEqual([conflict.offline, conflict.outcome, conflict.reason], [true, 'refused', 'offline_conflict']);
      });

      test('uploading the same batch again changes nothing and answers the same', async () => {
        const meal = await createCheckpoint({ per_participant_limit: 1 });
        const [ann, bob, cid] = [await register(), await register(), await register()];
        await checkIn(cid);
        const items = [
          atDoor(ann),
          atCheckpoint(meal, ann),
          atCheckpoint(meal, bob),
          atCheckpoint(meal, cid),
          atCheckpoint(meal, cid),
          atDoor(cid),
        ];
        const first = await upload(items);
        assert.deepEqual(
          first.map((r) => [r.status, r.code ?? null, r.conflict_reason ?? null]),
          [
            ['accepted', null, null],
            ['accepted', null, null],
            ['refused', 'offline_conflict', 'not_checked_in'],
            ['accepted', null, null],
            ['refused', 'offline_conflict', 'already_redeemed'],
            ['refused', 'already_checked_in', null],
          ],
        );
        const state = async () => ({
          counts: (await checkpoint(meal)).counts,
          scans: await scanList(meal),
          doors: [await checkInStatus(ann), await checkInStatus(bob), await checkInStatus(cid)],
          stats: (await api.inject('GET', '/stats')).body.checkpoints,
        });
        const before = await state();
        assert.deepEqual(before.counts, { accepted: 2, participants: 2, refused: 2, conflicts: 2 });

        clock.advance(MINUTE);
        assert.deepEqual(await upload(items), first, 'the same answers');
        assert.deepEqual(await state(), before, 'nothing changed');
        // A re-upload in another order, or a part of it, still answers each scan by its nonce.
        assert.deepEqual(await upload([...items].reverse()), [...first].reverse());
        assert.deepEqual(await state(), before);
      });

      test('two devices let the same person into a once-only meal: one counts, the other is an offline_conflict', async () => {
        const meal = await createCheckpoint({ per_participant_limit: 1 });
        const ann = await register();
        await checkIn(ann);
        const [fromA, fromB] = await Promise.all([
          upload([atCheckpoint(meal, ann)], devices.a),
          upload([atCheckpoint(meal, ann)], devices.b),
        ]);
        const results = [fromA[0], fromB[0]];
        const accepted = results.filter((r) => r.status === 'accepted');
        const refused = results.filter((r) => r.status === 'refused');
        assert.equal(accepted.length, 1, JSON.stringify(results));
        assert.equal(refused.length, 1, JSON.stringify(results));
        assert.equal(refused[0].code, 'offline_conflict');
        assert.equal(refused[0].conflict_reason, 'already_redeemed');
        assert.equal(refused[0].offline, true);
        assert.equal(refused[0].last_accepted_by, accepted[0] === fromA[0] ? 'Device A' : 'Device B', 'says who let them in');
        assert.deepEqual((await checkpoint(meal)).counts, { accepted: 1, participants: 1, refused: 1, conflicts: 1 });
        const stats = (await api.inject('GET', '/stats')).body.checkpoints;
        const listed = stats.find((c: { id: number }) => c.id === meal);
        assert.deepEqual([listed.accepted, listed.refused, listed.conflicts], [1, 1, 1], 'on the dashboard');
      });

      test('offline uploads never take a capacity past its limit', async () => {
        const swag = await createCheckpoint({ kind: 'swag', capacity: 2, requires_check_in: false });
        const people = await Promise.all(Array.from({ length: 5 }, () => register()));
        const [fromA, fromB] = await Promise.all([
          upload(
            people.slice(0, 3).map((p) => atCheckpoint(swag, p)),
            devices.a,
          ),
          upload(
            people.slice(3).map((p) => atCheckpoint(swag, p)),
            devices.b,
          ),
        ]);
        const results = [...fromA, ...fromB];
        assert.equal(results.filter((r) => r.status === 'accepted').length, 2, JSON.stringify(results));
        const conflicts = results.filter((r) => r.status === 'refused');
        assert.equal(conflicts.length, 3);
        for (const r of conflicts) assert.deepEqual([r.code, r.conflict_reason], ['offline_conflict', 'capacity_reached']);
        assert.deepEqual((await checkpoint(swag)).counts, { accepted: 2, participants: 2, refused: 3, conflicts: 3 });
      });

      test('a scan whose online answer was lost, then uploaded with the same nonce, gets the first answer', async () => {
        const meal = await createCheckpoint({ per_participant_limit: 1 });
        const ann = await register();
        await checkIn(ann);
        const lost = atCheckpoint(meal, ann);
        const online = await api.inject(
          'POST',
          `/checkpoints/${meal}/scans`,
          { participant_id: ann, nonce: lost.nonce, scanned_at: lost.scanned_at },
          devices.a,
        );
        assert.equal(online.status, 201, JSON.stringify(online.body));
        const [result] = await upload([lost], devices.a);
        assert.equal(result.status, 'accepted', JSON.stringify(result));
        assert.equal(result.scan_id, online.body.scan_id);
        assert.deepEqual([result.count, result.remaining], [1, 0]);
        assert.notEqual(result.offline, true, 'the first answer was given online');
        assert.deepEqual((await checkpoint(meal)).counts, { accepted: 1, participants: 1, refused: 0, conflicts: 0 });
        assert.deepEqual(Object.keys(await scanList(meal)), [String(online.body.scan_id)]);

        // The same nonce from another device is another scan: a conflict, not the first answer.
        const [other] = await upload([lost], devices.b);
        assert.deepEqual([other.status, other.conflict_reason], ['refused', 'already_redeemed']);
      });

      test('door check-ins offline: dated when they walked in; a second device is told who and when; re-uploads answer alike', async () => {
        const ann = await register();
        const attendance = async () => (await api.inject('GET', '/checkin/counts', undefined, devices.a)).body.checked_in;
        const inBefore = await attendance();
        const walkedIn = clock.now() - 10 * MINUTE;
        const byA = atDoor(ann, { scanned_at: iso(walkedIn) });
        const byB = atDoor(ann, { scanned_at: iso(clock.now() - 5 * MINUTE) });
        const [first] = await upload([byA], devices.a);
        const checkedIn = {
          participant_id: ann,
          checked_in: true,
          check_in_time: Math.floor(walkedIn / 1000),
          volunteer_id: deviceIds.a,
          volunteer_name: 'Device A',
        };
        assert.deepEqual(first, {
          nonce: byA.nonce,
          check_in: true,
          offline: true,
          participant_id: ann,
          status: 'accepted',
          check_in_status: checkedIn,
        });
        const [second] = await upload([byB], devices.b);
        assert.equal(second.status, 'refused');
        assert.equal(second.code, 'already_checked_in');
        assert.deepEqual(second.check_in_status, checkedIn, 'who checked them in, and when');
        assert.deepEqual(await checkInStatus(ann), checkedIn);

        assert.deepEqual(await upload([byA], devices.a), [first]);
        assert.deepEqual(await upload([byB], devices.b), [second]);
        assert.deepEqual(await checkInStatus(ann), checkedIn);
        assert.equal(await attendance(), inBefore + 1, 'counted once at the door');
      });

      test('a door check-in sent online whose answer was lost is accepted when uploaded with the same nonce', async () => {
        const [ann, bob] = [await register(), await register()];
        const lost = atDoor(ann);
        const online = await api.inject('POST', '/checkin', { participant_id: ann, nonce: lost.nonce }, devices.a);
        assert.equal(online.status, 200, JSON.stringify(online.body));
        const [result] = await upload([lost], devices.a);
        assert.equal(result.status, 'accepted', JSON.stringify(result));
        assert.deepEqual(result.check_in_status, online.body);

        const badge = await badgeOf(bob);
        const byBadge = queued({ check_in: true, badge });
        assert.equal((await api.inject('POST', '/checkin', { badge, nonce: byBadge.nonce }, devices.a)).status, 200);
        const [again] = await upload([byBadge], devices.a);
        assert.deepEqual([again.status, again.participant_id], ['accepted', bob]);
      });

      test('POST /checkin with a nonce repeated by the same key answers the first 200, not already_checked_in', async () => {
        const ann = await register();
        const body = { participant_id: ann, nonce: nonce() };
        const first = await api.inject('POST', '/checkin', body, devices.a);
        assert.equal(first.status, 200, JSON.stringify(first.body));
        clock.advance(MINUTE);
        const repeated = await api.inject('POST', '/checkin', body, devices.a);
        assert.deepEqual([repeated.status, repeated.body], [200, first.body]);
        for (const [other, as] of [
          [{ participant_id: ann, nonce: nonce() }, devices.a],
          [{ participant_id: ann }, devices.a],
          [body, devices.b],
        ] as const) {
          const res = await api.inject('POST', '/checkin', other, as);
          assert.deepEqual([res.status, res.body.code], [400, 'already_checked_in'], JSON.stringify(other));
        }
        for (const bad of ['short', 'x'.repeat(65)]) {
          const res = await api.inject('POST', '/checkin', { participant_id: ann, nonce: bad }, devices.a);
          assert.equal(res.status, 400, bad);
        }
      });

      test("an item the server cannot take is that item's error, never the batch's", async () => {
        const meal = await createCheckpoint({ per_participant_limit: null, requires_check_in: false });
        const ann = await register();
        const before = (await checkpoint(meal)).counts;
        const items: Record<string, unknown>[] = [
          atCheckpoint(meal, ann),
          atCheckpoint(meal, ann, { scanned_at: iso(clock.now() - 24 * HOUR - MINUTE) }),
          atCheckpoint(999_999, ann),
          queued({ participant_id: ann }),
          queued({ checkpoint_id: meal, check_in: true, participant_id: ann }),
          atCheckpoint(meal, ann, { participant_id: undefined }),
          atDoor(999_999),
          atDoor(ann, { scanned_at: iso(clock.now() + HOUR) }),
          atCheckpoint(meal, ann),
        ];
        // The same nonce again in the batch: for the same scan it is the same answer, for another one an error.
        const other = await register();
        items.push({ ...items[8]! }, { ...items[8]!, participant_id: other });
        const results = await upload(items);
        assert.deepEqual(
          results.map((r) => [r.nonce, r.status, r.code ?? null]),
          [
            [items[0]!.nonce, 'accepted', null],
            [items[1]!.nonce, 'error', 'invalid_time'],
            [items[2]!.nonce, 'error', 'checkpoint_not_found'],
            [items[3]!.nonce, 'error', 'target_required'],
            [items[4]!.nonce, 'error', 'target_required'],
            [items[5]!.nonce, 'error', 'target_required'],
            [items[6]!.nonce, 'unknown', 'participant_not_found'],
            [items[7]!.nonce, 'error', 'invalid_time'],
            [items[8]!.nonce, 'accepted', null],
            [items[8]!.nonce, 'accepted', null],
            [items[8]!.nonce, 'error', 'idempotency_key_reused'],
          ],
        );
        assert.deepEqual(results[9], results[8]);
        for (const r of results.filter((r) => r.status === 'error')) assert.equal(typeof r.error, 'string');
        assert.equal(results[2].checkpoint_id, 999_999);
        assert.equal(results[8].count, 2, 'the errors between counted nothing');
        assert.deepEqual((await checkpoint(meal)).counts, {
          ...before,
          accepted: before.accepted + 2,
          participants: before.participants + 1,
        });
        assert.equal((await checkInStatus(ann)).checked_in, false, 'the door check-ins in error did nothing');
      });

      test('a batch is 1 to 500 queued scans; anything else is refused whole', async () => {
        const meal = await createCheckpoint({ per_participant_limit: null, requires_check_in: false });
        const ann = await register();
        const many = (n: number) => Array.from({ length: n }, () => atCheckpoint(meal, ann));
        for (const body of [many(501), [], {}, [{ ...atCheckpoint(meal, ann), nonce: 'short' }]]) {
          const res = await api.inject('POST', '/sync/scans', body, devices.a);
          assert.equal(res.status, 400, JSON.stringify(res.body).slice(0, 200));
        }
        assert.equal((await checkpoint(meal)).counts.accepted, 0, 'a refused batch counts nothing');
        const results = await upload(many(500));
        assert.ok(
          results.every((r) => r.status === 'accepted'),
          'all 500 accepted',
        );
        assert.equal(results[499].count, 500);
        assert.equal((await checkpoint(meal)).counts.accepted, 500);
      });

      test('forged and revoked signed badges match nobody, online and in uploads', async () => {
        const meal = await createCheckpoint({ per_participant_limit: null, requires_check_in: false });
        const [ann, bob] = [await register(), await register()];
        const annBadge = await badgeOf(ann);
        const annSignature = annBadge.split('.')[2]!;
        // Bob's id and current version, with a signature that is real but over Ann's: only the signature is wrong.
        const forged = `${bob}.1.${annSignature}`;
        assert.match(forged, /^\d+\.1\.[A-Za-z0-9_-]{86}$/);
        assert.notEqual(forged, await badgeOf(bob));
        const rotated = await api.inject('POST', `/users/${ann}/badge/rotate`);
        assert.equal(rotated.status, 200);
        const current = rotated.body.badge as string;
        assert.equal(rotated.body.version, 2);

        const items = [forged, annBadge, current].map((badge) => queued({ checkpoint_id: meal, badge }));
        const results = await upload(items);
        for (const r of results.slice(0, 2)) {
          assert.deepEqual(
            [r.status, r.code, r.conflict_reason, r.participant],
            ['unknown', 'offline_conflict', 'unknown_badge', undefined],
            JSON.stringify(r),
          );
        }
        assert.deepEqual([results[2].status, results[2].participant.id], ['accepted', ann]);
        const doors = await upload([queued({ check_in: true, badge: forged }), queued({ check_in: true, badge: annBadge })]);
        for (const r of doors) assert.deepEqual([r.status, r.code], ['unknown', 'badge_not_found'], JSON.stringify(r));
        assert.equal((await checkInStatus(ann)).checked_in, false);
        assert.equal((await checkInStatus(bob)).checked_in, false);

        for (const badge of [forged, annBadge]) {
          const scan = await api.inject('POST', `/checkpoints/${meal}/scans`, { badge, nonce: nonce() }, devices.a);
          assert.deepEqual([scan.status, scan.body.code], [404, 'unknown_badge'], badge);
          assert.equal((await api.inject('GET', `/badges/${badge}`, undefined, devices.a)).status, 404, badge);
          assert.equal((await api.inject('POST', '/checkin', { badge }, devices.a)).status, 404, badge);
        }
        assert.equal(rosterEntry(await roster(), ann).badge_version, 2, 'the roster revokes version 1');
      });

      test('a badge printed before signing still works online, and in uploads', async () => {
        const meal = await createCheckpoint({ per_participant_limit: 2, requires_check_in: false });
        const ann = await register();
        const handle = openTestDatabase(api.database);
        let printed: string;
        try {
          const row = await handle.db
            .selectFrom('participants')
            .select('badge_code')
            .where('id', '=', ann)
            .executeTakeFirstOrThrow();
          printed = row.badge_code;
        } finally {
          await handle.destroy();
        }
        assert.doesNotMatch(printed, /\./, 'a pre-signing code');
        assert.equal((await api.inject('GET', `/badges/${printed}`, undefined, devices.a)).body.participant_id, ann);
        const online = await api.inject('POST', `/checkpoints/${meal}/scans`, { badge: printed, nonce: nonce() }, devices.a);
        assert.deepEqual([online.status, online.body.participant?.id], [201, ann], JSON.stringify(online.body));
        assert.equal((await api.inject('POST', '/checkin', { badge: printed }, devices.a)).status, 200);
        const [uploaded] = await upload([queued({ checkpoint_id: meal, badge: printed })]);
        assert.deepEqual([uploaded.status, uploaded.count], ['accepted', 2]);
      });

      test('re-uploaded after its scan time is past 24 hours, a batch still gets its first answers', async () => {
        const meal = await createCheckpoint({ per_participant_limit: 1, requires_check_in: false });
        const ann = await register();
        const madeAt = iso(clock.now() - 23 * HOUR);
        const items = [atCheckpoint(meal, ann, { scanned_at: madeAt }), atDoor(ann, { scanned_at: madeAt })];
        const first = await upload(items);
        assert.deepEqual(
          first.map((r) => r.status),
          ['accepted', 'accepted'],
        );
        // The answer was lost; the scanner retries two hours later, when the scans are more than 24 hours old.
        clock.advance(2 * HOUR);
        assert.deepEqual(await upload(items), first);
      });

      test('re-uploaded after the badge was rotated, scans made with the old badge still get their first answers', async () => {
        const meal = await createCheckpoint({ per_participant_limit: 1, requires_check_in: false });
        const ann = await register();
        const badge = await badgeOf(ann);
        const items = [queued({ checkpoint_id: meal, badge }), queued({ check_in: true, badge })];
        const first = await upload(items);
        assert.deepEqual(
          first.map((r) => r.status),
          ['accepted', 'accepted'],
        );
        assert.equal((await api.inject('POST', `/users/${ann}/badge/rotate`)).status, 200);
        assert.deepEqual(await upload(items), first);
        assert.deepEqual((await checkpoint(meal)).counts, { accepted: 1, participants: 1, refused: 0, conflicts: 0 });
      });

      test('a door nonce this key already used for someone else is an error, as at a checkpoint', async () => {
        const meal = await createCheckpoint({ per_participant_limit: null, requires_check_in: false });
        const [ann, bob] = [await register(), await register()];
        const door = atDoor(ann);
        const scan = atCheckpoint(meal, ann);
        assert.deepEqual(
          (await upload([door, scan])).map((r) => r.status),
          ['accepted', 'accepted'],
        );
        const [reusedDoor, reusedScan] = await upload([
          { ...door, participant_id: bob },
          { ...scan, participant_id: bob },
        ]);
        assert.deepEqual([reusedScan.status, reusedScan.code], ['error', 'idempotency_key_reused'], JSON.stringify(reusedScan));
        assert.deepEqual([reusedDoor.status, reusedDoor.code], ['error', 'idempotency_key_reused'], JSON.stringify(reusedDoor));
        assert.equal((await checkInStatus(bob)).checked_in, false);
      });

      test('an upload takes no Idempotency-Key: its nonces already make it safe to send again', async () => {
        const meal = await createCheckpoint({ requires_check_in: false });
        const ann = await register();
        const res = await api.app.inject({
          method: 'POST',
          url: '/sync/scans',
          headers: { authorization: `Bearer ${devices.a}`, 'idempotency-key': 'upload-key-0001' },
          payload: [atCheckpoint(meal, ann)],
        });
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(JSON.parse(res.body).code, 'validation_failed');
        assert.equal((await checkpoint(meal)).counts.accepted, 0, 'nothing applied');
      });
    });
  });

  describe(`roster across a reset import (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let handle: DatabaseHandle;
    let volunteer: string;
    before(async () => {
      api = await startTestApp(backend.name);
      handle = openTestDatabase(api.database);
      volunteer = await api.createKey('volunteer', undefined, 'Scanner');
    });
    after(async () => {
      await handle?.destroy();
      await api?.close();
    });

    test("a cursor from before a reset import gets everyone again: nobody of the old event is left in a scanner's roster", async () => {
      assert.equal(
        (
          await importParticipants(
            handle,
            [1, 2, 3].map((n) => sampleParticipant(n, [])),
            { reset: true },
          )
        ).imported,
        3,
      );
      const before = await api.inject('GET', '/sync/roster', undefined, volunteer);
      assert.deepEqual(
        before.body.participants.map((p: { name: string }) => p.name),
        ['Test Person 1', 'Test Person 2', 'Test Person 3'],
      );

      const summary = await importParticipants(
        handle,
        [7, 8].map((n) => sampleParticipant(n, [])),
        { reset: true },
      );
      assert.equal(summary.imported, 2);
      const after = await api.inject('GET', `/sync/roster?since=${before.body.cursor}`, undefined, volunteer);
      assert.equal(after.status, 200, JSON.stringify(after.body));
      assert.equal(after.body.full, true, 'a full roster, to replace the old one rather than merge into it');
      assert.deepEqual(
        after.body.participants.map((p: { id: number; name: string }) => [p.id, p.name]),
        [
          [1, 'Test Person 7'],
          [2, 'Test Person 8'],
        ],
      );
      assert.ok(
        after.body.participants.every((p: { badge_version: number }) => p.badge_version > 1),
        'the new badges are of versions the old event never had',
      );
      const next = await api.inject('GET', `/sync/roster?since=${after.body.cursor}`, undefined, volunteer);
      assert.equal(next.body.full, false, 'after it, deltas again');
    });
  });

  describe(`offline uploads racing (${backend.name})`, { skip: backend.skip }, () => {
    let database: TestDatabase;
    let apps: TestApp[];
    let bases: string[];
    let scanners: string[];
    let calls = 0;
    let people = 0;
    let nonces = 0;
    // On PostgreSQL two API instances share one database, as in a scaled-out deployment; requests alternate.
    const call = (method: string, path: string, body?: unknown, as: As = TEST_ADMIN_KEY): Promise<ApiResponse> =>
      httpJson(bases[calls++ % bases.length]!, method, path, body, as);
    const register = async () => {
      const res = await call('POST', '/register', sampleParticipant(++people, []));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return onlyId(res.body);
    };
    const createCheckpoint = async (fields: Record<string, unknown>) => {
      const res = await call('POST', '/checkpoints', { name: 'Race', kind: 'meal', requires_check_in: false, ...fields });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return onlyId(res.body);
    };
    const counts = async (id: number) => (await call('GET', `/checkpoints/${id}`)).body[id].counts;
    /** Each scanner's queue, uploaded by all scanners at once; on PostgreSQL through both instances. */
    const uploadAll = async (queues: { checkpoint_id: number; participant_id: number }[][]) => {
      const batches = queues.map((queue) =>
        queue.map((scan) => ({ ...scan, nonce: `race-${backend.name}-${++nonces}`, scanned_at: new Date().toISOString() })),
      );
      const answers = await Promise.all(batches.map((batch, device) => call('POST', '/sync/scans', batch, scanners[device])));
      for (const answer of answers) assert.equal(answer.status, 200, JSON.stringify(answer.body));
      return answers.flatMap((answer) => answer.body.results as any[]);
    };

    before(async () => {
      database = await createTestDatabase(backend.name);
      const instances = backend.name === 'postgres' ? 2 : 1;
      apps = [];
      for (let i = 0; i < instances; i++) apps.push(await startTestApp(backend.name, {}, database));
      bases = await Promise.all(apps.map((app) => app.listen()));
      scanners = [];
      for (let i = 0; i < 4; i++) scanners.push(await apps[0]!.createKey('volunteer', undefined, `Scanner ${i + 1}`));
    });
    after(async () => {
      for (const app of apps ?? []) await app.close();
      await database?.drop();
    });

    test('four scanners upload the same people at a once-only meal: each counted once, the rest conflicts', async () => {
      const meal = await createCheckpoint({ per_participant_limit: 1 });
      const ids = await parallel(12, () => register());
      // Each scanner's queue in its own order, so the uploads meet on different people at once.
      const queues = scanners.map((_, device) =>
        ids.map((_, i) => {
          const at = (i + 3 * device) % ids.length;
          return { checkpoint_id: meal, participant_id: ids[device % 2 === 0 ? at : ids.length - 1 - at]! };
        }),
      );
      for (const queue of queues) assert.equal(new Set(queue.map((s) => s.participant_id)).size, ids.length);
      const results = await uploadAll(queues);
      for (const id of ids) {
        const mine = results.filter((r) => r.participant?.id === id);
        assert.equal(mine.filter((r) => r.status === 'accepted').length, 1, `participant ${id}`);
        for (const r of mine.filter((r) => r.status !== 'accepted')) {
          assert.deepEqual([r.status, r.code, r.conflict_reason], ['refused', 'offline_conflict', 'already_redeemed']);
        }
      }
      assert.deepEqual(await counts(meal), { accepted: 12, participants: 12, refused: 36, conflicts: 36 });
    });

    test('three scanners upload different people at a capacity-5 checkpoint: five places, no more', async () => {
      const swag = await createCheckpoint({ kind: 'swag', capacity: 5 });
      const ids = await parallel(15, () => register());
      const queues = [0, 1, 2].map((device) =>
        ids.filter((_, i) => i % 3 === device).map((id) => ({ checkpoint_id: swag, participant_id: id })),
      );
      const results = await uploadAll(queues);
      assert.equal(results.filter((r) => r.status === 'accepted').length, 5);
      for (const r of results.filter((r) => r.status !== 'accepted')) {
        assert.deepEqual([r.status, r.conflict_reason], ['refused', 'capacity_reached']);
      }
      assert.deepEqual(await counts(swag), { accepted: 5, participants: 5, refused: 10, conflicts: 10 });
    });

    test('afterwards every kept count equals a recount of the scans, and no limit is passed', async () => {
      const handle = openTestDatabase(database);
      try {
        const tallies = await participantTallies(handle.db);
        assert.ok(tallies.length > 0, 'the uploads counted someone');
        for (const row of tallies) {
          const where = `checkpoint ${row.checkpoint_id}, participant ${row.participant_id}`;
          assert.equal(row.accepted, row.recount, where);
          if (row.per_participant_limit !== null)
            assert.ok(row.accepted <= row.per_participant_limit, `over the limit: ${where}`);
        }
      } finally {
        await handle.destroy();
      }
    });
  });
}
