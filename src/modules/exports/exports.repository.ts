import type { Executor } from '../../db/tables.js';

// One chunk of each export: up to `limit` rows after `afterId` in the order of their key, so a chunk costs
// an index range however far into the table it is (keyset, never OFFSET).

/** Participants not deleted, with their check-in time. */
export async function participantsAfter(ex: Executor, afterId: number, limit: number) {
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
      'participants.created_at',
      'check_ins.checked_in_at',
    ])
    .where('participants.id', '>', afterId)
    .where('participants.deleted_at', 'is', null)
    .orderBy('participants.id')
    .limit(limit)
    .execute();
}

/** Check-ins by participant id (their key), with the name of the key that made each. */
export async function checkInsAfter(ex: Executor, afterParticipantId: number, limit: number) {
  return ex
    .selectFrom('check_ins')
    .leftJoin('api_keys', 'api_keys.id', 'check_ins.volunteer_id')
    .select([
      'check_ins.participant_id',
      'check_ins.checked_in_at',
      'check_ins.recorded_at',
      'check_ins.volunteer_id',
      'api_keys.name as volunteer_name',
    ])
    .where('check_ins.participant_id', '>', afterParticipantId)
    .orderBy('check_ins.participant_id')
    .limit(limit)
    .execute();
}

export async function scansAfter(ex: Executor, afterId: number, limit: number) {
  return ex
    .selectFrom('checkpoint_scans')
    .innerJoin('checkpoints', 'checkpoints.id', 'checkpoint_scans.checkpoint_id')
    .leftJoin('api_keys', 'api_keys.id', 'checkpoint_scans.key_id')
    .select([
      'checkpoint_scans.id',
      'checkpoint_scans.checkpoint_id',
      'checkpoints.name as checkpoint_name',
      'checkpoint_scans.participant_id',
      'checkpoint_scans.outcome',
      'checkpoint_scans.reason',
      'checkpoint_scans.scanned_at',
      'checkpoint_scans.received_at',
      'checkpoint_scans.offline',
      'checkpoint_scans.annulled_at',
      'checkpoint_scans.key_id',
      'api_keys.name as key_name',
    ])
    .where('checkpoint_scans.id', '>', afterId)
    .orderBy('checkpoint_scans.id')
    .limit(limit)
    .execute();
}

export async function ordersAfter(ex: Executor, afterId: number, limit: number) {
  return ex.selectFrom('boba_orders').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
}

export async function ledgerAfter(ex: Executor, afterId: number, limit: number) {
  return ex.selectFrom('token_ledger').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
}

export async function loansAfter(ex: Executor, afterId: number, limit: number) {
  return ex
    .selectFrom('hardware_loans')
    .innerJoin('hardware_items', 'hardware_items.id', 'hardware_loans.item_id')
    .leftJoin('api_keys', 'api_keys.id', 'hardware_loans.key_id')
    .selectAll('hardware_loans')
    .select(['hardware_items.name as item_name', 'api_keys.name as key_name'])
    .where('hardware_loans.id', '>', afterId)
    .orderBy('hardware_loans.id')
    .limit(limit)
    .execute();
}
