import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { startBackgroundCheckpoints } from './checkpointer.js';
import { DatabaseStartupError } from './database-errors.js';
import { LockWaitingSqliteDialect } from './sqlite-driver.js';
import type { Database, Db } from './tables.js';
import { ambientTransaction, groupCommit, plainTransactions, type TransactionRunner } from './transactions.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  /** Inside `runInAmbientTransaction`, every query through it runs in that transaction (see ambientAware). */
  readonly db: Db;
  readonly dialect: DialectName;
  /** How services run their write transactions: group commit on SQLite, one by one on PostgreSQL. */
  readonly transact: TransactionRunner;
  /**
   * SQLite only: a value that changes whenever any connection, in this process or another, has changed the
   * database. Lets a reader reuse a result until then. PostgreSQL has no cheap equivalent, so it has none.
   */
  readonly changeVersion?: () => string;
  /**
   * PostgreSQL only: calls `onNotify` for every NOTIFY on `channel`, from any process, on a connection of
   * its own. When that connection is lost it listens again, with growing pauses, until it can; then it
   * calls `onNotify` once, since notifications sent meanwhile reached no one. Resolves, once the first
   * attempt has succeeded or failed, to a function that stops listening.
   */
  readonly listen?: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>;
  /** SQLite only: calls `listener` with the number of transactions each group commit runs; returns its removal. */
  readonly observeCommitBatches?: (listener: (size: number) => void) => () => void;
  /** PostgreSQL only: the connection pool's state right now. */
  readonly poolUsage?: () => PoolUsage;
  destroy(): Promise<void>;
}

export interface PoolUsage {
  /** Connections open, idle or lent out. */
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
  max: number;
}

export interface OpenOptions {
  /** PostgreSQL: connections in the pool. */
  poolSize?: number;
  /** PostgreSQL: how long opening a connection may take before it is given up (a server that never answers). */
  connectTimeoutMs?: number;
  /** SQLite: how long a statement waits, without blocking, for a lock another process holds. */
  lockTimeoutMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
const RELISTEN_FIRST_PAUSE_MS = 100;
const RELISTEN_LONGEST_PAUSE_MS = 2000;
const PG_INT8_OID = 20;

// COUNT(*), SUM() and BIGINT columns arrive from pg as strings; every such value we store fits in a double.
pg.types.setTypeParser(PG_INT8_OID, (value) => Number(value));

/**
 * `db`, except that while an ambient transaction is set (an idempotent request) it is that transaction.
 * Services read through `db` beside their transactions; on SQLite such a read would wait forever for the one
 * connection the transaction holds, and on PostgreSQL it would not see the request's own writes.
 */
function ambientAware(db: Db): Db {
  const boundToDb = new Map<PropertyKey, unknown>();
  return new Proxy(db, {
    get(target, property) {
      const source = ambientTransaction() ?? target;
      const value: unknown = Reflect.get(source, property, source);
      // Kysely's methods read private fields, so they must run on the real object, not on this proxy.
      if (typeof value !== 'function') return value;
      if (source !== target) return value.bind(source) as unknown;
      let bound = boundToDb.get(property);
      if (!bound) boundToDb.set(property, (bound = value.bind(target)));
      return bound;
    },
  });
}

/**
 * A read-only file (or directory) opens, reads and even begins a write transaction without complaint; only
 * an actual write fails. One is made, and rolled back, so the server refuses to start instead of answering
 * every write with an error.
 */
function assertWritable(connection: SqliteDatabase.Database): void {
  connection.exec('begin immediate');
  try {
    connection.exec('create table tapioca_write_check (id integer)');
  } finally {
    if (connection.inTransaction) connection.exec('rollback');
  }
}

function configureSqlite(path: string, lockTimeoutMs: number): SqliteDatabase.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const connection = new SqliteDatabase(path);
  try {
    // Nothing is served yet, so here (only) waiting for another process's lock on the event loop is harmless.
    connection.pragma(`busy_timeout = ${lockTimeoutMs}`);
    connection.pragma('journal_mode = WAL');
    connection.pragma('foreign_keys = ON');
    connection.pragma('synchronous = NORMAL');
    // Group commit runs every request in a savepoint, whose undo journal SQLite keeps in a temporary file by
    // default; there a savepoint cost about 25 us (measured), more than half of an order's four writes.
    connection.pragma('temp_store = MEMORY');
    if (path !== ':memory:') assertWritable(connection);
    // From now on a lock is waited for by the driver, asynchronously (see sqlite-driver.ts).
    connection.pragma('busy_timeout = 0');
    return connection;
  } catch (error) {
    connection.close();
    throw error;
  }
}

function openSqlite(url: string, lockTimeoutMs: number): DatabaseHandle {
  const path = url.slice('sqlite:'.length);
  let connection: SqliteDatabase.Database;
  try {
    connection = configureSqlite(path, lockTimeoutMs);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new DatabaseStartupError(
      `Cannot use the SQLite database file ${path}: ${(error as Error).message}${typeof code === 'string' ? ` (${code})` : ''}. ` +
        'The server must be able to read and write it and to create files next to it (its -wal and -shm files).',
      { cause: error },
    );
  }
  const stopCheckpoints = path === ':memory:' ? async () => {} : startBackgroundCheckpoints(connection, path);
  const db = new Kysely<Database>({ dialect: new LockWaitingSqliteDialect(connection, lockTimeoutMs) });
  // data_version moves on commits by other connections, total_changes() on every row this one writes.
  const version = connection
    .prepare('select total_changes() as own, (select data_version from pragma_data_version) as others')
    .raw();
  const changeVersion = () => String(version.get());
  const destroy = async () => {
    await stopCheckpoints();
    await db.destroy();
  };
  const batchListeners = new Set<(size: number) => void>();
  const observeCommitBatches = (listener: (size: number) => void) => {
    batchListeners.add(listener);
    return () => void batchListeners.delete(listener);
  };
  const transact = groupCommit(db, (size) => {
    for (const listener of batchListeners) listener(size);
  });
  return { db: ambientAware(db), dialect: 'sqlite', transact, changeVersion, observeCommitBatches, destroy };
}

/** Opens a connection and LISTENs on it; `ended` settles when that connection is lost or closed. */
async function listenOnce(
  url: string,
  connectTimeoutMs: number,
  channel: string,
  onNotify: () => void,
  opened: (client: pg.Client) => void,
): Promise<{ ended: Promise<void> }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs });
  // A lost connection shows as its end, which the caller waits for; an unhandled 'error' would end the process.
  client.on('error', () => {});
  client.on('notification', onNotify);
  const ended = new Promise<void>((resolve) => client.once('end', resolve));
  opened(client);
  try {
    await client.connect();
    await client.query(`listen ${pg.escapeIdentifier(channel)}`);
  } catch (error) {
    void client.end().catch(() => {});
    throw error;
  }
  return { ended };
}

function listener(url: string, connectTimeoutMs: number): NonNullable<DatabaseHandle['listen']> {
  return (channel, onNotify) =>
    new Promise((resolveFirstAttempt) => {
      let stopped = false;
      let current: pg.Client | undefined;
      let endPause = () => {};
      const pause = (ms: number) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          timer.unref();
          endPause = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      const stop = async () => {
        stopped = true;
        endPause();
        await current?.end().catch(() => {});
      };

      const keepListening = async () => {
        let pauseMs = RELISTEN_FIRST_PAUSE_MS;
        let missedNotifications = false;
        while (!stopped) {
          try {
            const { ended } = await listenOnce(url, connectTimeoutMs, channel, onNotify, (client) => (current = client));
            resolveFirstAttempt(stop);
            if (stopped) return; // stop() has closed this connection
            if (missedNotifications) onNotify();
            pauseMs = RELISTEN_FIRST_PAUSE_MS;
            await ended;
          } catch {
            resolveFirstAttempt(stop);
          }
          missedNotifications = true;
          if (stopped) return;
          await pause(pauseMs);
          pauseMs = Math.min(pauseMs * 2, RELISTEN_LONGEST_PAUSE_MS);
        }
      };
      void keepListening();
    });
}

function openPostgres(url: string, poolSize: number, connectTimeoutMs: number): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: connectTimeoutMs });
  // pg-pool handles 'error' only on idle clients. A client that loses its connection while checked out (the
  // server restarted, its backend was terminated) would emit an unhandled 'error' and end the process; its
  // query in flight fails with that error anyway, and the pool drops the client when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  // An idle client losing its connection must not crash the process either; the next query reports it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db: ambientAware(db),
    dialect: 'postgres',
    transact: plainTransactions(db),
    listen: listener(url, connectTimeoutMs),
    poolUsage: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: poolSize }),
    destroy: () => db.destroy(),
  };
}

export function openDatabase(url: string, options: OpenOptions = {}): DatabaseHandle {
  if (url.startsWith('sqlite:')) return openSqlite(url, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
  return openPostgres(url, options.poolSize ?? 10, options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
}

const UNIQUE_VIOLATION_CODES = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNIQUE_VIOLATION_CODES.has(code);
}
