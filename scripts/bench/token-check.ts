import { openDatabase } from '../../src/db/database.js';
import type { Report } from './report.js';
import type { TokenBook, WriteKind } from './token-book.js';

export interface TokenState {
  /** bbt_tokens per participant. */
  balances: Map<number, number>;
  /** Sum of ledger amounts per participant id found in the ledger. */
  ledger: Map<number, number>;
  ledgerRows: number;
}

/** Reads balances and ledger sums straight from the bench's database. */
export async function readTokens(databaseUrl: string): Promise<TokenState> {
  const handle = openDatabase(databaseUrl);
  try {
    const balances = await handle.db.selectFrom('participants').select(['id', 'bbt_tokens']).execute();
    const sums = await handle.db
      .selectFrom('token_ledger')
      .select((eb) => ['participant_id', eb.fn.sum<number>('amount').as('total'), eb.fn.countAll<number>().as('rows')])
      .groupBy('participant_id')
      .execute();
    return {
      balances: new Map(balances.map((row) => [Number(row.id), Number(row.bbt_tokens)])),
      ledger: new Map(sums.map((row) => [Number(row.participant_id), Number(row.total)])),
      ledgerRows: sums.reduce((rows, row) => rows + Number(row.rows), 0),
    };
  } finally {
    await handle.destroy();
  }
}

const sum = (values: Iterable<number>) => {
  let total = 0;
  for (const value of values) total += value;
  return total;
};

const sample = (items: string[]) => (items.length > 3 ? `${items.slice(0, 3).join('; ')}; ...` : items.join('; '));

/** The checks after the run: the ledger explains every balance, and the balances what the bench saw. */
export function checkTokens(
  before: TokenState,
  after: TokenState,
  book: TokenBook,
  tokensPerOrder: number,
  report: Report,
): void {
  const ledgerMismatches: string[] = [];
  for (const [id, balance] of after.balances) {
    const ledger = after.ledger.get(id) ?? 0;
    if (ledger !== balance) ledgerMismatches.push(`participant ${id}: bbt_tokens ${balance}, ledger ${ledger}`);
  }
  for (const [id, ledger] of after.ledger) {
    if (!after.balances.has(id)) ledgerMismatches.push(`ledger sum ${ledger} for participant ${id}, who does not exist`);
  }
  report(
    ledgerMismatches.length === 0,
    `tokens: every bbt_tokens equals the participant's ledger sum (${after.balances.size} participants, ` +
      `${after.ledgerRows} ledger rows; ${ledgerMismatches.length} mismatches${ledgerMismatches.length ? `: ${sample(ledgerMismatches)}` : ''})`,
  );

  const negative = [...after.balances]
    .filter(([, balance]) => balance < 0)
    .map(([id, balance]) => `participant ${id}: ${balance}`);
  report(
    negative.length === 0,
    `tokens: no negative balance (${negative.length} negative${negative.length ? `: ${sample(negative)}` : ''})`,
  );

  // Writes whose outcome the bench never saw widen what it can expect: each may or may not have applied.
  const unanswered = book.unanswered();
  const mayAdd = new Map<number, number>();
  const mayTake = new Map<number, number>();
  for (const move of unanswered) {
    for (const [id, amount] of move.changes) {
      const bound = amount > 0 ? mayAdd : mayTake;
      bound.set(id, (bound.get(id) ?? 0) + Math.abs(amount));
    }
  }
  const unansweredNote = unanswered.length
    ? `; ${unanswered.length} writes got no response, so anything from -${sum(mayTake.values())} to +${sum(mayAdd.values())} more is possible`
    : '';

  const totalBefore = sum(before.balances.values());
  const totalAfter = sum(after.balances.values());
  const expected = totalBefore + book.grantedTokens + 2 * book.ok.exchange - tokensPerOrder * book.ok.order;
  const difference = totalAfter - expected;
  report(
    difference >= -sum(mayTake.values()) && difference <= sum(mayAdd.values()),
    `tokens: total ${totalAfter} = ${totalBefore} before + ${book.grantedTokens} granted (${book.ok.grant} grants answered 200) ` +
      `+ 2 x ${book.ok.exchange} exchanges answered 200 - ${tokensPerOrder} x ${book.ok.order} orders answered 200 = ${expected}` +
      `${difference === 0 ? '' : ` (off by ${difference})`}${unansweredNote}`,
  );

  const drift: string[] = [];
  for (const [id, balance] of after.balances) {
    const expectedBalance = (before.balances.get(id) ?? 0) + (book.change.get(id) ?? 0);
    const off = balance - expectedBalance;
    if (off < -(mayTake.get(id) ?? 0) || off > (mayAdd.get(id) ?? 0)) {
      drift.push(`participant ${id}: ${balance}, expected ${expectedBalance}`);
    }
  }
  report(
    drift.length === 0,
    `tokens: each participant's balance = before + what the responses seen gave and took ` +
      `(${drift.length} of ${after.balances.size} differ${drift.length ? `: ${sample(drift)}` : ''})`,
  );

  const refusals = (Object.keys(book.refused) as WriteKind[])
    .flatMap((kind) => [...book.refused[kind]].map(([status, count]) => `${count} ${kind}s answered ${status}`))
    .join(', ');
  if (refusals) console.log(`  (refused writes, all runs and set-up included: ${refusals})`);
}
