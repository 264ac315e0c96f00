// The queue of scans let through offline, on its way to POST /sync/scans: what is sent, in chunks, and what the
// answers mean for the queue, the roster and the volunteer. Pure.
import type { SyncScanItem, SyncScanResult } from '../api-types';
import { clockTime } from '../format';
import { REFUSAL_MESSAGES, type ScanRefusal } from '../../../src/shared/checkpoint-rules.ts';
import type { QueuedScan, RosterChange } from './roster';

/** POST /sync/scans takes at most this many scans at once. */
export const UPLOAD_CHUNK = 500;

/** What one queued scan is sent as. */
export function uploadItem(scan: QueuedScan): SyncScanItem {
  const place = scan.checkpointId === null ? { check_in: true as const } : { checkpoint_id: scan.checkpointId };
  return { ...place, ...scan.target, nonce: scan.nonce, scanned_at: scan.scannedAt };
}

export function chunks<T>(items: readonly T[], size = UPLOAD_CHUNK): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

const scansMadeOffline = (count: number) => `${count} ${count === 1 ? 'scan' : 'scans'} made offline`;

/** The sign-in screen, with scans still queued on the phone (left by a key the server stopped accepting). */
export function keptScansText(count: number): string {
  return count > 0
    ? `${scansMadeOffline(count)} ${count === 1 ? 'is' : 'are'} still on this phone; sign in with a volunteer or admin key to upload ${count === 1 ? 'it' : 'them'}.`
    : '';
}

/**
 * A volunteer or admin signed in, with scans that another key left on the phone: `left` of them still queued
 * (`offline`: the server cannot be reached), `uploaded` gone since.
 */
export function keptUploadText(left: number, offline: boolean, uploaded: number): string {
  if (left > 0 && offline)
    return `${scansMadeOffline(left)} before a sign-out ${left === 1 ? 'is' : 'are'} on this phone: they upload with your key when the connection is back.`;
  if (left > 0) return `Uploading ${scansMadeOffline(left)} before a sign-out, with your key…`;
  return uploaded > 0
    ? `${scansMadeOffline(uploaded)} before a sign-out ${uploaded === 1 ? 'was' : 'were'} uploaded with your key.`
    : '';
}

/** Something the volunteer should know after a sync: a scan the server could not count, or could not take. */
export interface SyncReport {
  nonce: string;
  /** conflict: let through offline but not counted; failed: not taken at all; note: fine, but worth knowing. */
  kind: 'conflict' | 'failed' | 'note';
  name: string;
  place: string;
  /** When the scan was made (ISO). */
  scannedAt: string;
  /** Why, in plain words. */
  text: string;
}

/** Why the server could not count a scan let through offline, as a volunteer would say it. */
const CONFLICT_WORDS: Partial<Record<string, string>> = {
  already_redeemed: 'they had already had this here',
  limit_reached: 'they had already had as many as allowed here',
  capacity_reached: 'every place here was already taken',
  not_checked_in: 'they were not checked in at the door',
  not_open_yet: 'it was not open yet',
  closed: 'it was closed',
  not_allowed: 'it is not open to them',
  unknown_badge: 'that is not a badge of this event',
  badge_not_found: 'that is not a badge of this event',
  participant_not_found: 'nobody has that badge any more',
};

const isoClock = (iso: string | undefined) => {
  const time = iso === undefined ? NaN : Date.parse(iso);
  return Number.isNaN(time) ? '' : clockTime(time / 1000);
};

function conflictText(reason: string | undefined, result: SyncScanResult): string {
  const words = (reason && CONFLICT_WORDS[reason]) ?? (reason && REFUSAL_MESSAGES[reason as ScanRefusal]) ?? result.error;
  const when = isoClock(result.last_accepted_at);
  const by = result.last_accepted_by ? ` by ${result.last_accepted_by}` : '';
  const last = when ? ` (the one that counted: ${when}${by})` : '';
  return `Let through offline, but not counted: ${words ?? 'the server refused it'}${last}.`;
}

function alreadyCheckedInText(result: SyncScanResult): string {
  const status = result.check_in_status;
  const when = status?.check_in_time ? ` at ${clockTime(status.check_in_time)}` : '';
  const by = status?.volunteer_name ? ` by ${status.volunteer_name}` : '';
  return `Already checked in${when}${by}: counted once.`;
}

export interface Settled {
  /** Nonces the server answered: they leave the queue. */
  answered: string[];
  reports: SyncReport[];
  /** What the answers tell the roster, so it holds until the next sync brings the exact counts. */
  changes: RosterChange[];
}

/**
 * What the answers to one upload mean. `sent` and `results` are in the same order; a scan with no result stays
 * queued. `limitOf` gives a checkpoint's per-participant limit, for a refusal that says it was used up.
 */
export function settleUpload(
  sent: readonly QueuedScan[],
  results: readonly SyncScanResult[],
  limitOf: (checkpointId: number) => number | null | undefined,
): Settled {
  const settled: Settled = { answered: [], reports: [], changes: [] };
  sent.forEach((scan, index) => {
    const result = results[index];
    if (!result || result.nonce !== scan.nonce) return;
    settled.answered.push(scan.nonce);
    const report = (kind: SyncReport['kind'], text: string) =>
      settled.reports.push({
        nonce: scan.nonce,
        kind,
        name: result.participant?.name ?? scan.name,
        place: scan.place,
        scannedAt: scan.scannedAt,
        text,
      });
    const participantId = result.participant?.id ?? result.participant_id ?? scan.participantId;
    if (result.status === 'error') {
      report('failed', `Not uploaded: ${result.error ?? result.code ?? 'the server could not take it'}.`);
    } else if (scan.checkpointId === null) {
      if (result.status === 'accepted') settled.changes.push({ participantId, checkedIn: true });
      else if (result.code === 'already_checked_in') {
        settled.changes.push({ participantId, checkedIn: true });
        report('note', alreadyCheckedInText(result));
      } else report('conflict', conflictText(result.code, result));
    } else if (result.status === 'accepted') {
      settled.changes.push({ participantId, checkpointId: scan.checkpointId, atLeast: result.count ?? 1 });
    } else {
      const reason = result.code === 'offline_conflict' ? result.conflict_reason : result.code;
      const limit = limitOf(scan.checkpointId);
      if ((reason === 'already_redeemed' || reason === 'limit_reached') && limit)
        settled.changes.push({ participantId, checkpointId: scan.checkpointId, atLeast: limit });
      report('conflict', conflictText(reason, result));
    }
  });
  return settled;
}
