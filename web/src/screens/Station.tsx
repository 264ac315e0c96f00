import { useEffect, useRef, useState } from 'react';
import { ApiError, errorText, get, mutate, newIntentKey, outcomeUnknown } from '../api';
import { FindByName } from '../components/FindByName';
import { ScreenHeading } from '../components/Heading';
import { Alert, Status } from '../components/Messages';
import { LastResult, ScanResultOverlay } from '../components/ScanResult';
import { Scanner } from '../components/Scanner';
import { StationPicker } from '../components/StationPicker';
import { useSession } from '../context';
import { signal, unlockAudio } from '../feedback';
import { clockTime, extractBadgeCode } from '../format';
import { useIntent, useLatest, useLiveEvent, useRefreshOnFocus, useResource, useThrottled } from '../hooks';
import {
  acceptedView,
  isScanRefusal,
  offlineView,
  RescanGate,
  refusedView,
  rulesText,
  UnansweredScans,
  unsureView,
  withCounts,
  type ResultView,
} from '../scanning';
import { loadSoundOn, loadStation, loadUnanswered, saveSoundOn, saveStation, saveUnanswered, type Station } from '../station';
import { useWakeLock } from '../wake-lock';
import type {
  BadgeHolder,
  CheckInCounts,
  CheckInStatus,
  Checkpoint,
  CheckpointEvent,
  CheckpointsById,
  ScanAccepted,
  ScanEvent,
  ScanRefused,
} from '../api-types';

/** How long an answer fills the screen; the scanner takes the next badge after it. */
const RESULT_MS = 1500;
/** A badge already scanned counts as shown again once the camera has not seen it for this long. */
const GONE_MS = 1200;
/** Counters are re-read at most this often (after a scan or a check-in elsewhere). */
const REFRESH_MS = 2000;
/** Undo stays disabled this long after the answer goes: a second tap meant for the answer must not undo. */
const UNDO_GUARD_MS = 400;
/** How long the name of a badge whose scan got no answer is looked up for (the server may be unreachable). */
const NAME_LOOKUP_MS = 1500;
/** A scan with no answer by then shows "not sure": showing the badge again repeats it (same nonce). */
const SCAN_GIVE_UP_MS = 4000;

type Target = { badge: string } | { participant_id: number };

interface Shown {
  view: ResultView;
  at: number;
  /** The accepted scan it shows, so Undo can mark it undone. */
  scanId?: number;
  undone?: boolean;
}

interface Undoable {
  scanId: number;
  name: string;
  /** When it was accepted (ms). */
  at: number;
  state: 'ready' | 'busy' | 'done';
  message: string;
  tone: 'info' | 'warn';
}

function alreadyText(status: CheckInStatus): string {
  const when = status.check_in_time ? ` at ${clockTime(status.check_in_time)}` : '';
  const who = status.volunteer_name ? ` by ${status.volunteer_name}` : '';
  return when || who ? `First checked in${when}${who}.` : '';
}

/** An answer that is not a refusal: no answer at all (or offline), or an error of the request. */
function failedView(failure: unknown, name: string | null): ResultView {
  if (outcomeUnknown(failure)) return navigator.onLine ? unsureView(name) : offlineView(name);
  return { tone: 'bad', title: 'Not scanned', name, dietary: '', detail: errorText(failure) };
}

/** Whose badge it is, for an answer that did not say: asked briefly, as the server may be out of reach. */
async function nameOf(target: Target, knownName: string | null): Promise<string | null> {
  if (knownName || !('badge' in target) || !navigator.onLine) return knownName;
  const signal = AbortSignal.timeout(NAME_LOOKUP_MS);
  const holder = await get<BadgeHolder>(`/badges/${encodeURIComponent(target.badge)}`, { signal }).catch(() => null);
  return holder?.name ?? null;
}

const stationKey = (station: Station) => (station.type === 'door' ? 'door' : `checkpoint:${station.id}`);

/**
 * #/station: a volunteer's phone at the door or at a checkpoint. Every badge the camera sees is sent at once;
 * the answer fills the screen for a moment (green, amber, red, with a buzz and a tone), then the camera takes
 * the next badge. The last accepted scan can be undone.
 */
export function StationScreen() {
  const [station, setStation] = useState<Station | null>(() => loadStation());
  const [choosing, setChoosing] = useState(() => loadStation() === null);
  const [notice, setNotice] = useState('');
  const { me } = useSession();
  const [sound, setSound] = useState(loadSoundOn);
  const soundOn = useLatest(sound);
  const checkpoints = useResource((signal) => get<CheckpointsById>('/checkpoints', { signal }));
  const counts = useResource((signal) => get<CheckInCounts>('/checkin/counts', { signal }));
  const reloadCounts = useThrottled(counts.reload, REFRESH_MS);
  const reloadCheckpoints = useThrottled(checkpoints.reload, REFRESH_MS);
  const checkingIn = useIntent();
  const undoing = useIntent();
  const [result, setResult] = useState<Shown | null>(null);
  const [overlay, setOverlay] = useState(false);
  const [undoable, setUndoable] = useState<Undoable | null>(null);
  const [working, setWorking] = useState(false);
  /** Counts the yes and "already" answers: the "Badge won't scan?" panel clears its old errors on each. */
  const [answered, setAnswered] = useState(0);
  const busy = useRef(false);
  const overlayUntil = useRef(0);
  const overlayTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const guardTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [undoGuard, setUndoGuard] = useState(false);
  const gate = useRef(new RescanGate(GONE_MS));
  /** Scans whose answer was lost: the same badge scanned again at the same place repeats its scan, nonce and all. */
  const unanswered = useRef(new UnansweredScans(loadUnanswered()));

  const list = Object.entries(checkpoints.data ?? {})
    .map(([id, checkpoint]) => [Number(id), checkpoint] as [number, Checkpoint])
    .filter(([, checkpoint]) => !checkpoint.archived)
    .sort(([a], [b]) => a - b);
  const checkpoint = station?.type === 'checkpoint' ? checkpoints.data?.[station.id] : undefined;
  const checkpointRef = useLatest(checkpoint);

  useLiveEvent<ScanEvent>('scan', (event) => checkpoints.setData((current) => withCounts(current, event)));
  useLiveEvent<CheckpointEvent>('checkpoint', (event) =>
    checkpoints.setData((current) => ({ ...current, [event.checkpoint_id]: event.checkpoint })),
  );
  useLiveEvent('checkin', reloadCounts);
  useRefreshOnFocus(() => {
    checkpoints.reload();
    counts.reload();
  });
  useWakeLock(station !== null && !choosing);

  // The checkpoint this phone stands at was archived (or deleted): ask again where it is.
  const gone = station?.type === 'checkpoint' && checkpoints.data !== undefined && (!checkpoint || checkpoint.archived);
  useEffect(() => {
    if (!gone || station?.type !== 'checkpoint') return;
    saveStation(null);
    setStation(null);
    setChoosing(true);
    setNotice(`${station.name} is closed for scanning now. Choose where you are.`);
  }, [gone, station]);

  useEffect(
    () => () => {
      clearTimeout(overlayTimer.current);
      clearTimeout(guardTimer.current);
    },
    [],
  );

  function pick(next: Station) {
    unlockAudio();
    saveStation(next);
    setStation(next);
    setChoosing(false);
    setNotice('');
    if (!station || stationKey(station) !== stationKey(next)) {
      gate.current = new RescanGate(GONE_MS);
      setResult(null);
      setUndoable(null);
    }
  }

  function hide() {
    clearTimeout(overlayTimer.current);
    overlayUntil.current = 0;
    setOverlay(false);
    setUndoGuard(true);
    clearTimeout(guardTimer.current);
    guardTimer.current = setTimeout(() => setUndoGuard(false), UNDO_GUARD_MS);
  }

  function show(view: ResultView, scanId?: number) {
    const at = Date.now();
    setResult({ view, at, scanId });
    if (view.tone === 'ok' || view.tone === 'warn') setAnswered((n) => n + 1);
    setOverlay(true);
    overlayUntil.current = at + RESULT_MS;
    clearTimeout(overlayTimer.current);
    overlayTimer.current = setTimeout(hide, RESULT_MS);
    signal(view.tone, soundOn.current);
  }

  async function atCheckpoint(
    id: number,
    target: Target,
    targetKey: string,
    knownName: string | null,
  ): Promise<[ResultView, number?]> {
    const where = `checkpoint:${id}`;
    const now = Date.now();
    const lost = unanswered.current.find(targetKey, where, now);
    const sent = lost ?? { target: targetKey, station: where, nonce: newIntentKey(), idempotencyKey: newIntentKey(), at: now };
    // Kept before it goes: if the answer is lost (or the tab reloads), showing the badge again repeats this scan.
    unanswered.current.remember(sent, now);
    saveUnanswered(unanswered.current.list());
    const answered = () => {
      unanswered.current.forget(targetKey, where, Date.now());
      saveUnanswered(unanswered.current.list());
    };
    try {
      const answer = await mutate<ScanAccepted>(
        'POST',
        `/checkpoints/${id}/scans`,
        { ...target, nonce: sent.nonce },
        { intentKey: sent.idempotencyKey, giveUpAfterMs: SCAN_GIVE_UP_MS },
      );
      answered();
      const at = Date.now();
      setUndoable({ scanId: answer.scan_id, name: answer.participant.name, at, state: 'ready', message: '', tone: 'info' });
      return [acceptedView(answer), answer.scan_id];
    } catch (failure) {
      if (!outcomeUnknown(failure)) answered();
      if (failure instanceof ApiError && isScanRefusal(failure.code)) {
        const body = failure.body as Partial<ScanRefused> | undefined;
        const last = body?.last_accepted_at
          ? { accepted: { at: body.last_accepted_at, by: body.last_accepted_by ?? null }, myKeyName: me.key.name }
          : undefined;
        const person = body?.participant ?? (knownName ? { name: knownName } : undefined);
        return [refusedView(failure.code, person, checkpointRef.current, last)];
      }
      if (failure instanceof ApiError && failure.code === 'checkpoint_not_found') {
        checkpoints.reload();
        return [{ tone: 'bad', title: 'Checkpoint gone', name: null, dietary: '', detail: 'Choose where you are scanning.' }];
      }
      return [failedView(failure, outcomeUnknown(failure) ? await nameOf(target, knownName) : knownName)];
    } finally {
      reloadCheckpoints();
    }
  }

  async function atDoor(target: Target, knownName: string | null): Promise<ResultView> {
    // The name, looked up while the check-in is made: POST /checkin answers with the participant's id only.
    const holder =
      'badge' in target
        ? get<BadgeHolder>(`/badges/${encodeURIComponent(target.badge)}`).catch(() => null)
        : Promise.resolve(null);
    try {
      const status = await checkingIn.send<CheckInStatus>('POST', '/checkin', target);
      const name = (await holder)?.name ?? knownName ?? `Participant #${status.participant_id}`;
      return { tone: 'ok', title: 'Checked in', name, dietary: '', detail: '' };
    } catch (failure) {
      const found = await holder;
      const name = found?.name ?? knownName;
      const code = failure instanceof ApiError ? failure.code : undefined;
      if (code === 'already_checked_in') {
        const id = found?.participant_id ?? ('participant_id' in target ? target.participant_id : undefined);
        const status = id ? await get<CheckInStatus>(`/checkin?participant_id=${id}`).catch(() => null) : null;
        const detail = status ? alreadyText(status) : '';
        return { tone: 'warn', title: 'Already checked in', name, dietary: '', detail, ownTime: detail !== '' };
      }
      if (code === 'badge_not_found')
        return { tone: 'bad', title: 'Unknown badge', name: null, dietary: '', detail: 'That is not a badge of this event.' };
      if (code === 'participant_not_found')
        return { tone: 'bad', title: 'Participant not found', name, dietary: '', detail: 'Nobody has that badge any more.' };
      return failedView(failure, name ?? (outcomeUnknown(failure) ? await nameOf(target, knownName) : null));
    } finally {
      reloadCounts();
    }
  }

  /** Resolves true when the answer was a yes or an "already". */
  async function scan(target: Target, targetKey: string, knownName: string | null = null): Promise<boolean> {
    if (!station || busy.current) return false;
    busy.current = true;
    setWorking(true);
    try {
      const [view, scanId] =
        station.type === 'door'
          ? [await atDoor(target, knownName)]
          : await atCheckpoint(station.id, target, targetKey, knownName);
      show(view, scanId);
      return view.tone === 'ok' || view.tone === 'warn';
    } finally {
      busy.current = false;
      setWorking(false);
    }
  }

  function onCode(text: string) {
    const code = extractBadgeCode(text);
    if (!code || !station) return;
    const now = Date.now();
    if (!gate.current.sees(code, now, busy.current || now < overlayUntil.current)) return;
    gate.current.scannedAt(code, now);
    void scan({ badge: code }, `badge:${code}`);
  }

  function typedBadge(code: string) {
    gate.current.scannedAt(code, Date.now());
    void scan({ badge: code }, `badge:${code}`);
  }

  async function undo() {
    const target = undoable;
    if (!target || target.state !== 'ready') return;
    setUndoable({ ...target, state: 'busy', message: '' });
    try {
      await undoing.send('POST', `/scans/${target.scanId}/undo`);
      setUndoable({ ...target, state: 'done', tone: 'info', message: `Undone: ${target.name}’s scan no longer counts.` });
      setResult((shown) => (shown?.scanId === target.scanId ? { ...shown, undone: true } : shown));
      reloadCheckpoints();
    } catch (failure) {
      const code = failure instanceof ApiError ? failure.code : undefined;
      if (code === 'already_annulled') {
        setUndoable({ ...target, state: 'done', tone: 'warn', message: `${target.name}’s scan was already undone.` });
      } else if (code === 'forbidden') {
        setUndoable({ ...target, state: 'done', tone: 'warn', message: 'Too late to undo from this phone: ask an organizer.' });
      } else {
        setUndoable({ ...target, state: 'ready', tone: 'warn', message: `Not undone: ${errorText(failure)}` });
      }
    }
  }

  // Escape or Enter hides the answer at once, as a tap does.
  useEffect(() => {
    if (!overlay) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' || event.key === 'Enter') hide();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [overlay]);

  if (choosing || !station) {
    return (
      <section className="screen station">
        <ScreenHeading>Where are you scanning?</ScreenHeading>
        <Status tone="warn">{notice}</Status>
        <Alert>{checkpoints.error && !checkpoints.data ? `Checkpoints could not be loaded: ${checkpoints.error}` : ''}</Alert>
        <StationPicker
          checkpoints={list}
          loading={checkpoints.loading}
          current={station}
          onPick={pick}
          onCancel={station ? () => setChoosing(false) : undefined}
        />
      </section>
    );
  }

  const name = station.type === 'door' ? 'Door check-in' : (checkpoint?.name ?? station.name);
  let counter: { value: number | undefined; of: number | undefined; label: string };
  if (station.type === 'door') {
    counter = { value: counts.data?.checked_in, of: counts.data?.participants, label: 'checked in, of all participants' };
  } else if (checkpoint?.capacity != null) {
    counter = { value: checkpoint.counts.participants, of: checkpoint.capacity, label: 'served, of the places here' };
  } else {
    counter = { value: checkpoint?.counts.participants, of: counts.data?.checked_in, label: 'served, of everyone checked in' };
  }
  const last = result && !overlay ? result : null;
  const action = station.type === 'door' ? 'Check in' : 'Scan';

  return (
    <section className="screen station">
      <div className="station-bar">
        <div className="station-where">
          <p className="station-label">Scanning at</p>
          <ScreenHeading>{name}</ScreenHeading>
          {checkpoint && <p className="muted small">{rulesText(checkpoint)}</p>}
        </div>
        <button type="button" className="button secondary" onClick={() => setChoosing(true)}>
          Change
        </button>
      </div>
      <p className="counter" data-testid="station-counter">
        <span className="counter-value">
          <strong>{counter.value ?? '…'}</strong> of {counter.of ?? '…'}
        </span>
        <span className="counter-label">{counter.label}</span>
      </p>
      <div className="station-camera" aria-busy={working}>
        <Scanner onCode={onCode} />
        {working && !overlay && (
          <p className="station-sending" role="status">
            Checking…
          </p>
        )}
      </div>
      {last && <LastResult result={last.view} at={clockTime(last.at / 1000)} undone={last.undone} />}
      {undoable && station.type === 'checkpoint' && (
        <div className="undo-row">
          {undoable.state !== 'done' && (
            <button
              type="button"
              className="button danger"
              disabled={undoable.state === 'busy' || undoGuard}
              onClick={() => void undo()}
            >
              Undo last accepted: {undoable.name} ({clockTime(undoable.at / 1000)})
            </button>
          )}
          <Status tone={undoable.tone}>{undoable.message}</Status>
        </div>
      )}
      <FindByName
        action={action}
        disabled={working}
        answered={answered}
        checksIn={station.type === 'door'}
        onBadge={typedBadge}
        onParticipant={(id, personName) => scan({ participant_id: id }, `participant:${id}`, personName)}
      />
      <button
        type="button"
        className="button secondary"
        aria-pressed={sound}
        onClick={() => {
          unlockAudio();
          saveSoundOn(!sound);
          setSound(!sound);
        }}
      >
        Sound {sound ? 'on' : 'off'}
      </button>
      {overlay && result && <ScanResultOverlay result={result.view} onDismiss={hide} />}
    </section>
  );
}
