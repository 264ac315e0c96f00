import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Database, Db, Executor } from '../../db/tables.js';

export interface BadgeHolderRow {
  id: number;
  name: string;
  checked_in_at: number | null;
}

/**
 * How to find a badge's holder: a signed badge names the participant and the badge version it was issued as
 * (a rotation revokes older ones); a badge printed before signing carries the stored random code.
 */
export type BadgeLookup = { participantId: number; version: number } | { legacyCode: string };

/** Narrows a query over `participants` to the holder of the badge; a deleted participant holds none. */
export const whereBadge =
  (lookup: BadgeLookup) =>
  (eb: ExpressionBuilder<Database, 'participants'>): Expression<SqlBool> =>
    eb.and([
      'legacyCode' in lookup
        ? eb('participants.badge_code', '=', lookup.legacyCode)
        : eb.and([eb('participants.id', '=', lookup.participantId), eb('participants.badge_version', '=', lookup.version)]),
      eb('participants.deleted_at', 'is', null),
    ]);

export async function findHolder(ex: Executor, lookup: BadgeLookup): Promise<BadgeHolderRow | undefined> {
  return ex
    .selectFrom('participants')
    .leftJoin('check_ins', 'check_ins.participant_id', 'participants.id')
    .select(['participants.id', 'participants.name', 'check_ins.checked_in_at'])
    .where(whereBadge(lookup))
    .executeTakeFirst();
}

export async function findBadgeVersion(ex: Executor, participantId: number): Promise<number | undefined> {
  const row = await ex
    .selectFrom('participants')
    .select('badge_version')
    .where('id', '=', participantId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row?.badge_version;
}

/** A new badge: the version goes up (revoking signed badges of older ones) and the pre-signing code changes. */
export async function rotateBadge(
  ex: Executor,
  participantId: number,
  legacyCode: string,
  now: number,
): Promise<number | undefined> {
  const row = await ex
    .updateTable('participants')
    .set((eb) => ({ badge_code: legacyCode, badge_version: eb('badge_version', '+', 1), updated_at: now }))
    .where('id', '=', participantId)
    .where('deleted_at', 'is', null)
    .returning('badge_version')
    .executeTakeFirst();
  return row?.badge_version;
}

/** The named secret, stored as `value` unless another process stored one first; returns the one kept. */
export async function ensureServerSecret(db: Db, name: string, value: string, now: number): Promise<string> {
  await db
    .insertInto('server_secrets')
    .values({ name, value, created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
