import type { Executor, Trx } from '../../db/database.js';
import type { LedgerKind } from '../../db/tables.js';

export interface LedgerEntry {
  participantId: number;
  amount: number;
  kind: LedgerKind;
  orderId?: number;
  counterpartId?: number;
}

/** Every ledger row names the API key whose request moved the tokens. */
export interface LedgerActor {
  keyId: number;
}

export interface LedgerRow {
  id: number;
  amount: number;
  kind: LedgerKind;
  order_id: number | null;
  counterpart_id: number | null;
  created_at: number;
}

/**
 * Moves a balance by `amount` only if it stays at zero or above, in one conditional UPDATE: the row lock
 * (PostgreSQL) or the write lock (SQLite) makes racing debits queue and re-check. Returns the new balance,
 * or undefined when the participant is missing or the balance would go negative.
 */
export async function changeBalance(trx: Trx, participantId: number, amount: number, now: number): Promise<number | undefined> {
  const row = await trx
    .updateTable('participants')
    .set((eb) => ({ bbt_tokens: eb('bbt_tokens', '+', amount), updated_at: now }))
    .where('id', '=', participantId)
    .where((eb) => eb(eb('bbt_tokens', '+', amount), '>=', 0))
    .returning('bbt_tokens')
    .executeTakeFirst();
  return row?.bbt_tokens;
}

export async function appendLedger(trx: Trx, entries: LedgerEntry[], actor: LedgerActor, now: number): Promise<void> {
  await trx
    .insertInto('token_ledger')
    .values(
      entries.map((entry) => ({
        participant_id: entry.participantId,
        amount: entry.amount,
        kind: entry.kind,
        order_id: entry.orderId ?? null,
        counterpart_id: entry.counterpartId ?? null,
        actor_key_id: actor.keyId,
        created_at: now,
      })),
    )
    .execute();
}

export interface ExchangeParticipant {
  id: number;
  bbt_tokens: number;
  last_exchange_at: number | null;
}

/** Locks a participant's row for the rest of the transaction and reads what an exchange needs. */
export async function lockForExchange(trx: Trx, participantId: number): Promise<ExchangeParticipant | undefined> {
  return trx
    .updateTable('participants')
    .set((eb) => ({ last_exchange_at: eb.ref('last_exchange_at') }))
    .where('id', '=', participantId)
    .returning(['id', 'bbt_tokens', 'last_exchange_at'])
    .executeTakeFirst();
}

export async function recordExchange(trx: Trx, participantId: number, now: number): Promise<number> {
  const row = await trx
    .updateTable('participants')
    .set((eb) => ({ bbt_tokens: eb('bbt_tokens', '+', 1), last_exchange_at: now, updated_at: now }))
    .where('id', '=', participantId)
    .returning('bbt_tokens')
    .executeTakeFirstOrThrow();
  return row.bbt_tokens;
}

export async function pairExchangeCount(trx: Trx, low: number, high: number): Promise<number> {
  const row = await trx
    .selectFrom('pair_exchanges')
    .select('exchanges')
    .where('participant_low', '=', low)
    .where('participant_high', '=', high)
    .executeTakeFirst();
  return row?.exchanges ?? 0;
}

export async function countPairExchange(trx: Trx, low: number, high: number, now: number): Promise<void> {
  await trx
    .insertInto('pair_exchanges')
    .values({ participant_low: low, participant_high: high, exchanges: 1, last_exchange_at: now })
    .onConflict((oc) =>
      oc.columns(['participant_low', 'participant_high']).doUpdateSet((eb) => ({
        exchanges: eb('pair_exchanges.exchanges', '+', 1),
        last_exchange_at: now,
      })),
    )
    .execute();
}

export async function findBalance(ex: Executor, participantId: number): Promise<number | undefined> {
  const row = await ex.selectFrom('participants').select('bbt_tokens').where('id', '=', participantId).executeTakeFirst();
  return row?.bbt_tokens;
}

export async function findLedgerPage(
  ex: Executor,
  participantId: number,
  page: { limit: number; offset: number },
): Promise<LedgerRow[]> {
  return ex
    .selectFrom('token_ledger')
    .select(['id', 'amount', 'kind', 'order_id', 'counterpart_id', 'created_at'])
    .where('participant_id', '=', participantId)
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}
