import { useEffect, useRef, useState } from 'react';
import { ApiError, get, notSent, outcomeUnknown } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Alert } from '../components/Messages';
import { QuantityField } from '../components/QuantityField';
import {
  MAX_CHOICE,
  deskRefusalText,
  dueText,
  isOverdue,
  loanOrder,
  movedAsWanted,
  queueText,
  unitsHeld,
  unitsOf,
  withLoan,
} from '../hardware';
import { useIntent, useLiveEvent, useNow, useRefreshOnFocus, useResource, useSettling, useSlow } from '../hooks';
import type { ResultView } from '../scanning';
import type { HardwareEvent, HardwareItem, HardwareItemsById, HardwareRequest, Loan, LoansById } from '../api-types';

export interface Person {
  id: number;
  name: string;
  /** null until known. */
  checkedIn: boolean | null;
}

/** A refused or unanswered hand-out or take-back of `what` ("2 × Arduino Uno"), as the full-screen result shows it. */
function failureView(failure: unknown, title: string, person: Person, what: string, item?: HardwareItem): ResultView {
  if (notSent(failure))
    return {
      tone: 'unsure',
      title: 'Offline',
      name: person.name,
      dietary: '',
      detail: `${what} · Not done: this phone is offline, so nothing was sent. Tap again when the connection is back.`,
    };
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

/** Why lending `units` of `item` to this person is bound to be refused, or '' when it may go ahead. */
function refusalAhead(item: HardwareItem, units: number, held: number, person: Person): string {
  if (item.requires_check_in && person.checkedIn === false) return 'Not checked in: send them to the door first.';
  const limit = item.per_participant_limit;
  if (limit !== null && held + units > limit)
    return held >= limit ? `Has ${held} already, the most one person may borrow.` : `May have ${limit - held} more at most.`;
  return '';
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
export function PersonPanel({ person, items, requests, onResult, onChanged, onClose }: PersonPanelProps) {
  const loans = useResource((signal) => get<LoansById>(`/hardware/loans?participant_id=${person.id}&status=out`, { signal }));
  const lending = useIntent();
  const returning = useIntent();
  const cancelling = useIntent();
  const now = useNow(30_000);
  // A tap meant for the person before must not land on these buttons.
  const [arming] = useSettling(true);
  /** Which button's write is under way ("request:3", "lend", "loan:7", "loan:7:1"), for its "Sending…". */
  const [sending, setSending] = useState('');
  const slow = useSlow(lending.pending || returning.pending);
  const [lendItem, setLendItem] = useState('');
  const [lendQuantity, setLendQuantity] = useState(1);
  const [confirming, setConfirming] = useState<[string, HardwareRequest] | null>(null);
  const [cancelError, setCancelError] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);
  useLiveEvent<HardwareEvent>('hardware', (event) => {
    if (event.kind === 'loan' && event.loan.participant_id === person.id)
      loans.setData((current) => withLoan(current, event.loan_id, event.loan, true));
  });
  useRefreshOnFocus(loans.reload);

  const busy = arming || lending.pending || returning.pending;
  const label = (button: string, text: string) => (slow && sending === button ? 'Sending…' : text);

  async function handOut(
    button: string,
    body: { item_id: number; request_id?: number; quantity?: number },
    what: string,
    item: HardwareItem | undefined,
  ) {
    let closedRequest: number | undefined;
    setSending(button);
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
    } finally {
      setSending('');
    }
    onChanged(closedRequest);
  }

  async function takeBack(id: string, loan: Loan, quantity?: number) {
    setSending(quantity === undefined ? `loan:${id}` : `loan:${id}:${quantity}`);
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
    } finally {
      setSending('');
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
      // Cancelled by someone else meanwhile: what was wanted.
      const already = await movedAsWanted(failure, id, person.id, 'cancelled');
      if (!already) setCancelError(deskRefusalText(failure, person.name));
      onChanged(already ? Number(id) : undefined);
    }
  }

  const requested = new Set(requests.map(([, request]) => request.item_id));
  const held = (itemId: number) => unitsHeld(loans.data, itemId);
  // What else may be lent: open items they have not asked for (a request is handed out from its own row).
  const lendable = Object.entries(items ?? {})
    .filter(([id, item]) => !item.archived && !requested.has(Number(id)))
    .sort(([, a], [, b]) => a.name.localeCompare(b.name));
  const chosen = lendItem ? items?.[lendItem] : undefined;
  const chosenHeld = held(Number(lendItem));
  const allowed = chosen?.per_participant_limit == null ? Infinity : chosen.per_participant_limit - chosenHeld;
  const most = chosen ? Math.min(allowed, chosen.available, MAX_CHOICE) : 0;
  const lendUnits = Math.min(lendQuantity, Math.max(1, most));
  const lendRefusal = chosen ? refusalAhead(chosen, lendUnits, chosenHeld, person) : '';
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
            const refusal = item ? refusalAhead(item, request.quantity, held(request.item_id), person) : '';
            return (
              <li key={id} className="desk-row" data-testid={`desk-request-${id}`}>
                <div className="desk-row-text">
                  <strong>{unitsOf(request.quantity, request.item_name)}</strong>
                  <span className={short ? 'small availability-none' : 'muted small'}>
                    {queueText(request)}
                    {item && ` · ${item.available} free`}
                  </span>
                  {refusal && <span className="small availability-none">{refusal}</span>}
                </div>
                <div className="desk-row-actions">
                  <button
                    type="button"
                    className="button primary"
                    disabled={busy || short || refusal !== ''}
                    onClick={() =>
                      void handOut(
                        `request:${id}`,
                        { item_id: request.item_id, request_id: Number(id) },
                        unitsOf(request.quantity, request.item_name),
                        item,
                      )
                    }
                  >
                    {label(`request:${id}`, 'Hand out')}
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
                  {label(`loan:${id}`, loan.outstanding > 1 ? `Take back all ${loan.outstanding}` : 'Take back')}
                  <span className="visually-hidden"> {loan.item_name}</span>
                </button>
                {loan.outstanding > 1 && (
                  <button type="button" className="button secondary" disabled={busy} onClick={() => void takeBack(id, loan, 1)}>
                    {label(`loan:${id}:1`, 'Take back 1')}
                    <span className="visually-hidden"> {loan.item_name}</span>
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
              {lendable.map(([id, item]) => {
                // At their limit already: shown, so its absence does not puzzle, but not to be chosen.
                const full = item.per_participant_limit !== null && held(Number(id)) >= item.per_participant_limit;
                return (
                  <option key={id} value={id} disabled={full}>
                    {item.name} ({full ? `has ${held(Number(id))}, the most` : `${item.available} free`})
                  </option>
                );
              })}
            </select>
          </div>
          <QuantityField id="desk-lend-quantity" most={most} value={lendQuantity} onChange={setLendQuantity} />
          <button
            type="button"
            className="button primary"
            disabled={busy || !chosen || lendRefusal !== ''}
            onClick={() =>
              void handOut(
                'lend',
                { item_id: Number(lendItem), quantity: lendUnits },
                unitsOf(lendUnits, chosen?.name ?? ''),
                chosen,
              )
            }
          >
            {label('lend', 'Hand out')}
          </button>
        </div>
        {lendRefusal && <p className="small availability-none">{lendRefusal}</p>}
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
