import { useEffect, useRef, useState } from 'react';
import { ApiError, errorText, get, outcomeUnknown } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { FindByName } from '../components/FindByName';
import { ScreenHeading } from '../components/Heading';
import { Alert } from '../components/Messages';
import { LastResult, ScanResultOverlay } from '../components/ScanResult';
import { Scanner } from '../components/Scanner';
import { signal } from '../feedback';
import { clockTime, extractBadgeCode, plural } from '../format';
import {
  availabilityText,
  deskRefusalText,
  dueText,
  isOverdue,
  loanOrder,
  queueOrder,
  queueText,
  unitsOf,
  withItem,
  withLoan,
  withRequest,
} from '../hardware';
import { useIntent, useLiveEvent, useNow, useRefreshOnFocus, useResource, useThrottled } from '../hooks';
import { RescanGate, type ResultView } from '../scanning';
import type {
  BadgeHolder,
  CheckInEvent,
  CheckInStatus,
  HardwareEvent,
  HardwareItem,
  HardwareItemsById,
  HardwareRequest,
  HardwareRequestsById,
  Loan,
  LoansById,
} from '../api-types';

/** A badge already open counts as shown again once the camera has not seen it for this long. */
const GONE_MS = 1200;
/** A yes leaves the screen by itself after this long; a no stays until tapped, so it is read. */
const OK_RESULT_MS = 1500;
/** The buttons of a person just opened wait this long: a tap meant for the one before must not land on them. */
const ARM_MS = 500;
/** Lists are re-read at most this often after a change here or elsewhere. */
const REFRESH_MS = 1500;
/** The most units offered in the "How many" list. */
const MAX_CHOICE = 20;

interface Person {
  id: number;
  name: string;
  /** null until known. */
  checkedIn: boolean | null;
}

interface Shown {
  view: ResultView;
  at: number;
}

/** A refused or unanswered hand-out or take-back of `what` ("2 × Arduino Uno"), as the full-screen result shows it. */
function failureView(failure: unknown, title: string, person: Person, what: string, item?: HardwareItem): ResultView {
  if (outcomeUnknown(failure))
    return {
      tone: 'unsure',
      title: 'Not sure',
      name: person.name,
      dietary: '',
      detail: `${what} · No answer came, so it may or may not have happened. Tap the same button again: it will not happen twice.`,
    };
  // Someone else was first: what was asked for is done, so amber, not red.
  const already = failure instanceof ApiError && failure.code === 'already_returned';
  return {
    tone: already ? 'warn' : 'bad',
    title: already ? 'Already taken back' : title,
    name: person.name,
    dietary: '',
    detail: `${what} · ${deskRefusalText(failure, person.name, item)}`,
  };
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
  const overlayTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const gate = useRef(new RescanGate(GONE_MS));
  const lookingUp = useRef(false);
  const marking = useIntent();
  const [queueError, setQueueError] = useState('');

  const reloadLists = useThrottled(() => {
    items.reload();
    queue.reload();
  }, REFRESH_MS);
  useRefreshOnFocus(() => {
    items.reload();
    queue.reload();
  });
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

  function show(view: ResultView) {
    setResult({ view: { ...view, hint: 'Tap to close' }, at: Date.now() });
    setOverlay(true);
    clearTimeout(overlayTimer.current);
    if (view.tone === 'ok') overlayTimer.current = setTimeout(() => setOverlay(false), OK_RESULT_MS);
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

  async function markReady(id: string, request: HardwareRequest) {
    setQueueError('');
    try {
      const answer = await marking.send<HardwareRequestsById>('PUT', `/hardware/requests/${id}`, {
        status: 'ready',
        from: 'requested',
      });
      for (const [answerId, changed] of Object.entries(answer))
        queue.setData((current) => withRequest(current, Number(answerId), changed));
    } catch (failure) {
      setQueueError(`${request.participant_name}: ${deskRefusalText(failure, request.participant_name)}`);
    }
    reloadLists();
  }

  const itemList = Object.entries(items.data ?? {})
    .filter(([, item]) => !item.archived)
    .sort(([, a], [, b]) => a.name.localeCompare(b.name));
  const waiting = Object.entries(queue.data ?? {}).sort(queueOrder);
  const waitingByItem = new Map<number, [string, HardwareRequest][]>();
  for (const entry of waiting) waitingByItem.set(entry[1].item_id, [...(waitingByItem.get(entry[1].item_id) ?? []), entry]);
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
          onClose={() => setPerson(null)}
        />
      )}
      <div className="desk-camera">
        <Scanner onCode={onCode} />
      </div>
      <Alert>{scanError}</Alert>
      <FindByName
        action="Open"
        disabled={false}
        answered={opened}
        checksIn={false}
        onBadge={(code) => void openBadge(code)}
        onParticipant={openParticipant}
        reveal={0}
      />

      <h2>Waiting list</h2>
      <Alert>{queueError || (queue.error && !queue.data ? `Could not load the waiting list: ${queue.error}` : '')}</Alert>
      {queue.data && waiting.length === 0 && <p className="muted">Nobody is waiting.</p>}
      {[...waitingByItem].map(([itemId, requests]) => {
        const item = items.data?.[itemId];
        return (
          <section key={itemId} className="card waiting-item" aria-labelledby={`waiting-${itemId}`}>
            <h3 id={`waiting-${itemId}`}>{requests[0]![1].item_name}</h3>
            {item && <p className="muted small">{availabilityText(item)}</p>}
            <ol className="waiting-list">
              {requests.map(([id, request]) => (
                <li key={id} className="waiting-row" data-testid={`waiting-${id}`}>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => void openParticipant(request.participant_id, request.participant_name)}
                  >
                    {request.participant_name}
                  </button>
                  <span className="muted small">
                    {request.quantity > 1 ? `${request.quantity} wanted · ` : ''}
                    {queueText(request)}
                  </span>
                  {request.status === 'requested' && (
                    <button
                      type="button"
                      className="button secondary"
                      disabled={marking.pending}
                      onClick={() => void markReady(id, request)}
                    >
                      Ready
                    </button>
                  )}
                </li>
              ))}
            </ol>
          </section>
        );
      })}

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
            clearTimeout(overlayTimer.current);
            setOverlay(false);
          }}
        />
      )}
    </section>
  );
}

interface PersonPanelProps {
  person: Person;
  items: HardwareItemsById | undefined;
  /** Their open requests, in line order. */
  requests: [string, HardwareRequest][];
  onResult: (view: ResultView) => void;
  /** Something changed; `closedRequest` was handed out or cancelled. */
  onChanged: (closedRequest?: number) => void;
  onClose: () => void;
}

/** One person at the desk: what they asked for (hand out), what they have (take back), and lending anything else. */
function PersonPanel({ person, items, requests, onResult, onChanged, onClose }: PersonPanelProps) {
  const loans = useResource((signal) => get<LoansById>(`/hardware/loans?participant_id=${person.id}&status=out`, { signal }));
  const lending = useIntent();
  const returning = useIntent();
  const cancelling = useIntent();
  const now = useNow(30_000);
  const [armed, setArmed] = useState(false);
  const [lendItem, setLendItem] = useState('');
  const [lendQuantity, setLendQuantity] = useState(1);
  const [confirming, setConfirming] = useState<[string, HardwareRequest] | null>(null);
  const [cancelError, setCancelError] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
    const timer = setTimeout(() => setArmed(true), ARM_MS);
    return () => clearTimeout(timer);
  }, []);
  useLiveEvent<HardwareEvent>('hardware', (event) => {
    if (event.kind === 'loan' && event.loan.participant_id === person.id)
      loans.setData((current) => withLoan(current, event.loan_id, event.loan, true));
  });
  useRefreshOnFocus(loans.reload);

  const busy = !armed || lending.pending || returning.pending;

  async function handOut(
    body: { item_id: number; request_id?: number; quantity?: number },
    what: string,
    item: HardwareItem | undefined,
  ) {
    let closedRequest: number | undefined;
    try {
      const answer = await lending.send<LoansById>('POST', '/hardware/loans', { ...body, participant_id: person.id });
      for (const [id, loan] of Object.entries(answer)) {
        loans.setData((current) => withLoan(current, Number(id), loan, true));
        onResult({
          tone: 'ok',
          title: 'Handed out',
          name: person.name,
          dietary: '',
          detail: `${unitsOf(loan.quantity, loan.item_name)} · ${dueText(loan, Date.now())}`,
        });
      }
      closedRequest = body.request_id;
      setLendItem('');
      setLendQuantity(1);
    } catch (failure) {
      onResult(failureView(failure, 'Not handed out', person, what, item));
      loans.reload();
    }
    onChanged(closedRequest);
  }

  async function takeBack(id: string, loan: Loan, quantity?: number) {
    try {
      const answer = await returning.send<LoansById>(
        'POST',
        `/hardware/loans/${id}/return`,
        quantity === undefined ? {} : { quantity },
      );
      for (const [answerId, returned] of Object.entries(answer)) {
        loans.setData((current) => withLoan(current, Number(answerId), returned, true));
        const still = returned.outstanding > 0 ? ` · ${returned.outstanding} still out` : '';
        onResult({
          tone: 'ok',
          title: 'Taken back',
          name: person.name,
          dietary: '',
          detail: `${unitsOf(quantity ?? loan.outstanding, loan.item_name)}${still}`,
        });
      }
    } catch (failure) {
      onResult(failureView(failure, 'Not taken back', person, unitsOf(quantity ?? loan.outstanding, loan.item_name)));
      loans.reload();
    }
    onChanged();
  }

  async function cancel([id, request]: [string, HardwareRequest]) {
    setConfirming(null);
    setCancelError('');
    try {
      await cancelling.send('PUT', `/hardware/requests/${id}`, { status: 'cancelled', from: request.status });
      onChanged(Number(id));
    } catch (failure) {
      setCancelError(deskRefusalText(failure, person.name));
      onChanged();
    }
  }

  const requested = new Set(requests.map(([, request]) => request.item_id));
  // What else may be lent: open items they have not asked for (a request is handed out from its own row).
  const lendable = Object.entries(items ?? {})
    .filter(([id, item]) => !item.archived && !requested.has(Number(id)))
    .sort(([, a], [, b]) => a.name.localeCompare(b.name));
  const chosen = lendItem ? items?.[lendItem] : undefined;
  const most = chosen ? Math.min(chosen.per_participant_limit ?? chosen.quantity, chosen.available, MAX_CHOICE) : 0;
  const lendUnits = Math.min(lendQuantity, Math.max(1, most));
  const out = Object.entries(loans.data ?? {})
    .filter(([, loan]) => loan.status === 'out')
    .sort(loanOrder(now));

  return (
    <article className="card person desk-person" aria-labelledby="desk-person-name" data-testid="desk-person">
      <div className="row-between">
        <div>
          <h2 id="desk-person-name" className="person-name" ref={heading} tabIndex={-1}>
            {person.name}
          </h2>
          <p className="muted small">
            #{person.id}
            {person.checkedIn === true && ' · checked in'}
          </p>
        </div>
        <button type="button" className="button secondary" onClick={onClose}>
          Done
        </button>
      </div>
      {person.checkedIn === false && <p className="tag tag-bad">Not checked in</p>}

      <h3>Asked for</h3>
      <Alert>{cancelError}</Alert>
      {requests.length === 0 ? (
        <p className="muted small">No open requests.</p>
      ) : (
        <ul className="cards">
          {requests.map(([id, request]) => {
            const item = items?.[request.item_id];
            const short = item !== undefined && item.available < request.quantity;
            return (
              <li key={id} className="desk-row" data-testid={`desk-request-${id}`}>
                <div className="desk-row-text">
                  <strong>{unitsOf(request.quantity, request.item_name)}</strong>
                  <span className={short ? 'small availability-none' : 'muted small'}>
                    {queueText(request)}
                    {item && ` · ${item.available} free`}
                  </span>
                </div>
                <div className="desk-row-actions">
                  <button
                    type="button"
                    className="button primary"
                    disabled={busy || short}
                    onClick={() =>
                      void handOut(
                        { item_id: request.item_id, request_id: Number(id) },
                        unitsOf(request.quantity, request.item_name),
                        item,
                      )
                    }
                  >
                    Hand out
                  </button>
                  <button
                    type="button"
                    className="button danger"
                    disabled={busy || cancelling.pending}
                    onClick={() => setConfirming([id, request])}
                  >
                    Cancel<span className="visually-hidden"> the request for {request.item_name}</span>
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}

      <h3>Has now</h3>
      <Alert>{loans.error && !loans.data ? `Could not load their loans: ${loans.error}` : ''}</Alert>
      {loans.loading && !loans.data && <p className="muted small">Loading…</p>}
      {loans.data && out.length === 0 && <p className="muted small">Nothing borrowed.</p>}
      <ul className="cards">
        {out.map(([id, loan]) => {
          const overdue = isOverdue(loan, now);
          return (
            <li key={id} className={`desk-row${overdue ? ' loan-overdue' : ''}`} data-testid={`desk-loan-${id}`}>
              <div className="desk-row-text">
                <strong>{unitsOf(loan.outstanding, loan.item_name)}</strong>
                <span className={overdue ? 'small due-overdue' : 'muted small'}>{dueText(loan, now)}</span>
              </div>
              <div className="desk-row-actions">
                <button type="button" className="button primary" disabled={busy} onClick={() => void takeBack(id, loan)}>
                  {loan.outstanding > 1 ? `Take back all ${loan.outstanding}` : 'Take back'}
                  <span className="visually-hidden"> {loan.item_name}</span>
                </button>
                {loan.outstanding > 1 && (
                  <button type="button" className="button secondary" disabled={busy} onClick={() => void takeBack(id, loan, 1)}>
                    Take back 1<span className="visually-hidden"> {loan.item_name}</span>
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>

      <details className="lend-other">
        <summary>Lend something else</summary>
        <div className="lend-form">
          <div className="field">
            <label htmlFor="desk-lend-item">Item</label>
            <select
              id="desk-lend-item"
              value={lendItem}
              onChange={(event) => {
                setLendItem(event.target.value);
                setLendQuantity(1);
              }}
            >
              <option value="">Choose…</option>
              {lendable.map(([id, item]) => (
                <option key={id} value={id}>
                  {item.name} ({item.available} free)
                </option>
              ))}
            </select>
          </div>
          {most > 1 && (
            <div className="field quantity-field">
              <label htmlFor="desk-lend-quantity">How many</label>
              <select
                id="desk-lend-quantity"
                value={lendQuantity}
                onChange={(event) => setLendQuantity(Number(event.target.value))}
              >
                {Array.from({ length: most }, (_, n) => n + 1).map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </div>
          )}
          <button
            type="button"
            className="button primary"
            disabled={busy || !chosen}
            onClick={() =>
              void handOut({ item_id: Number(lendItem), quantity: lendUnits }, unitsOf(lendUnits, chosen?.name ?? ''), chosen)
            }
          >
            Hand out
          </button>
        </div>
      </details>

      {confirming && (
        <ConfirmDialog
          title={`Cancel ${person.name}’s request for ${confirming[1].item_name}?`}
          confirmLabel="Yes, cancel it"
          cancelLabel="Keep it"
          busy={cancelling.pending}
          onConfirm={() => void cancel(confirming)}
          onClose={() => setConfirming(null)}
        >
          <p>They lose their place in line. They can ask again from their phone.</p>
        </ConfirmDialog>
      )}
    </article>
  );
}
