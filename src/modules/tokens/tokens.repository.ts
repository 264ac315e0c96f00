import type { Insertable } from 'kysely';
import { preparedQuery } from '../../db/prepared.js';
import type { Executor, LedgerKind, TokenLedgerTable, Trx } from '../../db/tables.js';

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

const changeBalanceQuery = preparedQuery((ex, p: { participantId: number; amount: number; now: number }) =>
  ex
    .updateTable('participants')
    .set((eb) => ({ bbt_tokens: eb('bbt_tokens', '+', p.amount), updated_at: p.now }))
    .where('id', '=', p.participantId)
    .where('deleted_at', 'is', null)
    .where((eb) => eb(eb('bbt_tokens', '+', p.amount), '>=', 0))
    .returning('bbt_tokens'),
);

/**
 * Moves a balance by `amount` only if it stays at zero or above, in one conditional UPDATE: the row lock
 * (PostgreSQL) or the write lock (SQLite) makes racing debits queue and re-check. Returns the new balance,
 * or undefined when the participant is missing (or deleted) or the balance would go negative.
 */
export async function changeBalance(trx: Trx, participantId: number, amount: number, now: number): Promise<number | undefined> {
  const [row] = await changeBalanceQuery(trx, { participantId, amount, now });
  return row?.bbt_tokens;
}

const creditBalanceQuery = preparedQuery((ex, p: { participantId: number; amount: number; now: number }) =>
  ex
    .updateTable('participants')
    .set((eb) => ({ bbt_tokens: eb('bbt_tokens', '+', p.amount), updated_at: p.now }))
    .where('id', '=', p.participantId)
    .returning('bbt_tokens'),
);

/**
 * Gives tokens back (a refund), to a deleted participant too: the ledger row that goes with it is written
 * either way, and the balance must stay the sum of the ledger. Returns the new balance.
 */
export async function creditBalance(trx: Trx, participantId: number, amount: number, now: number): Promise<number> {
  const [row] = await creditBalanceQuery(trx, { participantId, amount, now });
  if (!row) throw new Error(`participant ${participantId} vanished during a refund`);
  return row.bbt_tokens;
}

type NewLedgerRow = Omit<Insertable<TokenLedgerTable>, 'id'>;

const appendLedgerQuery = preparedQuery((ex, rows: NewLedgerRow[]) => ex.insertInto('token_ledger').values(rows));

export async function appendLedger(trx: Trx, entries: LedgerEntry[], actor: LedgerActor, now: number): Promise<void> {
  await appendLedgerQuery(
    trx,
    entries.map((entry) => ({
      participant_id: entry.participantId,
      amount: entry.amount,
      kind: entry.kind,
      order_id: entry.orderId ?? null,
      counterpart_id: entry.counterpartId ?? null,
      actor_key_id: actor.keyId,
      created_at: now,
    })),
  );
}

export interface ExchangeParticipant {
  id: number;
  name: string;
  bbt_tokens: number;
  last_exchange_at: number | null;
}

const lockForExchangeQuery = preparedQuery((ex, p: { participantId: number }) =>
  ex
    .updateTable('participants')
    .set((eb) => ({ last_exchange_at: eb.ref('last_exchange_at') }))
    .where('id', '=', p.participantId)
    .where('deleted_at', 'is', null)
    .returning(['id', 'name', 'bbt_tokens', 'last_exchange_at']),
);

/** Locks a participant's row for the rest of the transaction and reads what an exchange needs; undefined for a deleted one. */
export async function lockForExchange(trx: Trx, participantId: number): Promise<ExchangeParticipant | undefined> {
  const [row] = await lockForExchangeQuery(trx, { participantId });
  return row;
}

const recordExchangeQuery = preparedQuery((ex, p: { participantId: number; now: number }) =>
  ex
    .updateTable('participants')
    .set((eb) => ({ bbt_tokens: eb('bbt_tokens', '+', 1), last_exchange_at: p.now, updated_at: p.now }))
    .where('id', '=', p.participantId)
    .returning('bbt_tokens'),
);

export async function recordExchange(trx: Trx, participantId: number, now: number): Promise<number> {
  const [row] = await recordExchangeQuery(trx, { participantId, now });
  if (!row) throw new Error(`participant ${participantId} vanished inside an exchange`);
  return row.bbt_tokens;
}

const pairExchangeCountQuery = preparedQuery((ex, p: { low: number; high: number }) =>
  ex.selectFrom('pair_exchanges').select('exchanges').where('participant_low', '=', p.low).where('participant_high', '=', p.high),
);

export async function pairExchangeCount(trx: Trx, low: number, high: number): Promise<number> {
  const [row] = await pairExchangeCountQuery(trx, { low, high });
  return row?.exchanges ?? 0;
}

const countPairExchangeQuery = preparedQuery((ex, p: { low: number; high: number; now: number }) =>
  ex
    .insertInto('pair_exchanges')
    .values({ participant_low: p.low, participant_high: p.high, exchanges: 1, last_exchange_at: p.now })
    .onConflict((oc) =>
      oc.columns(['participant_low', 'participant_high']).doUpdateSet((eb) => ({
        exchanges: eb('pair_exchanges.exchanges', '+', 1),
        last_exchange_at: p.now,
      })),
    ),
);

export async function countPairExchange(trx: Trx, low: number, high: number, now: number): Promise<void> {
  await countPairExchangeQuery(trx, { low, high, now });
}

/** Undefined for a participant missing or deleted. */
export async function findBalance(ex: Executor, participantId: number): Promise<number | undefined> {
  const row = await ex
    .selectFrom('participants')
    .select('bbt_tokens')
    .where('id', '=', participantId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
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
