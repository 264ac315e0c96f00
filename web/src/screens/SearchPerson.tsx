import { useEffect, useRef, useState } from 'react';
import { ApiError, errorText, get, isAbort } from '../api';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ScreenHeading } from '../components/Heading';
import { Alert } from '../components/Messages';
import { isConfirmed, TypedConfirmField } from '../components/TypedConfirmField';
import { useSession } from '../context';
import { useIntent } from '../hooks';
import type { Participant, ParticipantsById } from '../api-types';

/** What the admin types to confirm: deleting cannot be undone, so one tap is not enough. */

function deleteErrorText(failure: unknown): string {
  if (failure instanceof ApiError && failure.code === 'loans_open')
    return `${failure.message}. Ask the hardware desk to take it back, or mark it lost under Hardware, then delete again.`;
  return errorText(failure);
}

interface SearchPersonProps {
  id: string;
  /** From the search results, when the person was opened from them; otherwise read with GET /users/:id. */
  known?: Participant;
  /** `already`: the server said nobody has that id any more (deleted elsewhere, or a repeat). */
  onDeleted: (id: string, name: string, already: boolean) => void;
}

/** #/search/<id>: one participant's details; an admin can delete them (on request) from here. */
export function SearchPerson({ id, known, onDeleted }: SearchPersonProps) {
  const { me } = useSession();
  const [fetched, setFetched] = useState<Participant | null>(null);
  const [loadError, setLoadError] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const deleting = useIntent();
  /** One DELETE per confirmation, even when a second tap lands before the button is disabled. */
  const sending = useRef(false);
  /** Deleted: the dialog stays disabled until the route has gone back to the search. */
  const [done, setDone] = useState(false);
  const [error, setError] = useState('');
  // Kept once known: the results drop the person as soon as they are deleted, a moment before the route goes back.
  const [first] = useState(known);
  const person = known ?? first ?? fetched;

  useEffect(() => {
    if (first) return;
    const controller = new AbortController();
    get<ParticipantsById>(`/users/${encodeURIComponent(id)}`, { signal: controller.signal })
      .then((found) => setFetched(found[id] ?? null))
      .catch((failure: unknown) => {
        if (isAbort(failure)) return;
        setLoadError(
          failure instanceof ApiError && failure.code === 'participant_not_found'
            ? `Nobody has id ${id} (a deleted participant stays gone).`
            : errorText(failure),
        );
      });
    return () => controller.abort();
  }, [id, first]);

  async function remove(name: string) {
    if (sending.current) return;
    sending.current = true;
    setError('');
    try {
      await deleting.send('DELETE', `/users/${encodeURIComponent(id)}`);
      setDone(true);
      onDeleted(id, name, false);
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'participant_not_found') {
        setDone(true);
        onDeleted(id, name, true);
        return;
      }
      sending.current = false;
      setConfirming(false);
      setTyped('');
      setError(deleteErrorText(failure));
    }
  }

  const back = (
    <p>
      <a href="#/search">← Back to search</a>
    </p>
  );
  if (!person)
    return (
      <section className="screen">
        {back}
        <ScreenHeading>Participant #{id}</ScreenHeading>
        {!loadError && <p className="muted">Loading…</p>}
        <Alert>{loadError}</Alert>
      </section>
    );

  const confirmed = isConfirmed(typed);
  return (
    <section className="screen">
      {back}
      <ScreenHeading>{person.name}</ScreenHeading>
      <div className="card person-details">
        <p className={person.checked_in ? 'tag tag-ok' : 'tag'}>{person.checked_in ? 'Checked in' : 'Not checked in'}</p>
        <dl>
          <dt>Id</dt>
          <dd>#{id}</dd>
          <dt>E-mail</dt>
          <dd>{person.email || '—'}</dd>
          <dt>Phone</dt>
          <dd>{person.phone || '—'}</dd>
          <dt>Company</dt>
          <dd>{person.company || '—'}</dd>
          <dt>Tags</dt>
          <dd>{person.tags.length > 0 ? person.tags.join(', ') : '—'}</dd>
          <dt>Dietary</dt>
          <dd>{person.dietary_restrictions || '—'}</dd>
          <dt>Tokens</dt>
          <dd>{person.bbt_tokens}</dd>
        </dl>
      </div>
      <Alert>{error}</Alert>
      {me.key.role === 'admin' && (
        <section className="card danger-zone" aria-labelledby="delete-participant-title">
          <h2 id="delete-participant-title" className="danger-title">
            Delete participant
          </h2>
          <p className="muted small">
            On the person&rsquo;s request: their personal data is erased and their badge and keys stop working. The totals keep
            their tokens, orders, scans and loans under &ldquo;Deleted participant&rdquo;. This cannot be undone.
          </p>
          <button
            type="button"
            className="button danger"
            disabled={deleting.pending}
            onClick={() => {
              setError('');
              setTyped('');
              setConfirming(true);
            }}
          >
            Delete participant…
          </button>
        </section>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Delete ${person.name}?`}
          confirmLabel={deleting.pending || done ? 'Deleting…' : 'Delete participant'}
          cancelLabel="Keep participant"
          busy={deleting.pending || done}
          confirmDisabled={!confirmed}
          onConfirm={() => void remove(person.name)}
          onClose={() => setConfirming(false)}
        >
          <p>
            <strong>Erased:</strong> the name, e-mail, phone, company, dietary restrictions, tags and skills of {person.name} (#
            {id}). Their badge and every key of theirs stop working; their open hardware requests and orders not yet started are
            cancelled (refunded).
          </p>
          <p>
            <strong>Kept</strong>, under &ldquo;Deleted participant&rdquo;: the token ledger, orders, check-in, scans and hardware
            loans, so the event&rsquo;s totals stay right.
          </p>
          <p>
            <strong>This cannot be undone.</strong>
          </p>
          <TypedConfirmField id="delete-participant-confirm" label={`to delete ${person.name}`} typed={typed} onType={setTyped} />
        </ConfirmDialog>
      )}
    </section>
  );
}
