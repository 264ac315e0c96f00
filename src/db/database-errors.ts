/** Admin shutdown, crash shutdown, cannot connect now; disk full and too many connections. */
const PG_UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53100', '53300']);
/** Class 08: connection exceptions. */
const PG_CONNECTION_CLASS = '08';
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** Locked past the wait, disk full, I/O failure, file not writable or not openable (extended codes included). */
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|FULL|IOERR|READONLY|CANTOPEN)(_|$)/;
/** pg and pg-pool report a lost connection or a connect timeout by message only. */
const PG_CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^timeout expired$/,
  /is not queryable$/,
];

function isUnavailableItself(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (PG_UNAVAILABLE_CODES.has(code) || NETWORK_CODES.has(code) || SQLITE_UNAVAILABLE.test(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && code.startsWith(PG_CONNECTION_CLASS)) return true;
  }
  return PG_CONNECTION_MESSAGES.some((message) => message.test(error.message));
}

/**
 * True when `error` means the database cannot serve now but may again later: PostgreSQL down, restarting
 * or unreachable, a connection lost; SQLite locked by another process past the wait, its disk full or
 * failing, its file not writable. Such errors are answered 503, not treated as bugs. Looks through `cause`
 * and the errors of an AggregateError (a refused connection to every address of a host).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let depth = 0; error instanceof Error && depth < 5; depth += 1) {
    if (isUnavailableItself(error)) return true;
    if (error instanceof AggregateError && error.errors.some((inner) => isDatabaseUnavailable(inner))) return true;
    error = error.cause;
  }
  return false;
}

/** Why the process could not start on its database, in words an operator can act on. */
export class DatabaseStartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseStartupError';
  }
}

/** Where the database lives, without credentials: the SQLite file, or PostgreSQL's host:port. */
function databaseLocation(url: string): string {
  if (url.startsWith('sqlite:')) return url.slice('sqlite:'.length);
  const parsed = new URL(url);
  const host = parsed.searchParams.get('host') ?? (parsed.hostname || 'localhost');
  return `${host}:${parsed.port || '5432'}`;
}

/**
 * Turns a failure to reach PostgreSQL during start-up into a message naming the server and the setting that
 * bounds the wait; other errors pass through unchanged.
 */
export function explainStartupFailure(error: unknown, databaseUrl: string, connectTimeoutMs: number): unknown {
  if (databaseUrl.startsWith('sqlite:') || !isDatabaseUnavailable(error)) return error;
  // A refused connection to every address of a host arrives as an AggregateError without a message.
  const reason = (error instanceof Error && (error.message || (error as { code?: string }).code)) || String(error);
  return new DatabaseStartupError(
    `Cannot reach PostgreSQL at ${databaseLocation(databaseUrl)} (${reason}). Check DATABASE_URL and that the ` +
      `server is up and reachable; a connection that does not complete within DATABASE_CONNECT_TIMEOUT_MS ` +
      `(${connectTimeoutMs} ms) is given up.`,
    { cause: error },
  );
}
