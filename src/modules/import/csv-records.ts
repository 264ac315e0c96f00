import type { ColumnPlan, CsvField } from './csv-columns.js';
import type { UpdatableField } from './import.service.js';
import { withoutFormulaGuard } from '../exports/formula-guard.js';

/** The rating of a skill listed without one ("Python" rather than "Python:4"): the middle of the 1-5 scale. */
const DEFAULT_SKILL_RATING = 3;

interface SkillRating {
  skill: string;
  rating: number;
}

/** A row as the JSON import's record (validated the same way after), or why it cannot be one. */
export type RowOutcome = { record: Record<string, unknown> } | { problem: string };

/** A list's separators in a one-column skills cell: `Python:4; SQL:3`, `Python=4, SQL=3`, one per line. */
const SKILL_SEPARATORS = /[;,\n\r]+/;
const SKILL_AND_RATING = /^(.*?)\s*[:=]\s*(.*)$/;
const TAG_SEPARATORS = /[\s,;]+/;

const quote = (text: string) => JSON.stringify(text);

/** Why a row cannot be a record, found while reading one of its cells. */
class RowProblem extends Error {}

/** The leading whole number of a rating cell ("4", "4 - Expert"), if it is 1 to 5. */
function ratingOf(text: string): number | undefined {
  const digits = /^\d+/.exec(text)?.[0];
  const rating = digits === undefined ? NaN : Number(digits);
  return rating >= 1 && rating <= 5 ? rating : undefined;
}

/** `Python:4; SQL:3` as ratings; throws the reason when a rating is not 1 to 5. */
function skillList(cell: string): SkillRating[] {
  const skills: SkillRating[] = [];
  for (const item of cell.split(SKILL_SEPARATORS)) {
    const text = item.trim();
    if (text === '') continue;
    const parts = SKILL_AND_RATING.exec(text);
    const skill = (parts ? parts[1]! : text).trim();
    const ratingText = parts ? parts[2]!.trim() : '';
    if (skill === '') throw new RowProblem(`skills: ${quote(text)} names no skill`);
    const rating = ratingText === '' ? DEFAULT_SKILL_RATING : ratingOf(ratingText);
    if (rating === undefined) throw new RowProblem(`skills: the rating of ${quote(skill)} is ${quote(ratingText)}, not 1 to 5`);
    skills.push({ skill, rating });
  }
  return skills;
}

/**
 * The fields an updating import changes for a participant matched by e-mail: those the file has a column
 * for (tags and skills go by the row: see recordOfRow). The e-mail is what matched, and stays as it was.
 */
export function updatableFields(plan: ColumnPlan): UpdatableField[] {
  const has = (field: CsvField) => plan.fields[field] !== undefined;
  const fields: UpdatableField[] = [];
  if (has('name') || has('first_name') || has('last_name')) fields.push('name');
  if (has('company')) fields.push('company');
  if (has('phone')) fields.push('phone');
  if (has('dietary_restrictions')) fields.push('dietary_restrictions');
  return fields;
}

/**
 * One data row as a registration record: the name from its column, or else first and last name joined;
 * company and phone '' without a column; skills from the one-column list and the one-column-per-skill
 * cells (an empty cell is no skill), a later rating of a skill winning; tags only when the cell lists some,
 * split on commas, semicolons or spaces and lower-cased. The record is then validated like a JSON one.
 */
export function recordOfRow(plan: ColumnPlan, cells: string[]): RowOutcome {
  const cell = (field: CsvField) => {
    const index = plan.fields[field];
    return index === undefined ? undefined : withoutFormulaGuard((cells[index] ?? '').trim());
  };
  try {
    const name = cell('name') || [cell('first_name'), cell('last_name')].filter(Boolean).join(' ');
    if (name === '') return { problem: 'the name is empty' };
    const email = cell('email') ?? '';
    if (email === '') return { problem: 'the e-mail is empty' };
    const skills = skillList(cell('skills') ?? '');
    for (const { index, skill } of plan.skillColumns) {
      const text = (cells[index] ?? '').trim();
      if (text === '') continue;
      const rating = ratingOf(text);
      if (rating === undefined) {
        throw new RowProblem(`${quote(plan.headers[index]!)} is ${quote(text)}, not a rating from 1 to 5`);
      }
      skills.push({ skill, rating });
    }
    const tagsCell = cell('tags') ?? '';
    const tags = tagsCell.split(TAG_SEPARATORS).flatMap((tag) => (tag === '' ? [] : [tag.toLowerCase()]));
    const dietary = cell('dietary_restrictions');
    return {
      record: {
        name,
        company: cell('company') ?? '',
        email,
        phone: cell('phone') ?? '',
        skills,
        ...(tags.length > 0 ? { tags } : {}),
        ...(dietary === undefined ? {} : { dietary_restrictions: dietary }),
      },
    };
  } catch (error) {
    if (error instanceof RowProblem) return { problem: error.message };
    throw error;
  }
}
