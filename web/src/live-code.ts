// Live exchange codes in the web app: the hacker's phone works out its current code from the secret kept with
// its /me (so it works with no network), and whoever scans its badge QR reads the code back out of the link.
import { useEffect, useMemo, useState } from 'react';
import { base32ToBytes, LIVE_CODE_PERIOD_SECONDS, totp } from '../../src/shared/totp.ts';
import type { Me } from './api-types';

export type LiveCodeSettings = NonNullable<Me['live_code']>;

export interface LiveCodeNow {
  code: string;
  /** Until the next code: from the period down to 1. */
  secondsLeft: number;
}

/** The link a live badge QR carries: the badge URL, with the code as `c`. */
export const liveBadgeUrl = (badgeUrl: string, code: string): string => `${badgeUrl}?c=${code}`;

/**
 * The live code in what a scanner read: `c` in `<badge url>?c=123456`, or in the app link the server redirects
 * that to (`#/b/<badge>?c=123456`). Undefined for a printed badge, which has none.
 */
export function liveCodeIn(scanned: string): string | undefined {
  return /[?&]c=(\d{6})(?![^&#\s])/.exec(scanned)?.[1];
}

function liveCodeAt(secret: Uint8Array, epochMs: number): LiveCodeNow {
  const secondsIntoStep = Math.floor(epochMs / 1000) % LIVE_CODE_PERIOD_SECONDS;
  return { code: totp(secret, epochMs), secondsLeft: LIVE_CODE_PERIOD_SECONDS - secondsIntoStep };
}

/** The phone's live code, again at every second (for the countdown); null without settings. */
export function useLiveCode(settings: LiveCodeSettings | null): LiveCodeNow | null {
  const encoded = settings?.secret;
  const secret = useMemo(() => (encoded ? base32ToBytes(encoded) : null), [encoded]);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (!secret) return;
    let timer: ReturnType<typeof setTimeout>;
    // On the second boundary, so the new code shows the moment it starts.
    const tick = () => {
      setNow(Date.now());
      timer = setTimeout(tick, 1000 - (Date.now() % 1000));
    };
    tick();
    return () => clearTimeout(timer);
  }, [secret]);

  return secret ? liveCodeAt(secret, now) : null;
}
