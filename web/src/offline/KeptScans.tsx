// Scans left on the phone by a key the server stopped accepting (expired or revoked): the sign-in screen says
// they are there, and a volunteer's or admin's screens say when they are uploaded with the new key.
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { keyFingerprint } from './key-fingerprint';
import { keptScansText, keptUploadText } from './queue';
import { keptFromOtherKeys } from './roster';
import { queuedOnDevice, scannerState, subscribeScanner } from './scanner';
import './offline.css';

/** Above the sign-in form: how many scans wait on this phone for a volunteer or admin key. */
export function KeptScansNotice() {
  const [count, setCount] = useState(0);
  useEffect(() => {
    let shown = true;
    void queuedOnDevice().then((queued) => shown && setCount(queued));
    return () => {
      shown = false;
    };
  }, []);
  return (
    <p role="status" className="message message-warn kept-scans" data-testid="kept-scans">
      {keptScansText(count)}
    </p>
  );
}

/** At the top of a volunteer's or admin's screens while the scans another key left upload, then once that they did. */
export function KeptScansUpload({ apiKey }: { apiKey: string }) {
  const { queue, mode } = useSyncExternalStore(subscribeScanner, scannerState);
  const fingerprint = useMemo(() => keyFingerprint(apiKey), [apiKey]);
  const left = keptFromOtherKeys(queue, fingerprint);
  /** The most seen at once: those not left any more were uploaded. */
  const [most, setMost] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  if (left > most) setMost(left);
  const text = dismissed ? '' : keptUploadText(left, mode === 'offline', most - left);
  return (
    <div role="status" className="kept-scans-upload" data-testid="kept-scans-upload">
      {text && (
        <p className="message message-info">
          {text}{' '}
          {left === 0 && (
            <button type="button" className="button secondary" onClick={() => setDismissed(true)}>
              OK
            </button>
          )}
        </p>
      )}
    </div>
  );
}
