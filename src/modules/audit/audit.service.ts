import type { Static } from 'typebox';
import type { Selectable } from 'kysely';
import type { AuditLogTable, Db, Trx } from '../../db/tables.js';
import type { Actor } from '../keys/keys.service.js';
import { type AuditEntry, type AuditFilter, findAuditPage, recordAudit } from './audit.repository.js';
import type { AuditPage, AuditRow } from './audit.schemas.js';

const AUDIT_PAGE_SIZE = 100;

const parsed = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

/** An audit row as the API shows it (GET /audit, and a participant's own in GET /me/export). */
export const toAuditView = (row: Selectable<AuditLogTable>): Static<typeof AuditRow> => ({
  id: row.id,
  at: new Date(row.created_at).toISOString(),
  actor: { key_id: row.actor_key_id, name: row.actor_name, role: row.actor_role },
  action: row.action,
  target: row.target,
  before: parsed(row.before),
  after: parsed(row.after),
  redacted: row.redacted_at !== null,
});

/**
 * Audits a change when an admin or volunteer key made it; what a participant does with their own key
 * (orders, exchanges, requests) is in the ledger and the order history already.
 */
export async function auditStaffChange(trx: Trx, actor: Actor, entry: AuditEntry, now: number): Promise<void> {
  if (actor.role === 'participant') return;
  await recordAudit(trx, actor, [entry], now);
}

export class AuditService {
  constructor(private readonly db: Db) {}

  async page(filter: AuditFilter, page: number): Promise<Static<typeof AuditPage>> {
    const rows = await findAuditPage(this.db, filter, { offset: (page - 1) * AUDIT_PAGE_SIZE, limit: AUDIT_PAGE_SIZE });
    return {
      page,
      page_size: AUDIT_PAGE_SIZE,
      rows: rows.map(toAuditView),
    };
  }
}
