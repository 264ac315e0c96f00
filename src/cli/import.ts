import { readFile } from 'node:fs/promises';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { DemoDataError, importParticipants } from '../modules/import/import.service.js';
import { throttledProgress } from './progress.js';

const USAGE = 'usage: npm run import -- [--reset] <file.json>';

function parseArgs(argv: string[]): { reset: boolean; file: string } {
  const flags = argv.filter((arg) => arg.startsWith('--'));
  const files = argv.filter((arg) => !arg.startsWith('--'));
  const unknown = flags.filter((flag) => flag !== '--reset');
  const file = files[0];
  if (unknown.length > 0 || files.length !== 1 || file === undefined) {
    throw new Error(unknown.length > 0 ? `unknown option ${unknown.join(' ')}\n${USAGE}` : USAGE);
  }
  return { reset: flags.includes('--reset'), file };
}

async function readRecords(file: string): Promise<unknown[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new Error(`${file} must hold a JSON array of participants`);
  return parsed as unknown[];
}

async function main(): Promise<void> {
  const { reset, file } = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  const records = await readRecords(file);
  const database = openDatabase(config.databaseUrl, {
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    lockTimeoutMs: config.sqliteLockTimeoutMs,
  });
  try {
    await migrateToLatest(database.db);
    console.log(
      `importing ${records.length} records from ${file}${reset ? " (replacing the event's data once all are loaded)" : ''}`,
    );
    const started = performance.now();
    const summary = await importParticipants(database, records, {
      reset,
      // A server on the same SQLite file retries a write that met the lock every 50 ms at most (src/db/sqlite-driver.ts).
      pauseBetweenBatchesMs: database.dialect === 'sqlite' ? 50 : 0,
      onProgress: throttledProgress((done, total) => console.log(`  ${done}/${total} records processed`)),
    }).catch((error: unknown) => {
      if (error instanceof DemoDataError)
        throw new Error(`${error.message}\nTo do that, run:\n  npm run import -- --reset ${file}`);
      throw error;
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(`imported ${summary.imported}, skipped ${summary.skipped.length} in ${seconds} s`);
    for (const { index, reason } of summary.skipped) console.log(`  skipped record ${index}: ${reason}`);
  } finally {
    await database.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
});
