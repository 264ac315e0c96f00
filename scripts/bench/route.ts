import { type Method, sendRaw } from './http.js';
import type { TokenBook, TokenMove } from './token-book.js';

/** The p99 latency target, in milliseconds, of most routes. */
export const P99_MS = 50;

/** One of `items`, picked at random. */
export const randomOf = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/** One request a route's `request` function makes. */
export interface RequestSpec {
  body?: unknown;
  /** Set on requests that move tokens; a fresh object per request. */
  tokens?: TokenMove;
}

interface Targets {
  /** Minimum requests/s as a fraction of the ceiling route's requests/s. */
  minRatio?: number;
  /** Minimum requests/s. */
  minRps?: number;
  /** Maximum p99 latency in milliseconds. */
  maxP99Ms?: number;
}

export interface BobaSettings {
  tokensPerOrder: number;
  cooldownSeconds: number;
  maxGrant: number;
  pairExchanges: number;
}

export interface BenchContext {
  baseUrl: string;
  /** Every participant's id, read from the database before the first route. */
  participantIds: readonly number[];
  /** As GET /boba_info reports them. */
  boba: BobaSettings;
  seconds: number;
  warmupSeconds: number;
  /**
   * How many set-ups each route is measured on, one after the other, after one `setup` (1; 3 in the
   * PostgreSQL mode): what a route's `setup` provides must last for all of them.
   */
  setUps: number;
  /** The ceiling route's requests/s once it has been measured (0 before). */
  ceilingRps: number;
  /** Every token-moving request the bench sent and what it was answered, shared by every set-up's context. */
  book: TokenBook;
  /**
   * Sends one request (with the admin key) and returns the status and parsed JSON (or text); with `tokens`,
   * the outcome is entered in the book.
   */
  send(method: Method, path: string, body?: unknown, tokens?: TokenMove): Promise<{ status: number; body: unknown }>;
}

export interface RouteBench {
  /** Shown in the table, e.g. "GET /users/100". */
  name: string;
  method: Method;
  path: string;
  /** Makes the n-th request's body (n counts from 0 across probe, warm-up and measurement); none when absent. */
  request?: (n: number, ctx: BenchContext) => RequestSpec;
  /** Run once before the warm-up, e.g. to create what the route reads or writes. */
  setup?: (ctx: BenchContext) => Promise<void>;
  /** The ceiling route others are compared with; exactly one entry has it. */
  ceiling?: boolean;
  /**
   * End each run by letting every connection finish the request it has in flight instead of cutting it off,
   * so that no write is left with an outcome the bench did not see (see `drive`). Requests/s is then the
   * responses over the time to the last one.
   */
  drain?: boolean;
  targets?: Targets;
  /**
   * The statuses this route answers when it works, refusals included (a scan of someone already served is a
   * 409); anything else fails the run. Without it, any non-2xx response fails the run.
   */
  expectedStatuses?: readonly number[];
  /** What the probe must answer (200 when absent). */
  probeStatus?: number;
  /**
   * Run after all routes, with the server stopped: checks what the route wrote, given the statuses it was
   * answered (probe, warm-up and measurement together). A failed check fails the bench whatever BENCH_STRICT says.
   */
  check?: (databaseUrl: string, statuses: StatusCounts, report: (passed: boolean, text: string) => void) => Promise<void>;
}

/** Responses per HTTP status. */
export type StatusCounts = ReadonlyMap<number, number>;

export function makeContext(baseUrl: string, fields: Omit<BenchContext, 'baseUrl' | 'send' | 'ceilingRps'>): BenchContext {
  const { book } = fields;
  return {
    baseUrl,
    ...fields,
    ceilingRps: 0,
    async send(method, path, body, tokens) {
      if (tokens) book.sent(tokens);
      const { status, text } = await sendRaw(baseUrl, method, path, body);
      if (tokens) book.answered(tokens, status);
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON; keep the text
      }
      return { status, body: parsed };
    },
  };
}
