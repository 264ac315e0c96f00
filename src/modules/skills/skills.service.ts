import type { Static } from 'typebox';
import type { Db, Trx } from '../../db/tables.js';
import * as repository from './skills.repository.js';
import type * as schemas from './skills.schemas.js';

type SkillStats = Static<typeof schemas.SkillStats>;

export interface SkillFilter {
  minFrequency?: number;
  maxFrequency?: number;
  minAverageRating?: number;
  maxAverageRating?: number;
  keyword?: string;
}

const roundToCents = (value: number) => Math.round(value * 100) / 100;

/**
 * Sets a participant's rating for each named skill, adding skills they lacked and leaving others alone,
 * and moves the skills' aggregates by exactly what changed. Must run in the transaction that holds the
 * participant's row, so two updates of one participant cannot interleave.
 */
export async function setSkillRatings(trx: Trx, participantId: number, ratings: Map<string, number>): Promise<void> {
  if (ratings.size === 0) return;
  const ids = await repository.ensureSkills(trx, [...ratings.keys()]);
  const current = await repository.findRatings(trx, participantId, [...ids.values()]);
  const added: { skillId: number; rating: number }[] = [];
  const deltas: repository.AggregateDelta[] = [];
  for (const [name, rating] of ratings) {
    const skillId = ids.get(name);
    if (skillId === undefined) throw new Error(`skill "${name}" vanished while being rated`);
    const previous = current.get(skillId);
    if (previous === undefined) {
      added.push({ skillId, rating });
      deltas.push({ skillId, frequency: 1, ratingSum: rating });
    } else if (previous !== rating) {
      await repository.updateRating(trx, participantId, skillId, rating);
      deltas.push({ skillId, frequency: 0, ratingSum: rating - previous });
    }
  }
  await repository.insertRatings(trx, participantId, added);
  await repository.applyAggregateDeltas(trx, deltas);
}

/** Removes every rating of a participant (being deleted) and takes them out of the skills' aggregates exactly. */
export async function clearSkillRatings(trx: Trx, participantId: number): Promise<void> {
  const removed = await repository.deleteRatingsOf(trx, participantId);
  await repository.applyAggregateDeltas(
    trx,
    removed.map((row) => ({ skillId: row.skill_id, frequency: -1, ratingSum: -row.rating })),
  );
}

function matches(name: string, stats: SkillStats, filter: SkillFilter): boolean {
  if (filter.minFrequency !== undefined && stats.frequency < filter.minFrequency) return false;
  if (filter.maxFrequency !== undefined && stats.frequency > filter.maxFrequency) return false;
  if (filter.minAverageRating !== undefined && stats.average_rating < filter.minAverageRating) return false;
  if (filter.maxAverageRating !== undefined && stats.average_rating > filter.maxAverageRating) return false;
  if (filter.keyword !== undefined && !name.toLowerCase().includes(filter.keyword.toLowerCase())) return false;
  return true;
}

export class SkillsService {
  constructor(private readonly db: Db) {}

  /** Reads the maintained aggregates: one small table, whatever the number of participants. */
  async list(filter: SkillFilter): Promise<Record<string, SkillStats>> {
    const rows = await repository.findSkillStats(this.db);
    rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const result: Record<string, SkillStats> = {};
    for (const row of rows) {
      const stats = { frequency: row.frequency, average_rating: roundToCents(row.rating_sum / row.frequency) };
      if (matches(row.name, stats, filter)) result[row.name] = stats;
    }
    return result;
  }
}
