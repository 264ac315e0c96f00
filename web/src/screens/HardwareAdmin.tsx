import { useEffect, useRef, useState } from 'react';
import { ApiError, errorText, get } from '../api';
import { ArchiveActions } from '../components/ArchiveActions';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { HardwareItemForm } from '../components/HardwareItemForm';
import { ScreenHeading } from '../components/Heading';
import { Alert, Status } from '../components/Messages';
import { dateTime, plural } from '../format';
import {
  availabilityText,
  deskRefusalText,
  dueText,
  isOverdue,
  itemRulesText,
  loanOrder,
  nextDueTime,
  unitsOf,
  withItem,
} from '../hardware';
import { useIntent, useLiveEvent, useNow, useRefreshOnFocus, useResource, useSettling, useThrottled } from '../hooks';
import type { HardwareEvent, HardwareItem, HardwareItemsById, Loan, LoansById, ParticipantsById } from '../api-types';

/** The API's page size for loans (page 1 is the newest). */
const PAGE = 100;

/** How long after a loan's due time the screen reads what is overdue again. */
const DUE_MARGIN_MS = 1000;
/** setTimeout's longest delay (about 24.8 days); a longer one would fire at once. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

type Tab = 'items' | 'out' | 'overdue';
const TABS: [Tab, string][] = [
  ['items', 'Items'],
  ['out', 'Lent out'],
  ['overdue', 'Overdue'],
];

/** The loans of the tab shown (none on Items), and the first pages of those out and overdue, for the tabs' counts. */
interface LoansReading {
  rows: LoansById;
  more: boolean;
  out: LoansById;
  overdue: LoansById;
}

/** #/hardware (admin): the items (create, edit, archive), who has what, and what is overdue. */
export function HardwareAdminScreen() {
  const [tab, setTab] = useState<Tab>('items');
  const [showArchived, setShowArchived] = useState(false);
  /** The item whose loans the "Out" tab lists; '' for all. */
  const [itemFilter, setItemFilter] = useState('');
  const [pages, setPages] = useState(1);
  const items = useResource(
    (signal) => get<HardwareItemsById>(`/hardware${showArchived ? '?archived=true' : ''}`, { signal }),
    String(showArchived),
  );
  // The list of the tab shown and the tabs' counts are read together, so a count never lags the list it heads.
  const loans = useResource(async (signal): Promise<LoansReading> => {
    const read = (query: string) => get<LoansById>(`/hardware/loans?${query}`, { signal });
    const filter = tab === 'out' && itemFilter ? `&item_id=${itemFilter}` : '';
    const listed = tab === 'items' ? [] : Array.from({ length: pages }, (_, n) => read(`status=${tab}${filter}&page=${n + 1}`));
    // The tab shown is counted from the first page of its own list: one answer.
    const firstPage = (status: Tab) => (status === tab && !filter && listed[0]) || read(`status=${status}&page=1`);
    const [parts, out, overdue] = await Promise.all([Promise.all(listed), firstPage('out'), firstPage('overdue')]);
    return {
      rows: Object.assign({}, ...parts) as LoansById,
      more: Object.keys(parts.at(-1) ?? {}).length >= PAGE,
      out,
      overdue,
    };
  }, `${tab}:${itemFilter}:${pages}`);
  const now = useNow(30_000);
  const [editing, setEditing] = useState<'new' | number | null>(null);
  const [archiving, setArchiving] = useState<[number, HardwareItem] | null>(null);
  const [closing, setClosing] = useState<{ id: string; loan: Loan; as: 'return' | 'lost' } | null>(null);
  const archive = useIntent();
  const restore = useIntent();
  const closingLoan = useIntent();
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  // A form just closed: a second tap on its button must not land on what slid under the finger.
  const [settling, settle] = useSettling();
  const newButton = useRef<HTMLButtonElement>(null);
  /** The new-item form closed: "New item" gets the focus back once it is there again. */
  const [newClosed, setNewClosed] = useState(0);
  useEffect(() => {
    if (newClosed > 0) newButton.current?.focus({ preventScroll: true });
  }, [newClosed]);

  const refresh = useThrottled(() => {
    items.reload();
    loans.reload();
  }, 2000);
  useLiveEvent<HardwareEvent>('hardware', (event) => {
    if (event.kind === 'item') items.setData((current) => withItem(current, event.item_id, event.item, showArchived));
    refresh();
  });
  useRefreshOnFocus(refresh);
  const nextDue = nextDueTime([...Object.values(loans.data?.out ?? {}), ...Object.values(loans.data?.rows ?? {})]);
  useEffect(() => {
    if (nextDue === undefined) return;
    // A second late, so that a server clock a little behind this device's agrees the loan is overdue.
    const timer = setTimeout(refresh, Math.min(Math.max(0, nextDue + DUE_MARGIN_MS - Date.now()), LONGEST_TIMER_MS));
    return () => clearTimeout(timer);
  }, [nextDue, refresh]);

  const put = (id: number, item: HardwareItem) => items.setData((current) => withItem(current, id, item, showArchived));

  function say(text: string) {
    setStatus(text);
    setError('');
  }

  function choose(next: Tab, filter = '') {
    setTab(next);
    setItemFilter(filter);
    setPages(1);
    setStatus('');
    setError('');
  }

  function closeForm() {
    if (editing === 'new') setNewClosed((n) => n + 1);
    setEditing(null);
  }

  function saved(answer: HardwareItemsById, created: boolean) {
    for (const [id, item] of Object.entries(answer)) {
      put(Number(id), item);
      say(created ? `"${item.name}" added.` : `"${item.name}" saved.`);
    }
    settle();
    closeForm();
  }

  async function doArchive([id, item]: [number, HardwareItem]) {
    setArchiving(null);
    try {
      const answer = await archive.send<HardwareItemsById>('DELETE', `/hardware/${id}`);
      for (const [answerId, archived] of Object.entries(answer)) put(Number(answerId), archived);
      say(`"${item.name}" archived: it is no longer lent or requested. Loans still out can be taken back.`);
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  async function doRestore([id, item]: [number, HardwareItem]) {
    try {
      const answer = await restore.send<HardwareItemsById>('PUT', `/hardware/${id}`, { archived: false });
      for (const [answerId, restored] of Object.entries(answer)) put(Number(answerId), restored);
      say(`"${item.name}" restored: it can be requested and lent again.`);
    } catch (failure) {
      setError(errorText(failure));
    }
  }

  async function close({ id, loan, as }: { id: string; loan: Loan; as: 'return' | 'lost' }) {
    setClosing(null);
    try {
      await closingLoan.send('POST', `/hardware/loans/${id}/${as}`, {});
      const what = unitsOf(loan.outstanding, loan.item_name);
      say(as === 'return' ? `Took back ${what} from ${loan.participant_name}.` : `${what} written off as lost.`);
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'already_returned') say('That loan was already taken back.');
      else setError(deskRefusalText(failure, loan.participant_name));
    }
    refresh();
  }

  const itemList = Object.entries(items.data ?? {})
    .map(([id, item]) => [Number(id), item] as [number, HardwareItem])
    .sort(([, a], [, b]) => a.name.localeCompare(b.name));
  const countOf = (page: LoansById | undefined) => {
    const rows = page ? Object.keys(page).length : undefined;
    return rows !== undefined && rows >= PAGE ? `${PAGE}+` : rows;
  };
  const count: Record<Tab, number | string | undefined> = {
    items: items.data ? itemList.filter(([, item]) => !item.archived).length : undefined,
    out: countOf(loans.data?.out),
    overdue: countOf(loans.data?.overdue),
  };
  const rows = Object.entries(loans.data?.rows ?? {}).sort(loanOrder(now));
  const unitsOut = rows.reduce((units, [, loan]) => units + loan.outstanding, 0);

  return (
    <section className="screen hardware-admin">
      <ScreenHeading>Hardware</ScreenHeading>
      <p className="lead">
        What hackers can borrow, and who has it. Lending happens at the <a href="#/desk">hardware desk</a>.
      </p>
      <Status>{status}</Status>
      <Alert>{error || items.error || loans.error}</Alert>
      <div className="tabs" role="group" aria-label="Show">
        {TABS.map(([value, label]) => (
          <button
            key={value}
            type="button"
            className="button secondary"
            aria-pressed={tab === value}
            onClick={() => choose(value)}
          >
            {label}
            {count[value] !== undefined && <span className="tab-count">{count[value]}</span>}
          </button>
        ))}
      </div>

      {tab === 'items' && (
        <>
          {editing === 'new' ? (
            <HardwareItemForm onSaved={saved} onCancel={closeForm} />
          ) : (
            <button
              ref={newButton}
              type="button"
              className="button primary big"
              onClick={() => {
                setStatus('');
                setEditing('new');
              }}
            >
              New item
            </button>
          )}
          <label className="check archived-toggle">
            <input type="checkbox" checked={showArchived} onChange={(event) => setShowArchived(event.target.checked)} /> Show
            archived
          </label>
          {items.loading && !items.data && <p className="muted">Loading…</p>}
          {items.data && itemList.length === 0 && <p className="muted">No items yet.</p>}
          <ul className="cards">
            {itemList.map(([id, item]) =>
              editing === id ? (
                <li key={id}>
                  <HardwareItemForm editing={[id, item]} onSaved={saved} onCancel={closeForm} />
                </li>
              ) : (
                <li key={id} className={`card hardware-item${item.archived ? ' archived' : ''}`} data-testid={`admin-item-${id}`}>
                  <h2>
                    {item.name} {item.archived && <span className="tag">Archived</span>}
                  </h2>
                  {item.description && <p>{item.description}</p>}
                  <p>
                    <strong>{availabilityText(item)}</strong>
                    {item.out > 0 && ` · ${item.out} lent out`}
                  </p>
                  <p className="muted small">{itemRulesText(item)}</p>
                  <div className="actions">
                    {item.out > 0 && (
                      <button type="button" className="button secondary" onClick={() => choose('out', String(id))}>
                        Who has it
                      </button>
                    )}
                    <ArchiveActions
                      archived={item.archived}
                      restoring={restore.pending}
                      onRestore={() => void doRestore([id, item])}
                      onEdit={() => {
                        setStatus('');
                        setEditing(id);
                      }}
                      onArchive={() => setArchiving([id, item])}
                    />
                  </div>
                </li>
              ),
            )}
          </ul>
        </>
      )}

      {tab !== 'items' && (
        <>
          {tab === 'out' && (
            <div className="field loans-filter">
              <label htmlFor="loans-item">Item</label>
              <select
                id="loans-item"
                value={itemFilter}
                onChange={(event) => {
                  setItemFilter(event.target.value);
                  setPages(1);
                }}
              >
                <option value="">All items</option>
                {itemList.map(([id, item]) => (
                  <option key={id} value={id}>
                    {item.name} ({item.out} out)
                  </option>
                ))}
              </select>
            </div>
          )}
          {loans.loading && !loans.data && <p className="muted">Loading…</p>}
          {tab === 'out' && loans.data && !loans.data.more && rows.length > 0 && (
            // The tab counts loans, the dashboard units: both, said as such.
            <p className="muted" data-testid="loans-summary">
              {plural(rows.length, 'loan')} · {plural(unitsOut, 'unit')} out
            </p>
          )}
          {loans.data && rows.length === 0 && (
            <p className="muted">{tab === 'overdue' ? 'Nothing is overdue.' : 'Nothing is lent out.'}</p>
          )}
          <ul className="cards">
            {rows.map(([id, loan]) => {
              const late = isOverdue(loan, now);
              return (
                <li key={id} className={`card loan${late ? ' loan-overdue' : ''}`} data-testid={`admin-loan-${id}`}>
                  <h3>
                    {loan.participant_name} <span className="muted small">#{loan.participant_id}</span>
                  </h3>
                  <p>
                    <strong>{unitsOf(loan.outstanding, loan.item_name)}</strong>
                    {loan.outstanding < loan.quantity && (
                      <span className="muted small"> (of {plural(loan.quantity, 'unit')} lent)</span>
                    )}
                  </p>
                  <p className={late ? 'due due-overdue' : 'due'}>{dueText(loan, now)}</p>
                  <p className="muted small">
                    Lent {dateTime(loan.created_at)}
                    {loan.lent_by_name && ` by ${loan.lent_by_name}`}
                  </p>
                  {late && <Contact participantId={loan.participant_id} />}
                  <div className="actions">
                    <button
                      type="button"
                      className="button secondary"
                      disabled={closingLoan.pending}
                      onClick={() => setClosing({ id, loan, as: 'return' })}
                    >
                      Take back
                    </button>
                    <button
                      type="button"
                      className="button danger"
                      disabled={closingLoan.pending}
                      onClick={() => setClosing({ id, loan, as: 'lost' })}
                    >
                      Lost
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
          {loans.data?.more && (
            <button
              type="button"
              className="button secondary big"
              disabled={loans.loading}
              onClick={() => setPages((n) => n + 1)}
            >
              Show older
            </button>
          )}
        </>
      )}

      {archiving && (
        <ConfirmDialog
          title={`Archive ${archiving[1].name}?`}
          confirmLabel="Yes, archive"
          cancelLabel="Keep it"
          busy={archive.pending}
          onConfirm={() => void doArchive(archiving)}
          onClose={() => setArchiving(null)}
        >
          <p>
            Hackers can no longer ask for it and the desk can no longer lend it; open requests for it are cancelled.
            {archiving[1].out > 0 && ` The ${archiving[1].out} lent out can still be taken back.`}
          </p>
          <p>You can restore it later from &ldquo;Show archived&rdquo;.</p>
        </ConfirmDialog>
      )}
      {closing && (
        <ConfirmDialog
          title={
            closing.as === 'return'
              ? `Take back ${unitsOf(closing.loan.outstanding, closing.loan.item_name)}?`
              : `Write off ${unitsOf(closing.loan.outstanding, closing.loan.item_name)} as lost?`
          }
          confirmLabel={closing.as === 'return' ? 'Yes, taken back' : 'Yes, lost'}
          cancelLabel="Cancel"
          busy={closingLoan.pending}
          onConfirm={() => void close(closing)}
          onClose={() => setClosing(null)}
        >
          <p>
            {closing.as === 'return'
              ? `From ${closing.loan.participant_name}: only when it is back in your hands.`
              : `${closing.loan.participant_name} no longer has to bring it back, and it leaves the stock for good.`}
          </p>
        </ConfirmDialog>
      )}
      {settling && (
        // Taken by the shield, the tap does not move the focus either.
        <div className="tap-shield" aria-hidden="true" onMouseDown={(event) => event.preventDefault()} />
      )}
    </section>
  );
}

/** How to reach someone whose loan is overdue: their phone and e-mail, read when asked for. */
function Contact({ participantId }: { participantId: number }) {
  const [details, setDetails] = useState<{ phone: string; email: string } | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState('');

  async function load() {
    setLoading(true);
    setError('');
    try {
      const found = await get<ParticipantsById>(`/users/${participantId}`);
      const person = found[participantId];
      if (person) setDetails({ phone: person.phone.trim(), email: person.email.trim() });
    } catch (failure) {
      setError(errorText(failure));
    } finally {
      setLoading(false);
    }
  }

  if (details)
    return (
      <p className="contact">
        {details.phone && <a href={`tel:${details.phone.replace(/[^\d+]/g, '')}`}>{details.phone}</a>}
        {details.email && <a href={`mailto:${details.email}`}>{details.email}</a>}
        {!details.phone && !details.email && <span className="muted">No phone or e-mail on file.</span>}
      </p>
    );
  return (
    <>
      <button type="button" className="button secondary contact-button" disabled={loading} onClick={() => void load()}>
        Phone and e-mail
      </button>
      <Alert>{error}</Alert>
    </>
  );
}
