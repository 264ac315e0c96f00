// A small fetch wrapper: every call carries the API key; errors become ApiError with the server's words and code.
import type { ErrorCode } from './api-types';
import { noteRequestAnswered, noteRequestFailed } from './offline/network';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** What the app decides on; undefined when no answer came, or the answer was not the API's (a proxy's 502). */
    readonly code: ErrorCode | undefined = undefined,
    /** The whole JSON answer, for refusals that carry more than words (a refused scan names the participant). */
    readonly body: unknown = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let sessionKey: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** Sets the key every call carries, and what happens when the server stops accepting it. */
export function configureApi(key: string | null, unauthorized: (() => void) | null): void {
  sessionKey = key;
  onUnauthorized = unauthorized;
}

export interface RequestOptions {
  /** Use this key instead of the session's (sign-in checks a key before keeping it); a 401 then signs nobody out. */
  key?: string;
  signal?: AbortSignal;
  accept?: string;
  /** Sent as Idempotency-Key: the server does a write at most once per key and replays its answer to repeats. */
  idempotencyKey?: string;
  /** A text body of this type (a CSV upload), sent as it is; any other body is sent as JSON. */
  contentType?: string;
}

/** Sends a request and returns the Response when it is 2xx; throws ApiError otherwise. */
export async function request(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<Response> {
  const key = options.key ?? sessionKey;
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : options.contentType && typeof body === 'string' ? body : JSON.stringify(body),
      signal: options.signal,
      cache: 'no-store',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    noteRequestFailed();
    throw new ApiError(0, 'Cannot reach Tapioca. Check your connection and try again.');
  }
  noteRequestAnswered();
  if (response.ok) return response;
  const error = await apiErrorOf(response);
  if (error.code === 'authentication_required' && options.key === undefined && onUnauthorized) onUnauthorized();
  throw error;
}

/** The error a non-2xx response carries: the API's message and code, or a generic message and no code. */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  let message = `Request failed (${response.status})`;
  let code: ErrorCode | undefined;
  let body: unknown;
  try {
    const data = (await response.json()) as { error?: unknown; code?: unknown };
    body = data;
    if (typeof data.error === 'string') message = data.error;
    if (typeof data.code === 'string') code = data.code as ErrorCode;
  } catch {
    // Not JSON: keep the generic message, no code.
  }
  return new ApiError(response.status, message, code, body);
}

async function jsonOf<T>(response: Response): Promise<T> {
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A JSON API call. */
async function api<T>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<T> {
  return jsonOf<T>(await request(method, path, body, options));
}

/**
 * A fresh idempotency key for one user intent. crypto.randomUUID exists only in secure contexts, and the app
 * may be opened over plain http on the venue's network, so fall back to the same format from getRandomValues.
 */
export function newIntentKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Pauses before each retry of a write whose answer was lost or is still being worked on; then it gives up. */
const RETRY_DELAYS_MS = [300, 1000, 2000, 4000];
/** An attempt with no answer after this long counts as lost (the server may still finish it: the retry asks). */
const ATTEMPT_TIMEOUT_MS = 10_000;

/**
 * Whether a failed write's outcome is unknown, so the same intent may be sent again with the same key: no
 * answer came (network error, timeout), a proxy in front of Tapioca failed, or the first attempt is still running.
 */
export function outcomeUnknown(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.code === 'idempotency_in_progress') return true;
  return error.code === undefined && (error.status === 0 || error.status === 502 || error.status === 503 || error.status === 504);
}

/** How long to wait before retry number `retry` (0-based) after `error`, or null to give up. */
export function retryDelay(retry: number, error: unknown): number | null {
  if (!outcomeUnknown(error)) return null;
  return RETRY_DELAYS_MS[retry] ?? null;
}

const LOST = 'Tapioca did not answer in time. Check your connection and try again.';

async function attempt(
  method: string,
  path: string,
  body: unknown,
  options: RequestOptions,
  timeoutMs: number,
): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const forward = () => controller.abort();
  options.signal?.addEventListener('abort', forward, { once: true });
  try {
    return await request(method, path, body, { ...options, signal: controller.signal });
  } catch (error) {
    if (isAbort(error) && !options.signal?.aborted) throw new ApiError(0, LOST);
    throw error;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', forward);
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface IntentOptions extends RequestOptions {
  /** null for a route whose body makes it safe to repeat (queued scans carry their nonces): no header is sent. */
  intentKey: string | null;
  /**
   * Stop retrying after this long, whatever is left of the schedule: a scanning station would rather say "not
   * sure, show the badge again" (which repeats the same intent) than hold up the line.
   */
  giveUpAfterMs?: number;
  /** No retry: a scanning station decides offline at once rather than wait for a network that just failed. */
  singleAttempt?: boolean;
}

/** Known to be offline: the write was not sent at all, so nothing happened (unlike a lost answer). */
class NotSentError extends ApiError {
  constructor() {
    super(0, 'You are offline, so nothing was sent. Try again when the connection is back.');
  }
}

/** Whether a write failed because it was never sent (the phone knew it was offline): nothing happened. */
export const notSent = (error: unknown) => error instanceof NotSentError;

/**
 * Sends a write for one user intent with its idempotency key, and sends it again with the same key while
 * the outcome is unknown (a few times, backing off): the server does it once and answers every repeat with
 * the first attempt's answer, so what is shown is what really happened.
 */
async function sendIntent(
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  body: unknown,
  options: IntentOptions,
): Promise<Response> {
  const { intentKey, giveUpAfterMs, singleAttempt, ...rest } = options;
  // Known to be offline: nothing is sent, so nothing can happen later behind the user's back.
  if (!navigator.onLine) throw new NotSentError();
  const deadline = giveUpAfterMs === undefined ? Infinity : Date.now() + giveUpAfterMs;
  for (let retry = 0; ; retry++) {
    const timeoutMs = Math.max(1, Math.min(ATTEMPT_TIMEOUT_MS, deadline - Date.now()));
    try {
      return await attempt(method, path, body, { ...rest, idempotencyKey: intentKey ?? undefined }, timeoutMs);
    } catch (error) {
      const delay = singleAttempt ? null : retryDelay(retry, error);
      if (delay === null || rest.signal?.aborted || Date.now() + delay >= deadline) throw error;
      await pause(delay);
    }
  }
}

/** A JSON write for one user intent (see sendIntent). */
export async function mutate<T>(
  method: 'POST' | 'PUT' | 'DELETE',
  path: string,
  body: unknown,
  options: IntentOptions,
): Promise<T> {
  return jsonOf<T>(await sendIntent(method, path, body, options));
}

export const get = <T>(path: string, options?: RequestOptions) => api<T>('GET', path, undefined, options);

const TAPIOCA_FAILED = 'Tapioca had a problem. Please try again.';

/** Plain words for an error, for role=alert. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'forbidden') return 'You are not allowed to do that.';
    if (error.code === 'authentication_required') return 'That key was not accepted';
    if (error.code === 'internal' || error.code === 'database_unavailable') return TAPIOCA_FAILED;
    if (error.code === 'rate_limited') return 'Too many requests: wait a minute, then try again.';
    // Without a code the answer was not Tapioca's own (a proxy in front of it failed, say).
    if (error.code === undefined && error.status >= 500) return TAPIOCA_FAILED;
    return error.message;
  }
  return 'Something went wrong. Please try again.';
}

export const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';
