import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import { type Clock, systemClock } from '../../clock.js';
import type { DatabaseHandle, DialectName } from '../../db/database.js';
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

/** A record at its place in the source (an index in a JSON array, a row number in a CSV file), or why it is none. */
export type SourceEntry = { at: number; record: unknown } | { at: number; problem: string };

/** What an updating import may change of a participant matched by e-mail, beside tags and skills. */
export type UpdatableField = 'name' | 'company' | 'phone' | 'dietary_restrictions';

/** How the outcome speaks of the source: JSON records by index, CSV rows by number. */
export interface SourceTerms {
  /** The plural noun for the entries, in an error saying where an import stopped. */
  entries: string;
  takenInFile(earlier: number): string;
  /** `participantId` is unknown when another writer took the e-mail during the import. */
  takenInDatabase(participantId?: number): string;
}

export interface LoadOptions extends ImportOptions {
  /**
   * Participants whose e-mail the database has (in any case) are updated rather than skipped: these fields,
   * their tags when the record gives some, and the record's skills added or re-rated as PUT /users/:id does.
   */
  update?: { fields: readonly UpdatableField[] };
  /** Count what the import would do, reading the database and writing nothing. */
  dryRun?: boolean;
  terms?: SourceTerms;
}

interface SkippedEntry {
  at: number;
  reason: string;
}

export interface LoadSummary {
  total: number;
  created: number;
  updated: number;
  skipped: SkippedEntry[];
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
const JSON_TERMS: SourceTerms = { entries: 'records', takenInFile: () => EMAIL_TAKEN, takenInDatabase: () => EMAIL_TAKEN };
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
  at: number;
  row: Omit<repository.StagedParticipant, 'id'>;
  ratings: Map<string, number>;
  /** Whether the record gave tags: an update replaces a participant's tags only then. */
  tagged: boolean;
}

interface Batch {
  /** Positions in the list of entries, end excluded. */
  start: number;
  end: number;
  candidates: Candidate[];
}

/**
 * Validates the records batch by batch, skipping (into `skipped`) malformed records and e-mails taken by an
 * earlier record of the file in any letter case; yields the records left to load.
 */
function* screenedBatches(
  entries: SourceEntry[],
  batchSize: number,
  skipped: SkippedEntry[],
  clock: Clock,
  terms: SourceTerms,
): Generator<Batch> {
  const seen = new Map<string, number>();
  for (let start = 0; start < entries.length; start += batchSize) {
    const end = Math.min(start + batchSize, entries.length);
    const now = clock.now();
    const candidates: Candidate[] = [];
    for (const entry of entries.slice(start, end)) {
      const { at } = entry;
      if ('problem' in entry) {
        skipped.push({ at, reason: entry.problem });
        continue;
      }
      const record = withNormalizedTags(entry.record);
      const problem = validateRecord(record);
      if (problem) {
        skipped.push({ at, reason: problem });
        continue;
      }
      const input = record as ParticipantInput;
      const key = emailKey(input.email);
      const earlier = seen.get(key);
      if (earlier !== undefined) {
        skipped.push({ at, reason: terms.takenInFile(earlier) });
        continue;
      }
      seen.set(key, at);
      candidates.push({
        at,
        row: newParticipantRow(input, now),
        ratings: normalizeSkills(input.skills),
        tagged: input.tags !== undefined,
      });
    }
    yield { start, end, candidates };
  }
}

const stopped = (entries: SourceEntry[], batch: Batch, terms: SourceTerms, error: unknown, consequence: string) =>
  new Error(
    `import stopped at ${terms.entries} ${entries[batch.start]!.at}-${entries[batch.end - 1]!.at}: ` +
      `${(error as Error).message ?? error}; ${consequence}`,
    { cause: error },
  );

async function idsOfSkills(ex: Trx, names: string[]): Promise<Map<string, number>> {
  const sorted = [...new Set(names)].sort();
  const ids = new Map<string, number>();
  for (let start = 0; start < sorted.length; start += SKILL_NAMES_PER_QUERY) {
    for (const [name, id] of await ensureSkills(ex, sorted.slice(start, start + SKILL_NAMES_PER_QUERY))) ids.set(name, id);
  }
  return ids;
}

interface BatchOutcome {
  created: number;
  updated: number;
  skipped: SkippedEntry[];
}

/** What one batch changes in skills: ratings to insert or change, and each skill's aggregates moved by as much. */
class RatingChanges {
  readonly inserted: repository.RatingRow[] = [];
  readonly changed: repository.RatingRow[] = [];
  private readonly deltas = new Map<number, AggregateDelta>();

  constructor(private readonly skillIds: Map<string, number>) {}

  /** Sets the participant's rating of each skill, given what they had (nothing for a new participant). */
  rate(participantId: number, ratings: Map<string, number>, current?: Map<number, number>): void {
    for (const [name, rating] of ratings) {
      const skillId = this.skillIds.get(name);
      if (skillId === undefined) throw new Error(`skill "${name}" vanished while being rated`);
      const previous = current?.get(skillId);
      if (previous === rating) continue;
      const row = { participant_id: participantId, skill_id: skillId, rating };
      if (previous === undefined) this.inserted.push(row);
      else this.changed.push(row);
      const delta = this.deltas.get(skillId) ?? { skillId, frequency: 0, ratingSum: 0 };
      delta.frequency += previous === undefined ? 1 : 0;
      delta.ratingSum += rating - (previous ?? 0);
      this.deltas.set(skillId, delta);
    }
  }

  async apply(ex: Trx): Promise<void> {
    await repository.insertRatings(ex, this.inserted);
    await repository.updateRatings(ex, this.changed);
    await applyAggregateDeltas(ex, [...this.deltas.values()]);
  }
}

/** The columns an update writes for a candidate: the chosen fields, and tags when its record gave some. */
function updatedFields(candidate: Candidate, fields: readonly UpdatableField[]): repository.UpdatedFields {
  const { row } = candidate;
  const updated: repository.UpdatedFields = {};
  for (const field of fields) updated[field] = row[field];
  if (candidate.tagged) updated.tags = row.tags;
  return updated;
}

/**
 * Loads one batch into the live tables, in one short write transaction: participants whose e-mail is taken
 * in the database are skipped, or updated with `update`; skills are created as needed and their aggregates
 * moved by exactly what changed.
 */
async function appendBatch(
  ex: Trx,
  candidates: Candidate[],
  options: LoadOptions & { terms: SourceTerms },
  dialect: DialectName,
  now: number,
): Promise<BatchOutcome> {
  const { update, terms } = options;
  // Updated participants stay locked until the commit, so no other write changes them between read and update.
  const existing = await repository.findParticipantIdsByEmailKey(
    ex,
    candidates.map((c) => c.row.email_key),
    update !== undefined && dialect === 'postgres',
  );
  const fresh = candidates.filter((c) => !existing.has(c.row.email_key));
  const matched = update ? candidates.filter((c) => existing.has(c.row.email_key)) : [];
  const ids = await repository.insertParticipants(
    ex,
    fresh.map((c) => c.row),
  );
  const rated = [...fresh.filter((c) => ids.has(c.row.email_key)), ...matched];
  const changes = new RatingChanges(
    await idsOfSkills(
      ex,
      rated.flatMap((c) => [...c.ratings.keys()]),
    ),
  );
  const skipped: SkippedEntry[] = [];
  for (const candidate of candidates) {
    const participantId = ids.get(candidate.row.email_key);
    if (participantId !== undefined) changes.rate(participantId, candidate.ratings);
    else if (!update) skipped.push({ at: candidate.at, reason: terms.takenInDatabase(existing.get(candidate.row.email_key)) });
    else if (!existing.has(candidate.row.email_key)) skipped.push({ at: candidate.at, reason: terms.takenInDatabase() });
  }
  if (update && matched.length > 0) {
    const ratingsOf = await repository.findRatingsOf(
      ex,
      matched.map((c) => existing.get(c.row.email_key)!),
    );
    const inIdOrder = [...matched].sort((a, b) => existing.get(a.row.email_key)! - existing.get(b.row.email_key)!);
    for (const candidate of inIdOrder) {
      const participantId = existing.get(candidate.row.email_key)!;
      await repository.updateParticipantFields(ex, participantId, updatedFields(candidate, update.fields), now);
      changes.rate(participantId, candidate.ratings, ratingsOf.get(participantId) ?? new Map());
    }
  }
  await changes.apply(ex);
  return { created: ids.size, updated: matched.length, skipped };
}

/**
 * Adds the records to the event, a batch per transaction; a rerun after a failure skips what is loaded. Real
 * participants are refused (before the first batch, so nothing changes) while the database holds demo data.
 * Each batch ends with a turn of the event loop: better-sqlite3 answers synchronously, so without one an
 * import in the server would hold every other request until its last batch.
 */
async function append(
  { db, dialect }: DatabaseHandle,
  entries: SourceEntry[],
  batches: Iterable<Batch>,
  summary: LoadSummary,
  options: LoadOptions & { terms: SourceTerms },
  origin: Origin,
) {
  const clock = options.clock ?? systemClock;
  for (const batch of batches) {
    const outcome = await runTransaction(db, async (trx) => {
      if (origin === 'real' && (await repository.lockDemoFlag(trx, dialect))) throw new DemoDataError();
      return appendBatch(trx, batch.candidates, options, dialect, clock.now());
    }).catch((error: unknown) => {
      if (error instanceof DemoDataError) throw error;
      const done = summary.created + summary.updated;
      throw stopped(
        entries,
        batch,
        options.terms,
        error,
        `the ${done} participants imported before stay; run the import again to load the rest`,
      );
    });
    summary.created += outcome.created;
    summary.updated += outcome.updated;
    summary.skipped.push(...outcome.skipped);
    await options.onProgress?.(batch.end, summary.total);
    if (options.pauseBetweenBatchesMs && batch.end < summary.total) await sleep(options.pauseBetweenBatchesMs);
    else await setImmediate();
  }
}

/**
 * What `append` (or, with reset, `replace`) would do, found by reading only: the demo-data refusal, and for
 * each record whether its e-mail is new, or taken and so updated or skipped.
 */
async function rehearse(
  { db }: DatabaseHandle,
  batches: Iterable<Batch>,
  summary: LoadSummary,
  options: LoadOptions & { terms: SourceTerms },
) {
  if (!options.reset && (await repository.readDemoFlag(db))) throw new DemoDataError();
  for (const batch of batches) {
    const existing = options.reset
      ? new Map<string, number>()
      : await repository.findParticipantIdsByEmailKey(
          db,
          batch.candidates.map((c) => c.row.email_key),
          false,
        );
    for (const candidate of batch.candidates) {
      const participantId = existing.get(candidate.row.email_key);
      if (participantId === undefined) summary.created += 1;
      else if (options.update) summary.updated += 1;
      else summary.skipped.push({ at: candidate.at, reason: options.terms.takenInDatabase(participantId) });
    }
    await options.onProgress?.(batch.end, summary.total);
    await setImmediate();
  }
}

/**
 * Builds the new data in temporary tables of one connection (no lock on the event's tables while it loads),
 * then swaps it in with one write transaction. Ids run 1, 2, 3... in file order; a skill's id is given when
 * it first appears, new names of a batch in name order, as an appending import gives them.
 */
async function replace(
  { db, dialect }: DatabaseHandle,
  entries: SourceEntry[],
  batches: Iterable<Batch>,
  summary: LoadSummary,
  options: LoadOptions & { terms: SourceTerms },
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
          throw stopped(entries, batch, options.terms, error, unchanged);
        }
        summary.created += participants.length;
        await options.onProgress?.(batch.end, summary.total);
        await setImmediate();
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

const indexed = (records: unknown[]): SourceEntry[] => records.map((record, index) => ({ at: index, record }));

const byIndex = ({ total, created, skipped }: LoadSummary): ImportSummary => ({
  total,
  imported: created,
  skipped: skipped.map(({ at, reason }) => ({ index: at, reason })),
});

/**
 * Loads records in the challenge file's format, in file order. A record that is malformed or whose e-mail is
 * taken (in the file or the database, in any letter case) is skipped with its index and reason; the rest load.
 */
export async function importParticipants(
  handle: DatabaseHandle,
  records: unknown[],
  options: ImportOptions = {},
): Promise<ImportSummary> {
  return byIndex(await load(handle, indexed(records), options, 'real'));
}

/**
 * Loads records from any source (the CSV import), each known by its place there; can update participants
 * matched by e-mail instead of skipping them, or only count what it would do.
 */
export async function loadParticipants(
  handle: DatabaseHandle,
  entries: SourceEntry[],
  options: LoadOptions,
): Promise<LoadSummary> {
  if (options.reset && options.update) throw new Error('an import cannot both reset and update');
  return load(handle, entries, options, 'real');
}

async function load(handle: DatabaseHandle, entries: SourceEntry[], options: LoadOptions, origin: Origin): Promise<LoadSummary> {
  const summary: LoadSummary = { total: entries.length, created: 0, updated: 0, skipped: [] };
  const settled = { ...options, terms: options.terms ?? JSON_TERMS };
  const batches = screenedBatches(
    entries,
    options.batchSize ?? 1000,
    summary.skipped,
    options.clock ?? systemClock,
    settled.terms,
  );
  if (options.dryRun) await rehearse(handle, batches, summary, settled);
  else if (options.reset) await replace(handle, entries, batches, summary, settled);
  else await append(handle, entries, batches, summary, settled, origin);
  if (handle.dialect === 'postgres' && !options.dryRun && summary.created + summary.updated > 0) {
    await repository.analyzeParticipantTables(handle.db);
  }
  summary.skipped.sort((a, b) => a.at - b.at);
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
  if (!empty) return undefined;
  return byIndex(await load(handle, indexed(records()), { clock }, 'demo'));
}
