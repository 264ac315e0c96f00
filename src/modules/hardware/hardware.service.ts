import type { Static } from 'typebox';
import type { Clock } from '../../clock.js';
import type { Db, HardwareRequestStatus, LoanEventKind, Trx } from '../../db/tables.js';
import { HARDWARE_REQUEST_STATUSES } from '../../db/tables.js';
import type { TransactionRunner } from '../../db/transactions.js';
import { conflict, forbidden, notFound, rejected } from '../../errors.js';
import { toIso } from '../../http/instants.js';
import { keyedRows, MAX_ID } from '../../http/schemas.js';
import { auditStaffChange } from '../audit/audit.service.js';
import { type NewEvent, recordEvents } from '../events/events.repository.js';
import { enqueueWebhookEvent } from '../webhooks/webhooks.outbox.js';
import type { Actor } from '../keys/keys.service.js';
import { lockLiveParticipant, participantExists } from '../participants/participants.repository.js';
import { participantNotFound } from '../participants/participants.errors.js';
import type { BadgeSigner } from '../badges/badge-signing.js';
import { badgeLookup } from '../badges/badges.service.js';
import { findScannedParticipant, type ScannedParticipantRow } from '../checkpoints/checkpoints.repository.js';
import * as repository from './hardware.repository.js';
import type * as schemas from './hardware.schemas.js';
import { loanWebhookData, toItemView, toLoanView, toRequestView } from './hardware.views.js';

type ItemView = Static<typeof schemas.Item>;
type RequestView = Static<typeof schemas.HardwareRequest>;
type LoanView = Static<typeof schemas.Loan>;
type LoanWithHistory = LoanView & { history: Array<Static<typeof schemas.LoanMovement>> };
type NewItem = Static<typeof schemas.NewItem>;
type ItemPatch = Static<typeof schemas.ItemPatch>;
type NewRequest = Static<typeof schemas.NewRequest>;
type NewLoan = Static<typeof schemas.NewLoan>;
type LoanMovement = Static<typeof schemas.LoanMovementBody>;
export type LoanFilter = repository.LoanFilter;

/** Which statuses each status may be reached from by a move; `collected` only by lending (POST /hardware/loans). */
const REACHABLE_FROM: Record<HardwareRequestStatus, readonly HardwareRequestStatus[]> = {
  requested: ['ready'],
  ready: ['requested'],
  cancelled: ['requested', 'ready'],
  collected: [],
};

const itemNotFound = () => notFound('hardware_not_found', 'Hardware item not found');
const requestNotFound = () => notFound('hardware_request_not_found', 'Hardware request not found');
const loanNotFound = () => notFound('loan_not_found', 'Loan not found');
const itemArchived = (name: string) => conflict('item_archived', `${name} is no longer lent`);

const itemEvent = (id: number, item: ItemView): NewEvent => ({
  type: 'hardware',
  participantId: null,
  payload: { kind: 'item', item_id: id, item },
});

const requestEvent = (id: number, request: RequestView): NewEvent => ({
  type: 'hardware',
  participantId: request.participant_id,
  payload: { kind: 'request', request_id: id, request, item_id: request.item_id },
});

const loanEvent = (id: number, loan: LoanView, item: repository.ItemRow): NewEvent => ({
  type: 'hardware',
  participantId: loan.participant_id,
  payload: { kind: 'loan', loan_id: id, loan, item_id: item.id, available: item.quantity - item.units_out },
});

/** The stored columns for an item's fields as given; absent fields are left out. */
function itemColumns(fields: ItemPatch): repository.ItemChanges {
  const hours = fields.loan_hours;
  return {
    name: fields.name?.trim(),
    description: fields.description?.trim(),
    quantity: fields.quantity,
    per_participant_limit: fields.per_participant_limit,
    // Whole minutes, at least one: a loan of 0.001 hours still lasts a minute.
    loan_minutes: hours === undefined ? undefined : hours === null ? null : Math.max(1, Math.round(hours * 60)),
    requires_check_in: fields.requires_check_in === undefined ? undefined : fields.requires_check_in ? 1 : 0,
  };
}

export class HardwareService {
  constructor(
    private readonly db: Db,
    private readonly transact: TransactionRunner,
    private readonly signer: BadgeSigner,
    private readonly clock: Clock,
  ) {}

  // ---- Items ----

  async listItems(includeArchived: boolean): Promise<Record<string, ItemView>> {
    return keyedRows(await repository.findItems(this.db, includeArchived), toItemView);
  }

  async getItem(id: number): Promise<ItemView> {
    const row = await repository.findItem(this.db, id);
    if (!row) throw itemNotFound();
    return toItemView(row);
  }

  async createItem(fields: NewItem, actor: Actor): Promise<{ id: number; item: ItemView }> {
    const columns = itemColumns(fields);
    return this.transact(async (trx) => {
      const now = this.clock.now();
      const row = await repository.insertItem(trx, {
        ...columns,
        name: columns.name ?? fields.name,
        quantity: fields.quantity,
        per_participant_limit: fields.per_participant_limit === undefined ? 1 : fields.per_participant_limit,
        requires_check_in: columns.requires_check_in ?? 1,
        created_at: now,
        updated_at: now,
      });
      const item = toItemView({ ...row, requested: 0 });
      await recordEvents(trx, [itemEvent(row.id, item)], now);
      await auditStaffChange(trx, actor, { action: 'hardware.create', target: `hardware:${row.id}`, after: item }, now);
      return { id: row.id, item };
    });
  }

  /**
   * Changes an item. Its quantity may not go below the units out; archiving cancels its open requests (nobody
   * can be handed it any more) and keeps every loan, which can still come back.
   */
  async updateItem(id: number, patch: ItemPatch, actor: Actor): Promise<ItemView> {
    const columns = itemColumns(patch);
    return this.transact(async (trx) => {
      const current = await repository.lockItem(trx, id);
      if (!current) throw itemNotFound();
      const now = this.clock.now();
      const archivedAt = patch.archived === undefined ? undefined : patch.archived ? (current.archived_at ?? now) : null;
      const changed = await repository.updateItem(trx, id, { ...columns, archived_at: archivedAt, updated_at: now });
      if (!changed) {
        throw conflict(
          'quantity_below_loans',
          `${current.units_out} ${current.name} out on loan: the quantity cannot go below ${current.units_out}`,
        );
      }
      const events: NewEvent[] = [];
      if (archivedAt !== undefined && archivedAt !== null && current.archived_at === null) {
        const ids = await repository.cancelOpenRequests(trx, id, now);
        const rows = await repository.findRequests(trx, { itemId: id, statuses: ['cancelled'], ids });
        for (const row of rows) events.push(requestEvent(row.id, toRequestView(row)));
      }
      const item = toItemView((await repository.findItem(trx, id)) as repository.ListedItemRow);
      await recordEvents(trx, [...events, itemEvent(id, item)], now);
      const action = patch.archived === true && Object.keys(patch).length === 1 ? 'hardware.archive' : 'hardware.update';
      const before = toItemView({ ...current, requested: item.requested });
      await auditStaffChange(trx, actor, { action, target: `hardware:${id}`, before, after: item }, now);
      return item;
    });
  }

  async archiveItem(id: number, actor: Actor): Promise<ItemView> {
    return this.updateItem(id, { archived: true }, actor);
  }

  // ---- Requests ----

  /** A participant asks for an item for themself; a volunteer or admin asks for someone. Nothing is reserved. */
  async request(fields: NewRequest, actor: Actor): Promise<{ id: number; request: RequestView }> {
    const participantId = this.requesterOf(fields.participant_id, actor);
    const units = fields.quantity ?? 1;
    return this.transact(async (trx) => {
      const item = await repository.lockItem(trx, fields.item_id);
      if (!item) throw itemNotFound();
      if (item.archived_at !== null) throw itemArchived(item.name);
      if (!(await lockLiveParticipant(trx, participantId))) throw participantNotFound();
      const held = await repository.findHeldUnits(trx, item.id, participantId);
      if (item.per_participant_limit !== null && held + units > item.per_participant_limit) {
        throw conflict('per_participant_limit', limitMessage(item, held));
      }
      const now = this.clock.now();
      const id = await repository.insertRequest(trx, {
        item_id: item.id,
        participant_id: participantId,
        quantity: units,
        status: 'requested',
        loan_id: null,
        key_id: actor.keyId,
        created_at: now,
        updated_at: now,
      });
      if (id === undefined) throw conflict('already_requested', `There is already an open request for ${item.name}`);
      const request = await this.requestView(trx, id);
      await recordEvents(trx, [requestEvent(id, request)], now);
      const asked = { item_id: item.id, participant_id: participantId, quantity: units, status: request.status };
      await auditStaffChange(
        trx,
        actor,
        { action: 'hardware_request.create', target: `hardware_request:${id}`, after: asked },
        now,
      );
      return { id, request };
    });
  }

  private requesterOf(participantId: number | undefined, actor: Actor): number {
    if (actor.role !== 'participant') {
      if (participantId === undefined) throw rejected('participant_required', 'participant_id required');
      return participantId;
    }
    if (participantId !== undefined && participantId !== actor.participantId) {
      throw forbidden('a participant may only request hardware for themself');
    }
    return actor.participantId as number;
  }

  /** A participant key sees only its own requests, whatever filter it asks for. */
  async listRequests(
    filter: { itemId?: number; participantId?: number; status?: schemas.RequestFilterStatus },
    actor: Actor,
  ): Promise<Record<string, RequestView>> {
    let participantId = filter.participantId;
    if (actor.role === 'participant') {
      if (participantId !== undefined && participantId !== actor.participantId) return {};
      participantId = actor.participantId as number;
    }
    const status = filter.status ?? 'open';
    const statuses =
      status === 'open' ? repository.OPEN_REQUEST_STATUSES : status === 'all' ? HARDWARE_REQUEST_STATUSES : [status];
    return keyedRows(await repository.findRequests(this.db, { itemId: filter.itemId, participantId, statuses }), toRequestView);
  }

  /**
   * Moves a request along its queue. The desk may mark it ready, put it back or cancel it; a participant may only
   * cancel their own while it is requested. Given `expected` (the status the caller saw), the move starts only
   * from it, so a repeated tap or a second phone finds it moved and changes nothing.
   */
  async moveRequest(
    id: number,
    status: HardwareRequestStatus,
    actor: Actor,
    expected?: HardwareRequestStatus,
  ): Promise<RequestView> {
    if (status === 'collected') {
      throw rejected('invalid_transition', 'A request is collected by lending it: POST /hardware/loans with request_id');
    }
    const byParticipant = actor.role === 'participant';
    const allowed = byParticipant ? (status === 'cancelled' ? (['requested'] as const) : []) : REACHABLE_FROM[status];
    const from = expected === undefined ? allowed : allowed.filter((state) => state === expected);
    return this.transact(async (trx) => {
      const now = this.clock.now();
      const owner = byParticipant ? (actor.participantId as number) : undefined;
      const moved = await repository.moveRequest(trx, id, { from, to: status, owner }, now);
      if (!moved) {
        const current = await repository.findRequest(trx, id);
        if (!current) throw requestNotFound();
        if (owner !== undefined && current.participant_id !== owner) throw forbidden('not_owner');
        if (expected !== undefined && current.status !== expected) {
          throw conflict('request_moved', `The request is no longer ${expected}`);
        }
        if (byParticipant) throw forbidden('a participant may only cancel their own request while it is requested');
        throw rejected('invalid_transition', `Cannot move a request from ${current.status} to ${status}`);
      }
      const request = await this.requestView(trx, id);
      await recordEvents(trx, [requestEvent(id, request)], now);
      await auditStaffChange(
        trx,
        actor,
        { action: 'hardware_request.move', target: `hardware_request:${id}`, after: { status } },
        now,
      );
      return request;
    });
  }

  private async requestView(ex: Trx, id: number): Promise<RequestView> {
    return toRequestView((await repository.findRequest(ex, id)) as repository.ListedRequestRow);
  }

  // ---- Loans ----

  /**
   * Lends units of an item to a participant, in one transaction: the item's row is locked first, then the
   * participant's holding (its limit) and the stock are each a conditional update, so racing loans can pass
   * neither; the request it collects, if any, moves only if still open.
   */
  async lend(fields: NewLoan, actor: Actor): Promise<{ id: number; loan: LoanView }> {
    if ((fields.badge === undefined) === (fields.participant_id === undefined)) {
      throw rejected('target_required', 'Give either badge or participant_id');
    }
    return this.transact(async (trx) => {
      const item = await repository.lockItem(trx, fields.item_id);
      if (!item) throw itemNotFound();
      if (item.archived_at !== null) throw itemArchived(item.name);
      const participant = await this.findBorrower(trx, fields);
      if (item.requires_check_in === 1 && participant.checked_in_at === null) {
        throw conflict('not_checked_in', `${participant.name} has not checked in`);
      }
      const request =
        fields.request_id === undefined ? undefined : await this.openRequestFor(trx, fields.request_id, item, participant);
      const units = fields.quantity ?? request?.quantity ?? 1;
      // No limit: as many as a 32-bit count can be.
      const limit = item.per_participant_limit ?? MAX_ID;
      if ((await repository.holdUnits(trx, item.id, participant.id, units, limit)) === undefined) {
        const held = await repository.findHeldUnits(trx, item.id, participant.id);
        throw conflict('per_participant_limit', limitMessage(item, held));
      }
      const now = this.clock.now();
      const lent = await repository.lendUnits(trx, item.id, units, now);
      if (!lent) {
        const available = item.quantity - item.units_out;
        throw conflict('out_of_stock', available === 0 ? `No ${item.name} left` : `Only ${available} ${item.name} left`);
      }
      const id = await repository.insertLoan(trx, {
        item_id: item.id,
        participant_id: participant.id,
        quantity: units,
        status: 'out',
        due_at: item.loan_minutes === null ? null : now + item.loan_minutes * 60_000,
        key_id: actor.keyId,
        request_id: request?.id ?? null,
        created_at: now,
        updated_at: now,
        closed_at: null,
      });
      const events: NewEvent[] = [];
      // Handed over without naming the request, it is still what they asked for: it leaves the queue too.
      const collectedId = await repository.collectOpenRequest(
        trx,
        { itemId: item.id, participantId: participant.id, requestId: request?.id },
        id,
        now,
      );
      // Cancelled since it was read: nothing of this loan stays.
      if (request && collectedId === undefined) throw conflict('request_closed', 'The request was cancelled meanwhile');
      if (collectedId !== undefined) events.push(requestEvent(collectedId, await this.requestView(trx, collectedId)));
      await repository.appendLoanEvent(trx, {
        loanId: id,
        kind: 'lent',
        quantity: units,
        note: null,
        keyId: actor.keyId,
        at: now,
      });
      const loan = await this.loanView(trx, id, now);
      await recordEvents(trx, [...events, loanEvent(id, loan, lent)], now);
      // Without names: a deletion redacts only the rows about the participant themself.
      const lentData = loanWebhookData(id, loan);
      await auditStaffChange(trx, actor, { action: 'loan.lend', target: `loan:${id}`, after: lentData }, now);
      await enqueueWebhookEvent(trx, 'loan.lent', lentData, now);
      return { id, loan };
    });
  }

  /** The borrower, share-locked so that a deletion cannot slip in between and leave a loan out to nobody. */
  private async findBorrower(trx: Trx, fields: NewLoan): Promise<ScannedParticipantRow> {
    if (fields.badge === undefined) {
      const participant = await findScannedParticipant(trx, { participantId: fields.participant_id as number });
      if (!participant || !(await lockLiveParticipant(trx, participant.id))) throw participantNotFound();
      return participant;
    }
    const lookup = badgeLookup(this.signer, fields.badge);
    const participant = lookup && (await findScannedParticipant(trx, { badge: lookup }));
    if (!participant || !(await lockLiveParticipant(trx, participant.id))) throw notFound('unknown_badge', 'Unknown badge');
    return participant;
  }

  private async openRequestFor(
    trx: Trx,
    requestId: number,
    item: repository.ItemRow,
    participant: ScannedParticipantRow,
  ): Promise<repository.RequestRow> {
    const request = await repository.findRequestRow(trx, requestId);
    if (!request) throw requestNotFound();
    if (request.item_id !== item.id || request.participant_id !== participant.id) {
      throw conflict('request_mismatch', 'That request is for another participant or another item');
    }
    if (!repository.OPEN_REQUEST_STATUSES.includes(request.status)) {
      throw conflict('request_closed', `That request was already ${request.status}`);
    }
    return request;
  }

  /** Takes units of a loan back (all that are out, by default). */
  async giveBack(id: number, movement: LoanMovement, actor: Actor): Promise<LoanView> {
    return this.settle(id, 'returned', movement, actor);
  }

  /** Writes units of a loan off as lost: they leave the item's stock. */
  async writeOff(id: number, movement: LoanMovement, actor: Actor): Promise<LoanView> {
    return this.settle(id, 'lost', movement, actor);
  }

  private async settle(
    id: number,
    kind: Exclude<LoanEventKind, 'lent'>,
    movement: LoanMovement,
    actor: Actor,
  ): Promise<LoanView> {
    return this.transact(async (trx) => {
      const loan = await repository.lockLoan(trx, id);
      if (!loan) throw loanNotFound();
      if (loan.status === 'returned') throw conflict('already_returned', 'This loan was already returned');
      if (loan.status === 'lost') throw conflict('loan_lost', 'This loan was written off as lost');
      const outstanding = loan.quantity - loan.returned - loan.lost;
      const units = movement.quantity ?? outstanding;
      if (units > outstanding) {
        throw conflict('return_exceeds_loan', `Only ${outstanding} of this loan ${outstanding === 1 ? 'is' : 'are'} out`);
      }
      const now = this.clock.now();
      const returned = loan.returned + (kind === 'returned' ? units : 0);
      const lost = loan.lost + (kind === 'lost' ? units : 0);
      const closed = returned + lost === loan.quantity;
      await repository.settleLoan(trx, id, {
        returned,
        lost,
        status: closed ? (lost > 0 ? 'lost' : 'returned') : 'out',
        closed_at: closed ? now : null,
        updated_at: now,
      });
      const item = await repository.releaseUnits(trx, loan.item_id, units, kind === 'lost', now);
      await repository.releaseHoldings(trx, loan.item_id, loan.participant_id, units);
      await repository.appendLoanEvent(trx, {
        loanId: id,
        kind,
        quantity: units,
        note: movement.note ?? null,
        keyId: actor.keyId,
        at: now,
      });
      const view = await this.loanView(trx, id, now);
      await recordEvents(trx, [loanEvent(id, view, item)], now);
      const entry = {
        action: kind === 'lost' ? 'loan.lose' : 'loan.return',
        target: `loan:${id}`,
        before: { returned: loan.returned, lost: loan.lost, status: loan.status },
        after: { returned, lost, status: view.status, note: movement.note ?? null },
      };
      await auditStaffChange(trx, actor, entry, now);
      await enqueueWebhookEvent(trx, kind === 'lost' ? 'loan.lost' : 'loan.returned', loanWebhookData(id, view), now);
      return view;
    });
  }

  private async loanView(ex: Trx, id: number, now: number): Promise<LoanView> {
    return toLoanView((await repository.findLoan(ex, id)) as repository.ListedLoanRow, now);
  }

  async listLoans(filter: LoanFilter, page: number): Promise<Record<string, LoanView>> {
    const now = this.clock.now();
    return keyedRows(await repository.findLoans(this.db, filter, page, now), (row) => toLoanView(row, now));
  }

  /** One loan with every movement; a participant key may only read its own. */
  async getLoan(id: number, actor: Actor): Promise<LoanWithHistory> {
    const row = await repository.findLoan(this.db, id);
    if (!row) throw loanNotFound();
    if (actor.role === 'participant' && row.participant_id !== actor.participantId) throw forbidden('not_owner');
    const history = await repository.findLoanHistory(this.db, id);
    return {
      ...toLoanView(row, this.clock.now()),
      history: history.map((movement) => ({
        kind: movement.kind,
        quantity: movement.quantity,
        // The desk's notes are for staff ("came back cracked"), not the borrower.
        note: actor.role === 'participant' ? null : movement.note,
        key_id: movement.key_id,
        key_name: movement.key_name,
        at: toIso(movement.created_at),
      })),
    };
  }

  async participantLoans(participantId: number): Promise<Record<string, LoanView>> {
    if (!(await participantExists(this.db, participantId))) throw participantNotFound();
    return this.loansOf(participantId);
  }

  /** A participant's loans, newest first, without checking that they exist (GET /me knows they do). */
  async loansOf(participantId: number): Promise<Record<string, LoanView>> {
    const now = this.clock.now();
    return keyedRows(await repository.findParticipantLoans(this.db, participantId), (row) => toLoanView(row, now));
  }
}

/**
 * What deleting a participant asks of the hardware desk, in the deletion's transaction: nothing may be out on
 * loan to them (409 loans_open: a loan must come back or be written off first, or nobody could be asked for
 * it), and their open requests are cancelled, as nobody can be handed them.
 */
export async function releaseParticipant(trx: Trx, participantId: number, now: number): Promise<void> {
  if (await repository.hasLoansOut(trx, participantId)) {
    throw conflict('loans_open', 'Hardware is still out on loan to this participant: return it or mark it lost first');
  }
  const ids = await repository.cancelParticipantRequests(trx, participantId, now);
  const rows = await repository.findRequests(trx, { participantId, statuses: ['cancelled'], ids });
  await recordEvents(
    trx,
    rows.map((row) => requestEvent(row.id, toRequestView(row))),
    now,
  );
}

function limitMessage(item: repository.ItemRow, held: number): string {
  const limit = `the limit is ${item.per_participant_limit} per person`;
  return held > 0 ? `${held} ${item.name} already held; ${limit}` : `Too many ${item.name}: ${limit}`;
}
