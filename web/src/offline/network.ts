// Whether Tapioca can be reached: the browser's online/offline events, plus what the app's own requests
// see. A request that fails while the browser still says it is online (the server is down, or the wifi
// has no way out) counts too once /health does not answer either; /health is then probed until it answers.
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

/** How long the /health probe may take before it counts as no answer. */
const PROBE_TIMEOUT_MS = 5_000;
let probing: Promise<void> | null = null;

/**
 * A request got no answer at all (not an error status: no response). One lost answer is not being offline:
 * /health is asked first, and only when it does not answer either is Tapioca out of reach.
 */
export function noteRequestFailed(): void {
  if (!isOffline()) void checkConnection();
}

/** A request got an answer, whatever its status: the server is reachable. */
export const noteRequestAnswered = () => update(() => (requestsFailing = false));

/** Asks the server now (the Retry button, after a request got no answer, and every few seconds while offline). */
export function checkConnection(): Promise<void> {
  probing ??= fetch('/health', { cache: 'no-store', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
    .then(
      () => update(() => (requestsFailing = false)),
      () => update(() => (requestsFailing = true)),
    )
    .finally(() => (probing = null));
  return probing;
}

/** Calls `then` each time the connection comes back; returns the unsubscribe. */
export function whenBackOnline(then: () => void): () => void {
  return subscribeNetwork(() => {
    if (!isOffline()) then();
  });
}
