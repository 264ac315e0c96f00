import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Db } from './database.js';
import * as core from './migrations/20261124_01_core.js';
import * as boba from './migrations/20261124_02_boba.js';

// Listed statically so the same list works under tsx and from the compiled dist/.
const MIGRATIONS: Record<string, Migration> = {
  '20261124_01_core': core,
  '20261124_02_boba': boba,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Brings the schema up to date; safe to run from several processes at once (Kysely takes a lock). */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
