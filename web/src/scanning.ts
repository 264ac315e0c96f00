// The pure parts of scanning at a station: when a code the camera sees is a new scan, and the plain words
// and colour of each answer. The screen (screens/Station.tsx) adds the camera, the requests and the timing.
import type { Tone } from './feedback';
import { clockTime, dateTime } from './format';
import type { Checkpoint, ScanAccepted, ScanEvent, ScanRefusal } from './api-types';

/** A badge already scanned counts as shown again once the camera has not seen it for this long. */
const GONE_MS = 1200;

/**
 * Decides which codes the camera sees are new scans. A code already scanned is scanned again only after the
 * camera has lost sight of it for `goneMs`: a badge still in view after its result is not scanned twice, a
 * badge taken away and shown again is. Nothing is scanned while the station is busy (a scan under way, or its
 * result on screen), but what the camera sees meanwhile still counts as seen.
 */
export class RescanGate {
  private readonly lastSeen = new Map<string, number>();
  private readonly scanned = new Set<string>();

  constructor(private readonly goneMs = GONE_MS) {}

  /** The camera sees `code` at `now`: true when it is to be scanned now. */
  sees(code: string, now: number, busy: boolean): boolean {
    const previous = this.lastSeen.get(code);
    this.lastSeen.set(code, now);
    if (busy) return false;
    return !(this.scanned.has(code) && previous !== undefined && now - previous < this.goneMs);
  }

  /** `code` was scanned (by the camera or typed) at `now`. */
  scannedAt(code: string, now: number): void {
    this.scanned.add(code);
    this.lastSeen.set(code, now);
  }
}

/** A scan sent with no answer back: it may have counted. */
export interface Unanswered {
  /** "badge:<code>" or "participant:<id>". */
  target: string;
  /** "checkpoint:<id>". */
  station: string;
  nonce: string;
  idempotencyKey: string;
  /** When it was first sent (ms). */
  at: number;
}

/** How long a lost scan is repeated, nonce and key, when the same badge comes back to the same place. */
export const UNANSWERED_MS = 10 * 60_000;

/**
 * The scans whose answer was lost, per badge and place, for ten minutes: the same badge scanned there again
 * repeats the lost scan (same nonce and Idempotency-Key), so the server answers what it did the first time
 * even when other badges were scanned in between.
 */
export class UnansweredScans {
  private entries: Unanswered[];

  constructor(entries: Unanswered[] = []) {
    this.entries = entries;
  }

  /** The lost scan of this badge at this place, if any is recent enough. */
  find(target: string, station: string, now: number): Unanswered | undefined {
    return this.entries.find((entry) => entry.target === target && entry.station === station && now - entry.at < UNANSWERED_MS);
  }

  /** Keeps `entry` (replacing an earlier one of the same badge and place) and drops the expired ones. */
  remember(entry: Unanswered, now: number): void {
    this.entries = [...this.fresh(now).filter((e) => e.target !== entry.target || e.station !== entry.station), entry];
  }

  /** Its answer came: nothing to repeat. */
  forget(target: string, station: string, now: number): void {
    this.entries = this.fresh(now).filter((e) => e.target !== target || e.station !== station);
  }

  list(): Unanswered[] {
    return [...this.entries];
  }

  private fresh(now: number): Unanswered[] {
    return this.entries.filter((entry) => now - entry.at < UNANSWERED_MS);
  }
}

export interface ResultView {
  tone: Tone;
  title: string;
  name: string | null;
  dietary: string;
  detail: string;
  /** The detail says when (the earlier check-in or scan): the small card then shows no second time. */
  ownTime?: boolean;
  /** What a tap on the full-screen answer leads to, when not simply the next badge. */
  hint?: string;
  /** Decided on the phone while offline: the server has the last word when the scan is uploaded. */
  provisional?: boolean;
}

/** What each refusal is called, and what to do about it. Already redeemed is amber; every other one is red. */
const REFUSALS: Record<ScanRefusal, { title: string; detail: string }> = {
  already_redeemed: { title: 'Already redeemed', detail: 'They have already had this here.' },
  limit_reached: { title: 'Limit reached', detail: 'They have had as many as each person may have here.' },
  not_checked_in: { title: 'Not checked in', detail: 'Send them to the door to check in first.' },
  not_open_yet: { title: 'Not open yet', detail: 'This checkpoint has not opened yet.' },
  closed: { title: 'Closed', detail: 'This checkpoint is closed.' },
  capacity_reached: { title: 'Full', detail: 'Every place here is taken.' },
  not_allowed: { title: 'Not on the list', detail: 'This checkpoint is not open to them.' },
  unknown_badge: { title: 'Unknown badge', detail: 'That is not a badge of this event.' },
  participant_not_found: { title: 'Participant not found', detail: 'Nobody has that badge any more.' },
  offline_conflict: { title: 'Not counted', detail: 'Let through offline, but the server could not count it.' },
};

export const refusalTitle = (code: ScanRefusal) => REFUSALS[code].title;

/** Whether a code is one of the refusals a scan is answered with (the others are errors of the request). */
export const isScanRefusal = (code: unknown): code is ScanRefusal => typeof code === 'string' && code in REFUSALS;

function refusalDetail(code: ScanRefusal, checkpoint: Checkpoint | undefined): string {
  if (code === 'not_open_yet' && checkpoint?.opens_at) return `It opens at ${dateTime(checkpoint.opens_at)}.`;
  if (code === 'closed' && checkpoint?.closes_at && !checkpoint.archived)
    return `It closed at ${dateTime(checkpoint.closes_at)}.`;
  if (code === 'not_allowed' && checkpoint?.allowed_tags?.length) return `It is only for: ${checkpoint.allowed_tags.join(', ')}.`;
  return REFUSALS[code].detail;
}

/** The participant's latest scan that counts here, as an already_redeemed or limit_reached refusal names it. */
export interface LastAccepted {
  at: string;
  /** The name of the key that made it. */
  by: string | null;
}

/** "Already redeemed at 12:03 by Lunch line 1." ("by this phone" when it is the signed-in key). */
function lastAcceptedText(code: ScanRefusal, last: LastAccepted, myKeyName: string): string {
  const time = new Date(last.at);
  if (Number.isNaN(time.getTime())) return '';
  const who = last.by === null ? '' : last.by === myKeyName ? ' by this phone' : ` by ${last.by}`;
  const what = code === 'limit_reached' ? 'Last one' : 'Already redeemed';
  return `${what} at ${clockTime(time.getTime() / 1000)}${who}.`;
}

export function refusedView(
  code: ScanRefusal,
  participant: { name: string; dietary_restrictions?: string } | undefined,
  checkpoint: Checkpoint | undefined,
  last?: { accepted: LastAccepted; myKeyName: string },
): ResultView {
  const when =
    last && (code === 'already_redeemed' || code === 'limit_reached')
      ? lastAcceptedText(code, last.accepted, last.myKeyName)
      : '';
  return {
    tone: code === 'already_redeemed' ? 'warn' : 'bad',
    title: REFUSALS[code].title,
    name: participant?.name ?? null,
    dietary: '',
    detail: when || refusalDetail(code, checkpoint),
    ownTime: when !== '',
  };
}

/** No answer came: it may have counted, or not. Showing the badge again asks the server, and cannot count twice. */
export function unsureView(name: string | null): ResultView {
  return {
    tone: 'unsure',
    title: 'Not sure',
    name,
    dietary: '',
    detail: 'No answer came, so it may or may not have counted. Take the badge away and show it again: it will not count twice.',
    hint: 'Tap to close, then show the badge again',
  };
}

/** Known offline: nothing was sent, so nothing was recorded. */
export function offlineView(name: string | null): ResultView {
  return {
    tone: 'unsure',
    title: 'Offline',
    name,
    dietary: '',
    detail: 'Not recorded: nothing was sent. Scan the badge again when back online.',
    hint: 'Tap to close',
  };
}

export function acceptedView(answer: Pick<ScanAccepted, 'count' | 'remaining' | 'participant'>): ResultView {
  const { count, remaining } = answer;
  let detail = '';
  if (remaining !== null) detail = remaining === 0 && count === 1 ? '' : `${count} of ${count + remaining} used`;
  else if (count > 1) detail = `${count} times here`;
  return {
    tone: 'ok',
    title: 'Accepted',
    name: answer.participant.name,
    dietary: answer.participant.dietary_restrictions.trim(),
    detail,
  };
}

/** When a checkpoint is open, in a few words: "12:00–14:00", "until 14:00", "" when always. */
function openingText(checkpoint: Pick<Checkpoint, 'opens_at' | 'closes_at'>): string {
  const { opens_at: opens, closes_at: closes } = checkpoint;
  if (opens && closes) return `${dateTime(opens)} – ${dateTime(closes)}`;
  if (opens) return `from ${dateTime(opens)}`;
  if (closes) return `until ${dateTime(closes)}`;
  return '';
}

/** A checkpoint's rules in one line: "meal · 12:00 – 14:00 · 1 each · check-in needed". */
export function rulesText(checkpoint: Checkpoint): string {
  const parts: string[] = [checkpoint.kind];
  const opening = openingText(checkpoint);
  if (opening) parts.push(opening);
  parts.push(checkpoint.per_participant_limit === null ? 'unlimited' : `${checkpoint.per_participant_limit} each`);
  if (checkpoint.capacity !== null) parts.push(`${checkpoint.capacity} places`);
  if (checkpoint.requires_check_in) parts.push('check-in needed');
  if (checkpoint.allowed_tags?.length) parts.push(`only ${checkpoint.allowed_tags.join(', ')}`);
  return parts.join(' · ');
}

/** The checkpoints with one's counts replaced by those a live scan event carries (when it carries them whole). */
export function withCounts<T extends Record<string, Checkpoint>>(checkpoints: T | undefined, event: ScanEvent): T | undefined {
  const known = checkpoints?.[event.checkpoint_id];
  const counts = event.counts as Partial<Checkpoint['counts']> | undefined;
  if (!checkpoints || !known || typeof counts?.participants !== 'number' || typeof counts.accepted !== 'number')
    return checkpoints;
  return { ...checkpoints, [event.checkpoint_id]: { ...known, counts: event.counts } };
}
