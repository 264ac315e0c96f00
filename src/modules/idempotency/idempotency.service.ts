import { createCipheriv, createDecipheriv, createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/tables.js';
import { runInAmbientTransaction, type TransactionRunner } from '../../db/transactions.js';
import { conflict, unprocessable } from '../../errors.js';
import * as repository from './idempotency.repository.js';

/** A claim whose request has not answered for this long is taken to be dead (its process stopped) and taken over. */
const LEASE_MS = 60_000;
const CLAIM_ATTEMPTS = 3;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface IdempotentRequest {
  /** `key:<api key id>`, or `anonymous`: keys of different callers never meet. */
  scope: string;
  /** The Idempotency-Key header. */
  key: string;
  /** The caller's secret (its API key, '' for none): with the key, it encrypts the stored answer. */
  credential: string;
  /** Method, URL and body: a repeat must be the same request. */
  fingerprint: string;
}

/** An answer exactly as sent: status and serialized body. */
export interface Answer {
  status: number;
  body: string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Stored answers may hold a secret shown once (a new API key) and personal data, so the database keeps them
 * encrypted under a key only the caller can rebuild: a database reader learns nothing from them.
 */
function sealingKey(request: IdempotentRequest): Buffer {
  return createHash('sha256').update(`tapioca idempotent answer\n${request.credential}\n${request.key}`).digest();
}

function seal(text: string, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const encrypted = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64');
}

function unseal(sealed: string, key: Buffer): string {
  const bytes = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

const keyReused = () => unprocessable('idempotency_key_reused', 'Idempotency key reused with a different request');
const inProgress = () => conflict('idempotency_in_progress', 'A request with this idempotency key is in progress');

type Claim = { kind: 'run'; owner: string } | { kind: 'replay'; answer: Answer };

/**
 * Idempotency keys: the first request with a key runs and its answer is stored in the transaction of its
 * effect; a repeat gets that answer back and changes nothing.
 */
export class IdempotencyService {
  constructor(
    private readonly db: Db,
    private readonly transact: TransactionRunner,
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  /**
   * Runs `operation` once for the request's key, in one transaction with the storing of its answer, or replays
   * the stored answer. A refusal (`refusalOf` gives its answer) is stored too, after its transaction rolled
   * back; any other failure frees the key, so a retry runs again.
   */
  async execute(
    request: IdempotentRequest,
    operation: () => Promise<Answer>,
    refusalOf: (error: unknown) => Answer | undefined,
  ): Promise<Answer & { replayed: boolean }> {
    const ref = { scope: request.scope, keyHash: sha256(request.key) };
    const secret = sealingKey(request);
    const claim = await this.claim(ref, sha256(request.fingerprint));
    if (claim.kind === 'replay') {
      return { status: claim.answer.status, body: unseal(claim.answer.body, secret), replayed: true };
    }
    const store = (ex: Parameters<typeof repository.storeAnswer>[0], answer: Answer) =>
      repository.storeAnswer(ex, ref, claim.owner, { status: answer.status, body: seal(answer.body, secret) });
    try {
      const answer = await this.transact(async (trx) => {
        const result = await runInAmbientTransaction(trx, operation);
        // Taken over after the lease: the other request's effect is the one; this one rolls back.
        if (!(await store(trx, result))) throw inProgress();
        return result;
      });
      return { ...answer, replayed: false };
    } catch (error) {
      const refusal = refusalOf(error);
      const stored = refusal !== undefined && (await this.transact((trx) => store(trx, refusal)).catch(() => false));
      if (!stored) await repository.releaseClaim(this.db, ref, claim.owner).catch(() => {});
      throw error;
    }
  }

  /** Deletes keys older than the TTL; returns how many. */
  async prune(): Promise<number> {
    return repository.deleteKeysCreatedBefore(this.db, this.clock.now() - this.ttlMs);
  }

  private async claim(ref: repository.KeyRef, fingerprint: string): Promise<Claim> {
    const owner = randomUUID();
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      const now = this.clock.now();
      // The primary key (scope, key_hash) lets exactly one racing request insert.
      if (await this.transact((trx) => repository.insertClaim(trx, ref, { fingerprint, owner, now }))) {
        return { kind: 'run', owner };
      }
      const row = await repository.findKey(this.db, ref);
      if (!row) continue; // freed meanwhile: claim again
      if (row.created_at <= now - this.ttlMs) {
        await repository.deleteExpiredKey(this.db, ref, row.owner);
        continue;
      }
      if (row.fingerprint !== fingerprint) throw keyReused();
      if (row.state === 'done' && row.status !== null && row.body !== null) {
        return { kind: 'replay', answer: { status: row.status, body: row.body } };
      }
      if (row.started_at > now - LEASE_MS) throw inProgress();
      if (await this.transact((trx) => repository.takeOverClaim(trx, ref, row.owner, owner, now))) {
        return { kind: 'run', owner };
      }
    }
    throw inProgress();
  }
}
