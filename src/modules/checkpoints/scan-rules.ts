import type { Static } from 'typebox';
import { type RuleCheckpoint, REFUSAL_MESSAGES, refusalBeforeCounting, type ScanRefusal } from '../../shared/checkpoint-rules.js';
import type { CheckpointCountsRow, CheckpointRow, ScannedParticipantRow } from './checkpoints.repository.js';
import type * as schemas from './checkpoints.schemas.js';
import { toIso } from '../../http/instants.js';
import { parseTags } from '../participants/tags.js';

type ScanParticipant = Static<typeof schemas.ScanParticipant>;

/** What a scan came to, before it is stored: the outcome and what its answer shows. */
export type ScanDecision =
  | {
      outcome: 'accepted';
      participant: ScannedParticipantRow;
      count: number;
      remaining: number | null;
      counts: CheckpointCountsRow;
    }
  | {
      outcome: 'refused';
      reason: ScanRefusal;
      /** Absent for a badge or id that matched nobody. */
      participant?: ScannedParticipantRow;
      /** The checkpoint's counts after it, once the refusal is counted. */
      counts?: CheckpointCountsRow;
      /** For a limit refusal: when the latest scan that counts was made, and by which key. */
      lastAccepted?: { at: number; by: string | null };
      /** For an offline_conflict: the refusal the server would have given, had the scan come online. */
      conflictOf?: ScanRefusal;
    };

/** The answer in the API's words; `unknown` is a badge or id that matched nobody. */
export type ScanResult =
  | { status: 'accepted'; body: Static<typeof schemas.ScanAccepted> }
  | { status: 'refused' | 'unknown'; body: Static<typeof schemas.ScanRefused> };

export const refuse = (reason: ScanRefusal, participant?: ScannedParticipantRow): ScanDecision => ({
  outcome: 'refused',
  reason,
  ...(participant ? { participant } : {}),
});

const tagsOf = (participant: ScannedParticipantRow) => parseTags(participant.tags);

/** A checkpoint row as the shared rules see it, with `participants` its count of distinct participants. */
const ruleCheckpoint = (checkpoint: CheckpointRow): RuleCheckpoint => ({
  opensAt: checkpoint.opens_at,
  closesAt: checkpoint.closes_at,
  archived: checkpoint.archived_at !== null,
  allowedTags: checkpoint.allowed_tags === null ? null : parseTags(checkpoint.allowed_tags),
  requiresCheckIn: checkpoint.requires_check_in === 1,
  perParticipantLimit: checkpoint.per_participant_limit,
  capacity: checkpoint.capacity,
  participants: checkpoint.participant_count,
});

/** The shared rules that need no count (src/shared/checkpoint-rules.ts); undefined when the counts decide. */
export function decideBeforeCounting(
  checkpoint: CheckpointRow,
  participant: ScannedParticipantRow,
  scannedAt: number,
): ScanDecision | undefined {
  const reason = refusalBeforeCounting(
    ruleCheckpoint(checkpoint),
    { tags: tagsOf(participant), checkedIn: participant.checked_in_at !== null },
    scannedAt,
  );
  return reason && refuse(reason, participant);
}

function toScanParticipant(participant: ScannedParticipantRow): ScanParticipant {
  return {
    id: participant.id,
    name: participant.name,
    tags: tagsOf(participant),
    dietary_restrictions: participant.dietary_restrictions,
  };
}

type AcceptedBody = Static<typeof schemas.ScanAccepted>;
type RefusedBody = Static<typeof schemas.ScanRefused>;

/** The body of a scan's answer but for its id, which the stored scan row supplies. */
export type ScanAnswerBody = Omit<AcceptedBody, 'scan_id'> | Omit<RefusedBody, 'scan_id'>;

export function answerBody(decision: ScanDecision): ScanAnswerBody {
  if (decision.outcome === 'accepted') {
    return {
      status: 'accepted',
      participant: toScanParticipant(decision.participant),
      count: decision.count,
      remaining: decision.remaining,
    };
  }
  return {
    error: decision.conflictOf
      ? `${REFUSAL_MESSAGES[decision.reason]}: ${REFUSAL_MESSAGES[decision.conflictOf]}`
      : REFUSAL_MESSAGES[decision.reason],
    code: decision.reason,
    ...(decision.conflictOf ? { conflict_reason: decision.conflictOf } : {}),
    status: 'refused',
    ...(decision.participant ? { participant: toScanParticipant(decision.participant) } : {}),
    ...(decision.lastAccepted
      ? { last_accepted_at: toIso(decision.lastAccepted.at), last_accepted_by: decision.lastAccepted.by }
      : {}),
  };
}

/** The answer with its scan's id; a refusal of nobody (an unknown badge or id) is `unknown`. */
export function scanResult(scanId: number, body: ScanAnswerBody): ScanResult {
  if ('count' in body) return { status: 'accepted', body: { scan_id: scanId, ...body } };
  return { status: body.participant ? 'refused' : 'unknown', body: { scan_id: scanId, ...body } };
}
