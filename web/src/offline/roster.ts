// What an offline scanner decides with: the roster (GET /sync/roster) and the scans this phone queued itself.
// Pure: the IndexedDB copy is in scanner-store.ts, the requests in scanner.ts.
import type { Checkpoint, CheckpointsById, RosterAnswer, RosterParticipant } from '../api-types';
import type { RuleCheckpoint, RuleParticipant } from '../../../src/shared/checkpoint-rules.ts';

export interface RosterMeta {
  /** Sent as ?since= for the next delta. */
  cursor: string;
  /** The server's time of the last answer. */
  syncedAt: string;
  /** This device's time (ms) of the last full sync. */
  fullSyncAt: number;
  /** The server's time minus this device's (ms): offline scans are judged and stamped in the server's time. */
  clockOffsetMs: number;
  /** The Ed25519 public key badges are signed with, base64url. */
  publicKey: string;
  checkpoints: CheckpointsById;
}

export interface Roster extends RosterMeta {
  participants: ReadonlyMap<number, RosterParticipant>;
}

/** A scan this phone let through offline, kept until the server has answered it. */
export interface QueuedScan {
  /** The scan's id for the server: a scan first sent online keeps the nonce it was sent with. */
  nonce: string;
  /** null at the door (a check-in). */
  checkpointId: number | null;
  target: { badge: string } | { participant_id: number };
  participantId: number;
  /** For the volunteer's report after the sync. */
  name: string;
  /** Where, in words ("Lunch", "the door"). */
  place: string;
  /** When it was made, in the server's time (ISO): what scanned_at says. */
  scannedAt: string;
  /**
   * Which key made it (key-fingerprint.ts). A key the server stops accepting leaves its queue on the phone for
   * the next volunteer or admin key to upload. Absent on scans queued before keys were noted.
   */
  keyFingerprint?: string;
}

/**
 * The roster an answer leaves: the whole of it for a full answer, else the old one with the changes merged by id
 * and the participants deleted since dropped (their names must not stay on the phone, and their badges no longer work).
 */
export function mergeRoster(current: Roster | null, answer: RosterAnswer, receivedAt: number): Roster {
  const full = answer.full || current === null;
  const participants = new Map(full ? [] : current.participants);
  for (const participant of answer.participants) participants.set(participant.id, participant);
  for (const id of answer.removed) participants.delete(id);
  const syncedAt = Date.parse(answer.synced_at);
  return {
    cursor: answer.cursor,
    syncedAt: answer.synced_at,
    fullSyncAt: full ? receivedAt : current.fullSyncAt,
    clockOffsetMs: Number.isNaN(syncedAt) ? (current?.clockOffsetMs ?? 0) : syncedAt - receivedAt,
    publicKey: answer.badge_key.public_key,
    checkpoints: answer.checkpoints,
    participants,
  };
}

/**
 * The roster an answer leaves (mergeRoster), with what this phone learned online while the answer was on its way
 * applied again: the server may have read a participant before a scan this phone saw it accept, and the answer
 * would set that count back. `participants`: what to keep on the device (the answer's, with those changes);
 * `removed`: who to delete from it.
 */
export function mergeAnswer(
  current: Roster | null,
  answer: RosterAnswer,
  receivedAt: number,
  learnedMeanwhile: readonly RosterChange[],
): { roster: Roster; participants: RosterParticipant[]; removed: number[] } {
  const { roster, changed } = applyChanges(mergeRoster(current, answer, receivedAt), learnedMeanwhile);
  const participants = new Map(answer.participants.map((participant) => [participant.id, participant]));
  for (const participant of changed) participants.set(participant.id, participant);
  for (const id of answer.removed) participants.delete(id);
  return { roster, participants: [...participants.values()], removed: answer.removed };
}

/** The roster's meta part, as stored beside its participants. */
export function metaOf(roster: Roster): RosterMeta {
  const { participants: _participants, ...meta } = roster;
  return meta;
}

/** The time now on the server's clock, as far as the last sync could tell. */
export const serverNow = (roster: Pick<RosterMeta, 'clockOffsetMs'>, now = Date.now()) => now + roster.clockOffsetMs;

const queuedHere = (queue: readonly QueuedScan[], checkpointId: number | null, participantId: number) =>
  queue.filter((scan) => scan.checkpointId === checkpointId && scan.participantId === participantId);

/** The participant's accepted scans at a checkpoint: the roster's, plus those this phone queued. */
export function acceptedCount(roster: Roster, queue: readonly QueuedScan[], checkpointId: number, participantId: number) {
  const listed = roster.participants.get(participantId)?.scans[checkpointId] ?? 0;
  return listed + queuedHere(queue, checkpointId, participantId).length;
}

/** Checked in by the roster, or by a check-in this phone queued. */
export function isCheckedIn(roster: Roster, queue: readonly QueuedScan[], participantId: number): boolean {
  return roster.participants.get(participantId)?.checked_in === true || queuedHere(queue, null, participantId).length > 0;
}

/** Distinct participants served at a checkpoint: the roster's count, plus those first let in by this phone. */
export function servedCount(roster: Roster, queue: readonly QueuedScan[], checkpointId: number): number {
  const listed = roster.checkpoints[checkpointId]?.counts.participants ?? 0;
  const newcomers = new Set(
    queue
      .filter((scan) => scan.checkpointId === checkpointId && !roster.participants.get(scan.participantId)?.scans[checkpointId])
      .map((scan) => scan.participantId),
  );
  return listed + newcomers.size;
}

/** Participants checked in: the roster's, plus those checked in by this phone. */
export function checkedInCount(roster: Roster, queue: readonly QueuedScan[]): number {
  let count = 0;
  for (const participant of roster.participants.values()) if (participant.checked_in) count++;
  const newcomers = new Set(
    queue
      .filter((scan) => scan.checkpointId === null && !roster.participants.get(scan.participantId)?.checked_in)
      .map((scan) => scan.participantId),
  );
  return count + newcomers.size;
}

const instant = (iso: string | null) => (iso === null ? null : Date.parse(iso));

/** A checkpoint as the shared rules see it, with this phone's queued scans counted. */
export function ruleCheckpoint(roster: Roster, queue: readonly QueuedScan[], id: number, checkpoint: Checkpoint): RuleCheckpoint {
  return {
    opensAt: instant(checkpoint.opens_at),
    closesAt: instant(checkpoint.closes_at),
    archived: checkpoint.archived,
    allowedTags: checkpoint.allowed_tags,
    requiresCheckIn: checkpoint.requires_check_in,
    perParticipantLimit: checkpoint.per_participant_limit,
    capacity: checkpoint.capacity,
    participants: servedCount(roster, queue, id),
  };
}

/** A participant as the shared rules see them at one checkpoint, with this phone's queued scans counted. */
export function ruleParticipant(
  roster: Roster,
  queue: readonly QueuedScan[],
  checkpointId: number,
  participant: RosterParticipant,
): RuleParticipant {
  return {
    tags: participant.tags,
    checkedIn: isCheckedIn(roster, queue, participant.id),
    accepted: acceptedCount(roster, queue, checkpointId, participant.id),
  };
}

/** Queued scans made with a key other than `fingerprint`: left on the phone by an earlier sign-in. */
export const keptFromOtherKeys = (queue: readonly QueuedScan[], fingerprint: string) =>
  queue.filter((scan) => scan.keyFingerprint !== undefined && scan.keyFingerprint !== fingerprint).length;

/** The latest scan this phone queued for the participant there (null: the door), for "at 12:03 by this phone". */
export function lastQueued(queue: readonly QueuedScan[], checkpointId: number | null, participantId: number) {
  return queuedHere(queue, checkpointId, participantId).at(-1);
}

/** Lower case without accents, so "jose" finds "José". */
const folded = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/**
 * The participants a volunteer's search finds with no network: by id ("42", "#42"), or by name, every word
 * typed being part of it; names starting with the first word first, then by name.
 */
export function searchRoster(roster: Roster, query: string, limit = 20): RosterParticipant[] {
  const text = folded(query.trim());
  if (!text) return [];
  const id = /^#?(\d+)$/.exec(text)?.[1];
  if (id !== undefined) {
    const found = roster.participants.get(Number(id));
    return found ? [found] : [];
  }
  const words = text.split(/\s+/);
  const matches: { participant: RosterParticipant; name: string }[] = [];
  for (const participant of roster.participants.values()) {
    const name = folded(participant.name);
    if (words.every((word) => name.includes(word))) matches.push({ participant, name });
  }
  const first = words[0] ?? '';
  const rank = (name: string) => (name.startsWith(first) || name.includes(` ${first}`) ? 0 : 1);
  return matches
    .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name) || a.participant.id - b.participant.id)
    .slice(0, limit)
    .map((match) => match.participant);
}

/** What an upload result tells the roster about a participant, so it holds once the scan leaves the queue. */
export type RosterChange =
  { participantId: number; checkpointId: number; atLeast: number } | { participantId: number; checkedIn: true };

/** The roster with what the server answered applied (a later sync brings the exact counts). */
export function applyChanges(roster: Roster, changes: readonly RosterChange[]): { roster: Roster; changed: RosterParticipant[] } {
  const participants = new Map(roster.participants);
  const checkpoints = { ...roster.checkpoints };
  const changed = new Map<number, RosterParticipant>();
  for (const change of changes) {
    const participant = participants.get(change.participantId);
    if (!participant) continue;
    let next = participant;
    if ('checkedIn' in change) {
      next = { ...participant, checked_in: true };
    } else {
      const before = participant.scans[change.checkpointId] ?? 0;
      if (before >= change.atLeast) continue;
      next = { ...participant, scans: { ...participant.scans, [change.checkpointId]: change.atLeast } };
      const checkpoint = checkpoints[change.checkpointId];
      if (before === 0 && checkpoint) {
        checkpoints[change.checkpointId] = {
          ...checkpoint,
          counts: { ...checkpoint.counts, participants: checkpoint.counts.participants + 1 },
        };
      }
    }
    participants.set(next.id, next);
    changed.set(next.id, next);
  }
  return { roster: { ...roster, participants, checkpoints }, changed: [...changed.values()] };
}
