import { randomBytes } from 'node:crypto';

/** 128 random bits, URL-safe: unguessable, and short enough for a readable QR code. */
export const newBadgeCode = () => randomBytes(16).toString('base64url');
