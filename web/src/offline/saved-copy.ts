// The signed-in person's last GET /me, kept in this browser so the badge (drawn from it, live code included),
// name and last known balance show with no network. The app keeps this copy itself, for one key at a time, rather
// than the service worker caching API answers by URL (which every key on the device would share).
// It holds nothing the key itself cannot read, lives beside the key in localStorage and goes at sign-out.
import type { Me } from '../api-types';
import { keyFingerprint } from './key-fingerprint';

const STORAGE = 'tapioca.savedCopy';

interface SavedCopy {
  /** Which key the copy belongs to: a fingerprint, so a different key never sees it. */
  key: string;
  me: Me;
}

function read(): SavedCopy | null {
  try {
    const text = window.localStorage.getItem(STORAGE);
    return text ? (JSON.parse(text) as SavedCopy) : null;
  } catch {
    return null;
  }
}

function write(copy: SavedCopy): void {
  try {
    window.localStorage.setItem(STORAGE, JSON.stringify(copy));
  } catch {
    // No storage (private mode, full): the app still works online.
  }
}

/** Keeps the latest /me for this key. */
export function saveMe(key: string, me: Me): void {
  write({ key: keyFingerprint(key), me });
}

/** The last /me seen with this key, or null. */
export function savedMe(key: string): Me | null {
  const saved = read();
  return saved?.key === keyFingerprint(key) ? saved.me : null;
}

export function forgetSavedCopy(): void {
  try {
    window.localStorage.removeItem(STORAGE);
  } catch {
    // Nothing stored.
  }
}
