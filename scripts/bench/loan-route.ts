import { openDatabase } from '../../src/db/database.js';
import { hardwareDiscrepancies } from '../hardware-audit.js';
import { P99_MS, randomOf, type RouteBench, type StatusCounts } from './route.js';

const LENT = 201;
const REFUSED = 409;
const STOCK = 300;

/** What the check compares, read straight from the database with the server stopped. */
async function audit(databaseUrl: string, itemId: number) {
  const handle = openDatabase(databaseUrl);
  try {
    const loans = await handle.db.selectFrom('hardware_loans').select(['participant_id']).where('item_id', '=', itemId).execute();
    const perParticipant = new Map<number, number>();
    for (const loan of loans) perParticipant.set(loan.participant_id, (perParticipant.get(loan.participant_id) ?? 0) + 1);
    return {
      loans: loans.length,
      overLimit: [...perParticipant.values()].filter((n) => n > 1).length,
      discrepancies: await hardwareDiscrepancies(handle.db),
    };
  } finally {
    await handle.destroy();
  }
}

/**
 * The hardware desk under load: loans of one item (300 units, one per person, no check-in needed) to random
 * participants, so the first loans are lent and the rest refused, first per_participant_limit, then
 * out_of_stock once the shelf is empty. Afterwards the database must show the stock and every holding equal to
 * the open loans, nobody with two, and as many loans as the bench saw 201s.
 */
export function loanRoute(): RouteBench {
  let itemId = 0;
  const route: RouteBench = {
    name: 'POST /hardware/loans (300 units, limit 1, random participants)',
    method: 'POST',
    path: '/hardware/loans',
    // Every loan the server makes must be one the bench saw answered, or the check below cannot compare them.
    drain: true,
    probeStatus: LENT,
    expectedStatuses: [LENT, REFUSED],
    async setup(ctx) {
      const { status, body } = await ctx.send('POST', '/hardware', {
        name: 'Bench Arduino',
        quantity: STOCK,
        per_participant_limit: 1,
        requires_check_in: false,
      });
      if (status !== 201) throw new Error(`creating the item answered ${status}: ${JSON.stringify(body)}`);
      itemId = Number(Object.keys(body as object)[0]);
    },
    request: (_n, ctx) => ({ body: { item_id: itemId, participant_id: randomOf(ctx.participantIds) } }),
    targets: { maxP99Ms: P99_MS },
    async check(databaseUrl, statuses: StatusCounts, report) {
      const found = await audit(databaseUrl, itemId);
      report(
        found.discrepancies.length === 0 && found.overLimit === 0 && found.loans <= STOCK,
        `loans: ${found.loans} of ${STOCK} units lent, ${found.overLimit} participants over the limit of 1, ` +
          `${found.discrepancies.length} discrepancies between stock, holdings and loans` +
          (found.discrepancies.length > 0 ? ` (first: ${JSON.stringify(found.discrepancies[0])})` : ''),
      );
      const seen = statuses.get(LENT) ?? 0;
      report(seen === found.loans, `loans: ${found.loans} in the database; the bench was answered ${seen} x ${LENT}`);
    },
  };
  return route;
}
