import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { setImmediate as nextTurnOfEventLoop } from 'node:timers/promises';
import type { Insertable } from 'kysely';
import type { Static } from 'typebox';
import { type Clock, systemClock } from '../../clock.js';
import type { ApiKeysTable, Db, Executor, Role } from '../../db/tables.js';
import { runTransaction, type TransactionRunner } from '../../db/transactions.js';
import { recordAudit } from '../audit/audit.repository.js';
import { notFound, rejected } from '../../errors.js';
import { participantNotFound } from '../participants/participants.errors.js';
import { lockLiveParticipant } from '../participants/participants.repository.js';
import { guardFormula } from '../exports/formula-guard.js';
import * as repository from './keys.repository.js';
import type * as schemas from './keys.schemas.js';
import { toIso, toIsoOrNull } from '../../http/instants.js';

const DAY_MS = 86_400_000;
const TOUCH_INTERVAL_MS = 60_000;
const KEY_PREFIX = 'tpk_';

/** An authenticated caller: who acts, as what, and for which participant. */
export interface Actor {
  keyId: number;
  name: string;
  role: Role;
  participantId: number | null;
}

type KeyView = Static<typeof schemas.KeyView>;
export type CreatedKey = Static<typeof schemas.CreatedKey>;

export interface NewKeyRequest {
  role: Role;
  name: string;
  participantId?: number;
  expiresInDays?: number;
}

const toKeyView = (row: repository.KeyRow): KeyView => ({
  id: row.id,
  name: row.name,
  role: row.role,
  participant_id: row.participant_id,
  created_at: toIso(row.created_at),
  expires_at: toIsoOrNull(row.expires_at),
  last_used_at: toIsoOrNull(row.last_used_at),
  revoked_at: toIsoOrNull(row.revoked_at),
});

/** Keys carry 256 random bits, so a fast hash is enough: there is nothing to brute-force. */
export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');
const generateKey = () => KEY_PREFIX + randomBytes(32).toString('base64url');

export async function createKey(ex: Executor, request: NewKeyRequest, now: number, key = generateKey()): Promise<CreatedKey> {
  if (request.role === 'participant') {
    if (request.participantId === undefined)
      throw rejected('participant_required', 'participant_id required for a participant key');
    if (!(await lockLiveParticipant(ex, request.participantId))) throw participantNotFound();
  } else if (request.participantId !== undefined) {
    throw rejected('participant_not_allowed', `participant_id is only for participant keys, not ${request.role} keys`);
  }
  const row = await repository.insertKey(ex, {
    name: request.name,
    role: request.role,
    participant_id: request.participantId ?? null,
    key_hash: hashKey(key),
    created_at: now,
    expires_at: request.expiresInDays === undefined ? null : now + request.expiresInDays * DAY_MS,
  });
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    participant_id: row.participant_id,
    expires_at: toIsoOrNull(row.expires_at),
    key,
  };
}

const csvField = (value: string | number) => {
  const text = typeof value === 'string' ? guardFormula(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const LINKS_CSV_HEADER = 'id,name,email,sign_in_link\n';

export interface LinkExportOptions {
  /** Participants per batch: one query, one chunk of CSV, one statement storing their keys. */
  batchSize?: number;
  /** Called each time a batch's keys are stored, with the number the export has stored so far. */
  onStored?: (stored: number) => void;
  /** The key asking for the export, audited with each stored batch; none from the command line. */
  actor?: Actor;
  clock?: Clock;
}

/**
 * The sign-in link export: creates a participant key for every participant without a usable one and yields a
 * CSV of their sign-in links (id,name,email,sign_in_link) for a mail merge, one chunk per batch, header first.
 *
 * A batch's keys are stored only when the consumer asks for the next chunk, that is once it has delivered
 * this one (written it to disk, handed it to the connection). So a stored key always has a delivered link:
 * if delivery fails, or the export stops for any other reason, the batch in hand is never stored and its
 * participants stay without a key, so the next export includes them. Should storing a delivered batch fail,
 * the consumer hears the error, and that batch's links do not work; every earlier batch's do.
 * Between batches the export yields to the event loop, so a server goes on answering other requests.
 */
export async function* participantLinkChunks(
  db: Db,
  publicUrl: string,
  options: LinkExportOptions = {},
): AsyncGenerator<string, void, undefined> {
  const batchSize = options.batchSize ?? 250;
  const clock = options.clock ?? systemClock;
  let header = LINKS_CSV_HEADER;
  let afterId = 0;
  let stored = 0;
  for (;;) {
    const now = clock.now();
    const participants = await repository.participantsWithoutKey(db, now, afterId, batchSize);
    const last = participants[participants.length - 1];
    if (!last) break;
    const keys: Insertable<ApiKeysTable>[] = [];
    let lines = header;
    for (const participant of participants) {
      const key = generateKey();
      keys.push({
        name: `participant ${participant.id}`,
        role: 'participant',
        participant_id: participant.id,
        key_hash: hashKey(key),
        created_at: now,
      });
      const link = `${publicUrl}/app/#key=${key}`;
      lines += `${[participant.id, participant.name, participant.email, link].map(csvField).join(',')}\n`;
    }
    header = '';
    yield lines;
    await runTransaction(db, async (trx) => {
      await repository.insertKeys(trx, keys);
      if (options.actor) {
        const created = { participants: participants.map((p) => p.id) };
        await recordAudit(
          trx,
          options.actor,
          [{ action: 'key.participant_links', target: 'keys:participants', after: created }],
          now,
        );
      }
    });
    stored += keys.length;
    options.onStored?.(stored);
    afterId = last.id;
    await nextTurnOfEventLoop();
  }
  if (header) yield header;
}

export async function countParticipantsWithoutKey(db: Db, clock: Clock = systemClock): Promise<number> {
  return repository.countParticipantsWithoutKey(db, clock.now());
}

async function* startingWith<T>(first: IteratorResult<T, void>, rest: AsyncGenerator<T, void, undefined>) {
  if (!first.done) yield first.value;
  yield* rest;
}

export class KeysService {
  constructor(
    private readonly db: Db,
    private readonly transact: TransactionRunner,
    private readonly publicUrl: string,
    private readonly clock: Clock,
  ) {}

  /**
   * The link export as a stream for an HTTP response (see participantLinkChunks), read as fast as the client
   * takes it. Its first chunk is read here, so a database failing at once still answers with an error status.
   */
  async participantLinks(actor: Actor): Promise<{ csv: Readable }> {
    const chunks = participantLinkChunks(this.db, this.publicUrl, { clock: this.clock, actor });
    const first = await chunks.next();
    return { csv: Readable.from(startingWith(first, chunks), { objectMode: false }) };
  }

  /** The actor behind a presented key, or undefined for an unknown, revoked or expired key. */
  async authenticate(presented: string): Promise<Actor | undefined> {
    const presentedHash = hashKey(presented);
    const row = await repository.findKeyByHash(this.db, presentedHash);
    if (!row) return undefined;
    const now = this.clock.now();
    if (row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now)) return undefined;
    if (row.last_used_at === null || row.last_used_at < now - TOUCH_INTERVAL_MS) {
      await repository.touchKey(this.db, row.id, now, now - TOUCH_INTERVAL_MS);
    }
    return { keyId: row.id, name: row.name, role: row.role, participantId: row.participant_id };
  }

  /** `actor`: the key creating it, audited; none from the command line. */
  create(request: NewKeyRequest, actor?: Actor): Promise<CreatedKey> {
    return this.transact(async (trx) => {
      const now = this.clock.now();
      const created = await createKey(trx, request, now);
      if (actor) {
        const { id, name, role, participant_id, expires_at } = created;
        await recordAudit(
          trx,
          actor,
          [{ action: 'key.create', target: `key:${id}`, after: { name, role, participant_id, expires_at } }],
          now,
        );
      }
      return created;
    });
  }

  async list(): Promise<Record<string, KeyView>> {
    const rows = await repository.listKeys(this.db);
    return Object.fromEntries(rows.map((row) => [row.id, toKeyView(row)]));
  }

  async revoke(id: number, actor?: Actor): Promise<KeyView> {
    return this.transact(async (trx) => {
      const now = this.clock.now();
      const revoked = await repository.revokeKey(trx, id, now);
      if (!revoked) throw notFound('key_not_found', 'Key not found');
      if (actor && revoked.revokedNow) {
        await recordAudit(trx, actor, [{ action: 'key.revoke', target: `key:${id}`, after: { revoked_at: toIso(now) } }], now);
      }
      return toKeyView(revoked.row);
    });
  }
}
