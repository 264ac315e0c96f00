// The offline scanner's part of a volunteer's or admin's session, loaded only for them: it keeps the roster and
// the queue (IndexedDB), uploads queued scans on any screen as soon as the server answers, and says when scans
// another key left were uploaded. A hacker's phone never downloads any of it.
import { useEffect, useSyncExternalStore } from 'react';
import { KeptScansUpload } from './KeptScans';
import { scannerState, startScanner, subscribeScanner } from './scanner';

/** What signing out needs to know: scans still queued, and whether the stored queue has been read yet. */
export interface QueueStatus {
  queued: number;
  loaded: boolean;
}

export default function StaffScanner({ apiKey, onStatus }: { apiKey: string; onStatus: (status: QueueStatus) => void }) {
  const { queue, loaded } = useSyncExternalStore(subscribeScanner, scannerState);
  useEffect(() => startScanner(apiKey), [apiKey]);
  useEffect(() => onStatus({ queued: queue.length, loaded }), [queue.length, loaded, onStatus]);
  return <KeptScansUpload apiKey={apiKey} />;
}
