import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Milliseconds since the Unix epoch; stored as a 64-bit integer in both dialects. */
export type EpochMillis = number;

export interface ParticipantsTable {
  id: Generated<number>;
  name: string;
  company: string;
  email: string;
  /** Lower-cased e-mail; its unique index is what keeps e-mails unique in any letter case. */
  email_key: string;
  phone: string;
  bbt_tokens: ColumnType<number, number | undefined, number>;
  last_exchange_at: EpochMillis | null;
  created_at: EpochMillis;
  updated_at: EpochMillis;
}

export interface SkillsTable {
  id: Generated<number>;
  name: string;
  /** Participants holding the skill; maintained in the same transaction as participant_skills. */
  frequency: ColumnType<number, number | undefined, number>;
  /** Sum of those participants' ratings, so the average costs no scan. */
  rating_sum: ColumnType<number, number | undefined, number>;
}

export interface ParticipantSkillsTable {
  id: Generated<number>;
  participant_id: number;
  skill_id: number;
  rating: number;
}

export interface CheckInsTable {
  participant_id: number;
  checked_in_at: EpochMillis;
  volunteer_id: number;
}

export interface Database {
  participants: ParticipantsTable;
  skills: SkillsTable;
  participant_skills: ParticipantSkillsTable;
  check_ins: CheckInsTable;
}

export type ParticipantRow = Selectable<ParticipantsTable>;
export type NewParticipantRow = Insertable<ParticipantsTable>;
