// Live exchange codes (TOTP, RFC 6238, over HOTP, RFC 4226), shared by the server, which checks them, and the
// hacker's phone, which shows them with no network. Pure: HMAC-SHA1 from @noble/hashes runs in both.
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';

/** What GET /me announces, in the fields authenticator apps know. */
export const LIVE_CODE_DIGITS = 6;
export const LIVE_CODE_PERIOD_SECONDS = 30;
export const LIVE_CODE_ALGORITHM = 'SHA1';

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding: how authenticator apps and `otpauth://` links carry a secret. */
export function bytesToBase32(bytes: Uint8Array): string {
  let text = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text += BASE32_ALPHABET[(buffer >>> bits) & 31];
    }
  }
  if (bits > 0) text += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return text;
}

/** Reads base32 in either case, padded or not; throws on any other character. */
export function base32ToBytes(text: string): Uint8Array {
  const clean = text.toUpperCase().replace(/=+$/, '');
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = BASE32_ALPHABET.indexOf(char);
    if (value < 0) throw new Error(`not a base32 character: ${JSON.stringify(char)}`);
    buffer = ((buffer << 5) | value) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >>> bits) & 0xff);
    }
  }
  return Uint8Array.from(bytes);
}

/** RFC 4226: the code for one counter value, zero-padded to `digits`. */
export function hotp(secret: Uint8Array, counter: number, digits = LIVE_CODE_DIGITS): string {
  const message = new Uint8Array(8);
  const view = new DataView(message.buffer);
  view.setUint32(0, Math.floor(counter / 2 ** 32));
  view.setUint32(4, counter >>> 0);
  const mac = hmac(sha1, secret, message);
  const offset = (mac[mac.length - 1] as number) & 0x0f;
  const binary = new DataView(mac.buffer, mac.byteOffset, mac.byteLength).getUint32(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** Which 30-second step (counted from the Unix epoch, T0 = 0) an instant falls in. */
const liveCodeStep = (epochMs: number, periodSeconds = LIVE_CODE_PERIOD_SECONDS): number =>
  Math.floor(epochMs / 1000 / periodSeconds);

/** RFC 6238: the code shown at an instant. */
export const totp = (secret: Uint8Array, epochMs: number, digits = LIVE_CODE_DIGITS): string =>
  hotp(secret, liveCodeStep(epochMs), digits);

/** Compares in time independent of where two codes differ, so timing tells a guesser nothing. */
function sameCode(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

/**
 * Whether `code` is the code of the current step or the one before: a code read off a phone is still good
 * for at least 30 s (time to scan and send it), one from a screenshot stops working within a minute.
 */
export function isLiveCode(secret: Uint8Array, code: string, epochMs: number): boolean {
  const step = liveCodeStep(epochMs);
  // Both steps are always computed, so the answer takes as long whichever one matches.
  const current = sameCode(hotp(secret, step), code);
  const previous = sameCode(hotp(secret, step - 1), code);
  return current || previous;
}
