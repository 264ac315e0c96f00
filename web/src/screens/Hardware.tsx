import { useEffect, useState } from 'react';
import { get, notSent, outcomeUnknown } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ScreenHeading } from '../components/Heading';
import { Alert, Status } from '../components/Messages';
import { QuantityField } from '../components/QuantityField';
import { useParticipant } from '../context';
import {
  MAX_CHOICE,
  availabilityText,
  dueText,
  isOpenRequest,
  isOverdue,
  itemRulesText,
  loanOrder,
  movedAsWanted,
  myPlace,
  requestRefusalText,
  unitsHeld,
  unitsOf,
  withLoan,
  withRequest,
} from '../hardware';
import { whenBackOnline } from '../offline/network';
import { useIntent, useLatest, useLiveEvent, useNow, useRefreshOnFocus, useSavedGet, useSlow, useThrottled } from '../hooks';
import type {
  HardwareEvent,
  HardwareItem,
  HardwareItemsById,
  HardwareRequest,
  HardwareRequestsById,
  Loan,
  LoansById,
} from '../api-types';

/**
 * Someone else's request or loan moves this hacker's place in line and the stock, and no event tells them
 * (they only get their own): the screen reads again this often while it is in view.
 */
const POLL_MS = 30_000;
/** A loan turns overdue on screen within this long of its due time. */
const CLOCK_MS = 10_000;

/** What the last tap led to: shown in the item's card (a request) or above My requests (a cancellation). */
interface Note {
  tone: 'ok' | 'unsure' | 'bad';
  text: string;
  /** Nothing was sent (the phone was offline): the note goes when the connection is back. */
  notSent?: boolean;
}

/** A request's card note. */
interface ItemNote extends Note {
  itemId: string;
}

/** A write that failed: not sent (offline), maybe done (no answer came), or refused (`refusal`). */
function failureNote(failure: unknown, unsure: string, refusal: string): Note {
  if (notSent(failure)) return { tone: 'bad', text: refusal, notSent: true };
  if (outcomeUnknown(failure)) return { tone: 'unsure', text: unsure };
  return { tone: 'bad', text: refusal };
}

/** Why the desk's side cancelled a request: the item was archived, or the desk did it. */
async function cancelledText(request: HardwareRequest): Promise<string> {
  const items = await get<HardwareItemsById>(`/hardware/${request.item_id}`).catch(() => null);
  const item = items?.[request.item_id];
  if (!item || item.archived) return `Your request for ${request.item_name} was cancelled: it is no longer lent.`;
  return `Your request for ${request.item_name} was cancelled by the desk.`;
}

function usePollWhileVisible(poll: () => void, intervalMs: number): void {
  const latest = useLatest(poll);
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') latest.current();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [latest, intervalMs]);
}

/** #/hardware (hacker): what can be borrowed and how many are free, ask for it, see your place in line and your loans. */
export function HardwareScreen() {
  const participant = useParticipant();
  // Kept on the phone: offline, the hacker still sees what they have and when it is due.
  const items = useSavedGet<HardwareItemsById>('/hardware');
  const requests = useSavedGet<HardwareRequestsById>('/hardware/requests');
  const loans = useSavedGet<LoansById>(`/users/${participant.id}/loans`);
  const now = useNow(CLOCK_MS);
  const requesting = useIntent();
  const cancelling = useIntent();
  const slowRequest = useSlow(requesting.pending);
  const slowCancel = useSlow(cancelling.pending);
  const [note, setNote] = useState<ItemNote | null>(null);
  const [asking, setAsking] = useState<string | null>(null);
  const [cancellingId, setCancellingId] = useState<string | null>(null);
  const [requestsStatus, setRequestsStatus] = useState('');
  const [requestsNote, setRequestsNote] = useState<Note | null>(null);
  const [confirming, setConfirming] = useState<[string, HardwareRequest] | null>(null);

  const reloadAll = () => {
    items.reload();
    requests.reload();
    loans.reload();
  };
  const refresh = useThrottled(reloadAll, 1000);
  useRefreshOnFocus(reloadAll);
  usePollWhileVisible(reloadAll, POLL_MS);
  // Back online: "nothing was sent" is old news (the lists are read again by useRefreshOnFocus).
  useEffect(
    () =>
      whenBackOnline(() => {
        setNote((current) => (current?.notSent ? null : current));
        setRequestsNote((current) => (current?.notSent ? null : current));
      }),
    [],
  );

  useLiveEvent<HardwareEvent>('hardware', (event) => {
    if (event.kind === 'loan' && event.loan.participant_id === participant.id) {
      loans.setData((current) => withLoan(current, event.loan_id, event.loan));
    } else if (event.kind === 'request' && event.request.participant_id === participant.id) {
      const before = requests.data?.[event.request_id];
      const { request } = event;
      // Their own cancellation under way says itself what happened.
      if (before && before.status !== request.status && cancellingId !== String(event.request_id)) {
        if (request.status === 'ready')
          setRequestsStatus(`${request.item_name} is ready: collect it at the hardware desk with your badge.`);
        if (request.status === 'cancelled') void cancelledText(request).then(setRequestsStatus);
        if (request.status === 'collected') setRequestsStatus(`You collected ${unitsOf(request.quantity, request.item_name)}.`);
      }
      requests.setData((current) => withRequest(current, event.request_id, request));
    } else {
      return;
    }
    // Stock and places in line moved too.
    refresh();
  });

  async function ask(itemId: string, item: HardwareItem, quantity: number) {
    setNote(null);
    setAsking(itemId);
    try {
      const answer = await requesting.send<HardwareRequestsById>('POST', '/hardware/requests', {
        item_id: Number(itemId),
        quantity,
      });
      requests.setData((current) => ({ ...current, ...answer }));
      const [made] = Object.values(answer);
      // The item as read before the request: its units count in the line now.
      const where = made && myPlace(made, { ...item, requested: item.requested + quantity });
      setNote({
        itemId,
        tone: 'ok',
        text: `Requested ${unitsOf(quantity, item.name)}.${where ? ` ${where.place}: ${where.advice}.` : ''}`,
      });
    } catch (failure) {
      const unsure =
        'No answer came, so it may or may not have gone through: the list is read again when the connection is back. Tapping Request again will not ask twice.';
      setNote({ itemId, ...failureNote(failure, unsure, requestRefusalText(failure)) });
    } finally {
      setAsking(null);
    }
    refresh();
  }

  async function cancel([id, request]: [string, HardwareRequest]) {
    setConfirming(null);
    setRequestsStatus('');
    setRequestsNote(null);
    setCancellingId(id);
    const cancelled = (changed: HardwareRequest) => {
      requests.setData((current) => withRequest(current, Number(id), changed));
      setRequestsStatus(`Request for ${request.item_name} cancelled.`);
    };
    try {
      const answer = await cancelling.send<HardwareRequestsById>('PUT', `/hardware/requests/${id}`, {
        status: 'cancelled',
        from: 'requested',
      });
      for (const changed of Object.values(answer)) cancelled(changed);
    } catch (failure) {
      // Cancelled from their other phone meanwhile: what they wanted.
      const already = await movedAsWanted(failure, id, participant.id, 'cancelled');
      if (already) cancelled(already);
      else {
        const unsure = 'No answer came, so it may or may not be cancelled: the list is read again when the connection is back.';
        setRequestsNote(failureNote(failure, unsure, requestRefusalText(failure)));
      }
    } finally {
      setCancellingId(null);
    }
    refresh();
  }

  const catalogue = Object.entries(items.data ?? {})
    .filter(([, item]) => !item.archived)
    .sort(([, a], [, b]) => a.name.localeCompare(b.name));
  const open = Object.entries(requests.data ?? {})
    .filter(([, request]) => isOpenRequest(request))
    .sort(([a], [b]) => Number(a) - Number(b));
  const allLoans = Object.entries(loans.data ?? {}).sort(loanOrder(now));
  const out = allLoans.filter(([, loan]) => loan.status === 'out');
  const closed = allLoans.filter(([, loan]) => loan.status !== 'out');
  const openFor = (itemId: string) => open.find(([, request]) => String(request.item_id) === itemId);
  const loadError = items.error ?? requests.error ?? loans.error;
  // A lost answer that the lists now show went through: the request speaks for itself.
  const cardNote = note?.tone === 'unsure' && openFor(note.itemId) ? null : note;

  return (
    <section className="screen hardware">
      <ScreenHeading>Hardware</ScreenHeading>
      <p className="lead">Borrow boards, sensors and cables: ask here, then collect at the hardware desk with your badge.</p>
      <Status tone="warn">{loadError && items.data ? `Showing what was loaded before. ${loadError}` : ''}</Status>
      <Alert>{loadError && !items.data ? `Could not load the hardware: ${loadError}` : ''}</Alert>
      {loadError && (
        <button type="button" className="button secondary" onClick={reloadAll}>
          Try again
        </button>
      )}

      {out.length > 0 && (
        <section aria-labelledby="my-loans-title">
          <h2 id="my-loans-title">Borrowed now</h2>
          <ul className="cards">
            {out.map(([id, loan]) => (
              <LoanCard key={id} id={id} loan={loan} now={now} />
            ))}
          </ul>
        </section>
      )}

      {(open.length > 0 || requestsStatus || requestsNote) && (
        <section aria-labelledby="my-requests-title">
          <h2 id="my-requests-title">My requests</h2>
          <Status tone="info">{requestsStatus || (requestsNote?.tone === 'unsure' ? requestsNote.text : '')}</Status>
          <Alert>{requestsNote?.tone === 'bad' ? requestsNote.text : ''}</Alert>
          <ul className="cards">
            {open.map(([id, request]) => {
              const item = items.data?.[request.item_id];
              const { place, advice } = myPlace(request, item);
              return (
                <li
                  key={id}
                  className={`card hardware-request${request.status === 'ready' ? ' is-ready' : ''}`}
                  data-testid={`my-request-${id}`}
                >
                  <div className="row-between">
                    <div>
                      <h3>{unitsOf(request.quantity, request.item_name)}</h3>
                      <p className="queue-place">
                        <strong>{place}</strong>: {advice}.
                      </p>
                      {item?.requires_check_in && !participant.checked_in && <p className="small">Check in at the door first.</p>}
                    </div>
                    {request.status === 'requested' && (
                      <button
                        type="button"
                        className="button danger"
                        disabled={cancelling.pending}
                        onClick={() => setConfirming([id, request])}
                      >
                        {slowCancel && cancellingId === id ? 'Sending…' : 'Cancel'}
                      </button>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        </section>
      )}

      {(items.data || items.loading) && <h2>What you can borrow</h2>}
      {items.loading && !items.data && <p className="muted">Loading…</p>}
      {items.data && catalogue.length === 0 && <p className="muted">Nothing to borrow yet.</p>}
      <ul className="cards">
        {catalogue.map(([id, item]) => (
          <ItemCard
            key={id}
            id={id}
            item={item}
            request={openFor(id)?.[1]}
            held={unitsHeld(loans.data, Number(id))}
            checkedIn={participant.checked_in}
            busy={requesting.pending}
            sending={slowRequest && asking === id}
            note={cardNote?.itemId === id ? cardNote : null}
            onRequest={(quantity) => void ask(id, item, quantity)}
          />
        ))}
      </ul>

      {closed.length > 0 && (
        <details className="card hardware-history">
          <summary>Returned ({closed.length})</summary>
          <ul className="cards">
            {closed.map(([id, loan]) => (
              <LoanCard key={id} id={id} loan={loan} now={now} />
            ))}
          </ul>
        </details>
      )}

      {confirming && (
        <ConfirmDialog
          title={`Cancel your request for ${confirming[1].item_name}?`}
          confirmLabel="Yes, cancel it"
          cancelLabel="Keep it"
          busy={cancelling.pending}
          onConfirm={() => void cancel(confirming)}
          onClose={() => setConfirming(null)}
        >
          <p>You lose your place in line. You can ask again later, at the back of the line.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

interface ItemCardProps {
  id: string;
  item: HardwareItem;
  /** The hacker's open request for it, if any. */
  request: HardwareRequest | undefined;
  /** Units of it they have now. */
  held: number;
  checkedIn: boolean;
  busy: boolean;
  /** This card's request has been pending a while. */
  sending: boolean;
  note: Note | null;
  onRequest: (quantity: number) => void;
}

function ItemCard({ id, item, request, held, checkedIn, busy, sending, note, onRequest }: ItemCardProps) {
  const [quantity, setQuantity] = useState(1);
  const allowed = item.per_participant_limit === null ? item.quantity : item.per_participant_limit - held;
  const most = Math.min(allowed, MAX_CHOICE);
  const chosen = Math.min(quantity, Math.max(1, most));
  const none = item.available === 0;
  const atLimit = most < 1 && item.quantity > 0;

  let action = null;
  if (request) {
    action = <p className="tag tag-ok">Requested · {myPlace(request, item).place}</p>;
  } else if (atLimit) {
    action = <p className="muted small">You have {held} already, the most one person may borrow.</p>;
  } else if (item.quantity > 0) {
    action = (
      <div className="request-row">
        <QuantityField id={`hardware-${id}-quantity`} most={most} value={chosen} onChange={setQuantity} />
        <button type="button" className="button primary" disabled={busy} onClick={() => onRequest(chosen)}>
          {sending ? 'Sending…' : 'Request'}
          <span className="visually-hidden"> {item.name}</span>
        </button>
      </div>
    );
  }

  return (
    <li className="card hardware-item" data-testid={`hardware-item-${id}`}>
      <h3>{item.name}</h3>
      {item.description && <p>{item.description}</p>}
      <p className={none ? 'availability availability-none' : 'availability'} data-testid={`hardware-available-${id}`}>
        {availabilityText(item)}
      </p>
      <p className="muted small">{itemRulesText(item)}</p>
      {held > 0 && !atLimit && <p className="small">You have {held} now.</p>}
      {!request && none && item.quantity > 0 && !atLimit && (
        <p className="small">None free right now: a request puts you in line.</p>
      )}
      {item.requires_check_in && !checkedIn && <p className="small">Check in at the door before you collect it.</p>}
      {action}
      <Status tone={note?.tone === 'unsure' ? 'info' : 'ok'}>{note && note.tone !== 'bad' ? note.text : ''}</Status>
      <Alert>{note?.tone === 'bad' ? note.text : ''}</Alert>
    </li>
  );
}

function LoanCard({ id, loan, now }: { id: string; loan: Loan; now: number }) {
  const overdue = isOverdue(loan, now);
  const partly = loan.returned > 0 || loan.lost > 0;
  return (
    <li
      className={`card loan${overdue ? ' loan-overdue' : ''}${loan.status !== 'out' ? ' loan-closed' : ''}`}
      data-testid={`my-loan-${id}`}
    >
      <h3>{unitsOf(loan.status === 'out' ? loan.outstanding : loan.quantity, loan.item_name)}</h3>
      <p className={overdue ? 'due due-overdue' : 'due'}>
        <strong>{dueText(loan, now)}</strong>
      </p>
      {overdue && <p className="small">Please bring it back to the hardware desk.</p>}
      {loan.status === 'out' && partly && (
        <p className="muted small">
          {loan.returned} of {loan.quantity} back
          {loan.lost > 0 ? `, ${loan.lost} lost` : ''}
        </p>
      )}
    </li>
  );
}
