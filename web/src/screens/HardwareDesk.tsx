import { useEffect, useRef, useState } from 'react';
import { ApiError, errorText, get } from '../api';
import { FindByName } from '../components/FindByName';
import { ScreenHeading } from '../components/Heading';
import { Alert } from '../components/Messages';
import { LastResult, ScanResultOverlay } from '../components/ScanResult';
import { Scanner } from '../components/Scanner';
import { signal } from '../feedback';
import { clockTime, extractBadgeCode, plural } from '../format';
import { availabilityText, queueOrder, withItem, withRequest } from '../hardware';
import { SETTLE_MS, useLiveEvent, useRefreshOnFocus, useResource, useThrottled } from '../hooks';
import { RescanGate, type ResultView } from '../scanning';
import { PersonPanel, type Person } from './HardwareDeskPerson';
import { WaitingList } from './HardwareDeskWaitingList';
import type {
  BadgeHolder,
  CheckInEvent,
  CheckInStatus,
  HardwareEvent,
  HardwareItemsById,
  HardwareRequestsById,
} from '../api-types';

/** A yes leaves the screen by itself after this long; a no stays until tapped, so it is read. */
const OK_RESULT_MS = 1500;
/** Lists are re-read at most this often after a change here or elsewhere. */
const REFRESH_MS = 1500;

interface Shown {
  view: ResultView;
  at: number;
}

/**
 * #/desk (volunteer, admin): the hardware desk. Scan a badge (or find the person by name) to open their requests
 * and what they have; one tap hands a request out or takes a loan back, with the answer over the whole screen.
 * Below, the waiting list of every open request, and the stock.
 */
export function HardwareDeskScreen() {
  const items = useResource((signal) => get<HardwareItemsById>('/hardware', { signal }));
  const queue = useResource((signal) => get<HardwareRequestsById>('/hardware/requests', { signal }));
  const [person, setPerson] = useState<Person | null>(null);
  const [scanError, setScanError] = useState('');
  const [result, setResult] = useState<Shown | null>(null);
  const [overlay, setOverlay] = useState(false);
  const [opened, setOpened] = useState(0);
  /** Changes at each "Done": the search by name starts empty for the next person. */
  const [done, setDone] = useState(0);
  const overlayTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  /** What had the focus when the answer came up (the button tapped): it gets it back when the answer goes. */
  const focusBefore = useRef<Element | null>(null);
  const gate = useRef(new RescanGate());
  const lookingUp = useRef(false);

  const reloadBoth = () => {
    items.reload();
    queue.reload();
  };
  const reloadLists = useThrottled(reloadBoth, REFRESH_MS);
  useRefreshOnFocus(reloadBoth);
  useLiveEvent<HardwareEvent>('hardware', (event) => {
    if (event.kind === 'item') items.setData((current) => withItem(current, event.item_id, event.item));
    if (event.kind === 'request') queue.setData((current) => withRequest(current, event.request_id, event.request));
    // Stock and places in line move with every loan, return and request.
    reloadLists();
  });
  useLiveEvent<CheckInEvent>('checkin', (event) =>
    setPerson((current) =>
      current?.id === event.participant_id ? { ...current, checkedIn: event.check_in.checked_in } : current,
    ),
  );
  useEffect(() => () => clearTimeout(overlayTimer.current), []);

  function hideOverlay() {
    clearTimeout(overlayTimer.current);
    setOverlay(false);
    // The button tapped, when it is still there; else (a request handed out leaves its row, or a second tap on the
    // greyed button took the focus to the page) the person's name.
    const before = focusBefore.current;
    const target =
      before instanceof HTMLButtonElement && before.isConnected ? before : document.getElementById('desk-person-name');
    target?.focus({ preventScroll: true });
  }

  function show(view: ResultView) {
    focusBefore.current = document.activeElement;
    setResult({ view: { ...view, hint: 'Tap to close' }, at: Date.now() });
    setOverlay(true);
    clearTimeout(overlayTimer.current);
    if (view.tone === 'ok') overlayTimer.current = setTimeout(hideOverlay, OK_RESULT_MS);
    signal(view.tone, false);
  }

  function open(next: Person) {
    setScanError('');
    setPerson(next);
    setOpened((n) => n + 1);
  }

  async function openBadge(code: string) {
    if (lookingUp.current) return;
    lookingUp.current = true;
    try {
      const holder = await get<BadgeHolder>(`/badges/${encodeURIComponent(code)}`);
      open({ id: holder.participant_id, name: holder.name, checkedIn: holder.checked_in });
    } catch (failure) {
      const notABadge = failure instanceof ApiError && (failure.code === 'badge_not_found' || failure.code === 'unknown_badge');
      setScanError(notABadge ? 'That badge is not valid.' : errorText(failure));
      signal('bad', false);
    } finally {
      lookingUp.current = false;
    }
  }

  async function openParticipant(id: number, name: string): Promise<boolean> {
    const status = await get<CheckInStatus>(`/checkin?participant_id=${id}`).catch(() => null);
    open({ id, name, checkedIn: status?.checked_in ?? null });
    return true;
  }

  function onCode(text: string) {
    const code = extractBadgeCode(text);
    const now = Date.now();
    if (!code || !gate.current.sees(code, now, lookingUp.current || overlay)) return;
    gate.current.scannedAt(code, now);
    void openBadge(code);
  }

  const itemList = Object.entries(items.data ?? {})
    .filter(([, item]) => !item.archived)
    .sort(([, a], [, b]) => a.name.localeCompare(b.name));
  const waiting = Object.entries(queue.data ?? {}).sort(queueOrder);
  const theirs = person ? waiting.filter(([, request]) => request.participant_id === person.id) : [];

  return (
    <section className="screen hardware-desk">
      <ScreenHeading>Hardware desk</ScreenHeading>
      {result && !overlay && <LastResult result={result.view} at={clockTime(result.at / 1000)} />}
      {person && (
        <PersonPanel
          key={`${person.id}:${opened}`}
          person={person}
          items={items.data}
          requests={theirs}
          onResult={show}
          onChanged={(closedRequest) => {
            // Gone from the list at once: a second tap must not find it there.
            if (closedRequest !== undefined)
              queue.setData((current) => {
                const next = { ...current };
                delete next[closedRequest];
                return next;
              });
            reloadLists();
          }}
          onClose={() => {
            setPerson(null);
            setDone((n) => n + 1);
          }}
        />
      )}
      <div className="desk-camera">
        <Scanner onCode={onCode} />
      </div>
      <Alert>{scanError}</Alert>
      <FindByName
        key={done}
        action="Open"
        disabled={false}
        answered={opened}
        checksIn={false}
        onBadge={(code) => void openBadge(code)}
        onParticipant={openParticipant}
        reveal={0}
      />

      <WaitingList
        items={items.data}
        queue={queue}
        waiting={waiting}
        onOpen={(participantId, name) => void openParticipant(participantId, name)}
        onChanged={reloadLists}
      />

      <details className="card desk-stock">
        <summary>Stock ({plural(itemList.length, 'item')})</summary>
        <ul className="cards">
          {itemList.map(([id, item]) => (
            <li key={id} className="stock-row" data-testid={`desk-stock-${id}`}>
              <strong>{item.name}</strong> <span className="muted small">{availabilityText(item)}</span>
            </li>
          ))}
        </ul>
      </details>
      {overlay && result && (
        <ScanResultOverlay
          result={result.view}
          onDismiss={() => {
            // The second tap of a double tap must not close the answer before it is read.
            if (Date.now() - result.at >= SETTLE_MS) hideOverlay();
          }}
        />
      )}
    </section>
  );
}
