import type { Static } from 'typebox';
import type { ScanRefusal } from '../../db/tables.js';
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
    };

/** The answer in the API's words; `unknown` is a badge or id that matched nobody. */
export type ScanResult =
  | { status: 'accepted'; body: Static<typeof schemas.ScanAccepted> }
  | { status: 'refused' | 'unknown'; body: Static<typeof schemas.ScanRefused> };

const REFUSAL_MESSAGES: Record<ScanRefusal, string> = {
  already_redeemed: 'Already redeemed here',
  limit_reached: 'Has had as many here as allowed',
  not_checked_in: 'Not checked in at the door yet',
  not_open_yet: 'Not open yet',
  closed: 'Closed',
  capacity_reached: 'Full: no places left',
  not_allowed: 'Not on the list for this checkpoint',
  unknown_badge: 'Unknown badge',
  participant_not_found: 'Participant not found',
};

export const refuse = (reason: ScanRefusal, participant?: ScannedParticipantRow): ScanDecision => ({
  outcome: 'refused',
  reason,
  ...(participant ? { participant } : {}),
});

const tagsOf = (participant: ScannedParticipantRow) => parseTags(participant.tags);

/**
 * The rules that need no count, in the order a volunteer would explain them: closed or not open, not on the
 * list, not checked in. Undefined when the scan may go on to the counts. The checkpoint is open from opens_at
 * (included) to closes_at (excluded), judged at the time of the scan.
 */
export function decideBeforeCounting(
  checkpoint: CheckpointRow,
  participant: ScannedParticipantRow,
  scannedAt: number,
): ScanDecision | undefined {
  if (checkpoint.archived_at !== null || (checkpoint.closes_at !== null && scannedAt >= checkpoint.closes_at)) {
    return refuse('closed', participant);
  }
  if (checkpoint.opens_at !== null && scannedAt < checkpoint.opens_at) return refuse('not_open_yet', participant);
  if (checkpoint.allowed_tags !== null) {
    const allowed = parseTags(checkpoint.allowed_tags);
    if (!tagsOf(participant).some((tag) => allowed.includes(tag))) return refuse('not_allowed', participant);
  }
  if (checkpoint.requires_check_in === 1 && participant.checked_in_at === null) return refuse('not_checked_in', participant);
  return undefined;
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
    error: REFUSAL_MESSAGES[decision.reason],
    code: decision.reason,
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
