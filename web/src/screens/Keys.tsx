import { useState, type FormEvent } from 'react';
import { errorText, get, request } from '../api';
import { Alert, Status } from '../components/Messages';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { CopyField } from '../components/CopyField';
import { ScreenHeading } from '../components/Heading';
import { useSession } from '../context';
import { saveFile } from '../download';
import { dateTime, plural } from '../format';
import { useIntent, useResource } from '../hooks';
import type { CreatedKey, KeysById, KeyView, Role } from '../api-types';

const ROLES: Role[] = ['participant', 'volunteer', 'admin'];
/** Keys listed at first (newest first); an export can add one per participant. */
const PAGE = 50;

/** The link that signs a participant in: the key stays in the fragment, which browsers never send. */
const signInLink = (key: string) => `${window.location.origin}${import.meta.env.BASE_URL}#key=${encodeURIComponent(key)}`;

/** #/keys: create API keys (shown once), list and revoke them, export participants' sign-in links. */
export function KeysScreen() {
  const { me } = useSession();
  const keys = useResource((signal) => get<KeysById>('/keys', { signal }));
  const [role, setRole] = useState<Role>('participant');
  const [name, setName] = useState('');
  const [participantId, setParticipantId] = useState('');
  const [expiresInDays, setExpiresInDays] = useState('');
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const creating = useIntent();
  const revoking = useIntent();
  const [exporting, setExporting] = useState(false);
  // Revoking locks a device out at once and cannot be undone: it is asked for twice.
  const [confirming, setConfirming] = useState<KeyView | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [shown, setShown] = useState(PAGE);

  function say(ok: string, failure = '') {
    setStatus(ok);
    setError(failure);
  }

  async function onCreate(event: FormEvent) {
    event.preventDefault();
    say('');
    const body: Record<string, unknown> = { role, name: name.trim() };
    if (!name.trim()) return say('', 'Give the key a name, e.g. "Desk 3".');
    if (participantId.trim()) {
      const id = Number(participantId);
      if (!Number.isInteger(id) || id < 1) return say('', 'Participant id must be a whole number.');
      body.participant_id = id;
    } else if (role === 'participant') {
      return say('', 'A participant key needs a participant id.');
    }
    if (expiresInDays.trim()) {
      const days = Number(expiresInDays);
      if (!Number.isInteger(days) || days < 1) return say('', 'Expires in days must be a whole number of days.');
      body.expires_in_days = days;
    }
    try {
      const key = await creating.send<CreatedKey>('POST', '/keys', body);
      setCreated(key);
      setName('');
      setParticipantId('');
      setExpiresInDays('');
      say(`Key "${key.name}" created. Copy it now: it is not shown again.`);
      keys.reload();
    } catch (failure) {
      say('', errorText(failure));
    }
  }

  async function revoke(key: KeyView) {
    setConfirming(null);
    say('');
    try {
      await revoking.send('DELETE', `/keys/${key.id}`);
      say(`Key "${key.name}" revoked.`);
      keys.reload();
    } catch (failure) {
      say('', errorText(failure));
    }
  }

  async function exportLinks() {
    say('');
    setExporting(true);
    try {
      // Sent once, without an idempotency key: the export streams new keys, so the server refuses to store
      // it for a replay. The button stays disabled while it runs, so a double tap sends nothing twice.
      const response = await request('POST', '/keys/participant-links', undefined, { accept: 'text/csv' });
      const blob = await response.blob();
      saveFile(blob, 'tapioca-sign-in-links.csv');
      const rows = Math.max(0, (await blob.text()).trim().split(/\r?\n/).length - 1);
      say(`Downloaded sign-in links for ${plural(rows, 'participant')}.`);
      keys.reload();
    } catch (failure) {
      say('', errorText(failure));
    } finally {
      setExporting(false);
    }
  }

  const list = Object.values(keys.data ?? {}).sort((a, b) => b.id - a.id);

  return (
    <section className="screen wide">
      <ScreenHeading>API keys</ScreenHeading>
      <Status>{status}</Status>
      <Alert>{error || keys.error}</Alert>

      <form className="card form" onSubmit={(event) => void onCreate(event)}>
        <h2>New key</h2>
        <div className="field-row">
          <div className="field">
            <label htmlFor="key-role">Role</label>
            <select id="key-role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
              {ROLES.map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="key-name">Name</label>
            <input
              id="key-name"
              value={name}
              onChange={(event) => setName(event.target.value)}
              maxLength={100}
              autoComplete="off"
            />
          </div>
        </div>
        <div className="field-row">
          <div className="field">
            <label htmlFor="key-participant">Participant id</label>
            <input
              id="key-participant"
              inputMode="numeric"
              value={participantId}
              onChange={(event) => setParticipantId(event.target.value)}
              aria-describedby="key-participant-hint"
              autoComplete="off"
            />
            <span id="key-participant-hint" className="muted small">
              For participant keys
            </span>
          </div>
          <div className="field">
            <label htmlFor="key-expires">Expires in days</label>
            <input
              id="key-expires"
              inputMode="numeric"
              value={expiresInDays}
              onChange={(event) => setExpiresInDays(event.target.value)}
              aria-describedby="key-expires-hint"
              autoComplete="off"
            />
            <span id="key-expires-hint" className="muted small">
              Empty: never
            </span>
          </div>
        </div>
        <button type="submit" className="button primary" disabled={creating.pending}>
          Create key
        </button>
      </form>

      {created && <NewKey created={created} onDone={() => setCreated(null)} />}

      <div className="card">
        <h2>Sign-in links</h2>
        <p className="muted">A CSV (id, name, email, sign-in link) for a mail merge. Participants without a key get one.</p>
        <button type="button" className="button secondary" onClick={() => void exportLinks()} disabled={exporting}>
          Export sign-in links
        </button>
      </div>

      <h2>All keys</h2>
      {keys.loading && !keys.data && <p className="muted">Loading…</p>}
      {keys.data && (
        <p className="muted">
          {list.length} keys, {list.filter((key) => !key.revoked_at).length} active. Newest first.
        </p>
      )}
      <ul className="cards key-list">
        {list.slice(0, shown).map((key) => (
          <li key={key.id} className={`card key-row${key.revoked_at ? ' revoked' : ''}`} data-testid={`key-${key.id}`}>
            <div>
              <h3>
                {key.name} <span className="tag">{key.role}</span>
              </h3>
              <p className="muted small">
                #{key.id}
                {key.participant_id !== null && ` · participant #${key.participant_id}`} · created {dateTime(key.created_at)} ·
                last used {key.last_used_at ? dateTime(key.last_used_at) : 'never'}
                {key.expires_at && ` · expires ${dateTime(key.expires_at)}`}
              </p>
              {key.revoked_at && <p className="tag tag-bad">Revoked {dateTime(key.revoked_at)}</p>}
            </div>
            {!key.revoked_at &&
              (key.id === me.key.id ? (
                <span className="muted small">This key</span>
              ) : (
                <button type="button" className="button danger" disabled={revoking.pending} onClick={() => setConfirming(key)}>
                  Revoke
                </button>
              ))}
          </li>
        ))}
      </ul>
      {confirming && (
        <ConfirmDialog
          title={`Revoke key "${confirming.name}"?`}
          confirmLabel="Yes, revoke"
          cancelLabel="Keep key"
          busy={revoking.pending}
          onConfirm={() => void revoke(confirming)}
          onClose={() => setConfirming(null)}
        >
          <p>Whoever uses it is signed out at once. This cannot be undone: they will need a new key.</p>
        </ConfirmDialog>
      )}
      {list.length > shown && (
        <button type="button" className="button secondary" onClick={() => setShown((n) => n + PAGE * 4)}>
          Show more keys
        </button>
      )}
    </section>
  );
}

function NewKey({ created, onDone }: { created: CreatedKey; onDone: () => void }) {
  const [copied, setCopied] = useState('');
  const link = created.role === 'participant' ? signInLink(created.key) : null;
  return (
    <div className="card new-key">
      <h2>New key for {created.name}</h2>
      <p>This is the only time it is shown.</p>
      <CopyField id="new-key-value" label="New API key" value={created.key} noun="key" testId="new-key" onCopied={setCopied} />
      {link && (
        <CopyField id="new-key-link" label="Sign-in link" value={link} noun="link" testId="new-key-link" onCopied={setCopied} />
      )}
      <p className="muted small" aria-live="polite">
        {copied}
      </p>
      <button type="button" className="button secondary" onClick={onDone}>
        Done
      </button>
    </div>
  );
}
