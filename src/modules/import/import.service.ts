import { setTimeout as sleep } from 'node:timers/promises';
import { type Clock, systemClock } from '../../clock.js';
import type { DatabaseHandle } from '../../db/database.js';
import type { Trx } from '../../db/tables.js';
import { runTransaction } from '../../db/transactions.js';
import { createRecordValidator } from '../../http/validation.js';
import { Registration } from '../participants/participants.schemas.js';
import { emailKey, newParticipantRow, normalizeSkills, type ParticipantInput } from '../participants/participants.service.js';
import { countParticipants } from '../participants/participants.repository.js';
import { type AggregateDelta, applyAggregateDeltas, ensureSkills } from '../skills/skills.repository.js';
import * as repository from './import.repository.js';

interface SkippedRecord {
  index: number;
  reason: string;
}

export interface ImportSummary {
  total: number;
  imported: number;
  skipped: SkippedRecord[];
}

export interface ImportOptions {
  /**
   * Replace the event's data with the file's, as one unit: the new data is built aside and swapped in by one
   * short transaction, so until then (and if the import fails or dies) the old data stays as it was.
   */
  reset?: boolean;
  batchSize?: number;
  /**
   * Without reset: a pause after each batch's transaction. A server on the same SQLite file retries a write
   * that found the lock taken only every so often; without a pause, the next batch would take the lock first.
   */
  pauseBetweenBatchesMs?: number;
  /** Called after each batch; the import waits for a promise it returns. */
  onProgress?: (done: number, total: number) => void | Promise<void>;
  clock?: Clock;
}

/** Where the participants of an import come from: a file of real people, or the demo generator. */
type Origin = 'real' | 'demo';

/** An import of real participants into a database of demo data, which would mix fake and real people. */
export class DemoDataError extends Error {
  constructor() {
    super(
      'refused: this database holds demo data (participants generated because it was empty when the server started; ' +
        'DEMO_PARTICIPANTS=0 turns that off), and importing real participants beside them would mix fake and real people. ' +
        "Nothing was changed. Import with --reset to replace the demo data, and everything recorded with it, by the file's participants.",
    );
  }
}

const validateRecord = createRecordValidator(Registration);
const EMAIL_TAKEN = 'email already taken';
/** Skill names per query when an appending import looks their ids up. */
const SKILL_NAMES_PER_QUERY = 10_000;

/**
 * The record with its tags trimmed and in lower case, as the API's tags are: a challenge file may well say
 * "Mentor". Anything else is left for the validator to judge.
 */
function withNormalizedTags(record: unknown): unknown {
  if (typeof record !== 'object' || record === null || !('tags' in record) || !Array.isArray(record.tags)) return record;
  const tags: unknown[] = record.tags;
  return { ...record, tags: tags.map((tag) => (typeof tag === 'string' ? tag.trim().toLowerCase() : tag)) };
}

interface Candidate {
  index: number;
  row: Omit<repository.StagedParticipant, 'id'>;
  ratings: Map<string, number>;
}

interface Batch {
  start: number;
  end: number;
  candidates: Candidate[];
}

/**
 * Validates the records batch by batch, skipping (into `skipped`) malformed records and e-mails taken by an
 * earlier record of the file in any letter case; yields the records left to load.
 */
function* screenedBatches(records: unknown[], batchSize: number, skipped: SkippedRecord[], clock: Clock): Generator<Batch> {
  const seen = new Set<string>();
  for (let start = 0; start < records.length; start += batchSize) {
    const end = Math.min(start + batchSize, records.length);
    const now = clock.now();
    const candidates: Candidate[] = [];
    for (let index = start; index < end; index += 1) {
      const record = withNormalizedTags(records[index]);
      const problem = validateRecord(record);
      if (problem) {
        skipped.push({ index, reason: problem });
        continue;
      }
      const input = record as ParticipantInput;
      const key = emailKey(input.email);
      if (seen.has(key)) {
        skipped.push({ index, reason: EMAIL_TAKEN });
        continue;
      }
      seen.add(key);
      candidates.push({ index, row: newParticipantRow(input, now), ratings: normalizeSkills(input.skills) });
    }
    yield { start, end, candidates };
  }
}

const stopped = (batch: Batch, error: unknown, consequence: string) =>
  new Error(`import stopped at records ${batch.start}-${batch.end - 1}: ${(error as Error).message ?? error}; ${consequence}`, {
    cause: error,
  });

async function idsOfSkills(ex: Trx, names: string[]): Promise<Map<string, number>> {
  const sorted = [...new Set(names)].sort();
  const ids = new Map<string, number>();
  for (let start = 0; start < sorted.length; start += SKILL_NAMES_PER_QUERY) {
    for (const [name, id] of await ensureSkills(ex, sorted.slice(start, start + SKILL_NAMES_PER_QUERY))) ids.set(name, id);
  }
  return ids;
}

/**
 * Loads one batch into the live tables, in one short write transaction: participants whose e-mail is taken
 * in the database are skipped; skills are created as needed and their aggregates moved by what was added.
 */
async function appendBatch(ex: Trx, candidates: Candidate[]): Promise<{ loaded: number; taken: number[] }> {
  const alreadyTaken = await repository.findTakenEmailKeys(
    ex,
    candidates.map((c) => c.row.email_key),
  );
  const fresh = candidates.filter((c) => !alreadyTaken.has(c.row.email_key));
  const ids = await repository.insertParticipants(
    ex,
    fresh.map((c) => c.row),
  );
  const skillIds = await idsOfSkills(
    ex,
    fresh.flatMap((c) => (ids.has(c.row.email_key) ? [...c.ratings.keys()] : [])),
  );
  const ratings: repository.RatingRow[] = [];
  const deltas = new Map<number, AggregateDelta>();
  const taken: number[] = [];
  for (const candidate of candidates) {
    const participantId = ids.get(candidate.row.email_key);
    if (participantId === undefined) {
      taken.push(candidate.index);
      continue;
    }
    for (const [name, rating] of candidate.ratings) {
      const skillId = skillIds.get(name);
      if (skillId === undefined) throw new Error(`skill "${name}" vanished while being rated`);
      ratings.push({ participant_id: participantId, skill_id: skillId, rating });
      const delta = deltas.get(skillId) ?? { skillId, frequency: 0, ratingSum: 0 };
      delta.frequency += 1;
      delta.ratingSum += rating;
      deltas.set(skillId, delta);
    }
  }
  await repository.insertRatings(ex, ratings);
  await applyAggregateDeltas(ex, [...deltas.values()]);
  return { loaded: ids.size, taken };
}

/**
 * Adds the records to the event, a batch per transaction; a rerun after a failure skips what is loaded. Real
 * participants are refused (before the first batch, so nothing changes) while the database holds demo data.
 */
async function append(
  { db, dialect }: DatabaseHandle,
  batches: Iterable<Batch>,
  summary: ImportSummary,
  options: ImportOptions,
  origin: Origin,
) {
  for (const batch of batches) {
    const outcome = await runTransaction(db, async (trx) => {
      if (origin === 'real' && (await repository.lockDemoFlag(trx, dialect))) throw new DemoDataError();
      return appendBatch(trx, batch.candidates);
    }).catch((error: unknown) => {
      if (error instanceof DemoDataError) throw error;
      throw stopped(
        batch,
        error,
        `the ${summary.imported} participants imported before stay; run the import again to load the rest`,
      );
    });
    summary.imported += outcome.loaded;
    for (const index of outcome.taken) summary.skipped.push({ index, reason: EMAIL_TAKEN });
    await options.onProgress?.(batch.end, summary.total);
    if (options.pauseBetweenBatchesMs && batch.end < summary.total) await sleep(options.pauseBetweenBatchesMs);
  }
}

/**
 * Builds the new data in temporary tables of one connection (no lock on the event's tables while it loads),
 * then swaps it in with one write transaction. Ids run 1, 2, 3... in file order; a skill's id is given when
 * it first appears, new names of a batch in name order, as an appending import gives them.
 */
async function replace(
  { db, dialect }: DatabaseHandle,
  batches: Iterable<Batch>,
  summary: ImportSummary,
  options: ImportOptions,
) {
  const unchanged = 'the database was left as it was';
  await db.connection().execute(async (connection) => {
    const staging = await repository.createStagingTables(connection);
    try {
      const skills = new Map<string, repository.StagedSkill>();
      let lastParticipantId = 0;
      let lastRatingId = 0;
      for (const batch of batches) {
        const names = new Set(batch.candidates.flatMap((c) => [...c.ratings.keys()]));
        for (const name of [...names].filter((n) => !skills.has(n)).sort()) {
          skills.set(name, { id: skills.size + 1, name, frequency: 0, rating_sum: 0 });
        }
        const participants: repository.StagedParticipant[] = [];
        const ratings: repository.StagedRating[] = [];
        for (const { row, ratings: skillRatings } of batch.candidates) {
          const participantId = ++lastParticipantId;
          participants.push({ id: participantId, ...row });
          for (const [name, rating] of skillRatings) {
            const skill = skills.get(name)!;
            skill.frequency += 1;
            skill.rating_sum += rating;
            ratings.push({ id: ++lastRatingId, participant_id: participantId, skill_id: skill.id, rating });
          }
        }
        try {
          await repository.stageParticipants(staging, participants);
          await repository.stageRatings(staging, ratings);
        } catch (error) {
          throw stopped(batch, error, unchanged);
        }
        summary.imported += participants.length;
        await options.onProgress?.(batch.end, summary.total);
      }
      try {
        await repository.stageSkills(staging, [...skills.values()]);
        await runTransaction(connection, (trx) => repository.replaceEventData(trx, dialect));
      } catch (error) {
        throw new Error(`import failed while swapping in the new data: ${(error as Error).message}; ${unchanged}`, {
          cause: error,
        });
      }
    } finally {
      // Temporary tables die with their connection anyway; a failure here must not hide the import's outcome.
      await repository.dropStagingTables(staging).catch(() => {});
    }
  });
}

/**
 * Loads records in the challenge file's format, in file order. A record that is malformed or whose e-mail is
 * taken (in the file or the database, in any letter case) is skipped with its index and reason; the rest load.
 */
export async function importParticipants(
  handle: DatabaseHandle,
  records: unknown[],
  options: ImportOptions = {},
): Promise<ImportSummary> {
  return load(handle, records, options, 'real');
}

async function load(handle: DatabaseHandle, records: unknown[], options: ImportOptions, origin: Origin): Promise<ImportSummary> {
  const summary: ImportSummary = { total: records.length, imported: 0, skipped: [] };
  const batches = screenedBatches(records, options.batchSize ?? 1000, summary.skipped, options.clock ?? systemClock);
  if (options.reset) await replace(handle, batches, summary, options);
  else await append(handle, batches, summary, options, origin);
  if (handle.dialect === 'postgres' && summary.imported > 0) await repository.analyzeParticipantTables(handle.db);
  summary.skipped.sort((a, b) => a.index - b.index);
  return summary;
}

/**
 * Fills an empty database with demo participants, marking it as demo data first (in one transaction with the
 * check that it is empty); leaves a database with any participant alone.
 */
export async function seedIfEmpty(
  handle: DatabaseHandle,
  records: () => ParticipantInput[],
  clock: Clock,
): Promise<ImportSummary | undefined> {
  const empty = await runTransaction(handle.db, async (trx) => {
    await repository.lockDemoFlag(trx, handle.dialect);
    if ((await countParticipants(trx)) > 0) return false;
    await repository.setDemoFlag(trx, true);
    return true;
  });
  return empty ? load(handle, records(), { clock }, 'demo') : undefined;
}
