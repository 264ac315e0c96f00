import type { Insertable, Selectable } from 'kysely';
import { preparedQuery } from '../../db/prepared.js';
import type { ApiKeysTable, Executor, Role } from '../../db/tables.js';

export type KeyRow = Omit<Selectable<ApiKeysTable>, 'key_hash' | 'from_env'>;

const PUBLIC_COLUMNS = [
  'id',
  'name',
  'role',
  'participant_id',
  'created_at',
  'expires_at',
  'last_used_at',
  'revoked_at',
] as const;

export async function insertKey(ex: Executor, row: Insertable<ApiKeysTable>): Promise<KeyRow> {
  return ex.insertInto('api_keys').values(row).returning(PUBLIC_COLUMNS).executeTakeFirstOrThrow();
}

// Prepared: every authenticated request runs it.
const findKeyByHashQuery = preparedQuery((ex, p: { keyHash: string }) =>
  ex.selectFrom('api_keys').select(PUBLIC_COLUMNS).where('key_hash', '=', p.keyHash),
);

export async function findKeyByHash(ex: Executor, keyHash: string): Promise<KeyRow | undefined> {
  const [row] = await findKeyByHashQuery(ex, { keyHash });
  return row;
}

/** Registers the TAPIOCA_ADMIN_KEY key; a process starting at the same moment may have registered it first. */
export async function insertEnvAdminKey(ex: Executor, keyHash: string, now: number): Promise<void> {
  await ex
    .insertInto('api_keys')
    .values({ name: 'TAPIOCA_ADMIN_KEY', role: 'admin', key_hash: keyHash, from_env: 1, created_at: now })
    .onConflict((oc) => oc.column('key_hash').doNothing())
    .execute();
}

/** Revokes the keys registered from earlier values of TAPIOCA_ADMIN_KEY. */
export async function revokeEnvKeysOtherThan(ex: Executor, keyHash: string, now: number): Promise<number> {
  const result = await ex
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('from_env', '=', 1)
    .where('key_hash', '<>', keyHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function listKeys(ex: Executor): Promise<KeyRow[]> {
  return ex.selectFrom('api_keys').select(PUBLIC_COLUMNS).orderBy('id').execute();
}

/** The key after the revocation, and whether this call revoked it (rather than an earlier one). */
export async function revokeKey(
  ex: Executor,
  id: number,
  now: number,
): Promise<{ row: KeyRow; revokedNow: boolean } | undefined> {
  const result = await ex
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  const row = await ex.selectFrom('api_keys').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && { row, revokedNow: Number(result.numUpdatedRows) > 0 };
}

/** Revokes every key of a participant (being deleted) not revoked yet. */
export async function revokeParticipantKeys(ex: Executor, participantId: number, now: number): Promise<void> {
  await ex
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('participant_id', '=', participantId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Records use at most once a minute per key, so authentication does not turn every read into a write. */
export async function touchKey(ex: Executor, id: number, now: number, staleBefore: number): Promise<void> {
  await ex
    .updateTable('api_keys')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', staleBefore)]))
    .execute();
}

export async function countActiveKeys(ex: Executor, role: Role, now: number): Promise<number> {
  const { count } = await ex
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('role', '=', role)
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .executeTakeFirstOrThrow();
  return Number(count);
}

/**
 * Participants (not deleted) with an id above `afterId` and no usable participant key. The bound is repeated on
 * the keys: PostgreSQL's merge anti-join would otherwise read every key below it for each page of the export.
 */
const withoutUsableKey = (ex: Executor, now: number, afterId: number) =>
  ex
    .selectFrom('participants')
    .where('participants.id', '>', afterId)
    .where('participants.deleted_at', 'is', null)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('api_keys')
            .select('api_keys.id')
            .whereRef('api_keys.participant_id', '=', 'participants.id')
            .where('api_keys.participant_id', '>', afterId)
            .where('api_keys.revoked_at', 'is', null)
            .where((eb) => eb.or([eb('api_keys.expires_at', 'is', null), eb('api_keys.expires_at', '>', now)])),
        ),
      ),
    );

/** The next `limit` participants after `afterId` with no usable participant key, in id order: a page of the sign-in link export. */
export async function participantsWithoutKey(ex: Executor, now: number, afterId: number, limit: number) {
  return withoutUsableKey(ex, now, afterId)
    .select(['participants.id', 'participants.name', 'participants.email'])
    .orderBy('participants.id')
    .limit(limit)
    .execute();
}

export async function countParticipantsWithoutKey(ex: Executor, now: number): Promise<number> {
  const { count } = await withoutUsableKey(ex, now, 0)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(count);
}

/** Stores keys in one statement: all of them, or none. */
export async function insertKeys(ex: Executor, rows: Insertable<ApiKeysTable>[]): Promise<void> {
  if (rows.length > 0) await ex.insertInto('api_keys').values(rows).execute();
}
