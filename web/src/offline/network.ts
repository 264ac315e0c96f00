// Whether Tapioca can be reached: the browser's online/offline events, plus what the app's own requests
// see. A request that fails while the browser still says it is online (the server is down, or the wifi
// has no way out) counts too; /health is then probed until it answers.
const PROBE_INTERVAL_MS = 3_000;

const listeners = new Set<() => void>();
let browserOffline = false;
let requestsFailing = false;
let probeTimer: ReturnType<typeof setInterval> | undefined;

/** True while Tapioca cannot be reached. */
export const isOffline = () => browserOffline || requestsFailing;

function update(change: () => void): void {
  const before = isOffline();
  change();
  if (requestsFailing && !browserOffline) probeTimer ??= setInterval(() => void checkConnection(), PROBE_INTERVAL_MS);
  else {
    clearInterval(probeTimer);
    probeTimer = undefined;
  }
  if (isOffline() !== before) listeners.forEach((listener) => listener());
}

/** Calls `listener` whenever isOffline() changes; returns the unsubscribe. */
export function subscribeNetwork(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Starts following the browser's online/offline events. */
export function watchNetwork(): void {
  browserOffline = !navigator.onLine;
  window.addEventListener('offline', () => update(() => (browserOffline = true)));
  // Back online: trust it until a request says otherwise.
  window.addEventListener('online', () => update(() => ((browserOffline = false), (requestsFailing = false))));
}

/** A request got no answer at all (not an error status: no response). */
export const noteRequestFailed = () => update(() => (requestsFailing = true));

/** A request got an answer, whatever its status: the server is reachable. */
export const noteRequestAnswered = () => update(() => (requestsFailing = false));

/** Asks the server now (the Retry button, and every few seconds while requests fail). */
export async function checkConnection(): Promise<void> {
  try {
    await fetch('/health', { cache: 'no-store' });
    noteRequestAnswered();
  } catch {
    noteRequestFailed();
  }
}

/** Calls `then` each time the connection comes back; returns the unsubscribe. */
export function whenBackOnline(then: () => void): () => void {
  return subscribeNetwork(() => {
    if (!isOffline()) then();
  });
}
