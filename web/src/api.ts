// A small fetch wrapper: every call carries the API key; errors become ApiError with the server's words.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
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
  let message = `Request failed (${response.status})`;
  try {
    const data = (await response.json()) as { error?: unknown };
    if (typeof data.error === 'string') message = data.error;
  } catch {
    // Not JSON: keep the generic message.
  }
  if (response.status === 401 && options.key === undefined && onUnauthorized) onUnauthorized();
  throw new ApiError(response.status, message);
}

/** A JSON API call. */
export async function api<T>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<T> {
  const response = await request(method, path, body, options);
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const get = <T>(path: string, options?: RequestOptions) => api<T>('GET', path, undefined, options);

/** Plain words for an error, for role=alert. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 403) return 'You are not allowed to do that.';
    if (error.status === 401) return 'That key was not accepted';
    if (error.status >= 500) return 'Tapioca had a problem. Please try again.';
    return error.message;
  }
  return 'Something went wrong. Please try again.';
}

export const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';
