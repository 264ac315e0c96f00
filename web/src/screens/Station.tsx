import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { get } from '../api';
import { FindByName, type FoundPerson } from '../components/FindByName';
import { ScreenHeading } from '../components/Heading';
import { Alert, Status } from '../components/Messages';
import { OfflineQueueBanner, SyncReports } from '../components/OfflineQueue';
import { LastResult, ScanResultOverlay } from '../components/ScanResult';
import { Scanner } from '../components/Scanner';
import { counterOf, StationCounter } from '../components/StationCounter';
import { StationPicker } from '../components/StationPicker';
import { UndoLast, type UndoTarget } from '../components/UndoLast';
import { useSession } from '../context';
import { signal, unlockAudio } from '../feedback';
import { clockTime, extractBadgeCode, plural } from '../format';
import { useLatest, useLiveEvent, useRefreshOnFocus, useResource, useThrottled } from '../hooks';
import { isCheckedIn, searchRoster } from '../offline/roster';
import { keepRosterFresh, scannerState, subscribeScanner } from '../offline/scanner';
import { RescanGate, rulesText, UnansweredScans, withCounts, type ResultView } from '../scanning';
import { loadSoundOn, loadStation, loadUnanswered, saveSoundOn, saveStation, type Station } from '../station';
import { scanAtStation, type Target } from '../station-scan';
import { useWakeLock } from '../wake-lock';
import type { CheckInCounts, Checkpoint, CheckpointEvent, CheckpointsById, ScanEvent } from '../api-types';

/** How long an answer fills the screen; the scanner takes the next badge after it. */
const RESULT_MS = 1500;
/** Counters are re-read at most this often (after a scan or a check-in elsewhere). */
const REFRESH_MS = 2000;
/** Undo stays disabled this long after the answer goes: a second tap meant for the answer must not undo. */
const UNDO_GUARD_MS = 400;

interface Shown {
  view: ResultView;
  at: number;
  /** The accepted scan it shows, so Undo can mark it undone. */
  scanId?: number;
  undone?: boolean;
}

const stationKey = (station: Station) => (station.type === 'door' ? 'door' : `checkpoint:${station.id}`);

/**
 * #/station: a volunteer's phone at the door or at a checkpoint. Every badge the camera sees is sent at once;
 * the answer fills the screen for a moment (green, amber, red, with a buzz and a tone), then the camera takes
 * the next badge. The last accepted scan can be undone. With no network the phone decides from its roster
 * (provisionally) and queues the scans it let through until the server answers again.
 */
export function StationScreen() {
  const [station, setStation] = useState<Station | null>(() => loadStation());
  const [choosing, setChoosing] = useState(() => loadStation() === null);
  const [notice, setNotice] = useState('');
  const { me } = useSession();
  const scanner = useSyncExternalStore(subscribeScanner, scannerState);
  const [sound, setSound] = useState(loadSoundOn);
  const soundOn = useLatest(sound);
  const checkpoints = useResource((signal) => get<CheckpointsById>('/checkpoints', { signal }));
  const counts = useResource((signal) => get<CheckInCounts>('/checkin/counts', { signal }));
  const reloadCounts = useThrottled(counts.reload, REFRESH_MS);
  const reloadCheckpoints = useThrottled(checkpoints.reload, REFRESH_MS);
  const [result, setResult] = useState<Shown | null>(null);
  const [overlay, setOverlay] = useState(false);
  const [undoable, setUndoable] = useState<UndoTarget | null>(null);
  const [working, setWorking] = useState(false);
  /** Counts the yes and "already" answers: the "Badge won't scan?" panel clears its old errors on each. */
  const [answered, setAnswered] = useState(0);
  /** Counts the badges that could not be checked offline: each opens the search by name. */
  const [findByName, setFindByName] = useState(0);
  const busy = useRef(false);
  const overlayUntil = useRef(0);
  const overlayTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const guardTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const [undoGuard, setUndoGuard] = useState(false);
  const gate = useRef(new RescanGate());
  /** Scans whose answer was lost: the same badge scanned again at the same place repeats its scan, nonce and all. */
  const unanswered = useRef(new UnansweredScans(loadUnanswered()));

  // Offline, the checkpoints the roster brought stand in for GET /checkpoints.
  const known = checkpoints.data ?? scanner.roster?.checkpoints;
  const list = Object.entries(known ?? {})
    .map(([id, checkpoint]) => [Number(id), checkpoint] as [number, Checkpoint])
    .filter(([, checkpoint]) => !checkpoint.archived)
    .sort(([a], [b]) => a - b);
  const checkpoint = station?.type === 'checkpoint' ? known?.[station.id] : undefined;
  const checkpointRef = useLatest(checkpoint);
  const decidingHere = scanner.mode !== 'online' && scanner.roster !== null;

  useEffect(() => keepRosterFresh(), []);
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

  // Back online with the queue uploaded: the counters are read again.
  const mode = scanner.mode;
  useEffect(() => {
    if (mode !== 'online') return;
    reloadCheckpoints();
    reloadCounts();
  }, [mode, reloadCheckpoints, reloadCounts]);

  // The checkpoint this phone stands at was archived (or deleted): ask again where it is. (Missing from an old
  // roster while offline is not gone: it may be newer than the roster.)
  const gone =
    station?.type === 'checkpoint' &&
    (checkpoints.data !== undefined ? !checkpoint || checkpoint.archived : checkpoint?.archived === true);
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
      gate.current = new RescanGate();
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

  /** Resolves true when the answer was a yes or an "already". */
  async function scan(target: Target, targetKey: string, knownName: string | null = null): Promise<boolean> {
    if (!station || busy.current) return false;
    busy.current = true;
    setWorking(true);
    try {
      const context = { station, checkpoint: checkpointRef.current, myKeyName: me.key.name, unanswered: unanswered.current };
      const answer = await scanAtStation(context, target, targetKey, knownName);
      if (answer.checkpointGone) checkpoints.reload();
      // A scan decided offline leaves nothing the server could undo.
      if (answer.undoable) setUndoable({ ...answer.undoable, at: Date.now() });
      else if (station.type === 'checkpoint' && answer.view.tone === 'ok') setUndoable(null);
      if (answer.findByName) setFindByName((n) => n + 1);
      show(answer.view, answer.undoable?.scanId);
      return answer.view.tone === 'ok' || answer.view.tone === 'warn';
    } finally {
      if (station.type === 'door') reloadCounts();
      else reloadCheckpoints();
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
        <Alert>{checkpoints.error && !known ? `Checkpoints could not be loaded: ${checkpoints.error}` : ''}</Alert>
        <StationPicker
          checkpoints={list}
          loading={checkpoints.loading && !known}
          current={station}
          onPick={pick}
          onCancel={station ? () => setChoosing(false) : undefined}
        />
      </section>
    );
  }

  const name = station.type === 'door' ? 'Door check-in' : (checkpoint?.name ?? station.name);
  const counter = counterOf(
    station,
    { checkpoint, counts: counts.data },
    decidingHere && scanner.roster ? { roster: scanner.roster, queue: scanner.queue } : null,
  );
  const last = result && !overlay ? result : null;
  const action = station.type === 'door' ? 'Check in' : 'Scan';
  const roster = scanner.roster;
  const searchOffline =
    decidingHere && roster
      ? (query: string): FoundPerson[] =>
          searchRoster(roster, query).map((person) => ({
            id: String(person.id),
            name: person.name,
            checkedIn: isCheckedIn(roster, scanner.queue, person.id),
          }))
      : undefined;

  return (
    <section className="screen station">
      <OfflineQueueBanner scanner={scanner} />
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
      <SyncReports reports={scanner.reports} />
      <StationCounter counter={counter} />
      {roster && (
        <p className="muted small" data-testid="roster-status">
          Ready for offline: {plural(roster.participants.size, 'person', 'people')} on this phone, synced{' '}
          {clockTime(Date.parse(roster.syncedAt) / 1000)}
        </p>
      )}
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
        <UndoLast
          key={undoable.scanId}
          target={undoable}
          guard={undoGuard}
          onUndone={() => {
            setResult((shown) => (shown?.scanId === undoable.scanId ? { ...shown, undone: true } : shown));
            reloadCheckpoints();
          }}
        />
      )}
      <FindByName
        action={action}
        disabled={working}
        answered={answered}
        checksIn={station.type === 'door'}
        onBadge={typedBadge}
        onParticipant={(id, personName) => scan({ participant_id: id }, `participant:${id}`, personName)}
        searchOffline={searchOffline}
        reveal={findByName}
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
