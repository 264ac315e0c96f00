import { AsyncLocalStorage } from 'node:async_hooks';
import { CompiledQuery } from 'kysely';
import type { Db, Trx } from './tables.js';

/** Runs `work` in a transaction: all of it commits, or none of it. */
export type TransactionRunner = <T>(work: (trx: Trx) => Promise<T>) => Promise<T>;

/**
 * Kysely's `db.transaction().execute(work)`, except that a rollback that fails never replaces the error that
 * caused it: after a lost connection, or once SQLite has rolled back by itself (a full disk), the rollback
 * fails too, and only the first error says what went wrong.
 */
export async function runTransaction<T>(db: Db, work: (trx: Trx) => Promise<T>): Promise<T> {
  const trx = await db.startTransaction().execute();
  let result: T;
  try {
    result = await work(trx);
    await trx.commit().execute();
  } catch (error) {
    await trx
      .rollback()
      .execute()
      .catch(() => {});
    throw error;
  }
  return result;
}

const ambient = new AsyncLocalStorage<Trx>();

/** The transaction `runInAmbientTransaction` opened for the code now running, if any. */
export const ambientTransaction = (): Trx | undefined => ambient.getStore();

/**
 * Runs `work` so that every transaction it starts through a TransactionRunner, and every query it sends
 * through the database handle's `db`, joins `trx`: an idempotent request's effect and its stored answer
 * then commit together. Start no long-lived timer inside: it would keep the transaction as its context.
 */
export const runInAmbientTransaction = <T>(trx: Trx, work: () => Promise<T>): Promise<T> => ambient.run(trx, work);

let nestedSavepoints = 0;

/** A transaction inside the ambient one: a savepoint, so it still fails alone, as it would on its own. */
async function runNested<T>(trx: Trx, work: (trx: Trx) => Promise<T>): Promise<T> {
  const savepoint = `nested_${++nestedSavepoints}`;
  await trx.executeQuery(CompiledQuery.raw(`savepoint ${savepoint}`));
  try {
    const value = await work(trx);
    await trx.executeQuery(CompiledQuery.raw(`release ${savepoint}`));
    return value;
  } catch (error) {
    await undoSavepoint(trx, savepoint).catch(() => {
      throw error;
    });
    throw error;
  }
}

export const plainTransactions =
  (db: Db): TransactionRunner =>
  (work) => {
    const trx = ambient.getStore();
    return trx ? runNested(trx, work) : runTransaction(db, work);
  };

interface QueuedWork {
  work: (trx: Trx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const MAX_BATCH = 64;

async function undoSavepoint(trx: Trx, savepoint: string): Promise<void> {
  await trx.executeQuery(CompiledQuery.raw(`rollback to ${savepoint}`));
  await trx.executeQuery(CompiledQuery.raw(`release ${savepoint}`));
}

/**
 * Group commit for SQLite, which has one writer anyway: transactions that arrive while one commits are
 * run together in the next transaction, each inside its own savepoint, and committed once. On this
 * machine a commit costs several times the writes of a grant, so this is most of the write throughput.
 * Each piece of work still succeeds or fails alone (a failure rolls back to its savepoint), and no caller
 * hears of success before the commit that holds its work.
 */
export function groupCommit(db: Db, onBatch: (size: number) => void = () => {}): TransactionRunner {
  const queue: QueuedWork[] = [];
  let draining = false;

  const runBatch = async (batch: QueuedWork[]) => {
    const outcomes: (() => void)[] = [];
    try {
      await runTransaction(db, async (trx) => {
        for (const [index, item] of batch.entries()) {
          const savepoint = `work_${index}`;
          await trx.executeQuery(CompiledQuery.raw(`savepoint ${savepoint}`));
          try {
            const value = await item.work(trx);
            await trx.executeQuery(CompiledQuery.raw(`release ${savepoint}`));
            outcomes.push(() => item.resolve(value));
          } catch (error) {
            // SQLite answers some errors (a full disk, I/O) by rolling back the whole transaction, savepoints
            // included: then the batch fails, with that error rather than "no such savepoint".
            await undoSavepoint(trx, savepoint).catch(() => {
              throw error;
            });
            outcomes.push(() => item.reject(error));
          }
        }
      });
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    for (const settle of outcomes) settle();
  };

  const drain = async () => {
    draining = true;
    while (queue.length > 0) {
      // better-sqlite3 is synchronous, so a batch never yields to the event loop by itself: wait one turn,
      // letting the requests whose bytes have arrived reach the queue and share this commit.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const batch = queue.splice(0, MAX_BATCH);
      onBatch(batch.length);
      await runBatch(batch);
    }
    draining = false;
  };

  return <T>(work: (trx: Trx) => Promise<T>) => {
    // Inside an idempotent request the connection is already its transaction's: queueing would wait forever.
    const trx = ambient.getStore();
    if (trx) return runNested(trx, work);
    return new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!draining) void drain();
    });
  };
}
