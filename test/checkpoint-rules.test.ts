// The server's checkpoint cases run against src/shared/checkpoint-rules.ts too: each case is set up over HTTP,
// scanned on the server (online, and uploaded as an offline scan), and decided by decideScan from the roster the
// server hands to offline scanners. The server, the shared rules and the table must agree, so the server and an
// offline scanner cannot drift apart.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CHECKPOINT_REFUSALS,
  type CheckpointRefusal,
  decideCheckIn,
  decideScan,
  REFUSAL_MESSAGES,
  type RuleCheckpoint,
  type RuleParticipant,
} from '../src/shared/checkpoint-rules.js';
import { BACKENDS, type ManualClock, manualClock, sampleParticipant, startTestApp, type TestApp } from './helpers.js';

const MINUTE = 60_000;

interface RuleCase {
  name: string;
  /** The checkpoint's settings when the scan is made; times in ms from the scan's time. */
  checkpoint: {
    opensIn?: number;
    closesIn?: number;
    archived?: boolean;
    allowedTags?: string[];
    requiresCheckIn?: boolean;
    limit?: number | null;
    capacity?: number | null;
  };
  participant: { tags: string[]; checkedIn: boolean; accepted: number };
  /** Other participants the checkpoint had already accepted. */
  others?: number;
  expected: { outcome: 'accepted'; count: number; remaining: number | null } | { outcome: 'refused'; reason: CheckpointRefusal };
}

const hacker = (accepted = 0, checkedIn = true) => ({ tags: ['hacker'], checkedIn, accepted });
const accepted = (count: number, remaining: number | null) => ({ outcome: 'accepted' as const, count, remaining });
const refused = (reason: CheckpointRefusal) => ({ outcome: 'refused' as const, reason });

const CASES: RuleCase[] = [
  { name: 'no rules at all', checkpoint: { limit: null }, participant: hacker(), expected: accepted(1, null) },
  { name: 'once-only, first time', checkpoint: { limit: 1 }, participant: hacker(), expected: accepted(1, 0) },
  { name: 'once-only, second time', checkpoint: { limit: 1 }, participant: hacker(1), expected: refused('already_redeemed') },
  { name: 'limit 3, third time', checkpoint: { limit: 3 }, participant: hacker(2), expected: accepted(3, 0) },
  { name: 'limit 3, fourth time', checkpoint: { limit: 3 }, participant: hacker(3), expected: refused('limit_reached') },
  { name: 'unlimited, sixth time', checkpoint: { limit: null }, participant: hacker(5), expected: accepted(6, null) },
  {
    name: 'check-in required, not checked in',
    checkpoint: { requiresCheckIn: true },
    participant: hacker(0, false),
    expected: refused('not_checked_in'),
  },
  {
    name: 'check-in required, checked in',
    checkpoint: { requiresCheckIn: true },
    participant: hacker(),
    expected: accepted(1, 0),
  },
  {
    name: 'check-in not required, not checked in',
    checkpoint: { requiresCheckIn: false },
    participant: hacker(0, false),
    expected: accepted(1, 0),
  },
  { name: 'opens a millisecond later', checkpoint: { opensIn: 1 }, participant: hacker(), expected: refused('not_open_yet') },
  { name: 'opens at the very scan', checkpoint: { opensIn: 0 }, participant: hacker(), expected: accepted(1, 0) },
  { name: 'closes at the very scan', checkpoint: { closesIn: 0 }, participant: hacker(), expected: refused('closed') },
  { name: 'closes a millisecond later', checkpoint: { closesIn: 1 }, participant: hacker(), expected: accepted(1, 0) },
  {
    name: 'inside its hours',
    checkpoint: { opensIn: -MINUTE, closesIn: MINUTE },
    participant: hacker(),
    expected: accepted(1, 0),
  },
  { name: 'archived', checkpoint: { archived: true }, participant: hacker(), expected: refused('closed') },
  {
    name: 'tag not on the list',
    checkpoint: { allowedTags: ['mentor'] },
    participant: hacker(),
    expected: refused('not_allowed'),
  },
  {
    name: 'one tag on the list',
    checkpoint: { allowedTags: ['mentor', 'judge'] },
    participant: { tags: ['hacker', 'judge'], checkedIn: true, accepted: 0 },
    expected: accepted(1, 0),
  },
  {
    name: 'no tags at all',
    checkpoint: { allowedTags: ['hacker'] },
    participant: { tags: [], checkedIn: true, accepted: 0 },
    expected: refused('not_allowed'),
  },
  { name: 'capacity full', checkpoint: { capacity: 2 }, others: 2, participant: hacker(), expected: refused('capacity_reached') },
  { name: 'last place', checkpoint: { capacity: 2 }, others: 1, participant: hacker(), expected: accepted(1, 0) },
  {
    name: 'capacity full, but they hold a place already',
    checkpoint: { capacity: 2, limit: 2 },
    others: 1,
    participant: hacker(1),
    expected: accepted(2, 0),
  },
  {
    name: 'capacity full of others and at their limit: the limit is told',
    checkpoint: { capacity: 2, limit: 1 },
    others: 1,
    participant: hacker(1),
    expected: refused('already_redeemed'),
  },
  {
    name: 'archived, not on the list, not checked in: closed comes first',
    checkpoint: { archived: true, allowedTags: ['mentor'], requiresCheckIn: true },
    participant: hacker(0, false),
    expected: refused('closed'),
  },
  {
    name: 'not open yet and not on the list: not open comes first',
    checkpoint: { opensIn: MINUTE, allowedTags: ['mentor'] },
    participant: hacker(),
    expected: refused('not_open_yet'),
  },
  {
    name: 'not on the list and not checked in: the list comes first',
    checkpoint: { allowedTags: ['mentor'], requiresCheckIn: true },
    participant: hacker(0, false),
    expected: refused('not_allowed'),
  },
  {
    name: 'not checked in and at their limit: the check-in comes first',
    checkpoint: { requiresCheckIn: true, limit: 1 },
    participant: hacker(1, false),
    expected: refused('not_checked_in'),
  },
];

for (const backend of BACKENDS) {
  describe(`checkpoint rules: server and shared module agree (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let clock: ManualClock;
    let volunteer: string;
    let people = 0;
    let nonces = 0;
    const nonce = () => `rules-${backend.name}-${++nonces}`;
    const iso = (ms: number) => new Date(ms).toISOString();
    const onlyId = (map: Record<string, unknown>) => Number(Object.keys(map)[0]);

    const register = async (tags: string[]): Promise<number> => {
      const res = await api.inject('POST', '/register', { ...sampleParticipant(++people, []), tags });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return onlyId(res.body);
    };
    const scanOnline = async (checkpointId: number, participantId: number, scannedAt?: number) => {
      const body = {
        participant_id: participantId,
        nonce: nonce(),
        ...(scannedAt === undefined ? {} : { scanned_at: iso(scannedAt) }),
      };
      return api.inject('POST', `/checkpoints/${checkpointId}/scans`, body, volunteer);
    };

    /**
     * The case's state, reached over HTTP: an open checkpoint takes the earlier scans, then gets the case's
     * settings. Returns the checkpoint and the participant to scan.
     */
    async function setUp(rule: RuleCase, scanAt: number): Promise<{ checkpointId: number; participantId: number }> {
      const created = await api.inject('POST', '/checkpoints', {
        name: rule.name.slice(0, 60),
        kind: 'meal',
        per_participant_limit: null,
        requires_check_in: false,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const checkpointId = onlyId(created.body);
      const participantId = await register(rule.participant.tags);
      if (rule.participant.checkedIn) {
        assert.equal((await api.inject('POST', '/checkin', { participant_id: participantId })).status, 200);
      }
      for (let i = 0; i < rule.participant.accepted; i++)
        assert.equal((await scanOnline(checkpointId, participantId)).status, 201);
      for (let i = 0; i < (rule.others ?? 0); i++) {
        assert.equal((await scanOnline(checkpointId, await register(['hacker']))).status, 201);
      }
      const { checkpoint: c } = rule;
      const patch = {
        ...(c.opensIn === undefined ? {} : { opens_at: iso(scanAt + c.opensIn) }),
        ...(c.closesIn === undefined ? {} : { closes_at: iso(scanAt + c.closesIn) }),
        ...(c.allowedTags === undefined ? {} : { allowed_tags: c.allowedTags }),
        ...(c.capacity === undefined ? {} : { capacity: c.capacity }),
        ...(c.archived === undefined ? {} : { archived: c.archived }),
        per_participant_limit: c.limit === undefined ? 1 : c.limit,
        requires_check_in: c.requiresCheckIn ?? false,
      };
      const patched = await api.inject('PUT', `/checkpoints/${checkpointId}`, patch);
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      return { checkpointId, participantId };
    }

    /** What an offline scanner decides from the roster the server gives it: the checkpoint and the participant. */
    async function offlineDecision(checkpointId: number, participantId: number, scanAt: number) {
      const roster = await api.inject('GET', '/sync/roster', undefined, volunteer);
      assert.equal(roster.status, 200);
      const view = roster.body.checkpoints[checkpointId];
      const entry = roster.body.participants.find((p: { id: number }) => p.id === participantId);
      const instant = (text: string | null) => (text === null ? null : Date.parse(text));
      const checkpoint: RuleCheckpoint = {
        opensAt: instant(view.opens_at),
        closesAt: instant(view.closes_at),
        archived: view.archived,
        allowedTags: view.allowed_tags,
        requiresCheckIn: view.requires_check_in,
        perParticipantLimit: view.per_participant_limit,
        capacity: view.capacity,
        participants: view.counts.participants,
      };
      const participant: RuleParticipant = {
        tags: entry.tags,
        checkedIn: entry.checked_in,
        accepted: entry.scans[checkpointId] ?? 0,
      };
      return decideScan(checkpoint, participant, scanAt);
    }

    before(async () => {
      clock = manualClock();
      api = await startTestApp(backend.name, {}, undefined, { clock });
      volunteer = await api.createKey('volunteer', undefined, 'Rules scanner');
    });
    after(() => api?.close());

    test('every refusal of the shared rules has a case', () => {
      const covered = new Set(CASES.flatMap((c) => (c.expected.outcome === 'refused' ? [c.expected.reason] : [])));
      assert.deepEqual(
        [...CHECKPOINT_REFUSALS].filter((reason) => !covered.has(reason)),
        [],
      );
    });

    for (const rule of CASES) {
      test(`online: ${rule.name}`, async () => {
        const scanAt = clock.now() - MINUTE;
        const { checkpointId, participantId } = await setUp(rule, scanAt);
        const decided = await offlineDecision(checkpointId, participantId, scanAt);
        assert.deepEqual(decided, rule.expected, 'decideScan');

        const res = await scanOnline(checkpointId, participantId, scanAt);
        if (rule.expected.outcome === 'accepted') {
          assert.equal(res.status, 201, JSON.stringify(res.body));
          assert.deepEqual([res.body.count, res.body.remaining], [rule.expected.count, rule.expected.remaining]);
        } else {
          assert.equal(res.status, 409, JSON.stringify(res.body));
          assert.equal(res.body.code, rule.expected.reason);
          assert.equal(res.body.error, REFUSAL_MESSAGES[rule.expected.reason]);
        }
      });

      test(`uploaded offline: ${rule.name}`, async () => {
        const scanAt = clock.now() - MINUTE;
        const { checkpointId, participantId } = await setUp(rule, scanAt);
        assert.deepEqual(await offlineDecision(checkpointId, participantId, scanAt), rule.expected, 'decideScan');

        const queued = { checkpoint_id: checkpointId, participant_id: participantId, nonce: nonce(), scanned_at: iso(scanAt) };
        const res = await api.inject('POST', '/sync/scans', [queued], volunteer);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const [result] = res.body.results;
        assert.equal(result.offline, true);
        if (rule.expected.outcome === 'accepted') {
          assert.equal(result.status, 'accepted', JSON.stringify(result));
          assert.deepEqual([result.count, result.remaining], [rule.expected.count, rule.expected.remaining]);
        } else {
          // Let through offline, refused by the server: a conflict, saying which rule.
          assert.deepEqual(
            [result.status, result.code, result.conflict_reason],
            ['refused', 'offline_conflict', rule.expected.reason],
            JSON.stringify(result),
          );
          assert.equal(result.error, `${REFUSAL_MESSAGES.offline_conflict}: ${REFUSAL_MESSAGES[rule.expected.reason]}`);
        }
      });
    }

    test('door check-ins: decideCheckIn agrees with POST /checkin and with an uploaded one', async () => {
      const participantId = await register(['hacker']);
      const checkedIn = async () =>
        (await api.inject('GET', `/checkin?participant_id=${participantId}`)).body.checked_in as boolean;
      assert.equal(decideCheckIn({ checkedIn: await checkedIn() }), 'accepted');
      assert.equal((await api.inject('POST', '/checkin', { participant_id: participantId }, volunteer)).status, 200);

      assert.equal(decideCheckIn({ checkedIn: await checkedIn() }), 'already_checked_in');
      const again = await api.inject('POST', '/checkin', { participant_id: participantId }, volunteer);
      assert.deepEqual([again.status, again.body.code], [400, 'already_checked_in']);
      const queued = { check_in: true, participant_id: participantId, nonce: nonce(), scanned_at: iso(clock.now()) };
      const uploaded = await api.inject('POST', '/sync/scans', [queued], volunteer);
      assert.deepEqual([uploaded.body.results[0].status, uploaded.body.results[0].code], ['refused', 'already_checked_in']);
    });
  });
}
