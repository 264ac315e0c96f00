// A small fetch wrapper: every call carries the API key; errors become ApiError with the server's words and code.
import type { ErrorCode } from './api-types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** What the app decides on; undefined when no answer came, or the answer was not the API's (a proxy's 502). */
    readonly code: ErrorCode | undefined = undefined,
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
}

/** Sends a request and returns the Response when it is 2xx; throws ApiError otherwise. */
export async function request(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<Response> {
  const key = options.key ?? sessionKey;
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: options.signal,
      cache: 'no-store',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'Cannot reach Tapioca. Check your connection and try again.');
  }
  if (response.ok) return response;
  const error = await apiErrorOf(response);
  if (error.code === 'authentication_required' && options.key === undefined && onUnauthorized) onUnauthorized();
  throw error;
}

/** The error a non-2xx response carries: the API's message and code, or a generic message and no code. */
export async function apiErrorOf(response: Response): Promise<ApiError> {
  let message = `Request failed (${response.status})`;
  let code: ErrorCode | undefined;
  try {
    const data = (await response.json()) as { error?: unknown; code?: unknown };
    if (typeof data.error === 'string') message = data.error;
    if (typeof data.code === 'string') code = data.code as ErrorCode;
  } catch {
    // Not JSON: keep the generic message, no code.
  }
  return new ApiError(response.status, message, code);
}

/** A JSON API call. */
export async function api<T>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<T> {
  const response = await request(method, path, body, options);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string, options?: RequestOptions) => api<T>('GET', path, undefined, options);

const TAPIOCA_FAILED = 'Tapioca had a problem. Please try again.';

/** Plain words for an error, for role=alert. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'forbidden') return 'You are not allowed to do that.';
    if (error.code === 'authentication_required') return 'That key was not accepted';
    if (error.code === 'internal' || error.code === 'database_unavailable') return TAPIOCA_FAILED;
    // Without a code the answer was not Tapioca's own (a proxy in front of it failed, say).
    if (error.code === undefined && error.status >= 500) return TAPIOCA_FAILED;
    return error.message;
  }
  return 'Something went wrong. Please try again.';
}

export const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';
