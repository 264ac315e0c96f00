import { useState, type FormEvent } from 'react';
import { errorText, get } from '../api';
import { Alert, Status } from '../components/Messages';
import { ScreenHeading } from '../components/Heading';
import type { Me } from '../api-types';

/** Signed out: paste an API key once (or open a sign-in link, handled before this screen). */
interface SignInProps {
  /** Why the last key stopped working: shown as an error. */
  message: string;
  /** How the last session ended, when it ended as meant (an account deleted). */
  notice?: string;
  onSignedIn: (key: string, me: Me) => void;
}

export function SignInScreen({ message, notice = '', onSignedIn }: SignInProps) {
  const [key, setKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(message);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const trimmed = key.trim();
    if (!trimmed) {
      setError('Paste your API key first.');
      return;
    }
    setBusy(true);
    setError('');
    try {
      const me = await get<Me>('/me', { key: trimmed });
      onSignedIn(trimmed, me);
    } catch (failure) {
      setError(errorText(failure));
      setBusy(false);
    }
  }

  return (
    <main id="main" className="signin">
      <section className="screen narrow">
        <p className="brand" aria-hidden="true">
          Tapioca
        </p>
        <ScreenHeading>Sign in to Tapioca</ScreenHeading>
        <Status>{notice}</Status>
        <p className="lead">Paste the API key the organizers gave you, or open your sign-in link.</p>
        <form className="card form" onSubmit={(event) => void onSubmit(event)}>
          <label htmlFor="api-key">API key</label>
          <input
            id="api-key"
            type="password"
            value={key}
            onChange={(event) => setKey(event.target.value)}
            autoComplete="off"
            autoCapitalize="off"
            spellCheck={false}
            aria-describedby={error ? 'signin-error' : undefined}
          />
          <button type="submit" className="button primary big" disabled={busy}>
            Sign in
          </button>
        </form>
        <Alert id="signin-error">{error}</Alert>
      </section>
    </main>
  );
}
