// On a slow link the first screen waits on two things in a row: the app's JavaScript, then GET /me (the hacker's
// badge is drawn from it, live code and all). The entry chunk is small: it starts /me at once, while the browser
// is still downloading React and the screens, so the API round trip overlaps that download.
import { get } from '../api';
import type { Me } from '../api-types';
import { loadKey } from '../session';

interface EarlyRequests {
  key: string;
  me: Promise<Me> | null;
}

let early: EarlyRequests | null = null;

/** Marks a promise handled: nobody may take it, and whoever does sees its failure. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  void promise.catch(() => undefined);
  return promise;
}

/** Starts them; the promise settles (never rejects) when they are done. */
export function startEarlyRequests(): Promise<unknown> {
  const key = loadKey();
  if (!key) return Promise.resolve();
  const me = quiet(get<Me>('/me', { key }));
  early = { key, me };
  return me
    .then((answer): Promise<unknown> | undefined => {
      // Volunteers and admins open on a scanning screen: its QR decoder is the next download.
      if (answer.key.role !== 'participant') return import('jsqr');
      return undefined;
    })
    .catch(() => undefined);
}

/** The GET /me already under way for this key, once; null when there is none. */
export function takeEarlyMe(key: string): Promise<Me> | null {
  if (early?.key !== key || !early.me) return null;
  const me = early.me;
  early.me = null;
  return me;
}
