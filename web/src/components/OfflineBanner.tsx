import { useSyncExternalStore } from 'react';
import { checkConnection, isOffline, subscribeNetwork } from '../offline/network';
import { useRoute } from '../router';
import '../offline/offline.css';

/** The look-up desk: there, being offline means check-ins are not recorded. (A station scans offline: it has its own banner.) */
const SCANNING_SCREENS = new Set(['checkin']);
/** Screens that say themselves what offline means for them. */
const OWN_BANNER_SCREENS = new Set(['station']);
/** The staff's other screens: they have no badge to show offline. */
const STAFF_SCREENS = new Set(['checkpoints', 'search', 'kitchen', 'dashboard', 'keys']);

function offlineText(screen: string | undefined): string {
  if (screen !== undefined && SCANNING_SCREENS.has(screen))
    return 'Offline: scans are not being recorded. Scan again when back online.';
  if (screen !== undefined && STAFF_SCREENS.has(screen)) return 'Offline: nothing can be saved until the connection is back.';
  return 'Offline. Your badge still shows; other actions wait for the connection.';
}

/** "Offline" across the top of every screen while Tapioca cannot be reached; a live region, so it is announced. */
export function OfflineBanner() {
  const networkOffline = useSyncExternalStore(subscribeNetwork, isOffline);
  const [screen] = useRoute();
  const offline = networkOffline && !(screen !== undefined && OWN_BANNER_SCREENS.has(screen));
  return (
    <div role="status" className="offline-banner">
      {offline && (
        <>
          <span>{offlineText(screen)}</span>
          <button type="button" onClick={() => void checkConnection()}>
            Retry
          </button>
        </>
      )}
    </div>
  );
}
