// A scan decided on the phone, when the server cannot be asked: the badge checked against the roster's key, then
// the same rules the server applies (src/shared/checkpoint-rules.ts), over the roster and this phone's queue.
import type { RosterParticipant } from '../api-types';
import { type CheckpointRefusal, decideCheckIn, decideScan } from '../../../src/shared/checkpoint-rules.ts';
import { checkBadge } from './badge-check';
import { isCheckedIn, lastQueued, type QueuedScan, type Roster, ruleCheckpoint, ruleParticipant } from './roster';

export type OfflineTarget = { badge: string } | { participant_id: number };

export type OfflineDecision =
  /** Let through: to be queued. `count`/`remaining` only at a checkpoint. */
  | { kind: 'accepted'; participant: RosterParticipant; count?: number; remaining?: number | null }
  /** Refused by the rules; `last` is this phone's queued scan that used the place up, if it was one. */
  | { kind: 'refused'; reason: CheckpointRefusal | 'already_checked_in'; participant: RosterParticipant; last?: QueuedScan }
  | { kind: 'forged' }
  | { kind: 'replaced'; participant: RosterParticipant | undefined }
  | { kind: 'legacy' }
  | { kind: 'unknown_badge' }
  | { kind: 'participant_not_found' }
  /** The checkpoint is not on the roster (created after the last sync). */
  | { kind: 'checkpoint_unknown' };

/** Who the target is, or the decision when the phone cannot tell. */
function identify(roster: Roster, target: OfflineTarget): { participant: RosterParticipant } | { decision: OfflineDecision } {
  const listed = (id: number, otherwise: OfflineDecision) => {
    const participant = roster.participants.get(id);
    return participant ? { participant } : { decision: otherwise };
  };
  if ('participant_id' in target) return listed(target.participant_id, { kind: 'participant_not_found' });
  const check = checkBadge(target.badge, roster.publicKey, (id) => roster.participants.get(id)?.badge_version);
  switch (check.kind) {
    case 'valid':
      return listed(check.participantId, { kind: 'unknown_badge' });
    case 'replaced':
      return { decision: { kind: 'replaced', participant: roster.participants.get(check.participantId) } };
    case 'forged':
    case 'legacy':
      return { decision: { kind: check.kind } };
    case 'not_listed':
    case 'unknown':
      return { decision: { kind: 'unknown_badge' } };
  }
}

/**
 * The decision for a scan at a checkpoint (`checkpointId`), or at the door (null), at `scannedAt` (the server's
 * time, ms). The queue counts as if the server had it: someone let through offline is refused the second time.
 */
export function decideOffline(
  roster: Roster,
  queue: readonly QueuedScan[],
  checkpointId: number | null,
  target: OfflineTarget,
  scannedAt: number,
): OfflineDecision {
  const identified = identify(roster, target);
  if ('decision' in identified) return identified.decision;
  const who = identified.participant;
  if (checkpointId === null) {
    return decideCheckIn({ checkedIn: isCheckedIn(roster, queue, who.id) }) === 'accepted'
      ? { kind: 'accepted', participant: who }
      : { kind: 'refused', reason: 'already_checked_in', participant: who, last: lastQueued(queue, null, who.id) };
  }
  const checkpoint = roster.checkpoints[checkpointId];
  if (!checkpoint) return { kind: 'checkpoint_unknown' };
  const decision = decideScan(
    ruleCheckpoint(roster, queue, checkpointId, checkpoint),
    ruleParticipant(roster, queue, checkpointId, who),
    scannedAt,
  );
  if (decision.outcome === 'accepted')
    return { kind: 'accepted', participant: who, count: decision.count, remaining: decision.remaining };
  return { kind: 'refused', reason: decision.reason, participant: who, last: lastQueued(queue, checkpointId, who.id) };
}
