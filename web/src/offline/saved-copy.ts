// The signed-in person's last GET /me, kept in this browser so the badge (drawn from it, live code included),
// name and last known balance show with no network. The app keeps this copy itself, for one key at a time, rather
// than the service worker caching API answers by URL (which every key on the device would share).
// Some screens' last answers (a hacker's loans and due times) are kept the same way, beside it.
// It holds nothing the key itself cannot read, lives beside the key in localStorage and goes at sign-out.
import type { Me } from '../api-types';
import { keyFingerprint } from './key-fingerprint';

const STORAGE = 'tapioca.savedCopy';
const READS_STORAGE = 'tapioca.savedReads';

interface SavedCopy {
  /** Which key the copy belongs to: a fingerprint, so a different key never sees it. */
  key: string;
  me: Me;
}

interface SavedReads {
  /** As SavedCopy's. */
  key: string;
  /** The last answer of each GET path kept. */
  reads: Record<string, unknown>;
}

function read<T>(storage: string): T | null {
  try {
    const text = window.localStorage.getItem(storage);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

function write(storage: string, copy: SavedCopy | SavedReads): void {
  try {
    window.localStorage.setItem(storage, JSON.stringify(copy));
  } catch {
    // No storage (private mode, full): the app still works online.
  }
}

/** Keeps the latest /me for this key. */
export function saveMe(key: string, me: Me): void {
  write(STORAGE, { key: keyFingerprint(key), me });
}

/** The last /me seen with this key, or null. */
export function savedMe(key: string): Me | null {
  const saved = read<SavedCopy>(STORAGE);
  return saved?.key === keyFingerprint(key) ? saved.me : null;
}

/** Keeps the latest answer of GET `path` for this key (another key's answers go). */
export function saveRead(key: string, path: string, answer: unknown): void {
  const fingerprint = keyFingerprint(key);
  const saved = read<SavedReads>(READS_STORAGE);
  const reads = saved?.key === fingerprint ? saved.reads : {};
  write(READS_STORAGE, { key: fingerprint, reads: { ...reads, [path]: answer } });
}

/** The last answer of GET `path` seen with this key, if kept. */
export function savedRead<T>(key: string, path: string): T | undefined {
  const saved = read<SavedReads>(READS_STORAGE);
  return saved?.key === keyFingerprint(key) ? (saved.reads[path] as T | undefined) : undefined;
}

export function forgetSavedCopy(): void {
  try {
    window.localStorage.removeItem(STORAGE);
    window.localStorage.removeItem(READS_STORAGE);
  } catch {
    // Nothing stored.
  }
}
