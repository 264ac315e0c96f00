import { useSyncExternalStore } from 'react';
import { checkConnection, isOffline, subscribeNetwork } from '../offline/network';
import '../offline/offline.css';

/** "Offline" across the top of every screen while Tapioca cannot be reached; a live region, so it is announced. */
export function OfflineBanner() {
  const offline = useSyncExternalStore(subscribeNetwork, isOffline);
  return (
    <div role="status" className="offline-banner">
      {offline && (
        <>
          <span>Offline. Your badge still shows; other actions wait for the connection.</span>
          <button type="button" onClick={() => void checkConnection()}>
            Retry
          </button>
        </>
      )}
    </div>
  );
}
