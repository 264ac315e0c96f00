// Where the API key lives in the browser: localStorage only, never a URL's path or query.

const KEY_STORAGE = 'tapioca.apiKey';

export function loadKey(): string | null {
  try {
    return window.localStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

export function saveKey(key: string): void {
  try {
    window.localStorage.setItem(KEY_STORAGE, key);
  } catch {
    // Private mode without storage: the key lasts until the page closes.
  }
}

export function clearKey(): void {
  try {
    window.localStorage.removeItem(KEY_STORAGE);
  } catch {
    // Nothing stored.
  }
}

/**
 * A sign-in link is /app/#key=<key>: keep the key and take it out of the address bar (and history) at once.
 * Returns true when the page was opened with such a link.
 */
export function takeKeyFromLocation(): boolean {
  const hash = window.location.hash;
  if (!hash.startsWith('#key=')) return false;
  let key = hash.slice('#key='.length);
  try {
    key = decodeURIComponent(key);
  } catch {
    // Keep it as it is.
  }
  key = key.trim();
  if (key) saveKey(key);
  window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#/`);
  return key !== '';
}
