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

/** Empties the event's data and restarts ids at 1. */
export async function deleteEventData(trx: Trx, dialect: DialectName): Promise<void> {
  if (dialect === 'postgres') {
    await sql`truncate table ${sql.join(EVENT_TABLES.map((t) => sql.table(t)))} restart identity cascade`.execute(trx);
    return;
  }
  for (const table of EVENT_TABLES) await trx.deleteFrom(table).execute();
  await sql`delete from sqlite_sequence where name in (${sql.join([...EVENT_TABLES])})`.execute(trx);
}
