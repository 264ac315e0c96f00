import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db, Executor } from '../../db/database.js';
import type { Role } from '../../db/tables.js';
import { notFound, rejected } from '../../errors.js';
import { participantNotFound } from '../participants/participants.service.js';
import { participantExists } from '../participants/participants.repository.js';
import * as repository from './keys.repository.js';

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

export interface KeyView {
  id: number;
  name: string;
  role: Role;
  participant_id: number | null;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface CreatedKey {
  id: number;
  name: string;
  role: Role;
  participant_id: number | null;
  expires_at: string | null;
  key: string;
}

export interface NewKeyRequest {
  role: Role;
  name: string;
  participantId?: number;
  expiresInDays?: number;
}

const iso = (millis: number | null) => (millis === null ? null : new Date(millis).toISOString());

export const toKeyView = (row: repository.KeyRow): KeyView => ({
  id: row.id,
  name: row.name,
  role: row.role,
  participant_id: row.participant_id,
  created_at: new Date(row.created_at).toISOString(),
  expires_at: iso(row.expires_at),
  last_used_at: iso(row.last_used_at),
  revoked_at: iso(row.revoked_at),
});

/** Keys carry 256 random bits, so a fast hash is enough: there is nothing to brute-force. */
export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');
const generateKey = () => KEY_PREFIX + randomBytes(32).toString('base64url');

export async function createKey(ex: Executor, request: NewKeyRequest, now: number, key = generateKey()): Promise<CreatedKey> {
  if (request.role === 'participant') {
    if (request.participantId === undefined) throw rejected('participant_required', 'participant_id required for a participant key');
    if (!(await participantExists(ex, request.participantId))) throw participantNotFound();
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
  return { id: row.id, name: row.name, role: row.role, participant_id: row.participant_id, expires_at: iso(row.expires_at), key };
}

const csvField = (value: string | number) => {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export interface ParticipantLinks {
  count: number;
  csv: string;
}

/**
 * Creates a participant key for every participant without a usable one and lays out a CSV of sign-in links
 * (id, name, email, sign_in_link) for a mail merge. `deliver` runs before the keys commit: if it fails,
 * no key is left without its link.
 */
export async function exportParticipantLinks(
  db: Db,
  publicUrl: string,
  deliver: (links: ParticipantLinks) => void | Promise<void>,
  onProgress?: (done: number, total: number) => void,
): Promise<ParticipantLinks> {
  return db.transaction().execute(async (trx) => {
    const now = Date.now();
    const pending = await repository.participantsWithoutKey(trx, now);
    const lines = ['id,name,email,sign_in_link'];
    for (const [index, participant] of pending.entries()) {
      const { key } = await createKey(trx, { role: 'participant', name: `participant ${participant.id}`, participantId: participant.id }, now);
      lines.push([participant.id, participant.name, participant.email, `${publicUrl}/app/#key=${key}`].map(csvField).join(','));
      if ((index + 1) % 500 === 0) onProgress?.(index + 1, pending.length);
    }
    const links = { count: pending.length, csv: `${lines.join('\n')}\n` };
    await deliver(links);
    return links;
  });
}

export class KeysService {
  constructor(
    private readonly db: Db,
    private readonly publicUrl: string,
  ) {}

  participantLinks(): Promise<ParticipantLinks> {
    return exportParticipantLinks(this.db, this.publicUrl, () => {});
  }

  /** The actor behind a presented key, or undefined for an unknown, revoked or expired key. */
  async authenticate(presented: string): Promise<Actor | undefined> {
    const presentedHash = hashKey(presented);
    const row = await repository.findKeyByHash(this.db, presentedHash);
    if (!row || !timingSafeEqual(Buffer.from(row.key_hash), Buffer.from(presentedHash))) return undefined;
    const now = Date.now();
    if (row.revoked_at !== null || (row.expires_at !== null && row.expires_at <= now)) return undefined;
    if (row.last_used_at === null || row.last_used_at < now - TOUCH_INTERVAL_MS) {
      await repository.touchKey(this.db, row.id, now, now - TOUCH_INTERVAL_MS);
    }
    return { keyId: row.id, name: row.name, role: row.role, participantId: row.participant_id };
  }

  create(request: NewKeyRequest): Promise<CreatedKey> {
    return createKey(this.db, request, Date.now());
  }

  async list(): Promise<Record<string, KeyView>> {
    const rows = await repository.listKeys(this.db);
    return Object.fromEntries(rows.map((row) => [row.id, toKeyView(row)]));
  }

  async revoke(id: number): Promise<KeyView> {
    const row = await repository.revokeKey(this.db, id, Date.now());
    if (!row) throw notFound('key_not_found', 'Key not found');
    return toKeyView(row);
  }
}
