import { createReadStream, type ReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { ConfigError, loadConfig } from '../config.js';
import { type DatabaseHandle, openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { type ColumnMap, ColumnMappingError, parseColumnMap } from '../modules/import/csv-columns.js';
import { type CsvColumns, importCsv } from '../modules/import/csv-import.js';
import { DemoDataError, importParticipants } from '../modules/import/import.service.js';
import { throttledProgress } from './progress.js';

const USAGE =
  'usage: npm run import -- [--reset] <file.json>\n' +
  '       npm run import -- [--reset | --update] [--dry-run] [--map field=Header,...] <file.csv>';

interface Arguments {
  file: string;
  reset: boolean;
  update: boolean;
  dryRun: boolean;
  /** The --map values, in order. */
  maps: string[];
  /** The options given that only a CSV import takes. */
  csvOnly: string[];
}

function parseArgs(argv: string[]): Arguments {
  const parsed: Arguments = { file: '', reset: false, update: false, dryRun: false, maps: [], csvOnly: [] };
  const files: string[] = [];
  const unknown: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (['--update', '--dry-run', '--map'].includes(arg.split('=')[0]!)) parsed.csvOnly.push(arg.split('=')[0]!);
    if (arg === '--reset') parsed.reset = true;
    else if (arg === '--update') parsed.update = true;
    else if (arg === '--dry-run') parsed.dryRun = true;
    else if (arg.startsWith('--map=')) parsed.maps.push(arg.slice('--map='.length));
    else if (arg === '--map') {
      const value = argv[(i += 1)];
      if (value === undefined) throw new Error(`--map needs a value such as "email=Email Address"\n${USAGE}`);
      parsed.maps.push(value);
    } else if (arg.startsWith('--')) unknown.push(arg);
    else files.push(arg);
  }
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(' ')}\n${USAGE}`);
  if (files.length !== 1) throw new Error(USAGE);
  if (parsed.reset && parsed.update)
    throw new Error(`--reset and --update cannot be combined: a reset replaces every participant\n${USAGE}`);
  return { ...parsed, file: files[0]! };
}

/** CSV by the extension, or else by the first character: a JSON file of participants opens with '['. */
async function isCsv(file: string): Promise<boolean> {
  const extension = extname(file).toLowerCase();
  if (extension === '.csv' || extension === '.tsv') return true;
  if (extension === '.json') return false;
  const handle = await open(file, 'r').catch((error: Error) => {
    throw new Error(`cannot read ${file}: ${error.message}`);
  });
  try {
    const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(4096), position: 0 });
    const start = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimStart();
    return !start.startsWith('[');
  } finally {
    await handle.close();
  }
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

/** A server on the same SQLite file retries a write that met the lock every 50 ms at most (src/db/sqlite-driver.ts). */
const pauseFor = (database: DatabaseHandle) => (database.dialect === 'sqlite' ? 50 : 0);

const refusedForDemoData = (file: string) => (error: unknown) => {
  if (error instanceof DemoDataError) throw new Error(`${error.message}\nTo do that, run:\n  npm run import -- --reset ${file}`);
  throw error;
};

async function importJson(database: DatabaseHandle, { file, reset }: Arguments, records: unknown[]): Promise<void> {
  console.log(
    `importing ${records.length} records from ${file}${reset ? " (replacing the event's data once all are loaded)" : ''}`,
  );
  const started = performance.now();
  const summary = await importParticipants(database, records, {
    reset,
    pauseBetweenBatchesMs: pauseFor(database),
    onProgress: throttledProgress((done, total) => console.log(`  ${done}/${total} records processed`)),
  }).catch(refusedForDemoData(file));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`imported ${summary.imported}, skipped ${summary.skipped.length} in ${seconds} s`);
  for (const { index, reason } of summary.skipped) console.log(`  skipped record ${index}: ${reason}`);
}

const quoted = (headers: string[]) => headers.map((header) => JSON.stringify(header)).join(', ');

function printColumns({ fields, skills, ignored }: CsvColumns): void {
  const used = Object.entries(fields).map(([field, header]) => `${field} = ${JSON.stringify(header)}`);
  const skillHeaders = Object.entries(skills).map(([skill, header]) => `${skill} = ${JSON.stringify(header)}`);
  console.log(`columns: ${used.join(', ')}`);
  if (skillHeaders.length > 0) console.log(`skill columns: ${skillHeaders.join(', ')}`);
  console.log(`ignored columns: ${ignored.length > 0 ? quoted(ignored) : '(none)'}`);
}

async function openFile(file: string): Promise<ReadStream> {
  const stream = createReadStream(file);
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (error) => reject(new Error(`cannot read ${file}: ${error.message}`)));
  });
  return stream;
}

async function importCsvFile(database: DatabaseHandle, args: Arguments, map: ColumnMap, stream: ReadStream): Promise<void> {
  const { file, reset, update, dryRun } = args;
  const how = [
    reset ? "replacing the event's data once all are loaded" : undefined,
    update ? 'updating participants whose e-mail is taken' : undefined,
    dryRun ? 'dry run: nothing will be changed' : undefined,
  ].filter(Boolean);
  console.log(`importing participants from ${file} (CSV)${how.length > 0 ? ` (${how.join('; ')})` : ''}`);
  const started = performance.now();
  const summary = await importCsv(database, stream, {
    reset,
    update,
    dryRun,
    map,
    pauseBetweenBatchesMs: pauseFor(database),
    onColumns: printColumns,
    onProgress: throttledProgress((done, total) => console.log(`  ${done}/${total} rows processed`)),
  })
    .catch((error: unknown) => {
      if (error instanceof ColumnMappingError) {
        throw new Error(`${error.message}.\nName the columns with --map, e.g. --map "email=Email Address,name=Full Name"`);
      }
      throw error;
    })
    .catch(refusedForDemoData(file));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const counts = `${summary.new} new, ${summary.updated} updated, ${summary.skipped.length} skipped of ${summary.total} rows`;
  console.log(dryRun ? `dry run, nothing changed: would import ${counts}` : `imported ${counts} in ${seconds} s`);
  for (const { row, reason } of summary.skipped) console.log(`  skipped row ${row}: ${reason}`);
}

/** Reads what it can of the file and the options before the database is opened: a mistake there changes nothing. */
async function prepare(args: Arguments): Promise<(database: DatabaseHandle) => Promise<void>> {
  if (!(await isCsv(args.file))) {
    if (args.csvOnly.length > 0) throw new Error(`${[...new Set(args.csvOnly)].join(', ')}: for CSV files only\n${USAGE}`);
    const records = await readRecords(args.file);
    return (database) => importJson(database, args, records);
  }
  const map: ColumnMap = new Map(args.maps.flatMap((value) => [...parseColumnMap(value)]));
  const stream = await openFile(args.file);
  return (database) => importCsvFile(database, args, map, stream).finally(() => stream.destroy());
}

async function main(): Promise<void> {
  const run = await prepare(parseArgs(process.argv.slice(2)));
  const config = loadConfig();
  const database = openDatabase(config.databaseUrl, {
    connectTimeoutMs: config.databaseConnectTimeoutMs,
    lockTimeoutMs: config.sqliteLockTimeoutMs,
  });
  try {
    await migrateToLatest(database.db);
    await run(database);
  } finally {
    await database.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
});
