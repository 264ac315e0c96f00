/**
 * Fills a database with N generated participants (src/demo/generate-participants.ts) through the import
 * service, as `npm run import -- --reset` would, unless it already holds exactly N participants.
 *
 *   tsx scripts/scale-data.ts <database url> [participants=100000]
 */
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { generateParticipants } from '../src/demo/generate-participants.js';
import { importParticipants } from '../src/modules/import/import.service.js';
import { countParticipants } from '../src/modules/participants/participants.repository.js';

export interface LoadResult {
  participants: number;
  /** Milliseconds the import took, or undefined when the database already held the data. */
  importMs?: number;
}

export async function loadScaleData(databaseUrl: string, participants: number): Promise<LoadResult> {
  const database = openDatabase(databaseUrl);
  try {
    await migrateToLatest(database.db);
    if ((await countParticipants(database.db)) === participants) return { participants };
    const records = generateParticipants(participants);
    const started = performance.now();
    const summary = await importParticipants(database, records, { reset: true });
    const importMs = performance.now() - started;
    if (summary.imported !== participants) throw new Error(`imported ${summary.imported} of ${participants}`);
    return { participants, importMs };
  } finally {
    await database.destroy();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [url, count = '100000'] = process.argv.slice(2);
  if (!url) throw new Error('usage: tsx scripts/scale-data.ts <database url> [participants]');
  const result = await loadScaleData(url, Number(count));
  console.log(
    result.importMs === undefined ? `already loaded: ${count}` : `imported ${count} in ${Math.round(result.importMs)} ms`,
  );
}
