import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Clock } from '../../clock.js';
import type { AccessConfig } from '../../config.js';
import type { Db } from '../../db/tables.js';
import { runTransaction } from '../../db/transactions.js';
import * as repository from './keys.repository.js';
import { type CreatedKey, createKey, hashKey } from './keys.service.js';

export interface BootstrapResult {
  /** Set when this start created the first admin key: it is shown to the operator once. */
  created?: CreatedKey;
  savedTo?: string;
  /** Keys of earlier TAPIOCA_ADMIN_KEY values that this start revoked. */
  revokedEarlierEnvKeys?: number;
  /** TAPIOCA_ADMIN_KEY is a key that was revoked: it stays refused, and no other key was touched. */
  envKeyRevoked?: boolean;
}

/**
 * Registers TAPIOCA_ADMIN_KEY and revokes the keys of its earlier values, so changing the variable retires the
 * old secret. A value whose key was revoked stays revoked (an admin may have revoked it on purpose), and then
 * nothing else changes: a process started with a stale value must not lock out the current one.
 */
async function registerEnvAdminKey(db: Db, adminKey: string, now: number): Promise<BootstrapResult> {
  const keyHash = hashKey(adminKey);
  return runTransaction(db, async (trx) => {
    const existing = await repository.findKeyByHash(trx, keyHash);
    if (existing && existing.revoked_at !== null) return { envKeyRevoked: true };
    if (!existing) await repository.insertEnvAdminKey(trx, keyHash, now);
    return { revokedEarlierEnvKeys: await repository.revokeEnvKeysOtherThan(trx, keyHash, now) };
  });
}

/**
 * Makes sure somebody can administer the event: TAPIOCA_ADMIN_KEY is registered (by hash) when given, in
 * place of the key of its previous value; otherwise, while no usable admin key exists, one is created and,
 * for SQLite, saved beside the database.
 */
export async function ensureAdminKey(db: Db, access: AccessConfig, databaseUrl: string, clock: Clock): Promise<BootstrapResult> {
  const now = clock.now();
  if (access.adminKey !== undefined) return registerEnvAdminKey(db, access.adminKey, now);
  if ((await repository.countActiveKeys(db, 'admin', now)) > 0) return {};
  const created = await createKey(db, { role: 'admin', name: 'first admin key' }, now);
  if (!databaseUrl.startsWith('sqlite:') || databaseUrl === 'sqlite::memory:') return { created };
  const savedTo = join(dirname(databaseUrl.slice('sqlite:'.length)), 'admin.key');
  mkdirSync(dirname(savedTo), { recursive: true });
  writeFileSync(savedTo, `${created.key}\n`, { mode: 0o600 });
  chmodSync(savedTo, 0o600);
  return { created, savedTo };
}
