import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { errorText, isAbort } from './api';
import { useSession } from './context';

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

/** Calls refresh when the window regains focus or becomes visible, and after the live stream reconnects. */
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
    return () => {
      window.removeEventListener('focus', run);
      document.removeEventListener('visibilitychange', onVisibility);
      off();
    };
  }, [latest, live]);
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

/** Moves focus to the screen's heading when it opens, so screen readers announce the new screen. */
export function useFocusOnMount<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    ref.current?.focus({ preventScroll: true });
  }, []);
  return ref;
}
