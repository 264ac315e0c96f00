// The offline scanner's copy on this device (IndexedDB): the roster, the scans let through offline and not yet
// uploaded, and the reports of the last sync. A reload or a closed tab keeps them; sign-out wipes the roster, and
// the queue and reports too unless the sign-out keeps them for the next staff key (see wipeStored).
import { type DBSchema, type IDBPDatabase, type IDBPObjectStore, openDB, type StoreNames } from 'idb';
import type { RosterParticipant } from '../api-types';
import type { SyncReport } from './queue';
import type { QueuedScan, Roster, RosterMeta } from './roster';

const DB_NAME = 'tapioca-scanner';

interface ScannerDb extends DBSchema {
  participants: { key: number; value: RosterParticipant };
  /** In the order the scans were made (an auto-increment key), each with its nonce. */
  queue: { key: number; value: QueuedScan; indexes: { nonce: string } };
  meta: { key: 'roster'; value: RosterMeta } | { key: 'reports'; value: SyncReport[] };
}

/** What is stored under each meta key. */
interface MetaValues {
  roster: RosterMeta;
  reports: SyncReport[];
}

let opened: Promise<IDBPDatabase<ScannerDb>> | null = null;

function database(): Promise<IDBPDatabase<ScannerDb>> {
  opened ??= openDB<ScannerDb>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('participants', { keyPath: 'id' });
      db.createObjectStore('queue', { autoIncrement: true }).createIndex('nonce', 'nonce', { unique: true });
      db.createObjectStore('meta');
    },
    terminated() {
      opened = null;
    },
  });
  return opened;
}

async function getMeta<K extends keyof MetaValues>(key: K): Promise<MetaValues[K] | undefined> {
  return (await (await database()).get('meta', key)) as MetaValues[K] | undefined;
}

export interface Stored {
  roster: Roster | null;
  queue: QueuedScan[];
  reports: SyncReport[];
}

export async function loadStored(): Promise<Stored> {
  const db = await database();
  const [meta, participants, queue, reports] = await Promise.all([
    getMeta('roster'),
    db.getAll('participants'),
    db.getAll('queue'),
    getMeta('reports'),
  ]);
  const roster = meta ? { ...meta, participants: new Map(participants.map((p) => [p.id, p])) } : null;
  return { roster, queue, reports: reports ?? [] };
}

/**
 * Keeps a synced roster: all of it after a full sync, only the changed participants after a delta, without those
 * deleted since (`removed`).
 */
export async function saveRoster(
  meta: RosterMeta,
  participants: readonly RosterParticipant[],
  full: boolean,
  removed: readonly number[] = [],
): Promise<void> {
  const tx = (await database()).transaction(['participants', 'meta'], 'readwrite');
  const store = tx.objectStore('participants');
  if (full) void store.clear();
  for (const participant of participants) void store.put(participant);
  for (const id of removed) void store.delete(id);
  void tx.objectStore('meta').put(meta, 'roster');
  await tx.done;
}

/** Keeps a scan let through offline; resolves once it is on disk. */
export async function storeQueued(scan: QueuedScan): Promise<void> {
  await (await database()).add('queue', scan);
}

/**
 * Drops answered scans from the queue and keeps what their answers changed in the roster, in one transaction:
 * the queue and the roster never disagree on whether a scan counts.
 */
export async function settleStored(
  answered: readonly string[],
  meta: RosterMeta | null,
  changed: readonly RosterParticipant[],
  reports: readonly SyncReport[],
): Promise<void> {
  const tx = (await database()).transaction(['queue', 'participants', 'meta'], 'readwrite');
  await dropAnswered(tx.objectStore('queue'), answered);
  for (const participant of changed) void tx.objectStore('participants').put(participant);
  if (meta) void tx.objectStore('meta').put(meta, 'roster');
  void tx.objectStore('meta').put([...reports], 'reports');
  await tx.done;
}

async function dropAnswered(
  queue: IDBPObjectStore<ScannerDb, StoreNames<ScannerDb>[], 'queue', 'readwrite'>,
  answered: readonly string[],
) {
  const byNonce = queue.index('nonce');
  await Promise.all(
    answered.map(async (nonce) => {
      const key = await byNonce.getKey(nonce);
      if (key !== undefined) await queue.delete(key);
    }),
  );
}

/**
 * An upload answered after the sign-out that kept its queue: the answered scans leave the kept queue (under
 * another key the server would take them again) and their reports join the kept ones.
 */
export async function settleKept(answered: readonly string[], reports: readonly SyncReport[]): Promise<void> {
  const tx = (await database()).transaction(['queue', 'meta'], 'readwrite');
  await dropAnswered(tx.objectStore('queue'), answered);
  const kept = ((await tx.objectStore('meta').get('reports')) as SyncReport[] | undefined) ?? [];
  await tx.objectStore('meta').put([...kept, ...reports], 'reports');
  await tx.done;
}

export async function saveReports(reports: readonly SyncReport[]): Promise<void> {
  await (await database()).put('meta', [...reports], 'reports');
}

/** How many scans wait on this device (for the sign-in screen, before anything else is read). */
export async function countQueued(): Promise<number> {
  return (await database()).count('queue');
}

/**
 * Sign-out: the roster goes (it holds names that the next person on this device may not see). With `keepQueue`
 * the queued scans and the reports of their syncs stay, for the next volunteer or admin key; else all goes.
 */
export async function wipeStored(keepQueue: boolean): Promise<void> {
  const tx = (await database()).transaction(['participants', 'queue', 'meta'], 'readwrite');
  const meta = tx.objectStore('meta');
  await Promise.all([
    tx.objectStore('participants').clear(),
    keepQueue ? meta.delete('roster') : Promise.all([tx.objectStore('queue').clear(), meta.clear()]),
    tx.done,
  ]);
}
