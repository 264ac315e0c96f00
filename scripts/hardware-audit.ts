import { sql } from 'kysely';
import type { Db } from '../src/db/tables.js';

/** One way the hardware library's books can disagree with its loans. */
export interface HardwareDiscrepancy {
  item_id: number;
  participant_id?: number;
  problem: string;
}

/**
 * The hardware library's invariants, read straight from the database: for every item the units out equal the
 * outstanding units of its open loans and never pass its quantity; every participant's holding of an item
 * equals their outstanding units of it; every loan's units add up (lent = returned + lost + outstanding, the
 * movements of its history likewise). What the race tests and the bench check after hammering the loan routes.
 */
export async function hardwareDiscrepancies(db: Db): Promise<HardwareDiscrepancy[]> {
  const outstanding = sql<number>`cast(coalesce(sum(case when l.status = 'out' then l.quantity - l.returned - l.lost else 0 end), 0) as integer)`;
  const items = await db
    .selectFrom('hardware_items as i')
    .leftJoin('hardware_loans as l', 'l.item_id', 'i.id')
    .select(['i.id', 'i.quantity', 'i.units_out', outstanding.as('outstanding')])
    .groupBy(['i.id', 'i.quantity', 'i.units_out'])
    .execute();
  const found: HardwareDiscrepancy[] = [];
  for (const item of items) {
    if (Number(item.units_out) !== Number(item.outstanding)) {
      found.push({ item_id: item.id, problem: `units_out ${item.units_out} but open loans hold ${item.outstanding}` });
    }
    if (Number(item.units_out) > Number(item.quantity)) {
      found.push({ item_id: item.id, problem: `units_out ${item.units_out} above quantity ${item.quantity}` });
    }
  }
  const holdings = await db
    .selectFrom('hardware_holdings as h')
    .select(['h.item_id', 'h.participant_id', 'h.units'])
    .select((eb) =>
      eb
        .selectFrom('hardware_loans as l')
        .select(outstanding.as('n'))
        .whereRef('l.item_id', '=', 'h.item_id')
        .whereRef('l.participant_id', '=', 'h.participant_id')
        .as('outstanding'),
    )
    .execute();
  for (const holding of holdings) {
    if (Number(holding.units) !== Number(holding.outstanding ?? 0)) {
      found.push({
        item_id: holding.item_id,
        participant_id: holding.participant_id,
        problem: `holds ${holding.units} but their open loans hold ${holding.outstanding}`,
      });
    }
  }
  const loans = await db
    .selectFrom('hardware_loans as l')
    .select(['l.id', 'l.item_id', 'l.quantity', 'l.returned', 'l.lost'])
    .select((eb) =>
      eb
        .selectFrom('hardware_loan_events as e')
        .select(
          sql<number>`cast(coalesce(sum(case when e.kind = 'lent' then e.quantity else -e.quantity end), 0) as integer)`.as('n'),
        )
        .whereRef('e.loan_id', '=', 'l.id')
        .as('history'),
    )
    .execute();
  for (const loan of loans) {
    if (Number(loan.history) !== loan.quantity - loan.returned - loan.lost) {
      found.push({
        item_id: loan.item_id,
        problem: `loan ${loan.id}: its history leaves ${loan.history} out, the loan says ${loan.quantity - loan.returned - loan.lost}`,
      });
    }
  }
  return found;
}
