import type { Executor } from '../../db/tables.js';

export interface SkillStatsRow {
  name: string;
  frequency: number;
  rating_sum: number;
}

export interface AggregateDelta {
  skillId: number;
  frequency: number;
  ratingSum: number;
}

/** Creates the missing skill names and returns every name's id. Names go in sorted so racing inserts queue, not deadlock. */
export async function ensureSkills(ex: Executor, names: string[]): Promise<Map<string, number>> {
  const sorted = [...new Set(names)].sort();
  if (sorted.length === 0) return new Map();
  await ex
    .insertInto('skills')
    .values(sorted.map((name) => ({ name })))
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const rows = await ex.selectFrom('skills').select(['id', 'name']).where('name', 'in', sorted).execute();
  return new Map(rows.map((row) => [row.name, row.id]));
}

export async function findRatings(ex: Executor, participantId: number, skillIds: number[]): Promise<Map<number, number>> {
  if (skillIds.length === 0) return new Map();
  const rows = await ex
    .selectFrom('participant_skills')
    .select(['skill_id', 'rating'])
    .where('participant_id', '=', participantId)
    .where('skill_id', 'in', skillIds)
    .execute();
  return new Map(rows.map((row) => [row.skill_id, row.rating]));
}

export async function insertRatings(
  ex: Executor,
  participantId: number,
  ratings: { skillId: number; rating: number }[],
): Promise<void> {
  if (ratings.length === 0) return;
  await ex
    .insertInto('participant_skills')
    .values(ratings.map((r) => ({ participant_id: participantId, skill_id: r.skillId, rating: r.rating })))
    .execute();
}

export async function updateRating(ex: Executor, participantId: number, skillId: number, rating: number): Promise<void> {
  await ex
    .updateTable('participant_skills')
    .set({ rating })
    .where('participant_id', '=', participantId)
    .where('skill_id', '=', skillId)
    .execute();
}

/** Deletes every rating of a participant; returns what they were, for the aggregates. */
export async function deleteRatingsOf(ex: Executor, participantId: number): Promise<{ skill_id: number; rating: number }[]> {
  return ex
    .deleteFrom('participant_skills')
    .where('participant_id', '=', participantId)
    .returning(['skill_id', 'rating'])
    .execute();
}

/** Applies deltas in skill-id order, the one lock order every writer of skills uses. */
export async function applyAggregateDeltas(ex: Executor, deltas: AggregateDelta[]): Promise<void> {
  const ordered = [...deltas].sort((a, b) => a.skillId - b.skillId);
  for (const delta of ordered) {
    await ex
      .updateTable('skills')
      .set((eb) => ({
        frequency: eb('frequency', '+', delta.frequency),
        rating_sum: eb('rating_sum', '+', delta.ratingSum),
      }))
      .where('id', '=', delta.skillId)
      .execute();
  }
}

export async function findSkillStats(ex: Executor): Promise<SkillStatsRow[]> {
  return ex.selectFrom('skills').select(['name', 'frequency', 'rating_sum']).where('frequency', '>', 0).execute();
}
