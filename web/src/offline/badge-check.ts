// Checks a badge code with no network: a signed badge (<id>.<version>.<signature>) against the event's public
// key from the roster. Badges printed before badges were signed carry no such proof: only the server knows them.
import { ed25519 } from '@noble/curves/ed25519.js';
import { base64urlToBytes, parseSignedBadge } from '../../../src/shared/badge-token.ts';

export type BadgeCheck =
  /** Signed by the event, and the participant's current badge (or one newer than the roster knows). */
  | { kind: 'valid'; participantId: number }
  /** Looks signed, but the signature is not the event's. */
  | { kind: 'forged' }
  /** A real badge that a newer one replaced (rotated away). */
  | { kind: 'replaced'; participantId: number }
  /** Signed, but of nobody on the roster. */
  | { kind: 'not_listed'; participantId: number }
  /** An unsigned badge printed before signing: only the server can tell whose it is. */
  | { kind: 'legacy' }
  /** Neither: not a badge of this event. */
  | { kind: 'unknown' };

/** Unsigned badges are 22 characters of base64url (16 random bytes). */
const LEGACY_BADGE = /^[A-Za-z0-9_-]{22}$/;

const keys = new Map<string, Uint8Array>();
function publicKeyBytes(publicKey: string): Uint8Array | undefined {
  let bytes = keys.get(publicKey);
  if (!bytes) {
    try {
      bytes = base64urlToBytes(publicKey);
    } catch {
      return undefined;
    }
    keys.set(publicKey, bytes);
  }
  return bytes.length === 32 ? bytes : undefined;
}

function signatureHolds(signature: Uint8Array, message: Uint8Array, publicKey: string): boolean {
  const key = publicKeyBytes(publicKey);
  if (!key) return false;
  try {
    return ed25519.verify(signature, message, key);
  } catch {
    // A signature that is not even a curve point: not the event's.
    return false;
  }
}

/**
 * What a badge code is, judged offline. `versionOf` gives a participant's current badge version on the roster
 * (undefined for someone not on it). A version newer than the roster's is a rotation the roster has not heard of
 * yet: only the server can sign it, so it stands.
 */
export function checkBadge(
  code: string,
  publicKey: string,
  versionOf: (participantId: number) => number | undefined,
): BadgeCheck {
  const badge = parseSignedBadge(code);
  if (!badge) return LEGACY_BADGE.test(code) ? { kind: 'legacy' } : { kind: 'unknown' };
  if (!signatureHolds(badge.signature, badge.message, publicKey)) return { kind: 'forged' };
  const current = versionOf(badge.participantId);
  if (current === undefined) return { kind: 'not_listed', participantId: badge.participantId };
  if (badge.version < current) return { kind: 'replaced', participantId: badge.participantId };
  return { kind: 'valid', participantId: badge.participantId };
}
