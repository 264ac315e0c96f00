import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  type ApiResponse,
  type As,
  BACKENDS,
  type ManualClock,
  manualClock,
  sampleParticipant,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
} from './helpers.js';
import { openStream } from './sse-client.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** SCAN_UNDO_MINUTES when unset. */
const UNDO_WINDOW = 10 * MINUTE;

const iso = (ms: number) => new Date(ms).toISOString();
const only = (map: Record<string, any>) => {
  const entries = Object.entries(map);
  assert.equal(entries.length, 1, JSON.stringify(map));
  return { id: Number(entries[0]![0]), value: entries[0]![1] };
};

for (const backend of BACKENDS) {
  describe(`checkpoint scans (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let clock: ManualClock;
    const keys: Record<'scannerA' | 'scannerB', string> = { scannerA: '', scannerB: '' };
    const keyIds: Record<string, number> = {};
    let people = 0;
    let nonces = 0;

    const nonce = () => `nonce-${backend.name}-${++nonces}`;
    const register = async (): Promise<number> => {
      const res = await api.inject('POST', '/register', sampleParticipant(++people, []));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return only(res.body).id;
    };
    const checkedIn = async (): Promise<number> => {
      const id = await register();
      assert.equal((await api.inject('POST', '/checkin', { participant_id: id })).status, 200);
      return id;
    };
    const nameOf = (id: number) => `Test Person ${id}`;
    const createCheckpoint = async (fields: Record<string, unknown> = {}): Promise<number> => {
      const res = await api.inject('POST', '/checkpoints', { name: 'Lunch', kind: 'meal', ...fields });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return only(res.body).id;
    };
    const checkpoint = async (id: number) => {
      const res = await api.inject('GET', `/checkpoints/${id}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body[id];
    };
    interface ScanOptions {
      nonce?: string;
      scanned_at?: string;
      as?: As;
    }
    const scan = (checkpointId: number, target: Record<string, unknown>, options: ScanOptions = {}): Promise<ApiResponse> =>
      api.inject(
        'POST',
        `/checkpoints/${checkpointId}/scans`,
        {
          ...target,
          nonce: options.nonce ?? nonce(),
          ...(options.scanned_at === undefined ? {} : { scanned_at: options.scanned_at }),
        },
        options.as === undefined ? keys.scannerA : options.as,
      );
    const scanOf = (checkpointId: number, participantId: number, options: ScanOptions = {}) =>
      scan(checkpointId, { participant_id: participantId }, options);
    const scanList = async (checkpointId: number, query = ''): Promise<Record<string, any>> => {
      const res = await api.inject('GET', `/checkpoints/${checkpointId}/scans${query}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const undo = (scanId: number, as: As = keys.scannerA) => api.inject('POST', `/scans/${scanId}/undo`, undefined, as);
    const assertRefused = (res: ApiResponse, status: number, code: string, participantId?: number) => {
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.code, code, JSON.stringify(res.body));
      assert.equal(res.body.status, 'refused');
      assert.equal(typeof res.body.error, 'string');
      assert.ok(Number.isInteger(res.body.scan_id) && res.body.scan_id > 0, 'a refused scan is a row with an id');
      if (participantId !== undefined) assert.equal(res.body.participant?.id, participantId);
    };
    const assertError = (res: ApiResponse, status: number, code: string) => {
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.equal(res.body.code, code, JSON.stringify(res.body));
      assert.equal(res.body.scan_id, undefined, 'no scan is recorded');
    };

    before(async () => {
      clock = manualClock();
      api = await startTestApp(backend.name, {}, undefined, { clock });
      keys.scannerA = await api.createKey('volunteer', undefined, 'Scanner A');
      keys.scannerB = await api.createKey('volunteer', undefined, 'Scanner B');
      const listed = await api.inject<Record<string, { id: number; name: string }>>('GET', '/keys');
      for (const key of Object.values(listed.body)) {
        keyIds[key.name] = key.id;
      }
    });
    after(() => api?.close());

    describe('checkpoints', () => {
      test('created with the defaults, read back, listed', async () => {
        const res = await api.inject('POST', '/checkpoints', { name: 'Saturday lunch', kind: 'meal' });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        const { id, value } = only(res.body);
        assert.deepEqual(
          { ...value, created_at: undefined, updated_at: undefined },
          {
            name: 'Saturday lunch',
            kind: 'meal',
            opens_at: null,
            closes_at: null,
            per_participant_limit: 1,
            capacity: null,
            requires_check_in: true,
            allowed_tags: null,
            archived: false,
            counts: { accepted: 0, participants: 0, refused: 0, conflicts: 0 },
            created_at: undefined,
            updated_at: undefined,
          },
        );
        assert.equal(Date.parse(value.created_at), clock.now());
        assert.deepEqual(await checkpoint(id), value);
        assert.deepEqual((await api.inject('GET', '/checkpoints')).body[id], value);
        assert.deepEqual((await api.inject('GET', '/checkpoints', undefined, keys.scannerA)).body[id], value);
      });

      test('every field given, times in any zone come back as the same instants', async () => {
        const id = await createCheckpoint({
          name: 'Workshop: Rust',
          kind: 'workshop',
          opens_at: '2026-12-05T12:00:00-05:00',
          closes_at: '2026-12-05T18:30:00Z',
          per_participant_limit: null,
          capacity: 40,
          requires_check_in: false,
          allowed_tags: ['hacker', 'mentor'],
        });
        const value = await checkpoint(id);
        assert.equal(Date.parse(value.opens_at), Date.parse('2026-12-05T17:00:00Z'));
        assert.equal(Date.parse(value.closes_at), Date.parse('2026-12-05T18:30:00Z'));
        assert.equal(value.per_participant_limit, null);
        assert.equal(value.capacity, 40);
        assert.equal(value.requires_check_in, false);
        assert.deepEqual(value.allowed_tags, ['hacker', 'mentor']);
        assert.equal(value.kind, 'workshop');
      });

      test('bad fields are 400 and create nothing', async () => {
        const count = Object.keys((await api.inject('GET', '/checkpoints?archived=true')).body).length;
        for (const body of [
          { name: 'X', kind: 'party' },
          { name: '   ', kind: 'meal' },
          { kind: 'meal' },
          { name: 'X', kind: 'meal', per_participant_limit: 0 },
          { name: 'X', kind: 'meal', per_participant_limit: 1.5 },
          { name: 'X', kind: 'meal', capacity: 0 },
          { name: 'X', kind: 'meal', allowed_tags: [] },
          { name: 'X', kind: 'meal', allowed_tags: ['Not A Tag'] },
          { name: 'X', kind: 'meal', requires_check_in: 'yes' },
        ]) {
          const res = await api.inject('POST', '/checkpoints', body);
          assert.equal(res.status, 400, JSON.stringify(body));
          assert.equal(res.body.code, 'validation_failed', JSON.stringify(res.body));
        }
        for (const body of [
          { name: 'X', kind: 'meal', opens_at: '2026-12-05T14:00:00Z', closes_at: '2026-12-05T13:00:00Z' },
          { name: 'X', kind: 'meal', opens_at: '2026-12-05T14:00:00Z', closes_at: '2026-12-05T14:00:00Z' },
          { name: 'X', kind: 'meal', opens_at: '2026-02-30T12:00:00Z' },
          { name: 'X', kind: 'meal', closes_at: '2026-12-05T25:00:00Z' },
          { name: 'X', kind: 'meal', closes_at: '2026-12-05T24:00:00Z' },
          { name: 'X', kind: 'meal', opens_at: 'tomorrow' },
          { name: 'X', kind: 'meal', opens_at: '2026-12-05T12:00:00' },
        ]) {
          const res = await api.inject('POST', '/checkpoints', body);
          assert.equal(res.status, 400, JSON.stringify(body));
          assert.equal(res.body.code, 'invalid_time', `${JSON.stringify(body)}: ${JSON.stringify(res.body)}`);
        }
        assert.equal(Object.keys((await api.inject('GET', '/checkpoints?archived=true')).body).length, count);
      });

      test('a partial update changes only what it names; closes before opens is invalid_time', async () => {
        const id = await createCheckpoint({ opens_at: '2026-12-05T12:00:00Z', capacity: 10 });
        const before = await checkpoint(id);
        clock.advance(1000);
        const res = await api.inject('PUT', `/checkpoints/${id}`, { name: 'Dinner' });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const updated = res.body[id];
        assert.deepEqual({ ...updated, updated_at: undefined }, { ...before, name: 'Dinner', updated_at: undefined });
        assert.equal(Date.parse(updated.updated_at), clock.now());

        // Judged against the stored opens_at.
        const bad = await api.inject('PUT', `/checkpoints/${id}`, { closes_at: '2026-12-05T11:00:00Z' });
        assert.equal(bad.status, 400);
        assert.equal(bad.body.code, 'invalid_time');
        assert.equal((await api.inject('PUT', `/checkpoints/${id}`, { per_participant_limit: 0 })).status, 400);
        assert.deepEqual(await checkpoint(id), updated);

        const cleared = await api.inject('PUT', `/checkpoints/${id}`, { capacity: null, opens_at: null });
        assert.equal(cleared.status, 200);
        assert.equal(cleared.body[id].capacity, null);
        assert.equal(cleared.body[id].opens_at, null);
      });

      test('unknown checkpoints are 404 checkpoint_not_found', async () => {
        for (const [method, url, body] of [
          ['GET', '/checkpoints/999999', undefined],
          ['PUT', '/checkpoints/999999', { name: 'X' }],
          ['DELETE', '/checkpoints/999999', undefined],
          ['GET', '/checkpoints/999999/scans', undefined],
          ['POST', '/checkpoints/999999/scans', { participant_id: 1, nonce: nonce() }],
        ] as const) {
          const res = await api.inject(method, url, body);
          assert.equal(res.status, 404, `${method} ${url}`);
          assert.equal(res.body.code, 'checkpoint_not_found');
        }
      });

      test('archived: hidden from the list unless asked, its scans kept, later scans refused closed', async () => {
        const id = await createCheckpoint({ requires_check_in: false });
        const p = await register();
        assert.equal((await scanOf(id, p)).status, 201);
        const res = await api.inject('DELETE', `/checkpoints/${id}`);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body[id].archived, true);
        assert.equal(res.body[id].counts.accepted, 1);

        assert.equal((await api.inject('GET', '/checkpoints')).body[id], undefined);
        assert.equal((await api.inject('GET', '/checkpoints?archived=true')).body[id].archived, true);
        assert.equal((await checkpoint(id)).archived, true);

        const other = await register();
        assertRefused(await scanOf(id, other), 409, 'closed', other);
        assert.equal(Object.keys(await scanList(id, '?outcome=accepted')).length, 1);
        assert.deepEqual((await checkpoint(id)).counts, { accepted: 1, participants: 1, refused: 1, conflicts: 0 });
        const stats = await api.inject('GET', '/stats');
        const listed = stats.body.checkpoints.find((c: any) => c.id === id);
        assert.deepEqual([listed.archived, listed.accepted], [true, 1], 'a finished meal keeps its uptake on the dashboard');
      });

      test('archived: false restores it, every count where it was; scans are accepted again', async () => {
        const id = await createCheckpoint({ requires_check_in: false });
        const [p, other] = [await register(), await register()];
        assert.equal((await scanOf(id, p)).status, 201);
        assert.equal((await api.inject('PUT', `/checkpoints/${id}`, { archived: true })).body[id].archived, true);
        assertRefused(await scanOf(id, other), 409, 'closed', other);
        const restored = await api.inject('PUT', `/checkpoints/${id}`, { archived: false });
        assert.equal(restored.status, 200, JSON.stringify(restored.body));
        assert.equal(restored.body[id].archived, false);
        assert.deepEqual(restored.body[id].counts, { accepted: 1, participants: 1, refused: 1, conflicts: 0 });
        assertRefused(await scanOf(id, p), 409, 'already_redeemed', p);
        assert.equal((await scanOf(id, other)).status, 201);
      });
    });

    describe('scans', () => {
      test('accepted: 201 with the participant, the count and what remains; counted on the checkpoint', async () => {
        const id = await createCheckpoint();
        const p = await checkedIn();
        const res = await scanOf(id, p);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.ok(Number.isInteger(res.body.scan_id));
        assert.deepEqual(res.body, {
          scan_id: res.body.scan_id,
          status: 'accepted',
          participant: { id: p, name: nameOf(p), tags: ['hacker'], dietary_restrictions: '' },
          count: 1,
          remaining: 0,
        });
        assert.deepEqual((await checkpoint(id)).counts, { accepted: 1, participants: 1, refused: 0, conflicts: 0 });
        const listed = await scanList(id);
        assert.deepEqual(Object.keys(listed), [String(res.body.scan_id)]);
        const row = listed[res.body.scan_id];
        assert.equal(row.checkpoint_id, id);
        assert.equal(row.participant_id, p);
        assert.equal(row.participant_name, nameOf(p));
        assert.equal(row.outcome, 'accepted');
        assert.equal(row.reason, null);
        assert.equal(row.annulled, false);
        assert.equal(row.offline, false, 'scanned online');
        assert.equal(row.key_id, keyIds['Scanner A']);
        assert.equal(row.key_name, 'Scanner A');
        assert.equal(Date.parse(row.scanned_at), clock.now());
        assert.equal(Date.parse(row.received_at), clock.now());
      });

      test('limit 1: the second scan is already_redeemed, counts only the first', async () => {
        const id = await createCheckpoint({ per_participant_limit: 1 });
        const p = await checkedIn();
        assert.equal((await scanOf(id, p)).status, 201);
        const first = await scanList(id, '?outcome=accepted');
        const again = await scanOf(id, p, { as: keys.scannerB });
        assertRefused(again, 409, 'already_redeemed', p);
        assert.deepEqual(again.body.participant, { id: p, name: nameOf(p), tags: ['hacker'], dietary_restrictions: '' });
        // The refusal says when and by whom the meal that counts was had.
        const [firstScan] = Object.values(first);
        assert.deepEqual([again.body.last_accepted_at, again.body.last_accepted_by], [firstScan.scanned_at, firstScan.key_name]);
        assert.deepEqual((await checkpoint(id)).counts, { accepted: 1, participants: 1, refused: 1, conflicts: 0 });
      });

      test('limit 3: three accepted counting down, the fourth limit_reached', async () => {
        const id = await createCheckpoint({ kind: 'swag', per_participant_limit: 3 });
        const p = await checkedIn();
        for (let i = 1; i <= 3; i++) {
          const res = await scanOf(id, p);
          assert.equal(res.status, 201);
          assert.deepEqual([res.body.count, res.body.remaining], [i, 3 - i]);
        }
        assertRefused(await scanOf(id, p), 409, 'limit_reached', p);
        assert.deepEqual((await checkpoint(id)).counts, { accepted: 3, participants: 1, refused: 1, conflicts: 0 });
      });

      test('unlimited: remaining is null and nothing is refused', async () => {
        const id = await createCheckpoint({ kind: 'other', per_participant_limit: null });
        const p = await checkedIn();
        for (let i = 1; i <= 5; i++) {
          const res = await scanOf(id, p);
          assert.equal(res.status, 201);
          assert.deepEqual([res.body.count, res.body.remaining], [i, null]);
        }
        assert.deepEqual((await checkpoint(id)).counts, { accepted: 5, participants: 1, refused: 0, conflicts: 0 });
      });

      test('not_checked_in unless the checkpoint does not require it', async () => {
        const strict = await createCheckpoint();
        const relaxed = await createCheckpoint({ requires_check_in: false });
        const p = await register();
        assertRefused(await scanOf(strict, p), 409, 'not_checked_in', p);
        assert.equal((await scanOf(relaxed, p)).status, 201);
        assert.equal((await api.inject('POST', '/checkin', { participant_id: p })).status, 200);
        assert.equal((await scanOf(strict, p)).status, 201);
      });

      test('the window [opens_at, closes_at) is judged by scanned_at, to the millisecond', async () => {
        const now = clock.now();
        const opens = now - 2 * HOUR;
        const closes = now - HOUR;
        const id = await createCheckpoint({ opens_at: iso(opens), closes_at: iso(closes), per_participant_limit: null });
        const p = await checkedIn();
        assertRefused(await scanOf(id, p, { scanned_at: iso(opens - 1) }), 409, 'not_open_yet', p);
        const first = await scanOf(id, p, { scanned_at: iso(opens) });
        assert.equal(first.status, 201, JSON.stringify(first.body));
        assert.equal((await scanOf(id, p, { scanned_at: iso(closes - 1) })).status, 201);
        assertRefused(await scanOf(id, p, { scanned_at: iso(closes) }), 409, 'closed', p);
        // No scanned_at: now, which is past closes_at.
        assertRefused(await scanOf(id, p), 409, 'closed', p);
        const row = (await scanList(id))[first.body.scan_id];
        assert.equal(Date.parse(row.scanned_at), opens);
        assert.equal(Date.parse(row.received_at), now);
      });

      test('scanned_at more than 24 h old, more than 5 min ahead or not a date is 400 invalid_time, no row', async () => {
        const id = await createCheckpoint({ requires_check_in: false, per_participant_limit: null });
        const p = await register();
        const now = clock.now();
        for (const scannedAt of [iso(now - 24 * HOUR - 1000), iso(now + 5 * MINUTE + 1000), '2026-02-30T12:00:00Z']) {
          assertError(await scanOf(id, p, { scanned_at: scannedAt }), 400, 'invalid_time');
        }
        assert.equal((await scanOf(id, p, { scanned_at: '12:00' })).status, 400);
        assert.equal((await scanOf(id, p, { scanned_at: iso(now - 24 * HOUR + 1000) })).status, 201);
        assert.equal((await scanOf(id, p, { scanned_at: iso(now + 5 * MINUTE - 1000) })).status, 201);
        assert.equal(Object.keys(await scanList(id)).length, 2);
      });

      test('allowed_tags: a participant without one of them is not_allowed', async () => {
        const mentorsOnly = await createCheckpoint({ allowed_tags: ['mentor', 'judge'] });
        const hackers = await createCheckpoint({ allowed_tags: ['hacker'] });
        const p = await checkedIn();
        assertRefused(await scanOf(mentorsOnly, p), 409, 'not_allowed', p);
        assert.equal((await scanOf(hackers, p)).status, 201);
      });

      test('a participant given a tag with PUT /users/:id is let in (needs the participant tags change)', async () => {
        const mentorsOnly = await createCheckpoint({ allowed_tags: ['mentor'] });
        const p = await checkedIn();
        const put = await api.inject('PUT', `/users/${p}`, { tags: ['mentor'], dietary_restrictions: 'vegan' });
        assert.equal(put.status, 200, `PUT /users/:id with tags: ${JSON.stringify(put.body)}`);
        const res = await scanOf(mentorsOnly, p);
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.deepEqual(res.body.participant, { id: p, name: nameOf(p), tags: ['mentor'], dietary_restrictions: 'vegan' });
      });

      test('capacity counts distinct participants: the next one is capacity_reached, earlier ones keep their limit', async () => {
        const id = await createCheckpoint({ capacity: 2, per_participant_limit: 2 });
        const [a, b, c] = [await checkedIn(), await checkedIn(), await checkedIn()];
        assert.equal((await scanOf(id, a)).status, 201);
        assert.equal((await scanOf(id, b)).status, 201);
        assertRefused(await scanOf(id, c), 409, 'capacity_reached', c);
        // A second scan of someone already in does not take a new place.
        assert.equal((await scanOf(id, a)).status, 201);
        assert.deepEqual((await checkpoint(id)).counts, { accepted: 3, participants: 2, refused: 1, conflicts: 0 });
      });

      test('refusals come in the documented order', async () => {
        const now = clock.now();
        const p = await register(); // not checked in, tag hacker
        const archived = await createCheckpoint({ allowed_tags: ['mentor'] });
        await api.inject('DELETE', `/checkpoints/${archived}`);
        assertRefused(await scanOf(archived, p), 409, 'closed', p);
        const later = await createCheckpoint({ opens_at: iso(now + HOUR), allowed_tags: ['mentor'] });
        assertRefused(await scanOf(later, p), 409, 'not_open_yet', p);
        const mentors = await createCheckpoint({ allowed_tags: ['mentor'] });
        assertRefused(await scanOf(mentors, p), 409, 'not_allowed', p);
        const full = await createCheckpoint({ capacity: 1 });
        assert.equal((await scanOf(full, await checkedIn())).status, 201);
        assertRefused(await scanOf(full, p), 409, 'not_checked_in', p);
        // Limit before capacity: someone already redeemed at a full checkpoint hears already_redeemed.
        const q = await checkedIn();
        const single = await createCheckpoint({ capacity: 1 });
        assert.equal((await scanOf(single, q)).status, 201);
        assertRefused(await scanOf(single, q), 409, 'already_redeemed', q);
        assertRefused(await scanOf(full, q), 409, 'capacity_reached', q);
      });

      test('by badge; an unknown badge is 404 unknown_badge and still recorded', async () => {
        const id = await createCheckpoint();
        const p = await checkedIn();
        const participantKey = await api.createKey('participant', p, `participant ${p}`);
        const me = await api.inject('GET', '/me', undefined, participantKey);
        const badge = me.body.badge.badge as string;
        const res = await scan(id, { badge });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.equal(res.body.participant.id, p);

        const unknown = await scan(id, { badge: 'no-such-badge-0000000000' });
        assert.equal(unknown.status, 404, JSON.stringify(unknown.body));
        assert.equal(unknown.body.code, 'unknown_badge');
        assert.equal(unknown.body.status, 'refused');
        assert.ok(Number.isInteger(unknown.body.scan_id));
        const refused = await scanList(id, '?outcome=refused');
        assert.deepEqual(Object.keys(refused), [String(unknown.body.scan_id)]);
        assert.equal(refused[unknown.body.scan_id].reason, 'unknown_badge');
        assert.equal(refused[unknown.body.scan_id].participant_id, null);
        assert.deepEqual((await checkpoint(id)).counts, { accepted: 1, participants: 1, refused: 1, conflicts: 0 });
      });

      test('whatever text a camera read is recorded: an empty or a long badge is unknown_badge with a scan', async () => {
        const id = await createCheckpoint();
        for (const badge of ['', 'x'.repeat(2000)]) {
          const res = await scan(id, { badge });
          assert.deepEqual(
            [res.status, res.body.code, res.body.status],
            [404, 'unknown_badge', 'refused'],
            JSON.stringify(res.body),
          );
          assert.ok(Number.isInteger(res.body.scan_id));
        }
        assert.equal(Object.keys(await scanList(id, '?outcome=refused')).length, 2);
      });

      test('an unknown participant_id is 404 participant_not_found, recorded', async () => {
        const id = await createCheckpoint();
        const res = await scanOf(id, 987654);
        assert.equal(res.status, 404, JSON.stringify(res.body));
        assert.equal(res.body.code, 'participant_not_found');
        assert.equal(res.body.status, 'refused');
        assert.ok(Number.isInteger(res.body.scan_id));
        assert.equal((await scanList(id, '?outcome=refused'))[res.body.scan_id].reason, 'participant_not_found');
      });

      test('badge and participant_id together, or neither, is 400 target_required with no row', async () => {
        const id = await createCheckpoint({ requires_check_in: false });
        const p = await register();
        assertError(await scan(id, { badge: 'abcdefghijklmnopqrstuv', participant_id: p }), 400, 'target_required');
        assertError(await scan(id, {}), 400, 'target_required');
        for (const body of [
          { participant_id: p },
          { participant_id: p, nonce: 'short' },
          { participant_id: p, nonce: 'x'.repeat(65) },
        ]) {
          const res = await api.inject('POST', `/checkpoints/${id}/scans`, body, keys.scannerA);
          assert.equal(res.status, 400, JSON.stringify(body));
        }
        assert.deepEqual(await scanList(id), {});
      });

      test('a repeated nonce answers the first answer, accepted or refused, and records nothing', async () => {
        const id = await createCheckpoint({ per_participant_limit: 1 });
        const p = await checkedIn();
        const stranger = await register();
        const acceptedNonce = nonce();
        const refusedNonce = nonce();
        const first = await scanOf(id, p, { nonce: acceptedNonce });
        assert.equal(first.status, 201);
        const refused = await scanOf(id, stranger, { nonce: refusedNonce });
        assertRefused(refused, 409, 'not_checked_in', stranger);
        const rows = await scanList(id);
        const counts = (await checkpoint(id)).counts;

        // Even after the participant was checked in, the answer is the first one.
        assert.equal((await api.inject('POST', '/checkin', { participant_id: stranger })).status, 200);
        clock.advance(MINUTE);
        for (let i = 0; i < 2; i++) {
          const again = await scanOf(id, p, { nonce: acceptedNonce });
          assert.deepEqual([again.status, again.body], [first.status, first.body]);
          const refusedAgain = await scanOf(id, stranger, { nonce: refusedNonce });
          assert.deepEqual([refusedAgain.status, refusedAgain.body], [refused.status, refused.body]);
        }
        assert.deepEqual(await scanList(id), rows);
        assert.deepEqual((await checkpoint(id)).counts, counts);

        // Another scanner's nonce is its own: a new scan, judged afresh.
        const other = await scanOf(id, p, { nonce: acceptedNonce, as: keys.scannerB });
        assertRefused(other, 409, 'already_redeemed', p);
        assert.notEqual(other.body.scan_id, first.body.scan_id);
        const strangerNow = await scanOf(id, stranger, { nonce: refusedNonce, as: keys.scannerB });
        assert.equal(strangerNow.status, 201);
        assert.equal(Object.keys(await scanList(id)).length, Object.keys(rows).length + 2);
        assert.deepEqual((await checkpoint(id)).counts, { accepted: 2, participants: 2, refused: 2, conflicts: 0 });
      });

      test('a repeated nonce answers the first answer even after the participant changed', async () => {
        const id = await createCheckpoint({ per_participant_limit: 2 });
        const p = await checkedIn();
        const repeated = nonce();
        const first = await scanOf(id, p, { nonce: repeated });
        assert.equal(first.status, 201);
        const put = await api.inject('PUT', `/users/${p}`, {
          name: 'Renamed Person',
          tags: ['mentor'],
          dietary_restrictions: 'vegan',
        });
        assert.equal(put.status, 200, JSON.stringify(put.body));
        const again = await scanOf(id, p, { nonce: repeated });
        assert.deepEqual([again.status, again.body], [first.status, first.body]);
      });

      test('the same nonce at another checkpoint is a new scan', async () => {
        const [one, two] = [await createCheckpoint(), await createCheckpoint()];
        const p = await checkedIn();
        const shared = nonce();
        assert.equal((await scanOf(one, p, { nonce: shared })).status, 201);
        assert.equal((await scanOf(two, p, { nonce: shared })).status, 201);
      });

      test('GET /checkpoints counts every checkpoint; the list filters by outcome and pages newest first', async () => {
        const id = await createCheckpoint({ per_participant_limit: 1 });
        const [a, b] = [await checkedIn(), await checkedIn()];
        const accepted = [(await scanOf(id, a)).body.scan_id, (await scanOf(id, b)).body.scan_id];
        const refused = [(await scanOf(id, a)).body.scan_id, (await scanOf(id, await register())).body.scan_id];
        assert.deepEqual((await api.inject('GET', '/checkpoints')).body[id].counts, {
          accepted: 2,
          participants: 2,
          refused: 2,
          conflicts: 0,
        });
        assert.deepEqual(
          Object.keys(await scanList(id, '?outcome=accepted'))
            .map(Number)
            .sort(),
          [...accepted].sort(),
        );
        assert.deepEqual(
          Object.keys(await scanList(id, '?outcome=refused'))
            .map(Number)
            .sort(),
          [...refused].sort(),
        );
        assert.deepEqual(await scanList(id, '?outcome=annulled'), {});
        assert.equal((await api.inject('GET', `/checkpoints/${id}/scans?outcome=maybe`)).status, 400);
        assert.deepEqual(await scanList(id, '?page=2'), {});
      });
    });

    describe('undo', () => {
      const acceptedScan = async (fields: Record<string, unknown> = {}) => {
        const id = await createCheckpoint(fields);
        const p = await checkedIn();
        const res = await scanOf(id, p);
        assert.equal(res.status, 201);
        return { id, p, scanId: res.body.scan_id as number };
      };

      test('by the scanner within SCAN_UNDO_MINUTES; the participant may redeem again', async () => {
        const { id, p, scanId } = await acceptedScan();
        clock.advance(UNDO_WINDOW - 1000);
        const res = await undo(scanId);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const scanRow = res.body[scanId];
        assert.equal(scanRow.annulled, true);
        assert.equal(scanRow.annulled_by, keyIds['Scanner A']);
        assert.equal(Date.parse(scanRow.annulled_at), clock.now());
        assert.equal(scanRow.outcome, 'accepted');
        assert.deepEqual((await checkpoint(id)).counts, { accepted: 0, participants: 0, refused: 0, conflicts: 0 });
        assert.deepEqual(Object.keys(await scanList(id, '?outcome=annulled')), [String(scanId)]);
        assert.deepEqual(await scanList(id, '?outcome=accepted'), {});

        const again = await scanOf(id, p);
        assert.equal(again.status, 201, JSON.stringify(again.body));
        assert.deepEqual([again.body.count, again.body.remaining], [1, 0]);
        assertError(await undo(scanId), 409, 'already_annulled');
      });

      test('by the scanner after the window, or by another volunteer, is 403; an admin may any time', async () => {
        const { scanId } = await acceptedScan();
        const other = await undo(scanId, keys.scannerB);
        assert.equal(other.status, 403, JSON.stringify(other.body));
        assert.equal(other.body.code, 'forbidden');
        clock.advance(UNDO_WINDOW + 1);
        const late = await undo(scanId);
        assert.equal(late.status, 403, JSON.stringify(late.body));
        assert.equal(late.body.code, 'forbidden');
        clock.advance(48 * HOUR);
        assert.equal((await undo(scanId, TEST_ADMIN_KEY)).status, 200, 'the admin key');
      });

      test('a refused scan is 409 scan_not_accepted; an unknown scan 404 scan_not_found', async () => {
        const id = await createCheckpoint();
        const refused = await scanOf(id, await register());
        assertRefused(refused, 409, 'not_checked_in');
        assertError(await undo(refused.body.scan_id), 409, 'scan_not_accepted');
        assertError(await undo(99_999_999), 404, 'scan_not_found');
        assert.deepEqual((await checkpoint(id)).counts, { accepted: 0, participants: 0, refused: 1, conflicts: 0 });
      });

      test('an undone scan frees its place under the capacity', async () => {
        const { id, scanId } = await acceptedScan({ capacity: 1 });
        const next = await checkedIn();
        assertRefused(await scanOf(id, next), 409, 'capacity_reached', next);
        assert.equal((await undo(scanId)).status, 200);
        assert.equal((await scanOf(id, next)).status, 201);
        assert.deepEqual((await checkpoint(id)).counts, { accepted: 1, participants: 1, refused: 1, conflicts: 0 });
      });

      test('a participant at limit 3 who had one undone has two counted', async () => {
        const id = await createCheckpoint({ per_participant_limit: 3 });
        const p = await checkedIn();
        const ids = [];
        for (let i = 0; i < 3; i++) ids.push((await scanOf(id, p)).body.scan_id as number);
        assert.equal((await undo(ids[1]!)).status, 200);
        const res = await scanOf(id, p);
        assert.equal(res.status, 201);
        assert.deepEqual([res.body.count, res.body.remaining], [3, 0]);
        assertRefused(await scanOf(id, p), 409, 'limit_reached', p);
      });
    });

    describe('access', () => {
      test("a participant reads their own scans, not another's", async () => {
        const id = await createCheckpoint({ per_participant_limit: 1 });
        const [p, q] = [await checkedIn(), await checkedIn()];
        const mine = await api.createKey('participant', p, `participant ${p}`);
        const theirs = await api.createKey('participant', q, `participant ${q}`);
        const accepted = (await scanOf(id, p)).body.scan_id;
        const refused = (await scanOf(id, p)).body.scan_id;
        assert.equal((await scanOf(id, q)).status, 201);

        const own = await api.inject('GET', `/users/${p}/scans`, undefined, mine);
        assert.equal(own.status, 200, JSON.stringify(own.body));
        assert.deepEqual(Object.keys(own.body).map(Number).sort(), [accepted, refused].sort());
        assert.ok(Object.values(own.body).every((s: any) => s.participant_id === p));
        assert.equal((await api.inject('GET', `/users/${p}/scans`, undefined, keys.scannerB)).status, 200);
        const other = await api.inject('GET', `/users/${p}/scans`, undefined, theirs);
        assert.equal(other.status, 403);
        assert.equal(other.body.code, 'forbidden');
      });

      test('participants cannot manage checkpoints or scan; volunteers scan but do not manage', async () => {
        const id = await createCheckpoint({ requires_check_in: false });
        const p = await register();
        const participant = await api.createKey('participant', p, `participant ${p}`);
        const cases: [string, string, unknown, As, number][] = [
          ['POST', '/checkpoints', { name: 'X', kind: 'meal' }, participant, 403],
          ['GET', '/checkpoints', undefined, participant, 403],
          ['GET', `/checkpoints/${id}`, undefined, participant, 403],
          ['GET', `/checkpoints/${id}/scans`, undefined, participant, 403],
          ['POST', `/checkpoints/${id}/scans`, { participant_id: p, nonce: nonce() }, participant, 403],
          ['POST', '/checkpoints', { name: 'X', kind: 'meal' }, keys.scannerA, 403],
          ['PUT', `/checkpoints/${id}`, { name: 'X' }, keys.scannerA, 403],
          ['DELETE', `/checkpoints/${id}`, undefined, keys.scannerA, 403],
          ['POST', `/checkpoints/${id}/scans`, { participant_id: p, nonce: nonce() }, null, 401],
        ];
        for (const [method, url, body, as, status] of cases) {
          const res = await api.inject(method, url, body, as);
          assert.equal(res.status, status, `${method} ${url}: ${JSON.stringify(res.body)}`);
        }
        assert.deepEqual(await scanList(id), {});
        const scanId = (await scanOf(id, p)).body.scan_id;
        assert.equal((await undo(scanId, participant)).status, 403);
        assert.equal((await checkpoint(id)).archived, false);
      });
    });

    test('a scan reaches a volunteer live, and creating a checkpoint too', async () => {
      const base = await api.listen();
      const stream = openStream(base, keys.scannerB);
      try {
        await stream.ready();
        const id = await createCheckpoint({ requires_check_in: false });
        const p = await register();
        const accepted = await scanOf(id, p);
        const refused = await scanOf(id, p);
        await stream.waitFor((e) => e.filter((x) => x.event === 'scan').length >= 2, 'two scan events');
        const created = stream.events.find((e) => e.event === 'checkpoint' && e.data.checkpoint_id === id);
        assert.ok(created, 'a checkpoint event');
        assert.equal(created.data.checkpoint.name, 'Lunch');
        const scans = stream.events.filter((e) => e.event === 'scan').map((e) => e.data);
        assert.deepEqual(scans[0], {
          checkpoint_id: id,
          scan_id: accepted.body.scan_id,
          status: 'accepted',
          reason: null,
          participant_id: p,
          counts: { accepted: 1, participants: 1, refused: 0, conflicts: 0 },
        });
        assert.deepEqual(scans[1], {
          checkpoint_id: id,
          scan_id: refused.body.scan_id,
          status: 'refused',
          reason: 'already_redeemed',
          participant_id: p,
          counts: { accepted: 1, participants: 1, refused: 1, conflicts: 0 },
        });
      } finally {
        await stream.close();
      }
    });

    test('GET /stats lists the checkpoints with their counts, in id order', async () => {
      const id = await createCheckpoint({ name: 'Midnight snack', kind: 'meal', capacity: 50, requires_check_in: false });
      const p = await register();
      await scanOf(id, p);
      await scanOf(id, p);
      const res = await api.inject('GET', '/stats');
      assert.equal(res.status, 200);
      const list = res.body.checkpoints as any[];
      assert.ok(Array.isArray(list));
      assert.deepEqual(
        list.map((c) => c.id),
        [...list.map((c) => c.id)].sort((a, b) => a - b),
      );
      assert.deepEqual(
        list.find((c) => c.id === id),
        {
          id,
          name: 'Midnight snack',
          kind: 'meal',
          capacity: 50,
          accepted: 1,
          participants: 1,
          refused: 1,
          conflicts: 0,
          archived: false,
        },
      );
    });
  });
}
