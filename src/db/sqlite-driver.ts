import type SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, SqliteDialect } from 'kysely';

const STATEMENT_CACHE_SIZE = 500;
const FIRST_RETRY_MS = 2;
const LONGEST_RETRY_MS = 50;

/** SQLITE_BUSY and its extended codes: another connection holds the lock this statement needs. */
const isBusy = (error: unknown) => /^SQLITE_BUSY/.test(String((error as { code?: unknown } | null)?.code));

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Hands the one connection to one user at a time, in the order they asked. */
class Mutex {
  private held = false;
  private readonly waiting: (() => void)[] = [];

  async lock(): Promise<void> {
    if (!this.held) {
      this.held = true;
      return;
    }
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  unlock(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.held = false;
  }
}

/**
 * Kysely's SQLite driver for a server: it never waits for a lock on the event loop. The connection runs with
 * busy_timeout 0, so a statement that needs a lock another process holds fails with SQLITE_BUSY at once;
 * the driver then gives the connection to other queries (reads go on: WAL readers need no lock), sleeps a
 * little, and tries again, until `lockTimeoutMs` has passed. better-sqlite3's own busy wait would stop every
 * request of this process for as long as the other process keeps the lock.
 *
 * Transactions start with BEGIN IMMEDIATE: the write lock is taken, or waited for, before any work runs,
 * so no statement inside a transaction can meet SQLITE_BUSY (which could only fail the transaction, since
 * its connection cannot be handed over while it is open).
 */
class LockWaitingDriver implements Driver {
  private readonly mutex = new Mutex();
  private readonly statements = new Map<string, SqliteDatabase.Statement>();
  private readonly connection: DatabaseConnection;

  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly lockTimeoutMs: number,
  ) {
    this.connection = {
      executeQuery: <R>(query: CompiledQuery) => this.execute<R>(query),
      streamQuery: <R>(query: CompiledQuery) => this.stream<R>(query),
    };
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.mutex.lock();
    return this.connection;
  }

  async releaseConnection(): Promise<void> {
    this.mutex.unlock();
  }

  async beginTransaction(): Promise<void> {
    await this.execute(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(): Promise<void> {
    await this.execute(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(): Promise<void> {
    // After SQLITE_FULL or an I/O error SQLite may already have rolled back; a second rollback would fail and
    // hide that error behind "cannot rollback - no transaction is active".
    if (this.sqlite.inTransaction) await this.execute(CompiledQuery.raw('rollback'));
  }

  async savepoint(_connection: DatabaseConnection, name: string): Promise<void> {
    await this.execute(CompiledQuery.raw(`savepoint ${quoted(name)}`));
  }

  async rollbackToSavepoint(_connection: DatabaseConnection, name: string): Promise<void> {
    await this.execute(CompiledQuery.raw(`rollback to ${quoted(name)}`));
  }

  async releaseSavepoint(_connection: DatabaseConnection, name: string): Promise<void> {
    await this.execute(CompiledQuery.raw(`release ${quoted(name)}`));
  }

  async destroy(): Promise<void> {
    this.sqlite.close();
  }

  /**
   * Kysely prepares every query anew; preparing costs more than running a small query, so statements are
   * kept by SQL text (one statement runs at a time on this connection, so sharing them is safe).
   */
  private prepare(sql: string): SqliteDatabase.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size >= STATEMENT_CACHE_SIZE) this.statements.clear();
      statement = this.sqlite.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private runOnce<R>({ sql, parameters }: CompiledQuery): QueryResult<R> {
    const statement = this.prepare(sql);
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }

  /** Called with the connection held (Kysely acquired it); returns with it held again. */
  private async execute<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const deadline = Date.now() + this.lockTimeoutMs;
    for (let wait = FIRST_RETRY_MS; ; wait = Math.min(wait * 2, LONGEST_RETRY_MS)) {
      try {
        return this.runOnce<R>(query);
      } catch (error) {
        if (!isBusy(error) || this.sqlite.inTransaction || Date.now() + wait > deadline) throw error;
      }
      this.mutex.unlock();
      await sleep(wait);
      await this.mutex.lock();
    }
  }

  private async *stream<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const statement = this.prepare(query.sql);
    if (!statement.reader) throw new Error('only queries that return rows can be streamed');
    for (const row of statement.iterate(query.parameters)) yield { rows: [row as R] };
  }
}

/** Kysely's SQLite dialect with the lock-waiting driver above, on an already configured connection. */
export class LockWaitingSqliteDialect extends SqliteDialect {
  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly lockTimeoutMs: number,
  ) {
    super({ database: sqlite });
  }

  override createDriver(): Driver {
    return new LockWaitingDriver(this.sqlite, this.lockTimeoutMs);
  }
}
