import { pipeline, Readable } from 'node:stream';
import { setImmediate as nextTurnOfEventLoop } from 'node:timers/promises';
import { stringify } from 'csv-stringify';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/tables.js';
import { toIsoOrNull as iso } from '../../http/instants.js';
import { findSkillsOfParticipants, type ParticipantSkillRow } from '../participants/participants.repository.js';
import { skillsByParticipant } from '../participants/participants.mapper.js';
import { parseTags } from '../participants/tags.js';
import * as repository from './exports.repository.js';
import { EXPORT_COLUMNS, type ExportName } from './exports.schemas.js';

/** Rows per query: one index range read, then a turn of the event loop before the next. */
const EXPORT_CHUNK = 1000;

/** A CSV cell: text, a number written as a number, a boolean as true/false, null as an empty cell. */
type Cell = string | number | boolean | null;

interface Chunk {
  records: Cell[][];
  /** The key of its last row, where the next chunk starts; 0 for an empty chunk. */
  lastKey: number;
}

type ReadChunk = (db: Db, afterKey: number, limit: number) => Promise<Chunk>;

/** How far an export got: logged when it ends, whether it was sent whole or the client left. */
export interface ExportEnd {
  rows: number;
  chunks: number;
  complete: boolean;
}

const chunkOf = <R>(rows: R[], key: (row: R) => number, record: (row: R) => Cell[]): Chunk => ({
  records: rows.map(record),
  lastKey: rows.length === 0 ? 0 : key(rows[rows.length - 1]!),
});

/** Skills the way the CSV import reads them back: `Python:4; SQL:3`. */
const skillsText = (skills: ParticipantSkillRow[] | undefined) =>
  (skills ?? []).map((skill) => `${skill.skill}:${skill.rating}`).join('; ');

async function participantsChunk(db: Db, afterId: number, limit: number): Promise<Chunk> {
  const rows = await repository.participantsAfter(db, afterId, limit);
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (!first || !last) return { records: [], lastKey: 0 };
  // The chunk's participants lie between its first and last id: one range scan finds their skills.
  const skills = skillsByParticipant(await findSkillsOfParticipants(db, { fromId: first.id, toId: last.id }));
  return chunkOf(
    rows,
    (row) => row.id,
    (row) => [
      row.id,
      row.name,
      row.email,
      row.phone,
      row.company,
      skillsText(skills.get(row.id)),
      row.dietary_restrictions,
      parseTags(row.tags).join('; '),
      row.checked_in_at !== null,
      iso(row.checked_in_at),
      row.bbt_tokens,
      iso(row.created_at),
    ],
  );
}

const READERS: Record<ExportName, ReadChunk> = {
  participants: participantsChunk,
  checkins: async (db, after, limit) =>
    chunkOf(
      await repository.checkInsAfter(db, after, limit),
      (row) => row.participant_id,
      (row) => [
        row.participant_id,
        iso(row.checked_in_at),
        iso(row.recorded_at),
        // An offline scanner's check-in is dated when it let the participant in, and recorded when it uploaded.
        row.recorded_at !== row.checked_in_at,
        row.volunteer_id,
        row.volunteer_name,
      ],
    ),
  scans: async (db, after, limit) =>
    chunkOf(
      await repository.scansAfter(db, after, limit),
      (row) => row.id,
      (row) => [
        row.id,
        row.checkpoint_id,
        row.checkpoint_name,
        row.participant_id,
        row.outcome,
        row.reason,
        iso(row.scanned_at),
        iso(row.received_at),
        row.offline === 1,
        iso(row.annulled_at),
        row.key_id,
        row.key_name,
      ],
    ),
  orders: async (db, after, limit) =>
    chunkOf(
      await repository.ordersAfter(db, after, limit),
      (row) => row.id,
      (row) => [
        row.id,
        row.participant_id,
        row.status,
        row.size,
        row.flavour,
        row.sweetness,
        row.ice,
        row.toppings,
        row.location,
        row.cost,
        iso(row.created_at),
        iso(row.updated_at),
      ],
    ),
  ledger: async (db, after, limit) =>
    chunkOf(
      await repository.ledgerAfter(db, after, limit),
      (row) => row.id,
      (row) => [
        row.id,
        row.participant_id,
        row.amount,
        row.kind,
        row.order_id,
        row.counterpart_id,
        row.actor_key_id,
        iso(row.created_at),
      ],
    ),
  loans: async (db, after, limit) =>
    chunkOf(
      await repository.loansAfter(db, after, limit),
      (row) => row.id,
      (row) => [
        row.id,
        row.item_id,
        row.item_name,
        row.participant_id,
        row.quantity,
        row.returned,
        row.lost,
        row.status,
        iso(row.due_at),
        iso(row.created_at),
        iso(row.updated_at),
        iso(row.closed_at),
        row.request_id,
        row.key_id,
        row.key_name,
      ],
    ),
};

/**
 * The CSV exports. Each is read a chunk at a time by key, only as fast as the client takes it (the stream's
 * backpressure holds the reading), with a turn of the event loop between chunks (better-sqlite3 reads
 * synchronously); it is never whole in memory. It is no snapshot: each chunk is as of when it was read.
 */
export class ExportsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly chunkSize = EXPORT_CHUNK,
  ) {}

  fileName(name: ExportName): string {
    return `tapioca-${name}-${new Date(this.clock.now()).toISOString().slice(0, 10)}.csv`;
  }

  /**
   * The export as CSV text. Its first chunk is read before this resolves, so a database failing at once
   * still answers with an error status. Destroying the stream (a client gone) stops the reading: the chunk
   * in hand is dropped and no other is read. `onEnd` hears how far it got.
   */
  async open(name: ExportName, onEnd?: (end: ExportEnd) => void): Promise<Readable> {
    const read = READERS[name];
    const first = await read(this.db, 0, this.chunkSize);
    const csv = stringify({
      columns: [...EXPORT_COLUMNS[name]],
      header: true,
      // Excel reads a CSV without a byte order mark in the computer's legacy code page: é would come out as Ã©.
      bom: true,
      // A text cell beginning with = + - @ tab or CR (or their full-width forms) gets a leading ', so a
      // spreadsheet shows it instead of running it as a formula; numbers we write (-3) are left alone.
      escape_formulas: true,
      cast: { boolean: (value) => (value ? 'true' : 'false') },
    });
    // Errors reach the response through `csv` (Fastify logs them and cuts the connection); a client gone is none.
    pipeline(Readable.from(this.records(read, first, onEnd)), csv, () => {});
    return csv;
  }

  private async *records(read: ReadChunk, first: Chunk, onEnd?: (end: ExportEnd) => void): AsyncGenerator<Cell[]> {
    const end: ExportEnd = { rows: 0, chunks: 1, complete: false };
    try {
      let chunk = first;
      for (;;) {
        end.rows += chunk.records.length;
        yield* chunk.records;
        if (chunk.records.length < this.chunkSize) break;
        await nextTurnOfEventLoop();
        chunk = await read(this.db, chunk.lastKey, this.chunkSize);
        end.chunks += 1;
      }
      end.complete = true;
    } finally {
      onEnd?.(end);
    }
  }
}
