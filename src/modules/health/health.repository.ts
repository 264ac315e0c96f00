import type { Executor } from '../../db/tables.js';

/** Whether the database holds demo data; answering at all is what shows the database is up. */
export async function holdsDemoData(ex: Executor): Promise<boolean> {
  const row = await ex.selectFrom('event_settings').select('demo').where('id', '=', 1).executeTakeFirstOrThrow();
  return row.demo === 1;
}
