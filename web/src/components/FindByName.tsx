import { useEffect, useRef, useState, type FormEvent } from 'react';
import { extractBadgeCode } from '../format';
import { useParticipantSearch } from '../hooks';

/** A person the search found, online (the server) or offline (the phone's roster). */
export interface FoundPerson {
  id: string;
  name: string;
  checkedIn: boolean;
}

interface FindByNameProps {
  /** What the button on each person says: "Check in", "Scan". */
  action: string;
  disabled: boolean;
  /** Changes each time a scan gets a yes or an "already": old errors here are then cleared. */
  answered: number;
  /** Whether a yes (or "already") means the person is checked in now: true at the door. */
  checksIn: boolean;
  onBadge: (code: string) => void;
  /** Resolves true when the answer was a yes or an "already". */
  onParticipant: (id: number, name: string) => Promise<boolean>;
  /** Offline: the search runs on the phone's roster instead of the server. */
  searchOffline?: (query: string) => FoundPerson[];
  /** Changes when a badge could not be checked: the panel opens on the search by name. */
  reveal: number;
}

/** For a badge the camera cannot read: type its code, or find the person by name and scan them by id. */
export function FindByName(props: FindByNameProps) {
  const { action, disabled, answered, checksIn, onBadge, onParticipant, searchOffline, reveal } = props;
  const [code, setCode] = useState('');
  const [query, setQuery] = useState('');
  const [codeError, setCodeError] = useState('');
  const online = useParticipantSearch(searchOffline ? '' : query);
  const panel = useRef<HTMLDetailsElement>(null);
  const offlineResults = searchOffline && query.trim() ? searchOffline(query) : null;
  const results: FoundPerson[] | null = searchOffline
    ? offlineResults
    : (online.results?.map(([id, person]) => ({ id, name: person.name, checkedIn: person.checked_in })) ?? null);
  const searching = !searchOffline && online.searching;
  const error = searchOffline ? '' : online.error;

  useEffect(() => setCodeError(''), [answered]);

  useEffect(() => {
    if (reveal === 0 || !panel.current) return;
    panel.current.open = true;
  }, [reveal]);

  async function scanPerson(id: string, name: string) {
    const yes = await onParticipant(Number(id), name);
    if (yes && checksIn && !searchOffline) online.update(id, (person) => ({ ...person, checked_in: true }));
  }

  function onSubmitCode(event: FormEvent) {
    event.preventDefault();
    const badge = extractBadgeCode(code);
    if (!badge) {
      setCodeError('Type the code printed under the QR badge.');
      return;
    }
    setCodeError('');
    setCode('');
    onBadge(badge);
  }

  return (
    <details className="card fallback" ref={panel}>
      <summary>Badge won&rsquo;t scan?</summary>
      <form className="form inline-form" onSubmit={onSubmitCode}>
        <div className="field">
          <label htmlFor="station-code">Badge code</label>
          <input
            id="station-code"
            value={code}
            onChange={(event) => setCode(event.target.value)}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
          />
        </div>
        <button type="submit" className="button secondary" disabled={disabled}>
          {action}
        </button>
      </form>
      <p role="alert" className="message message-error">
        {codeError}
      </p>
      <div className="field">
        <label htmlFor="station-search">Find by name</label>
        <input
          id="station-search"
          type="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          placeholder="Name, e-mail or id"
          autoComplete="off"
          spellCheck={false}
        />
      </div>
      <p className="muted small" aria-live="polite">
        {searchOffline && 'Offline: searching this phone’s list by name or id. '}
        {searching ? 'Searching…' : results ? (results.length === 0 ? 'Nobody found.' : `${results.length} found`) : ''}
      </p>
      <p role="alert" className="message message-error">
        {error}
      </p>
      <ul className="cards">
        {(results ?? []).map((person) => (
          <li key={person.id} className="person-result found" data-testid={`station-participant-${person.id}`}>
            <div className="person-summary">
              <strong>{person.name}</strong>
              <p className="muted small">
                #{person.id} · {person.checkedIn ? 'checked in' : 'not checked in'}
              </p>
            </div>
            {/* Checked in already, at the door: still there (it answers "already"), but not the obvious next tap. */}
            <button
              type="button"
              className={checksIn && person.checkedIn ? 'button secondary' : 'button primary'}
              disabled={disabled}
              onClick={() => void scanPerson(person.id, person.name)}
            >
              {action}
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
