import type { Static } from 'typebox';
import type { Clock } from '../../clock.js';
import { type Db, HARDWARE_REQUEST_STATUSES } from '../../db/tables.js';
import { toIso, toIsoOrNull } from '../../http/instants.js';
import { toAuditView } from '../audit/audit.service.js';
import { findOrders } from '../boba/boba.repository.js';
import { findCheckpoints, findParticipantScans } from '../checkpoints/checkpoints.repository.js';
import { findLoanHistory, findParticipantLoans, findRequests } from '../hardware/hardware.repository.js';
import type { Actor } from '../keys/keys.service.js';
import { findSkillsOf } from '../participants/participants.repository.js';
import { parseTags } from '../participants/tags.js';
import * as repository from './me-export.repository.js';
import type { MeExport } from './me.schemas.js';

type MeExportView = Static<typeof MeExport>;
type ExportedParticipant = NonNullable<MeExportView['participant']>;

const keyTimes = (row: {
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}) => ({
  created_at: toIso(row.created_at),
  expires_at: toIsoOrNull(row.expires_at),
  last_used_at: toIsoOrNull(row.last_used_at),
  revoked_at: toIsoOrNull(row.revoked_at),
});

/**
 * GET /me/export: everything Tapioca holds about the caller. A staff key gets its key alone; a participant
 * key also their profile and every record naming them. Secrets stay out: no key hash, no badge code.
 */
export class MeExportService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  fileName(): string {
    return `tapioca-my-data-${new Date(this.clock.now()).toISOString().slice(0, 10)}.json`;
  }

  async export(actor: Actor): Promise<MeExportView> {
    const exportedAt = toIso(this.clock.now());
    const key = await repository.findKey(this.db, actor.keyId);
    if (!key) throw new Error(`key ${actor.keyId} authenticated the request but is gone`);
    const participantId = actor.participantId;
    return {
      exported_at: exportedAt,
      key: { id: key.id, name: key.name, role: key.role, participant_id: key.participant_id, ...keyTimes(key) },
      participant: participantId === null ? null : await this.participant(participantId),
    };
  }

  private async participant(id: number): Promise<ExportedParticipant | null> {
    const profile = await repository.findProfile(this.db, id);
    // Deleted: the key was revoked with it, so only a request already past authentication gets here.
    if (!profile) return null;
    const [skills, ledger, orders, scans, checkpoints, loans, requests, keys, audit] = await Promise.all([
      findSkillsOf(this.db, id),
      repository.findLedgerOf(this.db, id),
      findOrders(this.db, { participantId: id }),
      findParticipantScans(this.db, id),
      findCheckpoints(this.db, true),
      findParticipantLoans(this.db, id),
      findRequests(this.db, { participantId: id, statuses: HARDWARE_REQUEST_STATUSES }),
      repository.findKeysOf(this.db, id),
      repository.findAuditOf(this.db, `participant:${id}`),
    ]);
    const checkpointNames = new Map(checkpoints.map((checkpoint) => [checkpoint.id, checkpoint.name]));
    // Oldest first, like every other list here (the loans query answers newest first).
    const oldestLoansFirst = [...loans].sort((a, b) => a.id - b.id);
    const loanEvents = await Promise.all(oldestLoansFirst.map((loan) => findLoanHistory(this.db, loan.id)));
    return {
      profile: {
        id,
        name: profile.name,
        email: profile.email,
        phone: profile.phone,
        company: profile.company,
        dietary_restrictions: profile.dietary_restrictions,
        tags: parseTags(profile.tags),
        created_at: toIso(profile.created_at),
        updated_at: toIso(profile.updated_at),
      },
      skills: skills.map((skill) => ({ skill: skill.skill, rating: skill.rating })),
      check_in:
        profile.checked_in_at === null || profile.recorded_at === null
          ? null
          : {
              checked_in_at: toIso(profile.checked_in_at),
              recorded_at: toIso(profile.recorded_at),
              offline: profile.recorded_at !== profile.checked_in_at,
            },
      badge_version: profile.badge_version,
      tokens: {
        balance: profile.bbt_tokens,
        last_exchange_at: toIsoOrNull(profile.last_exchange_at),
        ledger: ledger.map((row) => ({ ...row, created_at: toIso(row.created_at) })),
      },
      orders: orders.map((order) => ({
        id: order.id,
        status: order.status,
        size: order.size,
        flavour: order.flavour,
        sweetness: order.sweetness,
        ice: order.ice,
        toppings: order.toppings,
        location: order.location,
        cost: order.cost,
        created_at: toIso(order.created_at),
        updated_at: toIso(order.updated_at),
      })),
      scans: scans.map((scan) => ({
        id: scan.id,
        checkpoint_id: scan.checkpoint_id,
        // Empty only for a checkpoint made, and this participant scanned there, between the two reads.
        checkpoint_name: checkpointNames.get(scan.checkpoint_id) ?? '',
        outcome: scan.outcome,
        reason: scan.reason,
        scanned_at: toIso(scan.scanned_at),
        offline: scan.offline === 1,
        annulled_at: toIsoOrNull(scan.annulled_at),
      })),
      hardware_loans: oldestLoansFirst.map((loan, index) => ({
        id: loan.id,
        item_id: loan.item_id,
        item_name: loan.item_name,
        quantity: loan.quantity,
        returned: loan.returned,
        lost: loan.lost,
        status: loan.status,
        due_at: toIsoOrNull(loan.due_at),
        created_at: toIso(loan.created_at),
        closed_at: toIsoOrNull(loan.closed_at),
        events: (loanEvents[index] ?? []).map((event) => ({
          kind: event.kind,
          quantity: event.quantity,
          note: event.note,
          at: toIso(event.created_at),
        })),
      })),
      hardware_requests: requests.map((request) => ({
        id: request.id,
        item_id: request.item_id,
        item_name: request.item_name,
        quantity: request.quantity,
        status: request.status,
        loan_id: request.loan_id,
        created_at: toIso(request.created_at),
        updated_at: toIso(request.updated_at),
      })),
      api_keys: keys.map((row) => ({ id: row.id, name: row.name, ...keyTimes(row) })),
      // All about the participant themself: the target goes without saying.
      audit: audit.map((row) => {
        const { target, ...view } = toAuditView(row);
        return view;
      }),
    };
  }
}
