import type { Selectable } from 'kysely';
import type { AuditLogTable, Executor, Role, Trx } from '../../db/tables.js';

/** One change: `<resource>.<verb>` on `<resource>:<id>`, with the fields it touched before and after. */
export interface AuditEntry {
  action: string;
  target: string;
  before?: unknown;
  after?: unknown;
}

/** Who made a change: an API key (the Actor of a request). */
export interface AuditActor {
  keyId: number;
  name: string;
  role: Role;
}

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

/** Writes the entries in the change's transaction: an audit row exists exactly when its change does. */
export async function recordAudit(trx: Trx, actor: AuditActor, entries: AuditEntry[], now: number): Promise<void> {
  if (entries.length === 0) return;
  await trx
    .insertInto('audit_log')
    .values(
      entries.map((entry) => ({
        actor_key_id: actor.keyId,
        actor_name: actor.name,
        actor_role: actor.role,
        action: entry.action,
        target: entry.target,
        before: json(entry.before),
        after: json(entry.after),
        created_at: now,
      })),
    )
    .execute();
}

/** Drops before and after of every row about `target` (the one change the audit log allows). */
export async function redactAuditOf(trx: Trx, target: string, now: number): Promise<void> {
  await trx
    .updateTable('audit_log')
    .set({ before: null, after: null, redacted_at: now })
    .where('target', '=', target)
    .where('redacted_at', 'is', null)
    .execute();
}

export interface AuditFilter {
  actorKeyId?: number;
  action?: string;
  target?: string;
}

export async function findAuditPage(
  ex: Executor,
  filter: AuditFilter,
  window: { offset: number; limit: number },
): Promise<Selectable<AuditLogTable>[]> {
  let query = ex.selectFrom('audit_log').selectAll();
  if (filter.actorKeyId !== undefined) query = query.where('actor_key_id', '=', filter.actorKeyId);
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.target !== undefined) query = query.where('target', '=', filter.target);
  return query.orderBy('id', 'desc').offset(window.offset).limit(window.limit).execute();
}
