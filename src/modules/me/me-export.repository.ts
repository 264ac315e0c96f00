import type { Executor } from '../../db/tables.js';

// What GET /me/export needs that no other module reads: whole rows and complete histories of one participant.

/** A key without its hash. */
export async function findKey(ex: Executor, keyId: number) {
  return ex
    .selectFrom('api_keys')
    .select(['id', 'name', 'role', 'participant_id', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
    .where('id', '=', keyId)
    .executeTakeFirst();
}

/** Every key made for the participant, revoked ones too, without hashes. */
export async function findKeysOf(ex: Executor, participantId: number) {
  return ex
    .selectFrom('api_keys')
    .select(['id', 'name', 'created_at', 'expires_at', 'last_used_at', 'revoked_at'])
    .where('participant_id', '=', participantId)
    .orderBy('id')
    .execute();
}

/** The participant's row (without the badge secret) and check-in; undefined once deleted. */
export async function findProfile(ex: Executor, participantId: number) {
  return ex
    .selectFrom('participants')
    .leftJoin('check_ins', 'check_ins.participant_id', 'participants.id')
    .select([
      'participants.id',
      'participants.name',
      'participants.email',
      'participants.phone',
      'participants.company',
      'participants.dietary_restrictions',
      'participants.tags',
      'participants.bbt_tokens',
      'participants.last_exchange_at',
      'participants.badge_version',
      'participants.created_at',
      'participants.updated_at',
      'check_ins.checked_in_at',
      'check_ins.recorded_at',
    ])
    .where('participants.id', '=', participantId)
    .where('participants.deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Every token movement of the participant, oldest first. */
export async function findLedgerOf(ex: Executor, participantId: number) {
  return ex
    .selectFrom('token_ledger')
    .select(['id', 'amount', 'kind', 'order_id', 'counterpart_id', 'actor_key_id', 'created_at'])
    .where('participant_id', '=', participantId)
    .orderBy('id')
    .execute();
}

/** Every audit row about `target`, oldest first. */
export async function findAuditOf(ex: Executor, target: string) {
  return ex.selectFrom('audit_log').selectAll().where('target', '=', target).orderBy('id').execute();
}
