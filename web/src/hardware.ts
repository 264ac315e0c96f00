// The pure parts of the hardware library screens (screens/Hardware*.tsx): the words for items, queues, due times
// and refusals, and how an answer or a live event changes the lists a screen shows.
import { ApiError, errorText, get } from './api';
import { dateTime } from './format';
import type {
  ErrorCode,
  HardwareItem,
  HardwareItemsById,
  HardwareRequest,
  HardwareRequestsById,
  Loan,
  LoansById,
} from './api-types';

/** The most units a "How many" list offers. */
export const MAX_CHOICE = 20;

/** "1st", "2nd", "3rd", "11th", "22nd". */
function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${{ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th'}`;
}

/** Where an open request stands in the desk's order: "ready at the desk", "next in line", "3rd in line". */
export function queueText(request: Pick<HardwareRequest, 'status' | 'position'>): string {
  if (request.status === 'ready') return 'Ready at the desk';
  if (request.position === null) return '';
  return request.position === 1 ? 'Next in line' : `${ordinal(request.position)} in line`;
}

/**
 * Whether a hacker's waiting request can surely be collected now: enough units free for theirs, and either they are
 * first in line or there are enough for every open request of the item. (How many the others ahead want is not
 * theirs to see; each wants at least one, which holds even while `item` was read before this request counted.)
 */
function freeNow(
  request: Pick<HardwareRequest, 'status' | 'position' | 'quantity'>,
  item: Pick<HardwareItem, 'available' | 'requested'>,
): boolean {
  if (request.status !== 'requested' || item.available < request.quantity) return false;
  const position = request.position ?? 1;
  return position === 1 || item.available >= Math.max(item.requested, position - 1 + request.quantity);
}

/**
 * Where a hacker's own open request stands, as one message, place then what to do: "Free now" only when it is
 * theirs to collect, else how many are ahead. `item` is the item as listed now (its `requested` counts this request).
 */
export function myPlace(
  request: Pick<HardwareRequest, 'status' | 'position' | 'quantity'>,
  item: Pick<HardwareItem, 'available' | 'requested'> | undefined,
): { place: string; advice: string } {
  if (request.status === 'ready') return { place: 'Ready at the desk', advice: 'show your badge there' };
  if (item && freeNow(request, item)) return { place: 'Free now', advice: 'collect it at the hardware desk with your badge' };
  const ahead = (request.position ?? 1) - 1;
  return { place: ahead === 0 ? 'Next in line' : `${ahead} ahead of you`, advice: 'none free for you yet' };
}

export const isOpenRequest = (request: Pick<HardwareRequest, 'status'>) =>
  request.status === 'requested' || request.status === 'ready';

/** A loan length in hours as people say it: "30 min", "1.5 h", "4 h". */
function hoursText(hours: number): string {
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  return `${Number(hours.toFixed(2))} h`;
}

/** An item's rules in one line: "up to 2 each · back within 4 h · check-in needed". */
export function itemRulesText(item: HardwareItem): string {
  const parts = [
    item.per_participant_limit === null ? 'no limit each' : `up to ${item.per_participant_limit} each`,
    item.loan_hours === null ? 'keep until the end' : `back within ${hoursText(item.loan_hours)}`,
  ];
  if (item.requires_check_in) parts.push('check-in needed');
  return parts.join(' · ');
}

/** "3 of 10 available", with the waiting line when there is one. */
export function availabilityText(item: Pick<HardwareItem, 'available' | 'quantity' | 'requested'>): string {
  const waiting = item.requested > 0 ? ` · ${item.requested} requested` : '';
  return `${item.quantity === 0 ? 'None in stock' : `${item.available} of ${item.quantity} available`}${waiting}`;
}

/** Whether a loan is past its due time now (the server's `overdue` was true when it was read). */
export function isOverdue(loan: Loan, now: number): boolean {
  if (loan.status !== 'out') return false;
  return loan.overdue || (loan.due_at !== null && Date.parse(loan.due_at) <= now);
}

/**
 * The earliest due time of these loans that the server had not yet called overdue when it answered. Nothing is
 * written when a loan falls due, so no live event says that what is overdue has changed: a screen reads again then.
 */
export function nextDueTime(loans: Iterable<Loan>): number | undefined {
  let next: number | undefined;
  for (const loan of loans) {
    if (loan.status !== 'out' || loan.overdue || loan.due_at === null) continue;
    const due = Date.parse(loan.due_at);
    if (next === undefined || due < next) next = due;
  }
  return next;
}

/** A time span as people say it: "5 min", "2 h 10 min", "1 d 3 h". */
function spanText(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return hours % 24 === 0 ? `${Math.floor(hours / 24)} d` : `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/**
 * When a loan goes back, or how it ended: "Due back 18:00", "Overdue since 18:00 · 40 min late", "Returned 17:42"
 * (with the date when it is not today).
 */
export function dueText(loan: Loan, now: number): string {
  if (loan.status === 'returned') return `Returned ${dateTime(loan.closed_at)}`;
  if (loan.status === 'lost') return `Written off as lost ${dateTime(loan.closed_at)}`;
  if (loan.due_at === null) return 'Keep it until the end';
  if (!isOverdue(loan, now)) return `Due back ${dateTime(loan.due_at)}`;
  const late = now - Date.parse(loan.due_at);
  return `Overdue since ${dateTime(loan.due_at)}${late >= 60_000 ? ` · ${spanText(late)} late` : ''}`;
}

/** "2 × Arduino Uno", or just the name for one. */
export const unitsOf = (quantity: number, name: string) => (quantity === 1 ? name : `${quantity} × ${name}`);

/** The units of an item someone has now: what their open loans of it still hold. */
export function unitsHeld(loans: LoansById | undefined, itemId: number): number {
  let units = 0;
  for (const loan of Object.values(loans ?? {})) if (loan.status === 'out' && loan.item_id === itemId) units += loan.outstanding;
  return units;
}

const codeOf = (error: unknown): ErrorCode | undefined => (error instanceof ApiError ? error.code : undefined);

/** A hacker's own request or cancellation refused, in words for them. */
export function requestRefusalText(error: unknown): string {
  switch (codeOf(error)) {
    case 'already_requested':
      return 'You have already asked for this: see My requests.';
    case 'per_participant_limit':
      return 'That is more than one person may borrow at once (counting what you have now).';
    case 'item_archived':
    case 'hardware_not_found':
      return 'This item is no longer lent.';
    // A participant may only cancel while the request waits; once the desk has it ready, they ask there.
    case 'forbidden':
    case 'invalid_transition':
    case 'request_moved':
      return 'The desk has already got it ready for you: tell them there if you no longer need it.';
    default:
      return errorText(error);
  }
}

/** A hand-out, take-back or request move at the desk refused, naming the person. */
export function deskRefusalText(
  error: unknown,
  name: string,
  item?: Pick<HardwareItem, 'quantity' | 'per_participant_limit'>,
): string {
  switch (codeOf(error)) {
    case 'out_of_stock':
      if (!item || item.quantity > 1) return `None left: all${item ? ` ${item.quantity}` : ''} are out.`;
      return item.quantity === 1 ? 'None left: the only one is out.' : 'None in stock.';
    case 'per_participant_limit':
      return item?.per_participant_limit
        ? `${name} would have more than ${item.per_participant_limit}, the most one person may borrow.`
        : `${name} would have more than one person may borrow.`;
    case 'not_checked_in':
      return `${name} is not checked in: send them to the door first.`;
    case 'item_archived':
    case 'hardware_not_found':
      return 'This item is no longer lent.';
    case 'hardware_request_not_found':
    case 'request_closed':
      return 'That request was already handed out or cancelled.';
    case 'request_mismatch':
      return 'That request is for someone else or another item.';
    case 'request_moved':
      return 'That request changed meanwhile: the list shows where it is now.';
    case 'already_returned':
      return 'That was already taken back.';
    case 'loan_lost':
      return 'That was written off as lost: it cannot be taken back here. Ask an organizer.';
    case 'return_exceeds_loan':
      return `${name} has fewer than that out.`;
    case 'unknown_badge':
    case 'badge_not_found':
      return 'That badge is not valid.';
    case 'participant_not_found':
      return 'Nobody has that badge any more.';
    default:
      return errorText(error);
  }
}

/**
 * After a request_moved refusal: the request as it is now when it is in the status that was wanted (someone else
 * made the same move first), so the tap counts as done; undefined when it is not, or cannot be told.
 */
export async function movedAsWanted(
  error: unknown,
  id: string,
  participantId: number,
  wanted: HardwareRequest['status'],
): Promise<HardwareRequest | undefined> {
  if (codeOf(error) !== 'request_moved') return undefined;
  const now = await get<HardwareRequestsById>(`/hardware/requests?participant_id=${participantId}&status=${wanted}`).catch(
    () => undefined,
  );
  return now?.[id];
}

/** The items with one put in (or, when archived and archived ones are not shown, taken out). */
export function withItem(
  items: HardwareItemsById | undefined,
  id: number,
  item: HardwareItem,
  showArchived = false,
): HardwareItemsById | undefined {
  if (!items) return items;
  const next = { ...items };
  if (item.archived && !showArchived) delete next[id];
  else next[id] = item;
  return next;
}

/** The open requests with one put in, or taken out once collected or cancelled. */
export function withRequest(
  requests: HardwareRequestsById | undefined,
  id: number,
  request: HardwareRequest,
): HardwareRequestsById | undefined {
  if (!requests) return requests;
  const next = { ...requests };
  if (isOpenRequest(request)) next[id] = request;
  else delete next[id];
  return next;
}

/** The loans with one put in; `outOnly` lists keep only those still out. */
export function withLoan(loans: LoansById | undefined, id: number, loan: Loan, outOnly = false): LoansById | undefined {
  if (!loans) return loans;
  const next = { ...loans };
  if (outOnly && loan.status !== 'out') delete next[id];
  else next[id] = loan;
  return next;
}

/** Requests in the order the desk serves them: by item name, then place in line. */
export function queueOrder([, a]: [string, HardwareRequest], [, b]: [string, HardwareRequest]): number {
  return a.item_name.localeCompare(b.item_name) || (a.position ?? Infinity) - (b.position ?? Infinity);
}

/** Loans overdue first, then by due time (until-the-end ones last), then newest. */
export function loanOrder(now: number) {
  return ([idA, a]: [string, Loan], [idB, b]: [string, Loan]): number =>
    Number(isOverdue(b, now)) - Number(isOverdue(a, now)) ||
    (a.due_at ? Date.parse(a.due_at) : Infinity) - (b.due_at ? Date.parse(b.due_at) : Infinity) ||
    Number(idB) - Number(idA);
}
