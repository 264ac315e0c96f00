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

export const plainTransactions =
  (db: Db): TransactionRunner =>
  (work) =>
    runTransaction(db, work);

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
export function groupCommit(db: Db): TransactionRunner {
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
      await runBatch(queue.splice(0, MAX_BATCH));
    }
    draining = false;
  };

  return <T>(work: (trx: Trx) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!draining) void drain();
    });
}
