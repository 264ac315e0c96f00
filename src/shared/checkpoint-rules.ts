// The checkpoint rules, shared by the server and the web app's offline scanner: both decide a scan the same
// way. Pure and self-contained (no imports), so the browser bundle can take it as it is.

/** Why a checkpoint refused a scan of someone it knows. */
export const CHECKPOINT_REFUSALS = [
  'already_redeemed',
  'limit_reached',
  'not_checked_in',
  'not_open_yet',
  'closed',
  'capacity_reached',
  'not_allowed',
] as const;
export type CheckpointRefusal = (typeof CHECKPOINT_REFUSALS)[number];

/**
 * Every reason a scan is recorded as refused for: the checkpoint's rules, a badge or id that matched nobody, or
 * an offline scan the server could not count because of what happened meanwhile.
 */
export const SCAN_REFUSALS = [...CHECKPOINT_REFUSALS, 'unknown_badge', 'participant_not_found', 'offline_conflict'] as const;
export type ScanRefusal = (typeof SCAN_REFUSALS)[number];

export const REFUSAL_MESSAGES: Record<ScanRefusal, string> = {
  already_redeemed: 'Already redeemed here',
  limit_reached: 'Has had as many here as allowed',
  not_checked_in: 'Not checked in at the door yet',
  not_open_yet: 'Not open yet',
  closed: 'Closed',
  capacity_reached: 'Full: no places left',
  not_allowed: 'Not on the list for this checkpoint',
  unknown_badge: 'Unknown badge',
  participant_not_found: 'Participant not found',
  offline_conflict: 'Let through offline, but could not be counted',
};

/** A checkpoint as the rules see it; instants in milliseconds since the epoch. */
export interface RuleCheckpoint {
  opensAt: number | null;
  closesAt: number | null;
  archived: boolean;
  /** One of these tags lets a participant in; null lets everyone in. */
  allowedTags: readonly string[] | null;
  requiresCheckIn: boolean;
  /** Accepted scans per participant; null is no limit. */
  perParticipantLimit: number | null;
  /** Distinct participants it may accept; null is no limit. */
  capacity: number | null;
  /** Distinct participants it has accepted so far. */
  participants: number;
}

/** A participant as the rules see them at one checkpoint. */
export interface RuleParticipant {
  tags: readonly string[];
  checkedIn: boolean;
  /** Their accepted scans here that were not undone. */
  accepted: number;
}

export type RuleDecision =
  { outcome: 'accepted'; count: number; remaining: number | null } | { outcome: 'refused'; reason: CheckpointRefusal };

/**
 * The rules that need no count, in the order a volunteer would explain them: closed or not open, not on the
 * list, not checked in. Undefined when the scan may go on to the counts. The checkpoint is open from opensAt
 * (included) to closesAt (excluded), judged at the time of the scan.
 */
export function refusalBeforeCounting(
  checkpoint: RuleCheckpoint,
  participant: Pick<RuleParticipant, 'tags' | 'checkedIn'>,
  scannedAt: number,
): CheckpointRefusal | undefined {
  if (checkpoint.archived || (checkpoint.closesAt !== null && scannedAt >= checkpoint.closesAt)) return 'closed';
  if (checkpoint.opensAt !== null && scannedAt < checkpoint.opensAt) return 'not_open_yet';
  const allowed = checkpoint.allowedTags;
  if (allowed !== null && !participant.tags.some((tag) => allowed.includes(tag))) return 'not_allowed';
  if (checkpoint.requiresCheckIn && !participant.checkedIn) return 'not_checked_in';
  return undefined;
}

/** What a participant at their limit is told: a once-only checkpoint says so. */
export const limitRefusal = (limit: number | null): CheckpointRefusal => (limit === 1 ? 'already_redeemed' : 'limit_reached');

/**
 * The whole decision: the rules above, then the participant's limit, then the capacity (a participant's first
 * accepted scan takes a place). The server makes the same decision, with the counts enforced by the database.
 */
export function decideScan(checkpoint: RuleCheckpoint, participant: RuleParticipant, scannedAt: number): RuleDecision {
  const refusal = refusalBeforeCounting(checkpoint, participant, scannedAt);
  if (refusal) return { outcome: 'refused', reason: refusal };
  const limit = checkpoint.perParticipantLimit;
  if (limit !== null && participant.accepted >= limit) return { outcome: 'refused', reason: limitRefusal(limit) };
  if (participant.accepted === 0 && checkpoint.capacity !== null && checkpoint.participants >= checkpoint.capacity) {
    return { outcome: 'refused', reason: 'capacity_reached' };
  }
  const count = participant.accepted + 1;
  return { outcome: 'accepted', count, remaining: limit === null ? null : limit - count };
}

/** A door check-in: once per participant. */
export const decideCheckIn = (participant: { checkedIn: boolean }): 'accepted' | 'already_checked_in' =>
  participant.checkedIn ? 'already_checked_in' : 'accepted';
