import { useLayoutEffect, useRef, useState } from 'react';
import { ApiError, errorText } from '../api';
import { Alert, Status } from '../components/Messages';
import { ScreenHeading } from '../components/Heading';
import { useIntent, useLiveEvent, useParticipantSearch } from '../hooks';
import { navigate } from '../router';
import type { CheckInEvent, Participant } from '../api-types';
import { SearchPerson } from './SearchPerson';

/**
 * #/search: find a participant by name, e-mail or id when their badge will not scan, and check them in.
 * #/search/<id> opens one of them; the search stays as it was for the way back.
 */
export function SearchScreen({ personId }: { personId?: string }) {
  const [query, setQuery] = useState('');
  const search = useParticipantSearch(query);
  const { results, searching, update, remove } = search;
  const [busyId, setBusyId] = useState<string | null>(null);
  const checkingIn = useIntent();
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  /** Where the list was scrolled when a person was opened: Back returns there; after a deletion, the top shows the status. */
  const listScroll = useRef(0);

  useLayoutEffect(() => {
    window.scrollTo(0, personId === undefined ? listScroll.current : 0);
  }, [personId]);

  const markCheckedIn = (id: string) => update(id, (person) => ({ ...person, checked_in: true }));

  useLiveEvent<CheckInEvent>('checkin', (event) => {
    if (event.check_in.checked_in) markCheckedIn(String(event.participant_id));
  });

  async function checkIn(id: string, person: Participant) {
    setBusyId(id);
    setStatus('');
    setError('');
    try {
      await checkingIn.send('POST', '/checkin', { participant_id: Number(id) });
      markCheckedIn(id);
      setStatus(`Checked in ${person.name}`);
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'already_checked_in') {
        markCheckedIn(id);
        setStatus(`${person.name} was already checked in`);
      } else {
        setError(errorText(failure));
      }
    } finally {
      setBusyId(null);
    }
  }

  function deleted(id: string, name: string, already: boolean) {
    remove(id);
    listScroll.current = 0;
    setError('');
    setStatus(already ? `${name} (#${id}) was already deleted.` : `Deleted ${name} (#${id}).`);
    navigate('#/search');
  }

  if (personId !== undefined)
    return (
      <SearchPerson key={personId} id={personId} known={results?.find(([id]) => id === personId)?.[1]} onDeleted={deleted} />
    );

  return (
    <section className="screen">
      <ScreenHeading>Find a participant</ScreenHeading>
      <form className="card form" role="search" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor="search-participants">Search participants</label>
        <input
          id="search-participants"
          type="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          placeholder="Name, e-mail or id"
          autoComplete="off"
          spellCheck={false}
          aria-describedby="search-count"
        />
      </form>
      <Status>{status}</Status>
      <Alert>{error || search.error}</Alert>
      <p id="search-count" className="muted" aria-live="polite">
        {searching ? 'Searching…' : results ? (results.length === 0 ? 'Nobody found.' : `${results.length} found`) : ''}
      </p>
      <ul className="cards">
        {(results ?? []).map(([id, person]) => (
          <li key={id} className="card person-result" data-testid={`participant-${id}`}>
            <div className="person-summary">
              <h2 className="person-name">
                <a
                  href={`#/search/${id}`}
                  onClick={() => {
                    listScroll.current = window.scrollY;
                    setStatus('');
                  }}
                >
                  {person.name}
                </a>
              </h2>
              <p className="muted">
                #{id} · {person.email}
              </p>
              <p className={person.checked_in ? 'tag tag-ok' : 'tag'}>{person.checked_in ? 'Checked in' : 'Not checked in'}</p>
            </div>
            {!person.checked_in && (
              <button type="button" className="button primary" disabled={busyId === id} onClick={() => void checkIn(id, person)}>
                Check in
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
