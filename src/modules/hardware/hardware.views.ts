import type { Static } from 'typebox';
import { toIso, toIsoOrNull } from '../../http/instants.js';
import type { ListedItemRow, ListedLoanRow, ListedRequestRow } from './hardware.repository.js';
import type * as schemas from './hardware.schemas.js';

export function toItemView(row: ListedItemRow): Static<typeof schemas.Item> {
  return {
    name: row.name,
    description: row.description,
    quantity: row.quantity,
    out: row.units_out,
    available: row.quantity - row.units_out,
    requested: row.requested,
    per_participant_limit: row.per_participant_limit,
    loan_hours: row.loan_minutes === null ? null : row.loan_minutes / 60,
    requires_check_in: row.requires_check_in === 1,
    archived: row.archived_at !== null,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}

export function toRequestView(row: ListedRequestRow): Static<typeof schemas.HardwareRequest> {
  return {
    item_id: row.item_id,
    item_name: row.item_name,
    participant_id: row.participant_id,
    participant_name: row.participant_name,
    quantity: row.quantity,
    status: row.status,
    position: row.position,
    loan_id: row.loan_id,
    created_at: toIso(row.created_at),
    updated_at: toIso(row.updated_at),
  };
}

/** A loan as the API shows it; `now` decides whether it is overdue. */
/** A loan as a webhook tells it: no names of people. */
export function loanWebhookData(loanId: number, loan: Static<typeof schemas.Loan>) {
  const { item_id, item_name, participant_id, quantity, returned, lost, status, due_at } = loan;
  return { loan_id: loanId, item_id, item_name, participant_id, quantity, returned, lost, status, due_at };
}

export function toLoanView(row: ListedLoanRow, now: number): Static<typeof schemas.Loan> {
  return {
    item_id: row.item_id,
    item_name: row.item_name,
    participant_id: row.participant_id,
    participant_name: row.participant_name,
    quantity: row.quantity,
    returned: row.returned,
    lost: row.lost,
    outstanding: row.quantity - row.returned - row.lost,
    status: row.status,
    overdue: row.status === 'out' && row.due_at !== null && row.due_at < now,
    due_at: toIsoOrNull(row.due_at),
    lent_by: row.key_id,
    lent_by_name: row.key_name,
    request_id: row.request_id,
    created_at: toIso(row.created_at),
    closed_at: toIsoOrNull(row.closed_at),
  };
}
