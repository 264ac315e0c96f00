// Signed badge codes, shared by the server (which signs and checks them) and the web app's offline scanner
// (which checks them against the roster's public key). Pure and self-contained.

/** `<participant id>.<badge version>.<Ed25519 signature, base64url>`: 86 characters of signature. */
const SIGNED_BADGE = /^([1-9]\d{0,9})\.([1-9]\d{0,5})\.([A-Za-z0-9_-]{86})$/;

export interface SignedBadge {
  participantId: number;
  version: number;
  signature: Uint8Array;
  /** What the signature is over. */
  message: Uint8Array;
}

/** The bytes a badge's signature covers; the prefix keeps it from passing for any other signed thing. */
export const signedBadgeMessage = (participantId: number, version: number): Uint8Array =>
  new TextEncoder().encode(`tapioca-badge:${participantId}.${version}`);

export function bytesToBase64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64urlToBytes(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

export const signedBadgeCode = (participantId: number, version: number, signature: Uint8Array): string =>
  `${participantId}.${version}.${bytesToBase64url(signature)}`;

/** The parts of a signed badge code, unchecked; undefined for anything else (a badge printed before signing). */
export function parseSignedBadge(code: string): SignedBadge | undefined {
  const match = SIGNED_BADGE.exec(code);
  if (!match) return undefined;
  const participantId = Number(match[1]);
  const version = Number(match[2]);
  const signature = base64urlToBytes(match[3] as string);
  if (signature.length !== 64) return undefined;
  return { participantId, version, signature, message: signedBadgeMessage(participantId, version) };
}
