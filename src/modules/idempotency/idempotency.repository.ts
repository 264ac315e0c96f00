import type { Executor } from '../../db/tables.js';

export interface KeyRef {
  scope: string;
  keyHash: string;
}

/** The row of `ref` while `owner` holds it: every write after the claim names both. */
const heldBy = (ref: KeyRef, owner: string) => ({ scope: ref.scope, key_hash: ref.keyHash, owner });

export interface StoredKey {
  fingerprint: string;
  state: 'running' | 'done';
  owner: string;
  started_at: number;
  created_at: number;
  status: number | null;
  body: string | null;
}

/** Claims the key for `owner`; false when a row for it exists already (whatever its state). */
export async function insertClaim(
  ex: Executor,
  ref: KeyRef,
  claim: { fingerprint: string; owner: string; now: number },
): Promise<boolean> {
  const rows = await ex
    .insertInto('idempotency_keys')
    .values({
      scope: ref.scope,
      key_hash: ref.keyHash,
      fingerprint: claim.fingerprint,
      state: 'running',
      owner: claim.owner,
      started_at: claim.now,
      created_at: claim.now,
    })
    .onConflict((oc) => oc.columns(['scope', 'key_hash']).doNothing())
    .returning('owner')
    .execute();
  return rows.length === 1;
}

export async function findKey(ex: Executor, ref: KeyRef): Promise<StoredKey | undefined> {
  return ex
    .selectFrom('idempotency_keys')
    .select(['fingerprint', 'state', 'owner', 'started_at', 'created_at', 'status', 'body'])
    .where('scope', '=', ref.scope)
    .where('key_hash', '=', ref.keyHash)
    .executeTakeFirst();
}

/** Takes over a claim whose request stopped answering; false when someone else changed it first. */
export async function takeOverClaim(ex: Executor, ref: KeyRef, seenOwner: string, owner: string, now: number): Promise<boolean> {
  const rows = await ex
    .updateTable('idempotency_keys')
    .set({ owner, started_at: now })
    .where((eb) => eb.and({ ...heldBy(ref, seenOwner), state: 'running' }))
    .returning('owner')
    .execute();
  return rows.length === 1;
}

/** Stores the answer, if `owner` still holds the claim; false otherwise (it was taken over). */
export async function storeAnswer(
  ex: Executor,
  ref: KeyRef,
  owner: string,
  answer: { status: number; body: string },
): Promise<boolean> {
  const rows = await ex
    .updateTable('idempotency_keys')
    .set({ state: 'done', status: answer.status, body: answer.body })
    .where((eb) => eb.and({ ...heldBy(ref, owner), state: 'running' }))
    .returning('owner')
    .execute();
  return rows.length === 1;
}

/** Drops a row seen expired (whatever its state), unless another request replaced it meanwhile. */
export async function deleteExpiredKey(ex: Executor, ref: KeyRef, owner: string): Promise<void> {
  await ex
    .deleteFrom('idempotency_keys')
    .where((eb) => eb.and(heldBy(ref, owner)))
    .execute();
}

/**
 * Frees a claim whose request failed, so a retry runs again, but only while it is still running: when the
 * failure was a lost answer to a COMMIT that did happen, the row is `done` with its effect, and must stay so
 * that the retry replays instead of doing the effect a second time.
 */
export async function releaseClaim(ex: Executor, ref: KeyRef, owner: string): Promise<void> {
  await ex
    .deleteFrom('idempotency_keys')
    .where((eb) => eb.and({ ...heldBy(ref, owner), state: 'running' }))
    .execute();
}

export async function deleteKeysCreatedBefore(ex: Executor, cutoff: number): Promise<number> {
  const result = await ex.deleteFrom('idempotency_keys').where('created_at', '<', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}
