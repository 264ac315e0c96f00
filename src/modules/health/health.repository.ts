import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';

/** Resolves when the database answers a trivial query. */
export async function ping(ex: Executor): Promise<void> {
  await sql`select 1`.execute(ex);
}
