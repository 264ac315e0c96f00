import type { Clock } from '../../clock.js';
import type { DatabaseHandle } from '../../db/database.js';
import { conflict, rejected } from '../../errors.js';
import { recordAudit } from '../audit/audit.repository.js';
import type { Actor } from '../keys/keys.service.js';
import {
  type ColumnMap,
  ColumnMappingError,
  ColumnMapSyntaxError,
  type ColumnPlan,
  parseColumnMap,
  planColumns,
} from './csv-columns.js';
import { CsvFormatError, type CsvSource, readCsvRows } from './csv-reader.js';
import { recordOfRow, updatableFields } from './csv-records.js';
import { DemoDataError, type ImportOptions, loadParticipants, type SourceEntry, type SourceTerms } from './import.service.js';

export interface CsvImportOptions extends ImportOptions {
  /** Update participants whose e-mail is taken instead of skipping them. Not with reset. */
  update?: boolean;
  /** Report what the import would do; change nothing. */
  dryRun?: boolean;
  /** Columns named by the operator, before any guess from the headers. */
  map?: ColumnMap;
  /** Called once the header is read and understood, before any row is. */
  onColumns?: (columns: CsvColumns) => void;
}

export interface CsvColumns {
  /** Each field's header. */
  fields: Record<string, string>;
  /** The header of each skill that has a column of its own. */
  skills: Record<string, string>;
  ignored: string[];
}

export interface CsvImportSummary {
  dry_run: boolean;
  /** Data rows read, blank rows aside. */
  total: number;
  new: number;
  updated: number;
  skipped: { row: number; reason: string }[];
  columns: Record<string, string>;
  skill_columns: Record<string, string>;
  ignored_columns: string[];
}

const CSV_TERMS: SourceTerms = {
  entries: 'rows',
  takenInFile: (row) => `email already taken by row ${row}`,
  takenInDatabase: (participantId) =>
    participantId === undefined ? 'email already taken' : `email already taken by participant ${participantId}`,
};

function columnsOf(plan: ColumnPlan): CsvColumns {
  const fields: Record<string, string> = {};
  const byColumn = Object.entries(plan.fields).sort(([, a], [, b]) => a - b);
  for (const [field, index] of byColumn) fields[field] = plan.headers[index]!;
  const skills: Record<string, string> = {};
  for (const { index, skill } of plan.skillColumns) skills[skill] = plan.headers[index]!;
  return { fields, skills, ignored: plan.ignored };
}

/**
 * Imports participants from a CSV file as it is read from `source`: the header row says which column holds
 * what (see planColumns), each data row becomes a record validated and loaded as the JSON import's are, and
 * a row that cannot be one is skipped with its row number and the reason. The whole file is read before the
 * first write, so a file that turns out not to be CSV half-way changes nothing. Throws CsvFormatError,
 * ColumnMappingError, or the JSON import's errors (DemoDataError).
 */
export async function importCsv(
  handle: DatabaseHandle,
  source: CsvSource,
  options: CsvImportOptions = {},
): Promise<CsvImportSummary> {
  const rows = readCsvRows(source)[Symbol.asyncIterator]();
  const header = await rows.next();
  if (header.done) throw new CsvFormatError('the file is empty: it needs a header row naming its columns');
  const plan = planColumns(header.value.cells, options.map);
  const columns = columnsOf(plan);
  options.onColumns?.(columns);

  const entries: SourceEntry[] = [];
  for (let next = await rows.next(); !next.done; next = await rows.next()) {
    const { row, cells } = next.value;
    if (cells.every((cell) => cell.trim() === '')) continue;
    const outcome = recordOfRow(plan, cells);
    entries.push('record' in outcome ? { at: row, record: outcome.record } : { at: row, problem: outcome.problem });
  }

  const { reset, batchSize, pauseBetweenBatchesMs, onProgress, clock, dryRun = false } = options;
  const summary = await loadParticipants(handle, entries, {
    reset,
    batchSize,
    pauseBetweenBatchesMs,
    onProgress,
    clock,
    dryRun,
    update: options.update ? { fields: updatableFields(plan) } : undefined,
    terms: CSV_TERMS,
  });
  return {
    dry_run: dryRun,
    total: summary.total,
    new: summary.created,
    updated: summary.updated,
    skipped: summary.skipped.map(({ at, reason }) => ({ row: at, reason })),
    columns: columns.fields,
    skill_columns: columns.skills,
    ignored_columns: columns.ignored,
  };
}

export interface UploadOptions {
  dryRun: boolean;
  update: boolean;
  reset: boolean;
  /** The `map` query parameter, unread. */
  map?: string;
}

/**
 * Rows per transaction of an upload to SQLite, fewer than the command line's 1000: SQLite writes a batch
 * without yielding (better-sqlite3 is synchronous), and other requests wait for it to end, about 0.1 s for
 * 1000. PostgreSQL's driver yields, and each transaction costs it more, so it keeps 1000.
 */
const SQLITE_UPLOAD_BATCH_SIZE = 250;

/** The admin upload, POST /imports: the CSV import in the API's terms, audited. */
export class CsvImportService {
  constructor(
    private readonly database: DatabaseHandle,
    private readonly clock: Clock,
  ) {}

  async upload(text: string, options: UploadOptions, actor: Actor): Promise<CsvImportSummary> {
    if (options.reset && options.update) {
      throw rejected('validation_failed', 'update and reset cannot be combined: a reset replaces every participant');
    }
    let map: ColumnMap | undefined;
    try {
      map = options.map === undefined ? undefined : parseColumnMap(options.map);
    } catch (error) {
      if (error instanceof ColumnMapSyntaxError) throw rejected('validation_failed', `map: ${error.message}`);
      throw error;
    }
    const summary = await importCsv(this.database, [text], {
      reset: options.reset,
      update: options.update,
      dryRun: options.dryRun,
      map,
      batchSize: this.database.dialect === 'sqlite' ? SQLITE_UPLOAD_BATCH_SIZE : undefined,
      clock: this.clock,
    }).catch((error: unknown) => {
      if (error instanceof CsvFormatError) throw rejected('invalid_csv', error.message);
      if (error instanceof ColumnMappingError) {
        throw rejected(
          'unmapped_columns',
          `${error.message}. Name the columns with the map query parameter, e.g. map=email=Email Address`,
        );
      }
      if (error instanceof DemoDataError) throw conflict('demo_data', DEMO_DATA_UPLOAD);
      throw error;
    });
    if (!summary.dry_run) {
      const { new: created, updated, skipped } = summary;
      await this.database.transact((trx) =>
        recordAudit(
          trx,
          actor,
          [
            {
              action: 'participants.import',
              target: `import:${created + updated}`,
              after: { new: created, updated, skipped: skipped.length, reset: options.reset },
            },
          ],
          this.clock.now(),
        ),
      );
    }
    return summary;
  }
}

const DEMO_DATA_UPLOAD =
  'This database holds demo data (participants generated because it was empty when the server started), and importing ' +
  'real participants beside them would mix fake and real people. Nothing was changed. Upload with reset=true to replace ' +
  "the demo data, and everything recorded with it, by the file's participants.";
