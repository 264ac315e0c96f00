import type { DatabaseHandle } from '../../db/database.js';
import { createRecordValidator } from '../../http/validation.js';
import { Registration } from '../participants/participants.schemas.js';
import { createParticipant, type ParticipantInput } from '../participants/participants.service.js';
import { countParticipants } from '../participants/participants.repository.js';
import { deleteEventData } from './import.repository.js';

export interface SkippedRecord {
  index: number;
  reason: string;
}

export interface ImportSummary {
  total: number;
  imported: number;
  skipped: SkippedRecord[];
}

export interface ImportOptions {
  reset?: boolean;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

const validateRecord = createRecordValidator(Registration);

/**
 * Loads records in the challenge file's format, in order, in batched transactions. A record that is
 * malformed or whose e-mail is taken (in any letter case) is skipped with its index and reason; the rest load.
 */
export async function importParticipants(
  { db, dialect }: DatabaseHandle,
  records: unknown[],
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const batchSize = options.batchSize ?? 500;
  const summary: ImportSummary = { total: records.length, imported: 0, skipped: [] };
  if (options.reset) await db.transaction().execute((trx) => deleteEventData(trx, dialect));

  for (let start = 0; start < records.length; start += batchSize) {
    const batch = records.slice(start, start + batchSize);
    // Counted only once the batch commits, so a failed batch reports nothing it did not keep.
    const outcome = await db.transaction().execute(async (trx) => {
      const now = Date.now();
      const batchSkipped: SkippedRecord[] = [];
      let batchImported = 0;
      for (const [offset, record] of batch.entries()) {
        const index = start + offset;
        const problem = validateRecord(record);
        if (problem) {
          batchSkipped.push({ index, reason: problem });
          continue;
        }
        const id = await createParticipant(trx, record as ParticipantInput, now);
        if (id === undefined) batchSkipped.push({ index, reason: 'email already taken' });
        else batchImported += 1;
      }
      return { batchImported, batchSkipped };
    });
    summary.imported += outcome.batchImported;
    summary.skipped.push(...outcome.batchSkipped);
    options.onProgress?.(Math.min(start + batchSize, records.length), records.length);
  }
  return summary;
}

/** Fills an empty database with demo participants; leaves a database with any participant alone. */
export async function seedIfEmpty(handle: DatabaseHandle, records: () => ParticipantInput[]): Promise<ImportSummary | undefined> {
  if ((await countParticipants(handle.db)) > 0) return undefined;
  return importParticipants(handle, records());
}
