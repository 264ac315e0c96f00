import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { errorText, get, isAbort, mutate, newIntentKey, outcomeUnknown } from './api';
import type { Participant, ParticipantsById } from './api-types';
import { useSession } from './context';
import { whenBackOnline } from './offline/network';
import { saveRead, savedRead } from './offline/saved-copy';
import { loadKey } from './session';

/** The latest value of something, for callbacks that must not re-subscribe on every render. */
export function useLatest<T>(value: T) {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}

/** Calls handler for each live event of this type while the component is mounted. */
export function useLiveEvent<T>(type: string, handler: (data: T) => void): void {
  const { live } = useSession();
  const latest = useLatest(handler);
  useEffect(() => live.on(type, (data) => latest.current(data as T)), [live, type, latest]);
}

/** The time now, refreshed every `intervalMs`: for "5 min ago" labels that must not stand still. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * Calls refresh when the window regains focus or becomes visible, after the live stream reconnects, and as soon
 * as the connection comes back (not only at the next poll).
 */
export function useRefreshOnFocus(refresh: () => void): void {
  const latest = useLatest(refresh);
  const { live } = useSession();
  useEffect(() => {
    let last = 0;
    const run = () => {
      // focus and visibilitychange often fire together: one refresh is enough.
      const now = Date.now();
      if (now - last < 1000) return;
      last = now;
      latest.current();
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') run();
    };
    window.addEventListener('focus', run);
    document.addEventListener('visibilitychange', onVisibility);
    const off = live.on('resync', () => latest.current());
    const offBack = whenBackOnline(() => latest.current());
    return () => {
      window.removeEventListener('focus', run);
      document.removeEventListener('visibilitychange', onVisibility);
      off();
      offBack();
    };
  }, [latest, live]);
}

/** A tap that lands this soon after the screen changed under the finger (a double tap's second) is ignored. */
export const SETTLE_MS = 500;

/**
 * Whether taps are to be ignored now: for SETTLE_MS after each settle(), and after mounting when `fromMount`
 * (the buttons of something just opened, which a tap meant for the one before must not hit).
 */
export function useSettling(fromMount = false): [settling: boolean, settle: () => void] {
  const [settling, setSettling] = useState(fromMount);
  const state = useRef<{ timer: ReturnType<typeof setTimeout> | undefined }>({ timer: undefined });
  const settle = useCallback(() => {
    const current = state.current;
    setSettling(true);
    clearTimeout(current.timer);
    current.timer = setTimeout(() => setSettling(false), SETTLE_MS);
  }, []);
  useEffect(() => {
    const current = state.current;
    if (fromMount) current.timer = setTimeout(() => setSettling(false), SETTLE_MS);
    return () => clearTimeout(current.timer);
  }, [fromMount]);
  return [settling, settle];
}

/** A write pending longer than this says "Sending…" on its button: on a slow network a greyed button alone looks stuck. */
const SLOW_MS = 1000;

/** Whether `pending` has been true for longer than SLOW_MS. */
export function useSlow(pending: boolean): boolean {
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (!pending) {
      setSlow(false);
      return;
    }
    const timer = setTimeout(() => setSlow(true), SLOW_MS);
    return () => clearTimeout(timer);
  }, [pending]);
  return slow;
}

/** Wraps fn so it runs at most once per interval, with a trailing call for what happened meanwhile. */
export function useThrottled(fn: () => void, intervalMs: number): () => void {
  const latest = useLatest(fn);
  const state = useRef<{ last: number; timer: ReturnType<typeof setTimeout> | undefined }>({ last: 0, timer: undefined });
  useEffect(() => {
    const current = state.current;
    return () => clearTimeout(current.timer);
  }, []);
  return useCallback(() => {
    const current = state.current;
    if (current.timer !== undefined) return;
    const wait = Math.max(0, current.last + intervalMs - Date.now());
    current.timer = setTimeout(() => {
      current.timer = undefined;
      current.last = Date.now();
      latest.current();
    }, wait);
  }, [intervalMs, latest]);
}

export interface Resource<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
  setData: (update: (current: T | undefined) => T | undefined) => void;
}

/** Loads data when the component mounts (and when key changes); reload() fetches again, newest answer wins. */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, key = ''): Resource<T> {
  const [data, setDataState] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const latest = useLatest(load);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    latest.current(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setDataState(value);
        setError(null);
        setLoading(false);
      },
      (failure: unknown) => {
        if (controller.signal.aborted || isAbort(failure)) return;
        setError(errorText(failure));
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [key, generation, latest]);

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  const setData = useCallback((update: (current: T | undefined) => T | undefined) => setDataState(update), []);
  return { data, error, loading, reload, setData };
}

/**
 * A GET whose last answer stays on this device (for the signed-in key, until sign-out), so the screen still shows
 * it offline, even after a reload: shown until a fresh answer comes.
 */
export function useSavedGet<T>(path: string): Resource<T> {
  const resource = useResource((signal) => get<T>(path, { signal }), path);
  const [saved] = useState(() => {
    const key = loadKey();
    return key === null ? undefined : savedRead<T>(key, path);
  });
  const { data } = resource;
  useEffect(() => {
    const key = loadKey();
    if (key !== null && data !== undefined) saveRead(key, path, data);
  }, [path, data]);
  return { ...resource, data: data ?? saved };
}

/** Moves focus to the screen's heading when it opens, so screen readers announce the new screen. */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return ref;
}

type WriteMethod = 'POST' | 'PUT' | 'DELETE';

/**
 * One kind of user action on a screen (place an order, check someone in): send() does each intent once,
 * whatever the network does.
 * - Each intent gets its own idempotency key; api.ts retries a lost answer with it (see sendIntent).
 * - The same request again while it is pending (a double tap) sends nothing and gets the pending one's outcome.
 * - When the retries gave up without learning the outcome, tapping again with the same request is the same
 *   intent and reuses the key, so the server answers what the first attempt did instead of doing it twice.
 *   A definite answer, or another request in between, starts a new intent.
 * `pending` (any request of this kind under way) is for disabling the buttons meanwhile.
 */
export function useIntent() {
  const [pendingCount, setPendingCount] = useState(0);
  const inFlight = useRef(new Map<string, Promise<unknown>>());
  const unsettled = useRef<{ request: string; key: string } | null>(null);

  const send = useCallback(<T>(method: WriteMethod, path: string, body?: unknown): Promise<T> => {
    const request = `${method} ${path} ${JSON.stringify(body ?? null)}`;
    const running = inFlight.current.get(request);
    if (running) return running as Promise<T>;
    const key = unsettled.current?.request === request ? unsettled.current.key : newIntentKey();
    unsettled.current = { request, key };
    const settle = (outcomeKnown: boolean) => {
      if (outcomeKnown && unsettled.current?.key === key) unsettled.current = null;
      inFlight.current.delete(request);
      setPendingCount(inFlight.current.size);
    };
    const sent = mutate<T>(method, path, body, { intentKey: key }).then(
      (answer) => {
        settle(true);
        return answer;
      },
      (failure: unknown) => {
        settle(!outcomeUnknown(failure));
        throw failure;
      },
    );
    inFlight.current.set(request, sent);
    setPendingCount(inFlight.current.size);
    return sent;
  }, []);

  return { pending: pendingCount > 0, send };
}

const SEARCH_DEBOUNCE_MS = 250;

export interface ParticipantSearch {
  /** null until something is typed. */
  results: [string, Participant][] | null;
  searching: boolean;
  error: string;
  /** Changes one shown participant (a check-in just made), until the next search. */
  update: (id: string, change: (person: Participant) => Participant) => void;
  /** Takes one participant out of the shown results (just deleted). */
  remove: (id: string) => void;
}

/** The first page of participants matching what is typed (name, e-mail or id), a moment after typing stops. */
export function useParticipantSearch(query: string): ParticipantSearch {
  const [results, setResults] = useState<[string, Participant][] | null>(null);
  const [searching, setSearching] = useState(false);
  const [error, setError] = useState('');

  useEffect(() => {
    const text = query.trim();
    if (!text) {
      setResults(null);
      setSearching(false);
      return;
    }
    const controller = new AbortController();
    setSearching(true);
    const timer = setTimeout(() => {
      get<ParticipantsById>(`/users?q=${encodeURIComponent(text)}&page=1`, { signal: controller.signal })
        .then((found) => {
          setResults(Object.entries(found));
          setError('');
        })
        .catch((failure: unknown) => {
          if (!isAbort(failure)) setError(errorText(failure));
        })
        .finally(() => {
          if (!controller.signal.aborted) setSearching(false);
        });
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  const update = useCallback(
    (id: string, change: (person: Participant) => Participant) =>
      setResults((rows) => rows?.map(([rowId, person]) => [rowId, rowId === id ? change(person) : person]) ?? null),
    [],
  );
  const remove = useCallback((id: string) => setResults((rows) => rows?.filter(([rowId]) => rowId !== id) ?? null), []);
  return { results, searching, error, update, remove };
}
