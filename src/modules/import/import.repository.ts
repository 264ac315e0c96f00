import { sql } from 'kysely';
import type { DialectName, Trx } from '../../db/database.js';

/** Every table holding event data, dependents first. */
const EVENT_TABLES = [
  'events',
  'pair_exchanges',
  'token_ledger',
  'boba_orders',
  'check_ins',
  'participant_skills',
  'participants',
  'skills',
] as const;

/** The tables whose ids count from 1 again after a reset. */
const IDENTITY_TABLES = ['events', 'token_ledger', 'boba_orders', 'participant_skills', 'participants', 'skills'] as const;

/**
 * Empties the event's data and restarts ids at 1. Participant keys go with their participants; admin
 * and volunteer keys stay, so whoever runs the reset can still get in.
 */
export async function deleteEventData(trx: Trx, dialect: DialectName): Promise<void> {
  await trx.deleteFrom('api_keys').where('participant_id', 'is not', null).execute();
  for (const table of EVENT_TABLES) await trx.deleteFrom(table).execute();
  if (dialect === 'postgres') {
    for (const table of IDENTITY_TABLES) {
      await sql`alter table ${sql.table(table)} alter column id restart with 1`.execute(trx);
    }
  } else {
    await sql`delete from sqlite_sequence where name in (${sql.join([...IDENTITY_TABLES])})`.execute(trx);
  }
}
