import type { Db, Executor, Trx } from '../../db/database.js';
import type { TransactionRunner } from '../../db/transactions.js';
import { isUniqueViolation } from '../../db/database.js';
import { notFound, rejected } from '../../errors.js';
import { newBadgeCode } from '../badges/badge-code.js';
import { createKey } from '../keys/keys.service.js';
import { setSkillRatings } from '../skills/skills.service.js';
import { type ParticipantView, toParticipantMap, toParticipantView } from './participants.mapper.js';
import * as repository from './participants.repository.js';

export interface SkillRatingInput {
  skill: string;
  rating: number;
}

export interface ParticipantInput {
  name: string;
  company: string;
  email: string;
  phone: string;
  skills?: SkillRatingInput[];
}

export type ParticipantPatchInput = Partial<ParticipantInput>;

export const participantNotFound = () => notFound('participant_not_found', 'Participant not found');
const emailTaken = () => rejected('email_exists', 'Email Already Exists');

/** One rating per skill name; a name given twice keeps its last rating, in the place it first appeared. */
export function normalizeSkills(skills: SkillRatingInput[] | undefined): Map<string, number> {
  const ratings = new Map<string, number>();
  for (const { skill, rating } of skills ?? []) ratings.set(skill.trim(), rating);
  return ratings;
}

export const emailKey = (email: string) => email.trim().toLowerCase();

/** Inserts a participant and their skills; undefined, with nothing written, when the e-mail is taken in any letter case. */
export async function createParticipant(trx: Trx, input: ParticipantInput, now: number): Promise<number | undefined> {
  const id = await repository.insertParticipant(trx, {
    name: input.name,
    company: input.company,
    email: input.email.trim(),
    email_key: emailKey(input.email),
    phone: input.phone,
    badge_code: newBadgeCode(),
    created_at: now,
    updated_at: now,
  });
  if (id !== undefined) await setSkillRatings(trx, id, normalizeSkills(input.skills));
  return id;
}

export interface RegisteredParticipant {
  id: number;
  participant: ParticipantView & { api_key?: string };
}

export class ParticipantsService {
  constructor(
    private readonly db: Db,
    private readonly transact: TransactionRunner,
    private readonly pageSize: number,
    /** With open registration a hacker registers themself, and needs their key in the answer. */
    private readonly issueKeyOnRegistration = false,
  ) {}

  async list(options: { checkedIn?: boolean; page?: number; search?: string }): Promise<Record<string, ParticipantView>> {
    const paging = options.page === undefined ? {} : { limit: this.pageSize, offset: (options.page - 1) * this.pageSize };
    const search = options.search?.trim() || undefined;
    const rows = await repository.findParticipants(this.db, { checkedIn: options.checkedIn, search, ...paging });
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (!first || !last) return {};
    const skills = await repository.findSkillsInRange(this.db, {
      fromId: first.id,
      toId: last.id,
      checkedIn: options.checkedIn,
    });
    return toParticipantMap(rows, skills);
  }

  async get(id: number): Promise<ParticipantView> {
    return this.read(this.db, id);
  }

  async register(input: ParticipantInput): Promise<RegisteredParticipant> {
    return this.transact(async (trx) => {
      const now = Date.now();
      const id = await createParticipant(trx, input, now);
      if (id === undefined) throw emailTaken();
      const participant = await this.read(trx, id);
      if (!this.issueKeyOnRegistration) return { id, participant };
      const { key } = await createKey(trx, { role: 'participant', name: `participant ${id}`, participantId: id }, now);
      return { id, participant: { ...participant, api_key: key } };
    });
  }

  /** All or nothing: any refusal rolls back every field and skill of the request. */
  async update(id: number, patch: ParticipantPatchInput): Promise<ParticipantView> {
    return this.transact(async (trx) => {
      const fields: repository.ParticipantFields = {
        name: patch.name,
        company: patch.company,
        phone: patch.phone,
        ...(patch.email === undefined ? {} : { email: patch.email.trim(), email_key: emailKey(patch.email) }),
      };
      let found: boolean;
      try {
        found = await repository.updateParticipant(trx, id, fields, Date.now());
      } catch (error) {
        if (isUniqueViolation(error)) throw emailTaken();
        throw error;
      }
      if (!found) throw participantNotFound();
      await setSkillRatings(trx, id, normalizeSkills(patch.skills));
      return this.read(trx, id);
    });
  }

  private async read(ex: Executor, id: number): Promise<ParticipantView> {
    const row = await repository.findParticipantById(ex, id);
    if (!row) throw participantNotFound();
    return toParticipantView(row, await repository.findSkillsOf(ex, id));
  }
}
