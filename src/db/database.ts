import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { startBackgroundCheckpoints } from './checkpointer.js';
import type { Database } from './tables.js';
import { groupCommit, plainTransactions, type TransactionRunner } from './transactions.js';

export type DialectName = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Either the database or an open transaction: repositories run on whichever they are handed. */
export type Executor = Db | Trx;

export interface DatabaseHandle {
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
   * its own. Resolves to a function that stops listening.
   */
  readonly listen?: (channel: string, onNotify: () => void) => Promise<() => Promise<void>>;
  destroy(): Promise<void>;
}

const SQLITE_BUSY_TIMEOUT_MS = 5000;
const PG_INT8_OID = 20;

// COUNT(*), SUM() and BIGINT columns arrive from pg as strings; every such value we store fits in a double.
pg.types.setTypeParser(PG_INT8_OID, (value) => Number(value));

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; preparing costs more than running a small query, so statements are
 * kept by SQL text (Kysely runs one statement at a time on this connection, so sharing them is safe).
 */
function withStatementCache(connection: SqliteDatabase.Database) {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => connection.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.clear();
        statement = connection.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

function openSqlite(url: string): DatabaseHandle {
  const path = url.slice('sqlite:'.length);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const connection = new SqliteDatabase(path);
  connection.pragma('journal_mode = WAL');
  connection.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  connection.pragma('foreign_keys = ON');
  connection.pragma('synchronous = NORMAL');
  // Group commit runs every request in a savepoint, whose undo journal SQLite keeps in a temporary file by
  // default; there a savepoint cost about 25 us (measured), more than half of an order's four writes.
  connection.pragma('temp_store = MEMORY');
  const stopCheckpoints = path === ':memory:' ? async () => {} : startBackgroundCheckpoints(connection, path);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(connection) }) });
  // data_version moves on commits by other connections, total_changes() on every row this one writes.
  const version = connection
    .prepare('select total_changes() as own, (select data_version from pragma_data_version) as others')
    .raw();
  const changeVersion = () => String(version.get());
  const destroy = async () => {
    await stopCheckpoints();
    await db.destroy();
  };
  return { db, dialect: 'sqlite', transact: groupCommit(db), changeVersion, destroy };
}

function openPostgres(url: string, poolSize: number): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection must not crash the process; the next query reports the problem.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const listen = async (channel: string, onNotify: () => void) => {
    const client = new pg.Client({ connectionString: url });
    // A lost listening connection only delays live updates until the next poll; it must not crash the process.
    client.on('error', () => {});
    client.on('notification', onNotify);
    await client.connect();
    await client.query(`listen ${pg.escapeIdentifier(channel)}`);
    return () => client.end();
  };
  return { db, dialect: 'postgres', transact: plainTransactions(db), listen, destroy: () => db.destroy() };
}

export function openDatabase(url: string, options: { poolSize?: number } = {}): DatabaseHandle {
  if (url.startsWith('sqlite:')) return openSqlite(url);
  return openPostgres(url, options.poolSize ?? 10);
}

const UNIQUE_VIOLATION_CODES = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNIQUE_VIOLATION_CODES.has(code);
}
