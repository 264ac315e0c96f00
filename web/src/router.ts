// Hash routes: #/badge, #/b/<code>, ... The path never carries the API key.
import { useSyncExternalStore } from 'react';

const ROUTE_EVENT = 'tapioca:route';

function subscribe(callback: () => void): () => void {
  window.addEventListener('hashchange', callback);
  window.addEventListener(ROUTE_EVENT, callback);
  return () => {
    window.removeEventListener('hashchange', callback);
    window.removeEventListener(ROUTE_EVENT, callback);
  };
}

const snapshot = () => window.location.hash;

/** The current route as path segments: '#/b/abc' → ['b', 'abc']. */
function parseRoute(hash: string): string[] {
  const path = hash.replace(/^#\/?/, '');
  return path
    .split('/')
    .filter((part) => part !== '')
    .map((part) => {
      try {
        return decodeURIComponent(part);
      } catch {
        return part;
      }
    });
}

export function useRoute(): string[] {
  const hash = useSyncExternalStore(subscribe, snapshot);
  return parseRoute(hash);
}

/** Goes to a route ('#/scan'); replace keeps the browser history free of it. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) {
    window.history.replaceState(window.history.state, '', to);
    window.dispatchEvent(new Event(ROUTE_EVENT));
  } else if (window.location.hash !== to) {
    window.location.hash = to;
  }
}
