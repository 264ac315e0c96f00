// The offline scanner of a volunteer's or admin's phone: the roster kept fresh while a station is open, the scans
// let through offline queued on the device, and the queue uploaded by itself when the server answers again.
// One per page, like network.ts; screens read it with useSyncExternalStore(subscribeScanner, scannerState).
//
// Modes: online (scans go to the server), offline (the server did not answer: scans are decided on the phone
// and queued; /health is probed), syncing (the server answers again: the queue is being uploaded, and scans are
// still decided on the phone, so nobody is let in twice while their queued scan is on its way).
import { ApiError, errorText, get, mutate, outcomeUnknown } from '../api';
import type { RosterAnswer, SyncScansAnswer } from '../api-types';
import { checkConnection, isOffline, subscribeNetwork } from './network';
import { keyFingerprint } from './key-fingerprint';
import { chunks, settleUpload, type SyncReport, uploadItem, UPLOAD_CHUNK } from './queue';
import { applyChanges, mergeAnswer, metaOf, type QueuedScan, type Roster, type RosterChange } from './roster';
import {
  countQueued,
  loadStored,
  saveReports,
  saveRoster,
  settleKept,
  settleStored,
  storeQueued,
  wipeStored,
} from './scanner-store';

/** A full roster at least this often while a station is open, ... */
const FULL_SYNC_MS = 15 * 60_000;
/** ... and what changed at most this often in between. */
const DELTA_SYNC_MS = 30_000;
/** While offline, /health is asked this often (and at once when the browser says the network is back). */
const PROBE_MS = 5_000;
/** After the server refused an upload outright, it is tried again this much later. */
const UPLOAD_RETRY_MS = 30_000;
const ROSTER_TIMEOUT_MS = 30_000;
/** An upload of 500 scans may take the server a while; its retries ask with the same Idempotency-Key. */
const UPLOAD_GIVE_UP_MS = 30_000;

type ScannerMode = 'online' | 'offline' | 'syncing';

export interface ScannerState {
  /** False until the copy on this device has been read. */
  loaded: boolean;
  mode: ScannerMode;
  roster: Roster | null;
  /** Scans let through offline and not answered yet, oldest first. */
  queue: readonly QueuedScan[];
  /** What the last syncs found that the volunteer should see, until dismissed. */
  reports: readonly SyncReport[];
  /** Why the last upload or roster sync failed outright; '' when it did not. */
  problem: string;
}

const INITIAL: ScannerState = { loaded: false, mode: 'online', roster: null, queue: [], reports: [], problem: '' };

let state = INITIAL;
const listeners = new Set<() => void>();

function setState(patch: Partial<ScannerState>): void {
  state = { ...state, ...patch };
  listeners.forEach((listener) => listener());
}

export const scannerState = (): ScannerState => state;

export function subscribeScanner(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Bumped at sign-out: work started before it must not write into the next session. */
let generation = 0;
/** The generation the last sign-out that deleted the queue started (0: none did). */
let queueDeletedAt = 0;
let loading: Promise<void> | null = null;
/** The signed-in key's fingerprint: each queued scan notes which key made it. */
let signedInKey: string | undefined;

function load(): Promise<void> {
  loading ??= loadStored().then(
    (stored) => {
      // Scans still queued from before a reload: decided on the phone until they are uploaded.
      setState({ ...stored, loaded: true, mode: stored.queue.length > 0 || isOffline() ? 'offline' : state.mode });
    },
    (failure: unknown) => setState({ loaded: true, problem: `This phone cannot keep scans offline (${String(failure)}).` }),
  );
  return loading;
}

/** Uploads and roster syncs run one at a time: the roster then never counts a scan the queue also holds. */
let work: Promise<unknown> = Promise.resolve();
function serially(task: () => Promise<void>): Promise<void> {
  const next = work.then(task, task);
  work = next.catch(() => undefined);
  return next;
}

let probeTimer: ReturnType<typeof setTimeout> | undefined;

/** The server did not answer: decide on the phone from now on, and ask /health every few seconds. */
export function goOffline(retryInMs = PROBE_MS): void {
  if (state.mode !== 'offline') setState({ mode: 'offline' });
  clearTimeout(probeTimer);
  probeTimer = setTimeout(() => void probe(), retryInMs);
}

/** Asks /health now; when it answers, uploads the queue. */
export async function probe(): Promise<void> {
  clearTimeout(probeTimer);
  probeTimer = undefined;
  await checkConnection();
  if (isOffline()) goOffline();
  else if (state.mode !== 'online' || state.queue.length > 0) void serially(uploadQueue);
}

function limitOf(checkpointId: number) {
  return state.roster?.checkpoints[checkpointId]?.per_participant_limit;
}

/**
 * Uploads the queue in chunks until it is empty; stays offline when the server does not answer.
 *
 * The queue may hold scans made with another key: a key the server stopped accepting (expired, revoked) leaves
 * its queue on the phone, and the next volunteer or admin key uploads it. The server keeps nonces per key (a scan
 * is unique by checkpoint, key and nonce), and that is safe for a scan made offline: its nonce was never sent
 * with any key, so the copy uploaded with the new key is the only one, and repeats of that upload are known by
 * the nonce under the new key. The exception is a scan first sent online whose answer was lost: if that send
 * arrived, the server has it under the old key too. A once-only checkpoint then answers offline_conflict and a
 * door already_checked_in (nothing counted twice), but a checkpoint allowing more than one counts it twice.
 */
async function uploadQueue(): Promise<void> {
  const started = generation;
  if (state.queue.length > 0) setState({ mode: 'syncing' });
  while (state.queue.length > 0) {
    const [batch = []] = chunks(state.queue, UPLOAD_CHUNK);
    let answer: SyncScansAnswer;
    try {
      answer = await mutate<SyncScansAnswer>('POST', '/sync/scans', batch.map(uploadItem), {
        intentKey: null,
        giveUpAfterMs: UPLOAD_GIVE_UP_MS,
      });
    } catch (failure) {
      if (generation !== started) return;
      if (outcomeUnknown(failure)) goOffline();
      else {
        setState({ problem: `The queued scans could not be uploaded: ${errorText(failure)}` });
        goOffline(UPLOAD_RETRY_MS);
      }
      return;
    }
    const settled = settleUpload(batch, answer.results, limitOf);
    if (generation !== started) {
      // Signed out while the answer was on its way: when the queue stayed on the phone, what the server answered
      // leaves it all the same, so that the next key does not send it again.
      if (queueDeletedAt <= started) await settleKept(settled.answered, settled.reports);
      return;
    }
    const { roster, changed } = state.roster ? applyChanges(state.roster, settled.changes) : { roster: null, changed: [] };
    const reports = [...state.reports, ...settled.reports];
    await settleStored(settled.answered, roster && metaOf(roster), changed, reports);
    if (generation !== started) return;
    const answered = new Set(settled.answered);
    setState({
      queue: state.queue.filter((scan) => !answered.has(scan.nonce)),
      // Onto the roster as it is now: an online answer may have changed it while the store was written.
      roster: state.roster && applyChanges(state.roster, settled.changes).roster,
      reports,
      problem: '',
    });
    if (answered.size < batch.length) {
      // Some went unanswered: asking again at once would only repeat that.
      setState({ problem: 'The server did not answer every queued scan: the rest are tried again soon.' });
      goOffline(UPLOAD_RETRY_MS);
      return;
    }
  }
  setState({ mode: 'online' });
  // The counts moved while this phone was away: a station brings its roster up to date at once.
  if (stationsOpen > 0) await syncRoster(false);
}

/** What online answers taught the roster (noteAnswer) since the roster sync under way began; null between syncs. */
let learnedDuringSync: RosterChange[] | null = null;

/** Fetches the roster (all of it, or what changed since the last answer) and keeps it on the device. */
async function syncRoster(full: boolean): Promise<void> {
  const learned: RosterChange[] = [];
  learnedDuringSync = learned;
  try {
    await fetchRoster(full, learned);
  } finally {
    learnedDuringSync = null;
  }
}

async function fetchRoster(full: boolean, learned: readonly RosterChange[]): Promise<void> {
  const started = generation;
  // Offline, or scans still on their way: the server's counts would not hold them yet.
  if (state.mode !== 'online' || state.queue.length > 0) return;
  const current = state.roster;
  const since = !full && current ? `?since=${encodeURIComponent(current.cursor)}` : '';
  try {
    const answer = await get<RosterAnswer>(`/sync/roster${since}`, { signal: AbortSignal.timeout(ROSTER_TIMEOUT_MS) });
    if (generation !== started) return;
    // The answer may have been read before an online scan this phone has seen accepted since: that stays.
    const merged = mergeAnswer(state.roster, answer, Date.now(), learned);
    const appliedCount = learned.length;
    await saveRoster(metaOf(merged.roster), merged.participants, answer.full || current === null, merged.removed);
    if (generation !== started) return;
    // And what came while the roster was being written, which noteAnswer put into the roster this one replaces.
    const late = applyChanges(merged.roster, learned.slice(appliedCount));
    if (late.changed.length > 0) void saveRoster(metaOf(late.roster), late.changed, false).catch(() => undefined);
    setState({ roster: late.roster, problem: '' });
    if (answer.full) needsFullSync = false;
  } catch (failure) {
    if (generation !== started) return;
    if (failure instanceof ApiError && failure.code === 'invalid_cursor') return fetchRoster(true, learned);
    // No answer: the next scans are decided on the phone at once rather than each waiting for nothing.
    if (outcomeUnknown(failure)) goOffline();
    else setState({ problem: `The list of participants could not be updated: ${errorText(failure)}` });
  }
}

let stationsOpen = 0;
let needsFullSync = true;

/**
 * A station is open: the whole roster now (or as soon as the server answers) and every 15 minutes, what
 * changed every 30 seconds in between. Returns the stop.
 */
export function keepRosterFresh(): () => void {
  stationsOpen++;
  needsFullSync = true;
  const tick = () => {
    const full = needsFullSync || !state.roster || Date.now() - state.roster.fullSyncAt >= FULL_SYNC_MS;
    void serially(() => syncRoster(full));
  };
  void load().then(tick);
  const timer = setInterval(tick, DELTA_SYNC_MS);
  return () => {
    stationsOpen--;
    clearInterval(timer);
  };
}

/**
 * Follows the network for a signed-in volunteer or admin on any screen: offline when it goes, and the queue
 * uploaded when it comes back (also right away, for scans left queued by an earlier visit). Returns the stop.
 */
export function startScanner(apiKey: string): () => void {
  signedInKey = keyFingerprint(apiKey);
  const off = subscribeNetwork(() => {
    if (isOffline()) goOffline();
    else void probe();
  });
  void load().then(() => {
    if (state.queue.length > 0 || state.mode === 'offline') void probe();
  });
  return () => {
    off();
    clearTimeout(probeTimer);
    probeTimer = undefined;
  };
}

/** Keeps a scan let through offline (resolves once it is on the device), and uploads it when the server answers. */
export async function enqueue(scan: Omit<QueuedScan, 'keyFingerprint'>): Promise<void> {
  const queued = { ...scan, keyFingerprint: signedInKey };
  await storeQueued(queued);
  setState({ queue: [...state.queue, queued] });
  // The upload that emptied the queue may have ended while this scan was being decided.
  if (state.mode === 'online') void serially(uploadQueue);
}

/** An online answer the roster should know at once (the network may go before the next sync). */
export function noteAnswer(change: RosterChange): void {
  // A roster sync under way may bring an answer read before this one: it is applied again after it.
  learnedDuringSync?.push(change);
  if (!state.roster) return;
  const { roster, changed } = applyChanges(state.roster, [change]);
  if (changed.length === 0) return;
  setState({ roster });
  void saveRoster(metaOf(roster), changed, false).catch(() => undefined);
}

export function dismissReports(nonces?: readonly string[]): void {
  const reports = nonces ? state.reports.filter((report) => !nonces.includes(report.nonce)) : [];
  setState({ reports });
  void saveReports(reports).catch(() => undefined);
}

/**
 * Sign-out: the roster (names of everyone) leaves this device. The queued scans are people already fed or let in:
 * they and the reports of their syncs go only with `deleteQueue` (a sign-out the volunteer confirmed); otherwise
 * (a key the server stopped accepting) they stay for the next volunteer or admin key to upload.
 */
export async function wipeScanner(deleteQueue: boolean): Promise<void> {
  generation++;
  if (deleteQueue) queueDeletedAt = generation;
  clearTimeout(probeTimer);
  probeTimer = undefined;
  loading = null;
  signedInKey = undefined;
  needsFullSync = true;
  state = INITIAL;
  listeners.forEach((listener) => listener());
  await wipeStored(!deleteQueue);
}

/** How many queued scans are on this device, whoever made them (0 when it cannot tell). */
export const queuedOnDevice = (): Promise<number> => countQueued().catch(() => 0);
