// Which key something kept on this device belongs to, without keeping the key itself beside it.

/** FNV-1a: enough to tell two keys apart, and nothing anyone could sign in with. */
export function keyFingerprint(key: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16);
}
