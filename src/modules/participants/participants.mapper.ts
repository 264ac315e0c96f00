import type { Static } from 'typebox';
import type { ParticipantSkillRow, ParticipantSummaryRow } from './participants.repository.js';
import type { Participant } from './participants.schemas.js';
import { parseTags } from './tags.js';

export type ParticipantView = Static<typeof Participant>;

type TagReader = (stored: string) => string[];

/**
 * Parses each distinct stored list once: a listing's participants mostly carry the same few lists, so its
 * views share them (they are only serialized, never changed).
 */
function sharedTagReader(): TagReader {
  const lists = new Map<string, string[]>();
  return (stored) => {
    let tags = lists.get(stored);
    if (tags === undefined) {
      tags = parseTags(stored);
      lists.set(stored, tags);
    }
    return tags;
  };
}

export function toParticipantView(
  row: ParticipantSummaryRow,
  skills: ParticipantSkillRow[],
  readTags: TagReader = parseTags,
): ParticipantView {
  return {
    name: row.name,
    company: row.company,
    email: row.email,
    phone: row.phone,
    checked_in: row.checked_in_at !== null,
    bbt_tokens: row.bbt_tokens,
    // The seed's field, in its unit: whole seconds.
    bbt_tokens_last_exchange_time: row.last_exchange_at === null ? 0 : Math.floor(row.last_exchange_at / 1000),
    skills: skills.map((s) => ({ skill: s.skill, rating: s.rating })),
    tags: readTags(row.tags),
    dietary_restrictions: row.dietary_restrictions,
  };
}

/** A listing's participant with its id; listings go in id order. */
export type ParticipantEntry = [id: number, participant: ParticipantView];

/** Skill rows by participant id, each participant's in the order given. */
export function skillsByParticipant(skillRows: ParticipantSkillRow[]): Map<number, ParticipantSkillRow[]> {
  const skills = new Map<number, ParticipantSkillRow[]>();
  for (const skill of skillRows) {
    const list = skills.get(skill.participant_id);
    if (list) list.push(skill);
    else skills.set(skill.participant_id, [skill]);
  }
  return skills;
}

/** Joins participant rows (in id order) with their skill rows (each participant's in stored order). */
export function toParticipantEntries(rows: ParticipantSummaryRow[], skillRows: ParticipantSkillRow[]): ParticipantEntry[] {
  const skills = skillsByParticipant(skillRows);
  const readTags = sharedTagReader();
  return rows.map((row) => [row.id, toParticipantView(row, skills.get(row.id) ?? [], readTags)]);
}

/**
 * Participants per piece of JSON text: a piece stays well under V8's large-object size (about 128 KB), so it
 * dies young, in a cheap scavenge; larger strings go straight to the old generation, and a busy server's heap
 * grows with them until a full collection (measured: 16 lists of 100,000 at once peaked near 500 MB RSS).
 */
const JSON_PIECE = 100;

/**
 * The seed's id-keyed object as JSON text, in pieces: byte for byte what JSON.stringify gives for the whole
 * object (integer keys go in ascending order, as the chunks do).
 */
export async function* participantMapJson(chunks: AsyncIterable<ParticipantEntry[]>): AsyncGenerator<string> {
  let opened = false;
  for await (const chunk of chunks) {
    for (let start = 0; start < chunk.length; start += JSON_PIECE) {
      const members = JSON.stringify(Object.fromEntries(chunk.slice(start, start + JSON_PIECE))).slice(1, -1);
      yield `${opened ? ',' : '{'}${members}`;
      opened = true;
    }
  }
  yield opened ? '}' : '{}';
}
