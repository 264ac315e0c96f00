import { randomBytes } from 'node:crypto';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/** The admin key the bench's server is started with (TAPIOCA_ADMIN_KEY): 32 random bytes, 43 characters. */
export const ADMIN_KEY = randomBytes(32).toString('base64url');
/** Sent with every request the bench makes. */
export const AUTH_HEADERS: Readonly<Record<string, string>> = Object.freeze({ authorization: `Bearer ${ADMIN_KEY}` });
export const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'content-type': 'application/json' });

/** One request with the admin key (and a JSON body when given); returns the status and the raw body. */
export async function sendRaw(
  baseUrl: string,
  method: Method,
  path: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: body === undefined ? AUTH_HEADERS : { ...AUTH_HEADERS, ...JSON_HEADERS },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}
