import { setImmediate } from 'node:timers/promises';
import type { Static } from 'typebox';
import type { Clock } from '../../clock.js';
import type { Db, Executor, Trx } from '../../db/tables.js';
import type { TransactionRunner } from '../../db/transactions.js';
import { isUniqueViolation } from '../../db/database.js';
import { forbidden, rejected } from '../../errors.js';
import { recordAudit, redactAuditOf } from '../audit/audit.repository.js';
import { auditStaffChange } from '../audit/audit.service.js';
import { cancelPlacedOrdersOf } from '../boba/boba.service.js';
import { eraseScanAnswersOf } from '../checkpoints/checkpoints.service.js';
import { deleteParticipantEvents } from '../events/events.repository.js';
import { releaseParticipant } from '../hardware/hardware.service.js';
import { revokeParticipantKeys } from '../keys/keys.repository.js';
import { newBadgeCode } from '../badges/badge-code.js';
import { type Actor, createKey } from '../keys/keys.service.js';
import { clearSkillRatings, setSkillRatings } from '../skills/skills.service.js';
import { type ParticipantEntry, type ParticipantView, toParticipantEntries, toParticipantView } from './participants.mapper.js';
import { participantNotFound } from './participants.errors.js';
import { storedTags } from './tags.js';
import * as repository from './participants.repository.js';
import type * as schemas from './participants.schemas.js';

type SkillRatingInput = Static<typeof schemas.SkillRating>;
export type ParticipantInput = Static<typeof schemas.Registration>;
type ParticipantPatchInput = Static<typeof schemas.ParticipantPatch>;

const emailTaken = () => rejected('email_taken', 'Email Already Exists');

/** One rating per skill name; a name given twice keeps its last rating, in the place it first appeared. */
export function normalizeSkills(skills: SkillRatingInput[] | undefined): Map<string, number> {
  const ratings = new Map<string, number>();
  for (const { skill, rating } of skills ?? []) ratings.set(skill.trim(), rating);
  return ratings;
}

/** What a participant carries until an admin says otherwise. */
const DEFAULT_TAGS = ['hacker'];

/** Tags say where a participant may go (meals by group, staff areas): only an admin hands them out. */
function ensureMayTag(actor: Actor | undefined, tags: readonly string[] | undefined): void {
  if (tags !== undefined && actor?.role !== 'admin') throw forbidden('tags_need_admin');
}

export const emailKey = (email: string) => email.trim().toLowerCase();

/** What a search depends on: the text without surrounding space, in lower case; undefined for none. */
export const normalizeSearch = (search: string | undefined) => search?.trim().toLowerCase() || undefined;

/**
 * Participants read per query when listing. Larger chunks cost fewer queries, but each is live longer while it
 * is written out; with 1000, 16 lists of 100,000 read at once took the server past 450 MB RSS, with 500 under 400.
 */
const LIST_CHUNK = 500;

export type ParticipantListing =
  | { kind: 'whole'; participants: Record<string, ParticipantView> }
  | { kind: 'chunked'; chunks: AsyncIterable<ParticipantEntry[]> };

/** The row of a new participant, with a fresh badge code: what registration and the import both store. */
export function newParticipantRow(input: ParticipantInput, now: number) {
  return {
    name: input.name,
    company: input.company,
    email: input.email.trim(),
    email_key: emailKey(input.email),
    phone: input.phone,
    tags: storedTags(input.tags ?? DEFAULT_TAGS),
    dietary_restrictions: input.dietary_restrictions ?? '',
    badge_code: newBadgeCode(),
    created_at: now,
    updated_at: now,
  };
}

/** Inserts a participant and their skills; undefined, with nothing written, when the e-mail is taken in any letter case. */
async function createParticipant(trx: Trx, input: ParticipantInput, now: number): Promise<number | undefined> {
  const id = await repository.insertParticipant(trx, newParticipantRow(input, now));
  if (id !== undefined) await setSkillRatings(trx, id, normalizeSkills(input.skills));
  return id;
}

/** The fields a patch names, as the view shows them; for skills, the ratings of the skills it names. */
function patchedFields(patch: ParticipantPatchInput, view: ParticipantView): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const key of Object.keys(patch) as (keyof ParticipantPatchInput)[]) {
    if (key !== 'skills') fields[key] = view[key];
  }
  if (patch.skills) {
    const named = new Set(patch.skills.map(({ skill }) => skill.trim()));
    fields.skills = view.skills.filter(({ skill }) => named.has(skill));
  }
  return fields;
}

export interface RegisteredParticipant {
  id: number;
  participant: Static<typeof schemas.RegisteredParticipant>;
}

export class ParticipantsService {
  constructor(
    private readonly db: Db,
    private readonly transact: TransactionRunner,
    private readonly pageSize: number,
    private readonly clock: Clock,
    /** With open registration a hacker registers themself, and needs their key in the answer. */
    private readonly issueKeyOnRegistration = false,
  ) {}

  /**
   * The participants passing the filters, in id order, read LIST_CHUNK at a time. A listing that fits in one
   * chunk comes whole; a longer one comes as chunks, read as they are consumed, with a turn of the event
   * loop between two (better-sqlite3 reads synchronously: without it a 100,000-participant list would hold
   * every other request for seconds).
   */
  async list(options: { checkedIn?: boolean; page?: number; search?: string }): Promise<ParticipantListing> {
    const filter: repository.ParticipantFilter = { checkedIn: options.checkedIn, search: normalizeSearch(options.search) };
    const wanted = options.page === undefined ? Infinity : this.pageSize;
    const offset = options.page === undefined ? 0 : (options.page - 1) * this.pageSize;
    const first = await this.readChunk(filter, { afterId: 0, offset, limit: Math.min(wanted, LIST_CHUNK) });
    if (first.length < LIST_CHUNK || first.length >= wanted) {
      return { kind: 'whole', participants: Object.fromEntries(first) };
    }
    return { kind: 'chunked', chunks: this.chunksFrom(first, filter, wanted) };
  }

  private async *chunksFrom(
    first: ParticipantEntry[],
    filter: repository.ParticipantFilter,
    wanted: number,
  ): AsyncGenerator<ParticipantEntry[]> {
    let chunk = first;
    let read = first.length;
    while (chunk.length > 0) {
      yield chunk;
      const limit = Math.min(LIST_CHUNK, wanted - read);
      if (chunk.length < LIST_CHUNK || limit === 0) return;
      await setImmediate();
      chunk = await this.readChunk(filter, { afterId: chunk[chunk.length - 1]![0], limit });
      read += chunk.length;
    }
  }

  private async readChunk(filter: repository.ParticipantFilter, window: repository.ChunkWindow): Promise<ParticipantEntry[]> {
    const rows = await repository.findParticipantChunk(this.db, filter, window);
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (!first || !last) return [];
    // Unfiltered, the chunk is every participant between its first and last id: one range scan finds their skills.
    const everyone = filter.checkedIn === undefined && filter.search === undefined;
    const skills = await repository.findSkillsOfParticipants(
      this.db,
      everyone ? { fromId: first.id, toId: last.id } : { ids: rows.map((row) => row.id) },
    );
    return toParticipantEntries(rows, skills);
  }

  async get(id: number): Promise<ParticipantView> {
    return this.read(this.db, id);
  }

  /** `registrar` is the caller's key; none for an anonymous open registration. */
  async register(input: ParticipantInput, registrar: Actor | undefined): Promise<RegisteredParticipant> {
    ensureMayTag(registrar, input.tags);
    return this.transact(async (trx) => {
      const now = this.clock.now();
      const id = await createParticipant(trx, input, now);
      if (id === undefined) throw emailTaken();
      const participant = await this.read(trx, id);
      if (registrar) {
        const { name, email, tags } = participant;
        await auditStaffChange(
          trx,
          registrar,
          { action: 'participant.create', target: `participant:${id}`, after: { name, email, tags } },
          now,
        );
      }
      if (!this.issueKeyOnRegistration) return { id, participant };
      const { key } = await createKey(trx, { role: 'participant', name: `participant ${id}`, participantId: id }, now);
      return { id, participant: { ...participant, api_key: key } };
    });
  }

  /** All or nothing: any refusal rolls back every field and skill of the request. */
  async update(id: number, patch: ParticipantPatchInput, actor: Actor): Promise<ParticipantView> {
    ensureMayTag(actor, patch.tags);
    return this.transact(async (trx) => {
      const now = this.clock.now();
      // Only staff changes are audited: a participant editing themself needs no copy of before.
      const beforeView = actor.role === 'participant' ? undefined : await this.read(trx, id);
      const fields: repository.ParticipantFields = {
        name: patch.name,
        company: patch.company,
        phone: patch.phone,
        dietary_restrictions: patch.dietary_restrictions,
        ...(patch.tags === undefined ? {} : { tags: storedTags(patch.tags) }),
        ...(patch.email === undefined ? {} : { email: patch.email.trim(), email_key: emailKey(patch.email) }),
      };
      let found: boolean;
      try {
        found = await repository.updateParticipant(trx, id, fields, now);
      } catch (error) {
        if (isUniqueViolation(error)) throw emailTaken();
        throw error;
      }
      if (!found) throw participantNotFound();
      await setSkillRatings(trx, id, normalizeSkills(patch.skills));
      const after = await this.read(trx, id);
      if (beforeView) {
        await auditStaffChange(
          trx,
          actor,
          {
            action: 'participant.update',
            target: `participant:${id}`,
            before: patchedFields(patch, beforeView),
            after: patchedFields(patch, after),
          },
          now,
        );
      }
      return after;
    });
  }

  /**
   * Deletes a participant's personal data, all or nothing. The row stays as a tombstone (see eraseParticipant)
   * so the ledger, orders, scans, check-ins and loans that name it keep their totals; from then on the id
   * answers like one that never existed. Refused while hardware is out on loan to them. Their open hardware
   * requests and Placed orders (refunded) are cancelled, their skills leave the statistics, their past live
   * updates go and their scans' stored answers name the tombstone, their keys are revoked, and the audit rows
   * about them lose their before and after. The participant themself must confirm.
   */
  async delete(id: number, actor: Actor, confirmed: boolean): Promise<{ id: number; deleted: true }> {
    if (actor.role === 'participant' && !confirmed) {
      throw rejected('confirmation_required', 'Deleting your data cannot be undone: send {"confirm": true} to go ahead');
    }
    return this.transact(async (trx) => {
      const now = this.clock.now();
      if (!(await repository.eraseParticipant(trx, id, newBadgeCode(), now))) throw participantNotFound();
      // Before the cancellations below record theirs, which carry the erased name only.
      await deleteParticipantEvents(trx, id);
      await releaseParticipant(trx, id, now);
      await cancelPlacedOrdersOf(trx, id, actor, now);
      await clearSkillRatings(trx, id);
      await eraseScanAnswersOf(trx, id);
      await revokeParticipantKeys(trx, id, now);
      const target = `participant:${id}`;
      await redactAuditOf(trx, target, now);
      await recordAudit(trx, actor, [{ action: 'participant.delete', target }], now);
      return { id, deleted: true as const };
    });
  }

  private async read(ex: Executor, id: number): Promise<ParticipantView> {
    const row = await repository.findParticipantById(ex, id);
    if (!row) throw participantNotFound();
    return toParticipantView(row, await repository.findSkillsOf(ex, id));
  }
}
