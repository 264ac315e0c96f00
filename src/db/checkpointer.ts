import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SqliteDatabase from 'better-sqlite3';

/** How often the background connection copies the write-ahead log into the database file. */
const CHECKPOINT_EVERY_MS = 50;
/**
 * The writer still checkpoints in its own commit once the log passes this many pages (about 40 MB): under
 * unbroken load the background checkpoints never catch up with the end of the log, and only a checkpoint
 * by the writer lets the log start over instead of growing forever.
 */
const WRITER_AUTOCHECKPOINT_PAGES = 10_000;
/** SQLite's own default, for a writer left without the background thread. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

// An eval'd worker is CommonJS, and it cannot resolve packages from this file: it is handed the driver's path.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const connection = new Database(workerData.path);
const checkpoint = connection.prepare('pragma wal_checkpoint(passive)');
const timer = setInterval(() => {
  try {
    checkpoint.get();
  } catch {
    // busy or briefly unavailable: the next tick tries again, and the writer's backstop still holds
  }
}, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  connection.close();
  parentPort.close();
});
`;

/**
 * Runs SQLite's WAL checkpoints on a thread of their own. A checkpoint writes every page changed since the
 * last one back into the database file and waits for the disk twice; done by the writer, as SQLite does by
 * default, that stalls the one thread that serves every request. A passive checkpoint never blocks the
 * writer, which keeps appending to the log meanwhile. Returns a function that stops the thread.
 */
export function startBackgroundCheckpoints(writer: SqliteDatabase.Database, path: string): () => Promise<void> {
  writer.pragma(`wal_autocheckpoint = ${WRITER_AUTOCHECKPOINT_PAGES}`);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, everyMs: CHECKPOINT_EVERY_MS } });
  worker.unref();
  // A failing checkpoint thread hands the work back to the writer; it must not end the process.
  worker.on('error', () => {
    if (writer.open) writer.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return async () => {
    // Held while it closes: otherwise a process with nothing else to do would exit before it has.
    worker.ref();
    worker.postMessage('stop');
    await exited;
  };
}
