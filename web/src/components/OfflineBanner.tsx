import { useEffect, useRef, useSyncExternalStore } from 'react';
import { checkConnection, isOffline, subscribeNetwork } from '../offline/network';
import { useRoute } from '../router';
import type { Role } from '../api-types';
import '../offline/offline.css';

/** The look-up desk: there, being offline means check-ins are not recorded. (A station scans offline: it has its own banner.) */
const SCANNING_SCREENS = new Set(['checkin', 'b']);
/** Screens that say themselves what offline means for them. */
const OWN_BANNER_SCREENS = new Set(['station']);

/** What offline means here: a participant still has their badge; staff cannot save; nobody can sign in. */
function offlineText(role: Role | null, screen: string | undefined): string {
  if (role === null) return 'Offline: Tapioca cannot be reached until the connection is back.';
  if (role === 'participant') return 'Offline. Your badge still shows; other actions wait for the connection.';
  if (screen !== undefined && SCANNING_SCREENS.has(screen))
    return 'Offline: scans are not being recorded. Scan again when back online.';
  return 'Offline: nothing can be saved until the connection is back.';
}

/**
 * "Offline" across the top of every screen while Tapioca cannot be reached; a live region, so it is announced.
 * Its height is --offline-banner-height, so the menu sticks below it rather than under it.
 */
export function OfflineBanner({ role }: { role: Role | null }) {
  const networkOffline = useSyncExternalStore(subscribeNetwork, isOffline);
  const [screen] = useRoute();
  const ref = useRef<HTMLDivElement>(null);
  const offline = networkOffline && !(screen !== undefined && OWN_BANNER_SCREENS.has(screen));

  useEffect(() => {
    const banner = ref.current;
    if (!banner) return;
    const root = document.documentElement;
    const observer = new ResizeObserver(() => root.style.setProperty('--offline-banner-height', `${banner.offsetHeight}px`));
    observer.observe(banner);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--offline-banner-height');
    };
  }, []);

  return (
    <div role="status" className="offline-banner" ref={ref}>
      {offline && (
        <>
          <span>{offlineText(role, screen)}</span>
          <button type="button" onClick={() => void checkConnection()}>
            Retry
          </button>
        </>
      )}
    </div>
  );
}
