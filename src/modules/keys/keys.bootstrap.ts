import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AccessConfig } from '../../config.js';
import type { Db } from '../../db/database.js';
import * as repository from './keys.repository.js';
import { type CreatedKey, createKey, hashKey } from './keys.service.js';

export interface BootstrapResult {
  /** Set when this start created the first admin key: it is shown to the operator once. */
  created?: CreatedKey;
  savedTo?: string;
}

/**
 * Makes sure somebody can administer the event: TAPIOCA_ADMIN_KEY is registered (by hash) when given;
 * otherwise, while no usable admin key exists, one is created and, for SQLite, saved beside the database.
 */
export async function ensureAdminKey(db: Db, access: AccessConfig, databaseUrl: string): Promise<BootstrapResult> {
  const now = Date.now();
  if (access.adminKey !== undefined) {
    if (!(await repository.findKeyByHash(db, hashKey(access.adminKey)))) {
      await createKey(db, { role: 'admin', name: 'TAPIOCA_ADMIN_KEY' }, now, access.adminKey);
    }
    return {};
  }
  if ((await repository.countActiveKeys(db, 'admin', now)) > 0) return {};
  const created = await createKey(db, { role: 'admin', name: 'first admin key' }, now);
  if (!databaseUrl.startsWith('sqlite:') || databaseUrl === 'sqlite::memory:') return { created };
  const savedTo = join(dirname(databaseUrl.slice('sqlite:'.length)), 'admin.key');
  mkdirSync(dirname(savedTo), { recursive: true });
  writeFileSync(savedTo, `${created.key}\n`, { mode: 0o600 });
  chmodSync(savedTo, 0o600);
  return { created, savedTo };
}
