import { type Migration, type MigrationProvider, type MigrationResultSet, Migrator, PostgresAdapter, sql } from 'kysely';
import type { Db } from './tables.js';
import * as core from './migrations/20261124_01_core.js';
import * as boba from './migrations/20261124_02_boba.js';
import * as access from './migrations/20261124_03_access.js';
import * as events from './migrations/20261124_04_events.js';
import * as eventsReplay from './migrations/20261201_05_events_replay.js';
import * as statsCounters from './migrations/20261201_06_stats_counters.js';
import * as participantSearch from './migrations/20261201_07_participant_search.js';
import * as demoData from './migrations/20261201_08_demo_data.js';
import * as adminKeyFromEnv from './migrations/20261201_09_admin_key_from_env.js';
import * as idempotencyKeys from './migrations/20261201_10_idempotency_keys.js';
import * as orderLocation from './migrations/20261201_11_order_location.js';
import * as checkpoints from './migrations/20261201_12_checkpoints.js';
import * as offlineScanning from './migrations/20261202_13_offline_scanning.js';
import * as hardware from './migrations/20261202_14_hardware.js';
import * as dataRights from './migrations/20261202_15_data_rights.js';
import * as metricsCounters from './migrations/20261202_16_metrics_counters.js';

// Listed statically so the same list works under tsx and from the compiled dist/.
const MIGRATIONS: Record<string, Migration> = {
  '20261124_01_core': core,
  '20261124_02_boba': boba,
  '20261124_03_access': access,
  '20261124_04_events': events,
  '20261201_05_events_replay': eventsReplay,
  '20261201_06_stats_counters': statsCounters,
  '20261201_07_participant_search': participantSearch,
  '20261201_08_demo_data': demoData,
  '20261201_09_admin_key_from_env': adminKeyFromEnv,
  '20261201_10_idempotency_keys': idempotencyKeys,
  '20261201_11_order_location': orderLocation,
  '20261201_12_checkpoints': checkpoints,
  '20261202_13_offline_scanning': offlineScanning,
  '20261202_14_hardware': hardware,
  '20261202_15_data_rights': dataRights,
  '20261202_16_metrics_counters': metricsCounters,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** A migrator over this project's migrations, with Kysely's bookkeeping tables pinned to our schema. */
async function migratorFor(db: Db): Promise<Migrator> {
  // Kysely looks for its bookkeeping tables in every schema; pinning them to ours keeps two databases that
  // live in different schemas of one PostgreSQL database (a test schema, a second event) apart.
  const migrationTableSchema =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  return new Migrator({ db, provider, migrationTableSchema });
}

/** The names applied by a run; throws its error. */
function appliedBy({ error, results }: MigrationResultSet): string[] {
  if (error) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Brings the schema up to date; safe to run from several processes at once (Kysely takes a lock). */
export async function migrateToLatest(db: Db): Promise<string[]> {
  return appliedBy(await (await migratorFor(db)).migrateToLatest());
}

/** Brings the schema to migration `name` and no further: a database as an earlier version left it. */
export async function migrateTo(db: Db, name: string): Promise<string[]> {
  return appliedBy(await (await migratorFor(db)).migrateTo(name));
}
