import { useState } from 'react';
import { ApiError, errorText } from '../api';
import { Alert, Status } from '../components/Messages';
import { ScreenHeading } from '../components/Heading';
import { useIntent, useLiveEvent, useParticipantSearch } from '../hooks';
import type { CheckInEvent, Participant } from '../api-types';

/** #/search: find a participant by name, e-mail or id when their badge will not scan, and check them in. */
export function SearchScreen() {
  const [query, setQuery] = useState('');
  const search = useParticipantSearch(query);
  const { results, searching, update } = search;
  const [busyId, setBusyId] = useState<string | null>(null);
  const checkingIn = useIntent();
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

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
              <h2 className="person-name">{person.name}</h2>
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
