// Unit tests for the offline scanner's pure parts: the roster (merging syncs, counting queued scans, searching by
// name), the badge check against the roster's key, the offline decision, what a volunteer reads, and the
// upload queue (items, chunks, and what the answers mean). Run with `npm run test:web`.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToBase64url, signedBadgeCode, signedBadgeMessage } from '../../src/shared/badge-token.ts';
import { checkBadge } from '../src/offline/badge-check.ts';
import { decideOffline } from '../src/offline/offline-decision.ts';
import { offlineDecisionView } from '../src/offline/offline-views.ts';
import { chunks, keptScansText, keptUploadText, settleUpload, uploadItem, UPLOAD_CHUNK } from '../src/offline/queue.ts';
import {
  acceptedCount,
  applyChanges,
  checkedInCount,
  isCheckedIn,
  keptFromOtherKeys,
  mergeAnswer,
  mergeRoster,
  type QueuedScan,
  type Roster,
  searchRoster,
  servedCount,
} from '../src/offline/roster.ts';
import type { Checkpoint, RosterAnswer, RosterParticipant, SyncScanResult } from '../src/api-types.ts';

const secretKey = ed25519.utils.randomSecretKey();
const PUBLIC_KEY = bytesToBase64url(ed25519.getPublicKey(secretKey));

/** A badge the event signed (with `key`: someone else did). */
const badge = (participantId: number, version = 1, key = secretKey) =>
  signedBadgeCode(participantId, version, ed25519.sign(signedBadgeMessage(participantId, version), key));

const LUNCH = 3;

function checkpoint(changes: Partial<Checkpoint> = {}): Checkpoint {
  return {
    name: 'Lunch',
    kind: 'meal',
    opens_at: null,
    closes_at: null,
    per_participant_limit: 1,
    capacity: null,
    requires_check_in: false,
    allowed_tags: null,
    archived: false,
    counts: { accepted: 0, participants: 0, refused: 0, conflicts: 0 },
    created_at: '2026-12-01T08:00:00.000Z',
    updated_at: '2026-12-01T08:00:00.000Z',
    ...changes,
  };
}

function participant(id: number, changes: Partial<RosterParticipant> = {}): RosterParticipant {
  return {
    id,
    name: `Person ${id}`,
    tags: ['hacker'],
    dietary_restrictions: '',
    checked_in: true,
    badge_version: 1,
    scans: {},
    ...changes,
  };
}

function answer(participants: RosterParticipant[], changes: Partial<RosterAnswer> = {}): RosterAnswer {
  return {
    cursor: '3.1764669600000',
    full: true,
    synced_at: '2026-12-02T10:00:00.000Z',
    badge_key: { algorithm: 'Ed25519', public_key: PUBLIC_KEY },
    checkpoints: { [LUNCH]: checkpoint() },
    participants,
    removed: [],
    ...changes,
  };
}

const rosterOf = (participants: RosterParticipant[], changes: Partial<RosterAnswer> = {}): Roster =>
  mergeRoster(null, answer(participants, changes), Date.parse('2026-12-02T10:00:00.000Z'));

const NOW = Date.parse('2026-12-02T12:00:00.000Z');

function queued(
  participantId: number,
  checkpointId: number | null = LUNCH,
  nonce = `nonce-${participantId}-${checkpointId}`,
): QueuedScan {
  return {
    nonce,
    checkpointId,
    target: { participant_id: participantId },
    participantId,
    name: `Person ${participantId}`,
    place: checkpointId === null ? 'the door' : 'Lunch',
    scannedAt: '2026-12-02T12:03:00.000Z',
  };
}

describe('roster: synced whole, then merged by id', () => {
  test('a full answer replaces everyone; a delta changes only those it names', () => {
    const full = rosterOf([participant(1), participant(2)]);
    assert.deepEqual([...full.participants.keys()], [1, 2]);
    const delta = mergeRoster(
      full,
      answer([participant(2, { name: 'Bea' }), participant(3)], { full: false, cursor: '3.1764669630000' }),
      NOW,
    );
    assert.deepEqual([...delta.participants.keys()], [1, 2, 3]);
    assert.equal(delta.participants.get(2)?.name, 'Bea');
    assert.equal(delta.cursor, '3.1764669630000', 'the cursor is kept as the server wrote it');
    assert.equal(delta.fullSyncAt, full.fullSyncAt, 'a delta is not a full sync');
    assert.equal(full.participants.get(2)?.name, 'Person 2', 'the roster before the merge is left as it was');
    const again = mergeRoster(full, answer([participant(4)]), NOW);
    assert.deepEqual([...again.participants.keys()], [4], 'a full answer drops who is gone');
  });

  test('a delta drops the participants deleted since the cursor, from the roster and from what the phone keeps', () => {
    const full = rosterOf([participant(1), participant(2), participant(3)]);
    const delta = answer([participant(3, { name: 'Cy' })], { full: false, removed: [2] });
    assert.deepEqual([...mergeRoster(full, delta, NOW).participants.keys()], [1, 3]);
    const { roster, participants, removed } = mergeAnswer(full, delta, NOW, [{ participantId: 2, checkedIn: true }]);
    assert.deepEqual([...roster.participants.keys()], [1, 3], 'what the phone learned about them does not bring them back');
    assert.deepEqual(
      participants.map((p) => p.id),
      [3],
    );
    assert.deepEqual(removed, [2]);
  });

  test("the server's clock is kept: the offset from this device's", () => {
    const roster = mergeRoster(null, answer([]), Date.parse('2026-12-02T09:59:00.000Z'));
    assert.equal(roster.clockOffsetMs, 60_000);
  });

  test("scans queued on this phone count as the server's: per person, check-ins, people served", () => {
    const roster = rosterOf([participant(1, { scans: { [LUNCH]: 1 } }), participant(2, { checked_in: false }), participant(3)], {
      checkpoints: { [LUNCH]: checkpoint({ counts: { accepted: 1, participants: 1, refused: 0, conflicts: 0 } }) },
    });
    const queue = [queued(1), queued(2), queued(2, null)];
    assert.equal(acceptedCount(roster, queue, LUNCH, 1), 2);
    assert.equal(acceptedCount(roster, queue, LUNCH, 2), 1);
    assert.equal(acceptedCount(roster, queue, LUNCH, 3), 0);
    assert.equal(servedCount(roster, queue, LUNCH), 2, 'person 1 was served already; person 2 is new');
    assert.equal(isCheckedIn(roster, [], 2), false);
    assert.equal(isCheckedIn(roster, queue, 2), true);
    assert.equal(checkedInCount(roster, queue), 3);
  });

  test('answers from the server raise the counts (never lower them) and count a newly served person once', () => {
    const roster = rosterOf([participant(1), participant(2, { checked_in: false })]);
    const { roster: next, changed } = applyChanges(roster, [
      { participantId: 1, checkpointId: LUNCH, atLeast: 1 },
      { participantId: 1, checkpointId: LUNCH, atLeast: 1 },
      { participantId: 2, checkedIn: true },
      { participantId: 99, checkedIn: true },
    ]);
    assert.equal(next.participants.get(1)?.scans[LUNCH], 1);
    assert.equal(next.checkpoints[LUNCH]?.counts.participants, 1);
    assert.equal(next.participants.get(2)?.checked_in, true);
    assert.deepEqual(changed.map((p) => p.id).sort(), [1, 2]);
    const lower = applyChanges(next, [{ participantId: 1, checkpointId: LUNCH, atLeast: 0 }]);
    assert.equal(lower.roster.participants.get(1)?.scans[LUNCH], 1);
    assert.deepEqual(lower.changed, []);
  });
});

describe('mergeAnswer: what the phone learned online while a roster answer was on its way stays', () => {
  const lunchCounts = (participants: number) => ({
    checkpoints: { [LUNCH]: checkpoint({ counts: { accepted: participants, participants, refused: 0, conflicts: 0 } }) },
  });

  test('an answer read before an online scan does not set its count back, nor a check-in, delta or full', () => {
    // The phone's roster already holds what noteAnswer learned: Ann had lunch, Bob was checked in.
    const before = rosterOf([participant(1), participant(2, { checked_in: false })]);
    const learned = [
      { participantId: 1, checkpointId: LUNCH, atLeast: 1 },
      { participantId: 2, checkedIn: true as const },
    ];
    const current = applyChanges(before, learned).roster;
    // The server read both before those scans (each listed for some earlier change).
    const stale = [participant(1, { name: 'Ann' }), participant(2, { name: 'Bob', checked_in: false })];
    for (const full of [false, true]) {
      const { roster, participants } = mergeAnswer(current, answer(stale, { full, ...lunchCounts(0) }), NOW, learned);
      assert.equal(roster.participants.get(1)?.scans[LUNCH], 1, `full: ${full}`);
      assert.equal(roster.participants.get(1)?.name, 'Ann', 'the rest of the answer stands');
      assert.equal(roster.participants.get(2)?.checked_in, true);
      assert.equal(roster.checkpoints[LUNCH]?.counts.participants, 1, 'Ann counts as served');
      // What is kept on the device says the same.
      assert.deepEqual(
        participants.map((p) => [p.id, p.name, p.scans[LUNCH] ?? 0, p.checked_in]),
        [
          [1, 'Ann', 1, true],
          [2, 'Bob', 0, true],
        ],
      );
    }
  });

  test('an answer read after the scan is taken as it is: nothing counted twice', () => {
    const learned = [{ participantId: 1, checkpointId: LUNCH, atLeast: 1 }];
    const current = applyChanges(rosterOf([participant(1)]), learned).roster;
    const fresh = answer([participant(1, { scans: { [LUNCH]: 2 } })], { full: false, ...lunchCounts(1) });
    const { roster, participants } = mergeAnswer(current, fresh, NOW, learned);
    assert.equal(roster.participants.get(1)?.scans[LUNCH], 2, 'the newer count from the server stands');
    assert.equal(roster.checkpoints[LUNCH]?.counts.participants, 1);
    assert.deepEqual(participants, fresh.participants);
    const nothingLearned = mergeAnswer(current, fresh, NOW, []);
    assert.deepEqual(nothingLearned.roster, mergeRoster(current, fresh, NOW));
  });
});

describe('searchRoster: find by name with no network', () => {
  const roster = rosterOf([
    participant(1, { name: 'José Álvarez' }),
    participant(2, { name: 'Ann Lee' }),
    participant(3, { name: 'Joanna Smith' }),
    participant(42, { name: 'Lee Ann Park' }),
  ]);
  const names = (query: string) => searchRoster(roster, query).map((p) => p.name);

  test('every word typed, in any case and without accents; a word of the name starting with it first', () => {
    assert.deepEqual(names('jose'), ['José Álvarez']);
    assert.deepEqual(names('ann lee'), ['Ann Lee', 'Lee Ann Park']);
    assert.deepEqual(names('JO'), ['Joanna Smith', 'José Álvarez']);
    assert.deepEqual(names('ann'), ['Ann Lee', 'Lee Ann Park', 'Joanna Smith']);
  });

  test('an id, with or without #; nothing for an empty query', () => {
    assert.deepEqual(names('42'), ['Lee Ann Park']);
    assert.deepEqual(names('#2'), ['Ann Lee']);
    assert.deepEqual(names('7'), []);
    assert.deepEqual(names('  '), []);
  });

  test('at most `limit` results', () => {
    const many = rosterOf(Array.from({ length: 30 }, (_, i) => participant(i + 1, { name: `Sam ${i + 1}` })));
    assert.equal(searchRoster(many, 'sam').length, 20);
    assert.equal(searchRoster(many, 'sam', 5).length, 5);
  });
});

describe('checkBadge: signed badges checked with the roster key alone', () => {
  const versions = new Map([
    [7, 2],
    [8, 1],
  ]);
  const versionOf = (id: number) => versions.get(id);

  test('the current badge is valid; one signed with another key is forged; an older version was replaced', () => {
    assert.deepEqual(checkBadge(badge(7, 2), PUBLIC_KEY, versionOf), { kind: 'valid', participantId: 7 });
    assert.deepEqual(checkBadge(badge(7, 2, ed25519.utils.randomSecretKey()), PUBLIC_KEY, versionOf), { kind: 'forged' });
    assert.deepEqual(checkBadge(badge(7, 1), PUBLIC_KEY, versionOf), { kind: 'replaced', participantId: 7 });
  });

  test('a signature moved onto another id or version is forged', () => {
    const signature = badge(8).split('.')[2];
    assert.deepEqual(checkBadge(`7.2.${signature}`, PUBLIC_KEY, versionOf), { kind: 'forged' });
    assert.deepEqual(checkBadge(`8.2.${signature}`, PUBLIC_KEY, versionOf), { kind: 'forged' });
  });

  test('a newer version than the roster knows stands (only the event can sign it); nobody on the roster: not listed', () => {
    assert.deepEqual(checkBadge(badge(8, 2), PUBLIC_KEY, versionOf), { kind: 'valid', participantId: 8 });
    assert.deepEqual(checkBadge(badge(9), PUBLIC_KEY, versionOf), { kind: 'not_listed', participantId: 9 });
  });

  test('an unsigned badge printed before signing is legacy; anything else is unknown', () => {
    assert.deepEqual(checkBadge('xYoXtcBqXPjxRmM7EbNvxA', PUBLIC_KEY, versionOf), { kind: 'legacy' });
    assert.deepEqual(checkBadge('hello', PUBLIC_KEY, versionOf), { kind: 'unknown' });
    assert.deepEqual(checkBadge('7.2.short', PUBLIC_KEY, versionOf), { kind: 'unknown' });
  });

  test('a roster key that is not a key forges everything rather than throwing', () => {
    assert.deepEqual(checkBadge(badge(7, 2), 'not-a-key', versionOf), { kind: 'forged' });
  });
});

describe('decideOffline: the server’s rules over the roster and this phone’s queue', () => {
  const roster = rosterOf([participant(1), participant(2, { checked_in: false }), participant(3, { badge_version: 2 })], {
    checkpoints: {
      [LUNCH]: checkpoint(),
      4: checkpoint({
        name: 'Swag',
        per_participant_limit: null,
        capacity: 2,
        counts: { accepted: 1, participants: 1, refused: 0, conflicts: 0 },
      }),
      5: checkpoint({ name: 'Dinner', requires_check_in: true, opens_at: '2026-12-02T18:00:00.000Z' }),
    },
  });

  test('let through once; the same person again in this offline session is already redeemed, by this phone', () => {
    const first = decideOffline(roster, [], LUNCH, { badge: badge(1) }, NOW);
    assert.equal(first.kind, 'accepted');
    assert.deepEqual(first.kind === 'accepted' && [first.participant.id, first.count, first.remaining], [1, 1, 0]);
    const again = decideOffline(roster, [queued(1)], LUNCH, { badge: badge(1) }, NOW);
    assert.equal(again.kind, 'refused');
    assert.equal(again.kind === 'refused' && again.reason, 'already_redeemed');
    assert.equal(again.kind === 'refused' && again.last?.nonce, 'nonce-1-3');
  });

  test('forged, replaced, unsigned and unknown badges are told apart', () => {
    assert.deepEqual(decideOffline(roster, [], LUNCH, { badge: badge(1, 1, ed25519.utils.randomSecretKey()) }, NOW), {
      kind: 'forged',
    });
    const replaced = decideOffline(roster, [], LUNCH, { badge: badge(3, 1) }, NOW);
    assert.equal(replaced.kind, 'replaced');
    assert.equal(replaced.kind === 'replaced' && replaced.participant?.id, 3);
    assert.deepEqual(decideOffline(roster, [], LUNCH, { badge: 'xYoXtcBqXPjxRmM7EbNvxA' }, NOW), { kind: 'legacy' });
    assert.deepEqual(decideOffline(roster, [], LUNCH, { badge: badge(99) }, NOW), { kind: 'unknown_badge' });
    assert.deepEqual(decideOffline(roster, [], LUNCH, { participant_id: 99 }, NOW), { kind: 'participant_not_found' });
    assert.deepEqual(decideOffline(roster, [], 77, { participant_id: 1 }, NOW), { kind: 'checkpoint_unknown' });
  });

  test('capacity counts the people this phone let in; opening hours and check-in need the rules too', () => {
    const swag = (queue: QueuedScan[], who: number) => decideOffline(roster, queue, 4, { participant_id: who }, NOW);
    assert.equal(swag([], 2).kind, 'accepted');
    const full = swag([queued(2, 4)], 3);
    assert.equal(full.kind === 'refused' && full.reason, 'capacity_reached');
    assert.equal(swag([queued(2, 4)], 2).kind, 'accepted', 'someone already in takes no new place');
    const early = decideOffline(roster, [], 5, { participant_id: 1 }, NOW);
    assert.equal(early.kind === 'refused' && early.reason, 'not_open_yet');
    const evening = Date.parse('2026-12-02T19:00:00.000Z');
    const notIn = decideOffline(roster, [], 5, { participant_id: 2 }, evening);
    assert.equal(notIn.kind === 'refused' && notIn.reason, 'not_checked_in');
    assert.equal(
      decideOffline(roster, [queued(2, null)], 5, { participant_id: 2 }, evening).kind,
      'accepted',
      'checked in offline',
    );
  });

  test('the door checks in once: by the roster, or by a check-in this phone queued', () => {
    assert.equal(decideOffline(roster, [], null, { participant_id: 2 }, NOW).kind, 'accepted');
    const queuedHere = decideOffline(roster, [queued(2, null)], null, { participant_id: 2 }, NOW);
    assert.equal(queuedHere.kind === 'refused' && queuedHere.reason, 'already_checked_in');
    const listed = decideOffline(roster, [], null, { badge: badge(1) }, NOW);
    assert.equal(listed.kind === 'refused' && listed.reason, 'already_checked_in');
  });
});

describe('offlineDecisionView: what the volunteer reads; what the rules decided is marked provisional', () => {
  const roster = rosterOf([participant(1, { dietary_restrictions: 'vegan ' })]);
  const lunch = checkpoint();

  test('accepted, already redeemed by this phone, and checked in', () => {
    const accepted = offlineDecisionView(decideOffline(roster, [], LUNCH, { participant_id: 1 }, NOW), lunch, 'Lunch 1');
    assert.deepEqual(
      [accepted.tone, accepted.title, accepted.name, accepted.dietary, accepted.provisional],
      ['ok', 'Accepted', 'Person 1', 'vegan', true],
    );
    const again = offlineDecisionView(decideOffline(roster, [queued(1)], LUNCH, { participant_id: 1 }, NOW), lunch, 'Lunch 1');
    assert.equal(again.tone, 'warn');
    assert.match(again.detail, /^Already redeemed at \d\d:\d\d by this phone\.$/);
    assert.equal(again.provisional, true);
    const door = offlineDecisionView(
      decideOffline(roster, [queued(1, null)], null, { participant_id: 1 }, NOW),
      undefined,
      'Door',
    );
    assert.deepEqual([door.tone, door.title], ['warn', 'Already checked in']);
    assert.match(door.detail, /^Checked in at \d\d:\d\d by this phone\.$/);
  });

  test('badges the phone cannot let through say why, and what to do', () => {
    const view = (decision: Parameters<typeof offlineDecisionView>[0]) => offlineDecisionView(decision, lunch, 'Lunch 1');
    assert.deepEqual([view({ kind: 'forged' }).tone, view({ kind: 'forged' }).title], ['bad', 'Forged badge']);
    assert.equal(view({ kind: 'replaced', participant: participant(1) }).title, 'Old badge (replaced)');
    const legacy = view({ kind: 'legacy' });
    assert.equal(`${legacy.title}: ${legacy.detail}`, "Can't check this badge offline: Find the person by name.");
    assert.equal(legacy.tone, 'unsure');
    assert.equal(view({ kind: 'forged' }).provisional, undefined, 'a forged signature is certain, not provisional');
  });
});

describe('the upload queue', () => {
  test('each queued scan is sent as its place, its target, its nonce and when it was made', () => {
    assert.deepEqual(uploadItem({ ...queued(1), target: { badge: 'abc' } }), {
      checkpoint_id: LUNCH,
      badge: 'abc',
      nonce: 'nonce-1-3',
      scanned_at: '2026-12-02T12:03:00.000Z',
    });
    assert.deepEqual(uploadItem(queued(2, null)), {
      check_in: true,
      participant_id: 2,
      nonce: 'nonce-2-null',
      scanned_at: '2026-12-02T12:03:00.000Z',
    });
  });

  test('in chunks of at most 500', () => {
    const items = Array.from({ length: 1001 }, (_, i) => i);
    assert.deepEqual(
      chunks(items).map((chunk) => chunk.length),
      [UPLOAD_CHUNK, UPLOAD_CHUNK, 1],
    );
    assert.deepEqual(chunks([]), []);
  });

  test('answered scans leave the queue; conflicts and errors are reported in plain words; the rest stays', () => {
    const sent = [queued(1), queued(2), queued(3), queued(4, null), queued(5, null), queued(6), queued(7)];
    const results: SyncScanResult[] = [
      {
        nonce: 'nonce-1-3',
        status: 'accepted',
        checkpoint_id: LUNCH,
        offline: true,
        count: 1,
        remaining: 0,
        participant: { id: 1, name: 'Ann', tags: [], dietary_restrictions: '' },
      },
      {
        nonce: 'nonce-2-3',
        status: 'refused',
        checkpoint_id: LUNCH,
        code: 'offline_conflict',
        conflict_reason: 'already_redeemed',
        last_accepted_at: '2026-12-02T12:01:00.000Z',
        last_accepted_by: 'Lunch 2',
        participant: { id: 2, name: 'Bob', tags: [], dietary_restrictions: '' },
      },
      { nonce: 'nonce-3-3', status: 'unknown', checkpoint_id: LUNCH, code: 'offline_conflict', conflict_reason: 'unknown_badge' },
      { nonce: 'nonce-4-null', status: 'accepted', check_in: true, participant_id: 4 },
      {
        nonce: 'nonce-5-null',
        status: 'refused',
        check_in: true,
        code: 'already_checked_in',
        participant_id: 5,
        check_in_status: {
          participant_id: 5,
          checked_in: true,
          check_in_time: Date.parse('2026-12-02T11:00:00.000Z') / 1000,
          volunteer_name: 'Door 2',
        },
      },
      {
        nonce: 'nonce-6-3',
        status: 'error',
        checkpoint_id: LUNCH,
        code: 'invalid_time',
        error: 'scanned_at must be within the last 24 hours',
      },
    ];
    const settled = settleUpload(sent, results, () => 1);
    assert.deepEqual(settled.answered, ['nonce-1-3', 'nonce-2-3', 'nonce-3-3', 'nonce-4-null', 'nonce-5-null', 'nonce-6-3']);
    assert.deepEqual(settled.changes, [
      { participantId: 1, checkpointId: LUNCH, atLeast: 1 },
      { participantId: 2, checkpointId: LUNCH, atLeast: 1 },
      { participantId: 4, checkedIn: true },
      { participantId: 5, checkedIn: true },
    ]);
    const reports = settled.reports.map((report) => `${report.kind} ${report.name} ${report.place}: ${report.text}`);
    assert.equal(reports.length, 4);
    assert.match(
      reports[0]!,
      /^conflict Bob Lunch: Let through offline, but not counted: they had already had this here \(the one that counted: \d\d:\d\d by Lunch 2\)\.$/,
    );
    assert.equal(reports[1], 'conflict Person 3 Lunch: Let through offline, but not counted: that is not a badge of this event.');
    assert.match(reports[2]!, /^note Person 5 the door: Already checked in at \d\d:\d\d by Door 2: counted once\.$/);
    assert.equal(reports[3], 'failed Person 6 Lunch: Not uploaded: scanned_at must be within the last 24 hours.');
  });

  test('scans another key left on the phone: counted, and said plainly before and after sign-in', () => {
    const queue = [
      { ...queued(1), keyFingerprint: 'old' },
      { ...queued(2), keyFingerprint: 'old' },
      { ...queued(3), keyFingerprint: 'mine' },
      queued(4),
    ];
    assert.equal(keptFromOtherKeys(queue, 'mine'), 2, 'a scan queued before keys were noted counts as this key’s');
    assert.equal(keptFromOtherKeys(queue, 'old'), 1);
    assert.equal(
      keptScansText(12),
      '12 scans made offline are still on this phone; sign in with a volunteer or admin key to upload them.',
    );
    assert.equal(
      keptScansText(1),
      '1 scan made offline is still on this phone; sign in with a volunteer or admin key to upload it.',
    );
    assert.equal(keptScansText(0), '');
    assert.equal(
      keptUploadText(2, true, 0),
      '2 scans made offline before a sign-out are on this phone: they upload with your key when the connection is back.',
    );
    assert.equal(keptUploadText(2, false, 1), 'Uploading 2 scans made offline before a sign-out, with your key…');
    assert.equal(keptUploadText(0, false, 3), '3 scans made offline before a sign-out were uploaded with your key.');
    assert.equal(keptUploadText(0, false, 0), '');
  });

  test('a result for another nonce than the one in its place is not trusted', () => {
    const settled = settleUpload([queued(1)], [{ nonce: 'other', status: 'accepted' }], () => 1);
    assert.deepEqual(settled, { answered: [], reports: [], changes: [] });
  });
});
