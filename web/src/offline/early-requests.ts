// On a slow link the first screen waits on three things in a row: the app's JavaScript, GET /me, then the
// badge image. The entry chunk is small: it starts /me (and then the badge image) at once, while the browser
// is still downloading React and the screens, so both API round trips overlap that download.
import { get, request } from '../api';
import type { Me } from '../api-types';
import { loadKey } from '../session';

interface EarlyRequests {
  key: string;
  me: Promise<Me> | null;
  badge: { participantId: number; svg: Promise<string> } | null;
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
  const started: EarlyRequests = { key, me, badge: null };
  early = started;
  return me
    .then((answer): Promise<unknown> | undefined => {
      const participantId = answer.participant?.id;
      // Volunteers and admins open on a scanning screen: its QR decoder is the next download.
      if (answer.key.role !== 'participant') return import('jsqr');
      if (participantId === undefined) return;
      const svg = request('GET', `/users/${participantId}/badge.svg`, undefined, { key, accept: 'image/svg+xml' });
      started.badge = { participantId, svg: quiet(svg.then((response) => response.text())) };
      return started.badge.svg;
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

/** The badge image (SVG text) already under way for this participant, once; null when there is none. */
export function takeEarlyBadge(participantId: number): Promise<string> | null {
  const badge = early?.badge;
  if (!early || badge?.participantId !== participantId) return null;
  early.badge = null;
  return badge.svg;
}
