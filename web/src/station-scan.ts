// One scan at a station (a checkpoint or the door): the server is asked first and has 3 s to answer. With no
// answer, or while the phone is offline, the phone decides from its roster and queues what it let through, with
// the nonce the scan was sent with, so the server counts it once whichever copy reaches it first.
import { ApiError, errorText, get, mutate, outcomeUnknown, newIntentKey } from './api';
import { parseSignedBadge } from '../../src/shared/badge-token.ts';
import { decideOffline } from './offline/offline-decision';
import { offlineDecisionView } from './offline/offline-views';
import { serverNow, type Roster } from './offline/roster';
import { enqueue, goOffline, noteAnswer, scannerState } from './offline/scanner';
import { clockTime } from './format';
import {
  acceptedView,
  isScanRefusal,
  offlineView,
  refusedView,
  type ResultView,
  type Unanswered,
  type UnansweredScans,
  unsureView,
} from './scanning';
import { saveUnanswered, type Station } from './station';
import type { BadgeHolder, Checkpoint, CheckInStatus, ScanAccepted, ScanRefused } from './api-types';

/** A scan with no answer by then is decided on the phone (and queued with its nonce when let through). */
const ANSWER_WITHIN_MS = 3000;
/** How long the name of a badge whose scan got no answer is looked up for (the server may be unreachable). */
const NAME_LOOKUP_MS = 1500;

export type Target = { badge: string } | { participant_id: number };

export interface StationAnswer {
  view: ResultView;
  /** An accepted scan the server counted, which Undo may take back. */
  undoable?: { scanId: number; name: string };
  /** The server says this checkpoint is gone. */
  checkpointGone?: boolean;
  /** The badge cannot be checked offline: the volunteer should find the person by name. */
  findByName?: boolean;
}

export interface StationScan {
  station: Station;
  /** The checkpoint as last read online (the roster's copy serves offline). */
  checkpoint: Checkpoint | undefined;
  /** The signed-in key's name: "by this phone". */
  myKeyName: string;
  /** Scans whose answer was lost: showing the badge again repeats them, nonce and all. */
  unanswered: UnansweredScans;
}

const placeOf = (station: Station) => (station.type === 'door' ? 'door' : `checkpoint:${station.id}`);

function remember(scan: StationScan, sent: Unanswered): void {
  scan.unanswered.remember(sent, Date.now());
  saveUnanswered(scan.unanswered.list());
}

function forget(scan: StationScan, sent: Unanswered): void {
  scan.unanswered.forget(sent.target, sent.station, Date.now());
  saveUnanswered(scan.unanswered.list());
}

/** Who the target is by the roster on this phone, if it can tell (online, the server has checked the badge). */
function listedPerson(roster: Roster | null, target: Target) {
  const id = 'participant_id' in target ? target.participant_id : parseSignedBadge(target.badge)?.participantId;
  return id === undefined ? undefined : roster?.participants.get(id);
}

/** Whose badge it is, for an answer that did not say: asked briefly, as the server may be out of reach. */
async function nameOf(target: Target, knownName: string | null): Promise<string | null> {
  const listed = listedPerson(scannerState().roster, target)?.name;
  if (knownName || listed || !('badge' in target) || !navigator.onLine) return knownName ?? listed ?? null;
  const signal = AbortSignal.timeout(NAME_LOOKUP_MS);
  const holder = await get<BadgeHolder>(`/badges/${encodeURIComponent(target.badge)}`, { signal }).catch(() => null);
  return holder?.name ?? null;
}

/** An answer that is not a refusal: no answer at all (or offline), or an error of the request. */
function failedView(failure: unknown, name: string | null): ResultView {
  if (outcomeUnknown(failure)) return navigator.onLine ? unsureView(name) : offlineView(name);
  return { tone: 'bad', title: 'Not scanned', name, dietary: '', detail: errorText(failure) };
}

function alreadyText(status: CheckInStatus): string {
  const when = status.check_in_time ? ` at ${clockTime(status.check_in_time)}` : '';
  const who = status.volunteer_name ? ` by ${status.volunteer_name}` : '';
  return when || who ? `First checked in${when}${who}.` : '';
}

/**
 * The phone decides: `sent` is the scan as it was (or would have been) sent, `madeAt` when it was made. With no
 * roster on the phone there is nothing to decide with: the lost scan stays to be repeated when shown again.
 */
async function decideHere(
  scan: StationScan,
  target: Target,
  sent: Unanswered,
  madeAt: number,
  lostWith: unknown,
  knownName: string | null,
): Promise<StationAnswer> {
  const { roster, queue } = scannerState();
  if (!roster) return { view: failedView(lostWith, await nameOf(target, knownName)) };
  const { station } = scan;
  const checkpointId = station.type === 'door' ? null : station.id;
  const scannedAt = serverNow(roster, madeAt);
  const decision = decideOffline(roster, queue, checkpointId, target, scannedAt);
  if (decision.kind === 'accepted') {
    try {
      await enqueue({
        nonce: sent.nonce,
        checkpointId,
        target,
        participantId: decision.participant.id,
        name: decision.participant.name,
        place: station.type === 'door' ? 'the door' : (roster.checkpoints[station.id]?.name ?? station.name),
        scannedAt: new Date(scannedAt).toISOString(),
      });
    } catch (failure) {
      const detail = `This phone could not keep the scan (${String(failure)}). Scan again.`;
      return { view: { tone: 'bad', title: 'Not recorded', name: decision.participant.name, dietary: '', detail } };
    }
    // The queue carries the nonce now.
    forget(scan, sent);
  }
  const checkpoint = checkpointId === null ? undefined : (scan.checkpoint ?? roster.checkpoints[checkpointId]);
  return { view: offlineDecisionView(decision, checkpoint, scan.myKeyName), findByName: decision.kind === 'legacy' };
}

/** The server's answer, or what was lost instead of one. */
type Online = StationAnswer | { lost: unknown };

async function atCheckpoint(
  scan: StationScan,
  id: number,
  target: Target,
  sent: Unanswered,
  knownName: string | null,
): Promise<Online> {
  try {
    const answer = await mutate<ScanAccepted>(
      'POST',
      `/checkpoints/${id}/scans`,
      { ...target, nonce: sent.nonce },
      { intentKey: sent.idempotencyKey, giveUpAfterMs: ANSWER_WITHIN_MS, singleAttempt: true },
    );
    forget(scan, sent);
    noteAnswer({ participantId: answer.participant.id, checkpointId: id, atLeast: answer.count });
    return { view: acceptedView(answer), undoable: { scanId: answer.scan_id, name: answer.participant.name } };
  } catch (failure) {
    if (outcomeUnknown(failure)) return { lost: failure };
    forget(scan, sent);
    if (failure instanceof ApiError && isScanRefusal(failure.code)) {
      const body = failure.body as Partial<ScanRefused> | undefined;
      const limit = scan.checkpoint?.per_participant_limit;
      if (body?.participant && limit && (failure.code === 'already_redeemed' || failure.code === 'limit_reached'))
        noteAnswer({ participantId: body.participant.id, checkpointId: id, atLeast: limit });
      const last = body?.last_accepted_at
        ? { accepted: { at: body.last_accepted_at, by: body.last_accepted_by ?? null }, myKeyName: scan.myKeyName }
        : undefined;
      const person = body?.participant ?? (knownName ? { name: knownName } : undefined);
      return { view: refusedView(failure.code, person, scan.checkpoint, last) };
    }
    if (failure instanceof ApiError && failure.code === 'checkpoint_not_found') {
      const detail = 'Choose where you are scanning.';
      return { view: { tone: 'bad', title: 'Checkpoint gone', name: null, dietary: '', detail }, checkpointGone: true };
    }
    return { view: failedView(failure, knownName) };
  }
}

async function atDoor(scan: StationScan, target: Target, sent: Unanswered, knownName: string | null): Promise<Online> {
  // The name, from the roster or looked up while the check-in is made: POST /checkin answers with the id only.
  const listed = listedPerson(scannerState().roster, target);
  const holder =
    listed || knownName || !('badge' in target)
      ? Promise.resolve(null)
      : get<BadgeHolder>(`/badges/${encodeURIComponent(target.badge)}`).catch(() => null);
  try {
    const status = await mutate<CheckInStatus>(
      'POST',
      '/checkin',
      { ...target, nonce: sent.nonce },
      { intentKey: sent.idempotencyKey, giveUpAfterMs: ANSWER_WITHIN_MS, singleAttempt: true },
    );
    forget(scan, sent);
    noteAnswer({ participantId: status.participant_id, checkedIn: true });
    const name = listed?.name ?? knownName ?? (await holder)?.name ?? `Participant #${status.participant_id}`;
    return { view: { tone: 'ok', title: 'Checked in', name, dietary: '', detail: '' } };
  } catch (failure) {
    if (outcomeUnknown(failure)) return { lost: failure };
    forget(scan, sent);
    const found = await holder;
    const name = listed?.name ?? knownName ?? found?.name ?? null;
    const code = failure instanceof ApiError ? failure.code : undefined;
    if (code === 'already_checked_in') {
      const id = listed?.id ?? found?.participant_id ?? ('participant_id' in target ? target.participant_id : undefined);
      if (id !== undefined) noteAnswer({ participantId: id, checkedIn: true });
      const status = id ? await get<CheckInStatus>(`/checkin?participant_id=${id}`).catch(() => null) : null;
      const detail = status ? alreadyText(status) : '';
      return { view: { tone: 'warn', title: 'Already checked in', name, dietary: '', detail, ownTime: detail !== '' } };
    }
    const bad = (title: string, detail: string, who: string | null): { view: ResultView } => ({
      view: { tone: 'bad', title, name: who, dietary: '', detail },
    });
    if (code === 'badge_not_found') return bad('Unknown badge', 'That is not a badge of this event.', null);
    if (code === 'participant_not_found') return bad('Participant not found', 'Nobody has that badge any more.', name);
    return { view: failedView(failure, name) };
  }
}

/**
 * Scans `target` (`targetKey`: "badge:<code>" or "participant:<id>") where the station stands. Online, the server
 * answers; offline, or with no answer within 3 s, the phone does (marked provisional) and the station goes offline.
 */
export async function scanAtStation(
  scan: StationScan,
  target: Target,
  targetKey: string,
  knownName: string | null,
): Promise<StationAnswer> {
  const madeAt = Date.now();
  const place = placeOf(scan.station);
  const lost = scan.unanswered.find(targetKey, place, madeAt);
  const sent = lost ?? { target: targetKey, station: place, nonce: newIntentKey(), idempotencyKey: newIntentKey(), at: madeAt };
  // Offline with a roster: decided here at once. Without one there is nothing to decide with: the server is asked.
  const { mode, roster } = scannerState();
  if (mode !== 'online' && roster) return decideHere(scan, target, sent, madeAt, undefined, knownName);
  // Kept before it goes: if the answer is lost (or the tab reloads), showing the badge again repeats this scan.
  remember(scan, sent);
  const { station } = scan;
  const online =
    station.type === 'door'
      ? await atDoor(scan, target, sent, knownName)
      : await atCheckpoint(scan, station.id, target, sent, knownName);
  if ('view' in online) return online;
  goOffline();
  return decideHere(scan, target, sent, madeAt, online.lost, knownName);
}
