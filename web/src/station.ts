// Where a volunteer's phone stands (the door, or one checkpoint) and whether it beeps: kept on the device, so a
// phone handed to the next volunteer, or reopened after lunch, is still set up for its place. Its lost scans are
// kept for the tab's life.
import type { Unanswered } from './scanning';

const STATION_STORAGE = 'tapioca.station';
const SOUND_STORAGE = 'tapioca.sound';

export type Station = { type: 'door' } | { type: 'checkpoint'; id: number; name: string };

export function loadStation(): Station | null {
  try {
    const stored = JSON.parse(window.localStorage.getItem(STATION_STORAGE) ?? 'null') as unknown;
    if (typeof stored !== 'object' || stored === null) return null;
    const station = stored as { type?: unknown; id?: unknown; name?: unknown };
    if (station.type === 'door') return { type: 'door' };
    if (station.type === 'checkpoint' && Number.isInteger(station.id) && typeof station.name === 'string')
      return { type: 'checkpoint', id: station.id as number, name: station.name };
    return null;
  } catch {
    return null;
  }
}

export function saveStation(station: Station | null): void {
  try {
    if (station) window.localStorage.setItem(STATION_STORAGE, JSON.stringify(station));
    else window.localStorage.removeItem(STATION_STORAGE);
  } catch {
    // Private mode without storage: the choice lasts until the page closes.
  }
}

export function loadSoundOn(): boolean {
  try {
    return window.localStorage.getItem(SOUND_STORAGE) !== 'off';
  } catch {
    return true;
  }
}

export function saveSoundOn(on: boolean): void {
  try {
    window.localStorage.setItem(SOUND_STORAGE, on ? 'on' : 'off');
  } catch {
    // Not kept: sound stays as chosen until the page closes.
  }
}

const UNANSWERED_STORAGE = 'tapioca.unanswered';

/** Lost scans kept for this tab (sessionStorage): a reload in the middle of a queue still repeats them. */
export function loadUnanswered(): Unanswered[] {
  try {
    const stored = JSON.parse(window.sessionStorage.getItem(UNANSWERED_STORAGE) ?? '[]') as unknown;
    if (!Array.isArray(stored)) return [];
    return stored.filter(
      (entry: Partial<Unanswered> | null): entry is Unanswered =>
        typeof entry?.target === 'string' &&
        typeof entry.station === 'string' &&
        typeof entry.nonce === 'string' &&
        typeof entry.idempotencyKey === 'string' &&
        typeof entry.at === 'number',
    );
  } catch {
    return [];
  }
}

export function saveUnanswered(entries: Unanswered[]): void {
  try {
    if (entries.length > 0) window.sessionStorage.setItem(UNANSWERED_STORAGE, JSON.stringify(entries));
    else window.sessionStorage.removeItem(UNANSWERED_STORAGE);
  } catch {
    // No storage: they are kept in memory only, until the page closes.
  }
}
