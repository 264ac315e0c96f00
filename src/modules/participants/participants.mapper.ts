import type { ParticipantSkillRow, ParticipantSummaryRow } from './participants.repository.js';

export interface ParticipantView {
  name: string;
  company: string;
  email: string;
  phone: string;
  checked_in: boolean;
  bbt_tokens: number;
  skills: { skill: string; rating: number }[];
}

export function toParticipantView(row: ParticipantSummaryRow, skills: ParticipantSkillRow[]): ParticipantView {
  return {
    name: row.name,
    company: row.company,
    email: row.email,
    phone: row.phone,
    checked_in: row.checked_in_at !== null,
    bbt_tokens: row.bbt_tokens,
    skills: skills.map((s) => ({ skill: s.skill, rating: s.rating })),
  };
}

/** Joins participant rows with their skill rows (both ordered by participant id) into the seed's id-keyed object. */
export function toParticipantMap(
  rows: ParticipantSummaryRow[],
  skillRows: ParticipantSkillRow[],
): Record<string, ParticipantView> {
  const skillsByParticipant = new Map<number, ParticipantSkillRow[]>();
  for (const skill of skillRows) {
    const list = skillsByParticipant.get(skill.participant_id);
    if (list) list.push(skill);
    else skillsByParticipant.set(skill.participant_id, [skill]);
  }
  const result: Record<string, ParticipantView> = {};
  for (const row of rows) result[row.id] = toParticipantView(row, skillsByParticipant.get(row.id) ?? []);
  return result;
}
