import type { Static } from 'typebox';
import type { ScanOutcome, ScanRefusal } from '../../db/tables.js';
import type { CheckpointCountsRow, CheckpointRow, ScannedParticipantRow } from './checkpoints.repository.js';
import type * as schemas from './checkpoints.schemas.js';

type ScanParticipant = Static<typeof schemas.ScanParticipant>;

/** What a scan came to, before it is stored: the outcome and the figures its answer shows. */
export interface ScanDecision {
  outcome: ScanOutcome;
  reason?: ScanRefusal;
  count?: number;
  remaining?: number | null;
  /** The checkpoint's counts after it, for live updates; unknown when nothing was counted. */
  counts?: CheckpointCountsRow;
}

/** The answer in the API's words; `unknown` is a badge or id that matched nobody. */
export type ScanResult =
  | { status: 'accepted'; body: Static<typeof schemas.ScanAccepted> }
  | { status: 'refused' | 'unknown'; body: Static<typeof schemas.ScanRefused> };

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
};

export const refuse = (reason: ScanRefusal): ScanDecision => ({ outcome: 'refused', reason });

const tagsOf = (participant: ScannedParticipantRow) => JSON.parse(participant.tags) as string[];

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
    return refuse('closed');
  }
  if (checkpoint.opens_at !== null && scannedAt < checkpoint.opens_at) return refuse('not_open_yet');
  if (checkpoint.allowed_tags !== null) {
    const allowed = JSON.parse(checkpoint.allowed_tags) as string[];
    if (!tagsOf(participant).some((tag) => allowed.includes(tag))) return refuse('not_allowed');
  }
  if (checkpoint.requires_check_in === 1 && participant.checked_in_at === null) return refuse('not_checked_in');
  return undefined;
}

export function toScanParticipant(participant: ScannedParticipantRow): ScanParticipant {
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

export function answerBody(decision: ScanDecision, participant: ScannedParticipantRow | undefined): ScanAnswerBody {
  if (decision.outcome === 'accepted' && participant) {
    return {
      status: 'accepted',
      participant: toScanParticipant(participant),
      count: decision.count ?? 0,
      remaining: decision.remaining ?? null,
    };
  }
  const reason = decision.reason ?? 'participant_not_found';
  return {
    error: REFUSAL_MESSAGES[reason],
    code: reason,
    status: 'refused',
    ...(participant ? { participant: toScanParticipant(participant) } : {}),
  };
}

/** The answer with its scan's id; a refusal of nobody (an unknown badge or id) is `unknown`. */
export function scanResult(scanId: number, body: ScanAnswerBody): ScanResult {
  if ('count' in body) return { status: 'accepted', body: { scan_id: scanId, ...body } };
  return { status: body.participant ? 'refused' : 'unknown', body: { scan_id: scanId, ...body } };
}
