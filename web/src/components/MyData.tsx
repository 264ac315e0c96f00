import { useState } from 'react';
import { ApiError, errorText, request } from '../api';
import { useParticipant, useSession } from '../context';
import { saveFile, sizeText } from '../download';
import { useIntent } from '../hooks';
import { ConfirmDialog } from './ConfirmDialog';
import { Alert, Status } from './Messages';
import { isConfirmed, TypedConfirmField } from './TypedConfirmField';

/** What the hacker types to confirm: deleting cannot be undone, so one tap is not enough. */
const ACCOUNT_DELETED =
  'Your account was deleted: your name, contact details and skills are gone, and your badge and sign-in link no longer work.';

function deleteErrorText(failure: unknown): string {
  if (failure instanceof ApiError && failure.code === 'loans_open')
    return 'You still have hardware on loan. Bring it back to the hardware desk first, then delete your account.';
  return errorText(failure);
}

/** The hacker's own data: everything Tapioca holds about them as a file, and deleting their account. */
export function MyData() {
  const participant = useParticipant();
  const { signOut } = useSession();
  const [downloading, setDownloading] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const deleting = useIntent();
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');

  async function download() {
    setStatus('');
    setError('');
    setDownloading(true);
    try {
      const response = await request('GET', '/me/export');
      const blob = await response.blob();
      saveFile(new Blob([blob], { type: 'application/json' }), 'tapioca-my-data.json');
      setStatus(`Saved tapioca-my-data.json (${sizeText(blob.size)}).`);
    } catch (failure) {
      // Not an ApiError: the answer had begun and the connection broke while the file came in.
      setError(
        failure instanceof ApiError
          ? errorText(failure)
          : 'The connection was lost during the download, so nothing was saved. Try again.',
      );
    } finally {
      setDownloading(false);
    }
  }

  async function remove() {
    setError('');
    try {
      await deleting.send('DELETE', `/users/${participant.id}`, { confirm: true });
      setConfirming(false);
      signOut(ACCOUNT_DELETED);
    } catch (failure) {
      setConfirming(false);
      setTyped('');
      setError(deleteErrorText(failure));
    }
  }

  const confirmed = isConfirmed(typed);
  return (
    <section className="card my-data" aria-labelledby="my-data-title">
      <h2 id="my-data-title">My data</h2>
      <p className="muted small">
        Everything Tapioca holds about you (profile, check-in, tokens, orders, scans, hardware) as one JSON file.
      </p>
      <button type="button" className="button secondary" disabled={downloading} onClick={() => void download()}>
        {downloading ? 'Downloading…' : 'Download my data'}
      </button>
      <h3 className="danger-title">Delete my account</h3>
      <p className="muted small">
        Your name, e-mail, phone, company and skills are erased, and your badge and sign-in link stop working. What you spent and
        ordered stays in the event&rsquo;s totals, without your name. This cannot be undone.
      </p>
      <button
        type="button"
        className="button danger"
        disabled={deleting.pending}
        onClick={() => {
          setStatus('');
          setError('');
          setTyped('');
          setConfirming(true);
        }}
      >
        Delete my account
      </button>
      <Status>{status}</Status>
      <Alert>{error}</Alert>
      {confirming && (
        <ConfirmDialog
          title="Delete your account?"
          confirmLabel="Delete my account"
          cancelLabel="Keep my account"
          busy={deleting.pending}
          confirmDisabled={!confirmed}
          onConfirm={() => void remove()}
          onClose={() => setConfirming(false)}
        >
          <p>
            Your profile is erased at once and you are signed out. Download your data first if you want a copy. This cannot be
            undone.
          </p>
          <TypedConfirmField id="delete-confirm" label="to confirm" typed={typed} onType={setTyped} />
        </ConfirmDialog>
      )}
    </section>
  );
}
