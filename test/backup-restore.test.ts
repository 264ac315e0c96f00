import assert from 'node:assert/strict';
import { type ChildProcess, execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isDeepStrictEqual, promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { freePort } from '../scripts/free-port.js';
import { spawnTs, stopServer, waitForHealth } from '../scripts/server-process.js';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import { BOBA_STATUSES, type Db } from '../src/db/tables.js';
import { type As, httpJson, ledgerBalances, TEST_ADMIN_KEY, toolInstalled } from './helpers.js';

// docs/deploy.md "Backups and restore", done as an operator would, with the same commands: a server makes
// changes, the backup is taken while writes keep coming, restored into a new place, and a second server
// started on the copy. Writes race the backup, so what is checked is what a consistent snapshot guarantees:
// everything acknowledged before the backup started is in it, nothing sent after it ended is, and the copy
// agrees with itself (balances and ledger, orders and ledger, the dashboard's counters and the rows).
// PostgreSQL runs only with TEST_POSTGRES_URL; SQLite needs the sqlite3 tool (Debian's sqlite3), required
// with TEST_REQUIRE_SQLITE3=1 (CI).

const run = promisify(execFile);

const hasSqlite3 = toolInstalled('sqlite3', ['-version']);
if (!hasSqlite3 && process.env.TEST_REQUIRE_SQLITE3 === '1') {
  throw new Error('TEST_REQUIRE_SQLITE3=1 but the sqlite3 tool is not installed (apt-get install sqlite3)');
}
const postgresUrl = process.env.TEST_POSTGRES_URL;
const hasPostgresTools = ['pg_dump', 'pg_restore', 'createdb', 'createuser'].every((tool) => toolInstalled(tool, ['--version']));
if (postgresUrl && !hasPostgresTools && process.env.TEST_REQUIRE_POSTGRES === '1') {
  throw new Error('TEST_REQUIRE_POSTGRES=1 but pg_dump, pg_restore, createdb or createuser is missing');
}

const PARTICIPANTS = 200;
const TOKENS_PER_ORDER = 2;
/** Participants only the writes before the backup touch; the loop racing the backup writes for the others. */
const SETTLED = [2, 3, 4, 5];
/** Checked in last before the backup: on SQLite these are still only in the WAL when it starts. */
const JUST_BEFORE = [6, 7, 8, 9];
const RACING = Array.from({ length: PARTICIPANTS - 10 }, (_, i) => i + 11);
const WRITERS = 4;

interface Server {
  url: string;
  process: ChildProcess;
}

async function startServer(databaseUrl: string): Promise<Server> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawnTs(
    'src/server.ts',
    [],
    {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      TAPIOCA_ADMIN_KEY: TEST_ADMIN_KEY,
      DEMO_PARTICIPANTS: String(PARTICIPANTS),
      BBT_TOKENS_PER_ORDER: String(TOKENS_PER_ORDER),
      BBT_TOKENS_COOLDOWN: '0',
      BBT_PAIR_EXCHANGES: '0',
      // Badge links are built from it: the same address before and after the restore, as in production.
      PUBLIC_URL: 'https://tapioca.example.com',
      LOG_LEVEL: 'warn',
    },
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  await waitForHealth(url, child);
  return { url, process: child };
}

/** A request that must succeed; answers its body. */
async function ok(base: string, method: string, path: string, body?: unknown, as: As = TEST_ADMIN_KEY): Promise<any> {
  const res = await httpJson(base, method, path, body, as);
  if (res.status !== 200) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Marks set while the backup command runs, read by every write as it is sent and as it is answered. */
interface BackupWindow {
  started: boolean;
  ended: boolean;
}

interface RacingWrites {
  /** Check-ins answered 200 before the backup started: the backup must hold them. */
  checkedInBeforeStart: Set<number>;
  /** Check-ins sent before the backup ended: the backup can hold no other. */
  sentBeforeEnd: Set<number>;
  /** Writes of any kind sent before the backup started and answered after: they raced it. */
  raced: number;
  /** Writes answered while the backup command ran (for the record: how many depends on the machine's speed). */
  answeredDuring: number;
  total: number;
}

/**
 * Writes without pause from a few loops until stopped, each on participants of its own: a check-in (the first
 * time round), a grant, an order, an exchange with its previous participant, and every other order cancelled.
 */
function keepWriting(base: string, volunteerKey: string, window: BackupWindow) {
  const log: RacingWrites = { checkedInBeforeStart: new Set(), sentBeforeEnd: new Set(), raced: 0, answeredDuring: 0, total: 0 };
  let stopped = false;
  const write = async (method: string, path: string, body: unknown, as: As = TEST_ADMIN_KEY) => {
    const sentBeforeStart = !window.started;
    const answer: unknown = await ok(base, method, path, body, as);
    log.total += 1;
    if (sentBeforeStart && window.started) log.raced += 1;
    if (window.started && !window.ended) log.answeredDuring += 1;
    return answer;
  };
  const writer = async (participants: number[]) => {
    for (let round = 0; !stopped; round += 1) {
      for (const [index, participant] of participants.entries()) {
        if (stopped) return;
        if (round === 0) {
          if (!window.ended) log.sentBeforeEnd.add(participant);
          await write('POST', '/checkin', { participant_id: participant }, volunteerKey);
          if (!window.started) log.checkedInBeforeStart.add(participant);
        }
        await write('PUT', '/bbt_token_admin_give', { participant_id: participant, tokens: 3 });
        const order = (await write('POST', '/boba', { participant_id: participant })) as Record<string, unknown>;
        const partner = participants[index === 0 ? participants.length - 1 : index - 1]!;
        await write('PUT', '/bbt_token_exchange', { participant_1_id: participant, participant_2_id: partner });
        if ((participant + round) % 2 === 0) {
          await write('PUT', '/boba', { order_id: Number(Object.keys(order)[0]), status: 'Cancelled' });
        }
      }
    }
  };
  const done = Promise.all(
    Array.from({ length: WRITERS }, (_, w) => writer(RACING.filter((_participant, i) => i % WRITERS === w))),
  );
  // A failed write fails the test when `stop` is awaited, not as an unhandled rejection before.
  done.catch(() => {});
  return {
    log,
    /** Resolves once `count` more writes have been answered. */
    async answered(count: number) {
      const target = log.total + count;
      while (log.total < target) await Promise.race([done, sleep(10)]);
    },
    async stop(): Promise<RacingWrites> {
      stopped = true;
      await done;
      return log;
    },
  };
}

/** The dashboard's counts recounted from the rows (not from the counters the triggers keep). */
async function recount(db: Db) {
  const participants = await db.selectFrom('participants').select('bbt_tokens').execute();
  const orders = await db.selectFrom('boba_orders').select('status').execute();
  const checkIns = await db.selectFrom('check_ins').select('participant_id').execute();
  return {
    participants: participants.length,
    checked_in: checkIns.length,
    orders_by_status: Object.fromEntries(BOBA_STATUSES.map((s) => [s, orders.filter((o) => o.status === s).length])),
    tokens_in_circulation: participants.reduce((sum, p) => sum + p.bbt_tokens, 0),
  };
}

/** Participants whose balance is not the sum of their ledger. */
const balancesOffTheirLedger = async (db: Db) => (await ledgerBalances(db)).filter((row) => row.bbt_tokens !== row.ledger);

/** Orders whose ledger rows are not exactly their debit (and their refund once cancelled), and ledger rows of no order. */
async function ordersOffTheirLedger(db: Db) {
  const orders = await db.selectFrom('boba_orders').select(['id', 'status', 'cost']).execute();
  const rows = await db
    .selectFrom('token_ledger')
    .select(['order_id', 'kind', 'amount'])
    .where('order_id', 'is not', null)
    .orderBy('id')
    .execute();
  const byOrder = new Map<number, typeof rows>();
  for (const row of rows) byOrder.set(row.order_id!, [...(byOrder.get(row.order_id!) ?? []), row]);
  const mismatches = orders.flatMap((order) => {
    const expected = [
      { order_id: order.id, kind: 'order', amount: -order.cost },
      ...(order.status === 'Cancelled' ? [{ order_id: order.id, kind: 'refund', amount: order.cost }] : []),
    ];
    const found = byOrder.get(order.id) ?? [];
    byOrder.delete(order.id);
    return isDeepStrictEqual(found, expected) ? [] : [{ order, found }];
  });
  return [...mismatches, ...[...byOrder.values()].map((found) => ({ order: null, found }))];
}

interface Procedure {
  /** A fresh, empty database for the first server. */
  original(): Promise<string>;
  /**
   * SQLite: from now on, nothing more reaches the database file until `release` (see sqliteProcedure);
   * `checkedInInFileAlone` reads what a copy of the file without its WAL holds.
   */
  holdWal?(): Promise<{ checkedInInFileAlone(): number[]; release(): void }>;
  /** The documented backup command, run while the server serves. */
  backUp(): Promise<void>;
  /** What an operator runs to see that a backup is whole before relying on it. */
  checkBackup(): Promise<void>;
  /** The documented restore, into a new place; answers the database URL to start the server on. */
  restore(): Promise<string>;
  cleanUp(): Promise<void>;
}

function sqliteProcedure(): Procedure {
  const dir = mkdtempSync(join(tmpdir(), 'tapioca-backup-'));
  const original = join(dir, 'opt/tapioca/data/tapioca.db');
  const backupFile = join(dir, 'backups/tapioca-backup.db');
  const restored = join(dir, 'restored/data/tapioca.db');
  return {
    async original() {
      return `sqlite:${original}`;
    },
    // The server checkpoints every 50 ms, so an idle WAL is soon empty. A read transaction held open (as a
    // long export holds one) keeps whatever is committed after it in the WAL only: the backup must take it
    // from there. Whatever was committed before is flushed into the file first, so that the file stays still
    // while it is copied.
    async holdWal() {
      const reader = new SqliteDatabase(original, { readonly: true });
      reader.exec('begin');
      reader.prepare('select count(*) from check_ins').get();
      const flusher = new SqliteDatabase(original);
      // Nothing is written meanwhile, so this ends once every frame is in the file (busy: a checkpoint was running).
      for (;;) {
        const [done] = flusher.pragma('wal_checkpoint(passive)') as { busy: number; log: number; checkpointed: number }[];
        if (!done!.busy && done!.checkpointed === done!.log) break;
        await sleep(10);
      }
      flusher.close();
      return {
        checkedInInFileAlone() {
          const copy = join(dir, 'file-alone.db');
          copyFileSync(original, copy);
          const alone = new SqliteDatabase(copy);
          const ids = alone.prepare<[], { participant_id: number }>('select participant_id from check_ins').all();
          alone.close();
          return ids.map((row) => row.participant_id);
        },
        release() {
          reader.exec('commit');
          reader.close();
        },
      };
    },
    async backUp() {
      mkdirSync(join(dir, 'backups'));
      await run('sqlite3', [original, `VACUUM INTO '${backupFile}'`]);
    },
    async checkBackup() {
      assert.equal((await run('sqlite3', [backupFile, 'pragma integrity_check'])).stdout, 'ok\n');
    },
    async restore() {
      mkdirSync(join(dir, 'restored/data'), { recursive: true });
      await run('cp', [backupFile, restored]);
      await run('rm', ['-f', `${restored}-wal`, `${restored}-shm`]);
      return `sqlite:${restored}`;
    },
    async cleanUp() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The owner role stands for the `tapioca` user of the docs: both servers run as it (the test's superuser
 * connects and takes the role, so no password is needed), while the tools run as the superuser, as
 * `sudo -u postgres` does. A restore whose tables the owner does not own fails its server's start.
 */
function postgresProcedure(): Procedure {
  const server = new URL(postgresUrl!);
  const env = {
    ...process.env,
    PGHOST: server.hostname,
    PGPORT: server.port || '5432',
    PGUSER: decodeURIComponent(server.username),
    ...(server.password ? { PGPASSWORD: decodeURIComponent(server.password) } : {}),
    PGCONNECT_TIMEOUT: '10',
  };
  const owner = `tapioca_backup_test_${process.pid}`;
  const originalDb = `${owner}_original`;
  const restoredDb = `${owner}_restored`;
  const dir = mkdtempSync(join(tmpdir(), 'tapioca-backup-'));
  const dump = join(dir, 'tapioca-backup.dump');
  const tool = (command: string, ...args: string[]) => run(command, args, { env });
  const urlOf = (database: string) => {
    const url = new URL(postgresUrl!);
    url.pathname = `/${database}`;
    url.searchParams.set('options', `-c role=${owner}`);
    return url.toString();
  };
  return {
    async original() {
      await tool('createuser', owner);
      await tool('createdb', '-O', owner, originalDb);
      return urlOf(originalDb);
    },
    async backUp() {
      await tool('pg_dump', '-Fc', '-f', dump, originalDb);
    },
    async checkBackup() {
      assert.match((await tool('pg_restore', '--list', dump)).stdout, /TABLE DATA public participants/);
    },
    async restore() {
      await tool('createdb', '-O', owner, restoredDb);
      await tool('pg_restore', '--no-owner', `--role=${owner}`, '-d', restoredDb, dump);
      return urlOf(restoredDb);
    },
    async cleanUp() {
      for (const database of [originalDb, restoredDb]) await tool('dropdb', '--if-exists', '--force', database);
      await tool('dropuser', '--if-exists', owner);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const PROCEDURES = [
  {
    name: 'SQLite: sqlite3 VACUUM INTO, copied back',
    make: sqliteProcedure,
    hasWal: true,
    skip: hasSqlite3 ? false : 'sqlite3 is not installed',
  },
  {
    name: 'PostgreSQL: pg_dump -Fc, pg_restore --no-owner --role into a new database',
    make: postgresProcedure,
    hasWal: false,
    skip: !postgresUrl
      ? 'TEST_POSTGRES_URL is not set'
      : hasPostgresTools
        ? false
        : 'the PostgreSQL client tools (pg_dump, pg_restore, createdb, createuser) are not installed',
  },
];

for (const { name, make, hasWal, skip } of PROCEDURES) {
  describe(`backup while writing, then restore (${name})`, { skip }, () => {
    let procedure: Procedure;
    let original: Server | undefined;
    let restored: Server | undefined;
    let restoredDb: DatabaseHandle | undefined;
    let keys: { admin: string; volunteer: string; participant: string };
    let meBefore: any;
    let tokensBefore: unknown[];
    let inFileAloneJustBefore: number[] | undefined;
    let writes: RacingWrites;

    before(async () => {
      procedure = make();
      original = await startServer(await procedure.original());
      const base = original.url;
      const newKey = async (body: object) => ((await ok(base, 'POST', '/keys', body)) as { key: string }).key;
      keys = {
        admin: await newKey({ role: 'admin', name: 'Second admin' }),
        volunteer: await newKey({ role: 'volunteer', name: 'Door' }),
        participant: await newKey({ role: 'participant', name: 'Phone of participant 1', participant_id: 1 }),
      };
      for (const participant of SETTLED) {
        await ok(base, 'PUT', '/bbt_token_admin_give', { participant_id: participant, tokens: 5 });
        const order = (await ok(base, 'POST', '/boba', { participant_id: participant })) as Record<string, unknown>;
        if (participant % 2 === 0) {
          await ok(base, 'PUT', '/boba', { order_id: Number(Object.keys(order)[0]), status: 'Cancelled' });
        }
      }
      await ok(base, 'PUT', '/bbt_token_exchange', { participant_1_id: SETTLED[0], participant_2_id: SETTLED[1] });
      meBefore = await ok(base, 'GET', '/me', undefined, keys.participant);
      tokensBefore = await Promise.all(SETTLED.map((participant) => ok(base, 'GET', `/users/${participant}/tokens`)));

      const hold = await procedure.holdWal?.();
      const window: BackupWindow = { started: false, ended: false };
      let racing: ReturnType<typeof keepWriting> | undefined;
      try {
        for (const participant of JUST_BEFORE) {
          await ok(base, 'POST', '/checkin', { participant_id: participant }, keys.volunteer);
        }
        inFileAloneJustBefore = hold?.checkedInInFileAlone();
        racing = keepWriting(base, keys.volunteer, window);
        await racing.answered(20);
        window.started = true;
        await procedure.backUp();
        window.ended = true;
      } finally {
        hold?.release();
        if (racing) writes = await racing.stop();
      }
      await procedure.checkBackup();
      const restoredUrl = await procedure.restore();
      restored = await startServer(restoredUrl);
      restoredDb = openDatabase(restoredUrl, { poolSize: 2 });
    });

    after(async () => {
      await restoredDb?.destroy();
      await stopServer(restored?.process);
      await stopServer(original?.process);
      await procedure?.cleanUp();
    });

    test('writes kept coming while the backup ran', (t) => {
      t.diagnostic(
        `${writes.total} writes: ${writes.raced} sent before the backup started and answered after, ` +
          `${writes.answeredDuring} answered while it ran`,
      );
      assert.ok(writes.raced > 0);
    });

    test('the copy holds every check-in answered before the backup started and none sent after it ended', async () => {
      const inCopy = (await restoredDb!.db.selectFrom('check_ins').select('participant_id').execute()).map(
        (row) => row.participant_id,
      );
      const mustHold = [...JUST_BEFORE, ...writes.checkedInBeforeStart];
      assert.deepEqual(
        mustHold.filter((id) => !inCopy.includes(id)),
        [],
        'answered before the backup started, missing from it',
      );
      const mayHold = new Set([...JUST_BEFORE, ...writes.sentBeforeEnd]);
      assert.deepEqual(
        inCopy.filter((id) => !mayHold.has(id)),
        [],
        'sent after the backup ended, yet in it',
      );
    });

    if (hasWal) {
      test('check-ins still only in the WAL when the backup started are in it', async () => {
        assert.deepEqual(
          inFileAloneJustBefore!.filter((id) => JUST_BEFORE.includes(id)),
          [],
          'the database file alone already held them: the WAL was not what was tested',
        );
        const inCopy = await restoredDb!.db
          .selectFrom('check_ins')
          .select('participant_id')
          .where('participant_id', 'in', JUST_BEFORE)
          .orderBy('participant_id')
          .execute();
        assert.deepEqual(
          inCopy.map((row) => row.participant_id),
          JUST_BEFORE,
        );
      });
    }

    test('the copy is one moment: balances are their ledgers, orders have their ledger rows, /stats is a recount', async () => {
      const db = restoredDb!.db;
      assert.deepEqual(await balancesOffTheirLedger(db), []);
      assert.deepEqual(await ordersOffTheirLedger(db), []);
      const stats = await ok(restored!.url, 'GET', '/stats');
      const counts = await recount(db);
      assert.deepEqual(Object.fromEntries(Object.keys(counts).map((field) => [field, stats[field]])), counts);
      assert.equal(counts.participants, PARTICIPANTS);
    });

    test('what was settled before the backup reads the same on the restored server', async () => {
      const base = restored!.url;
      for (const [index, participant] of SETTLED.entries()) {
        assert.deepEqual(await ok(base, 'GET', `/users/${participant}/tokens`), tokensBefore[index]);
      }
      assert.deepEqual(await ok(base, 'GET', '/me', undefined, keys.participant), meBefore);
    });

    test('the admin key from the environment and the keys made before the backup still work', async () => {
      const base = restored!.url;
      for (const key of [TEST_ADMIN_KEY, keys.admin]) {
        const listed = (await ok(base, 'GET', '/keys', undefined, key)) as Record<string, { name: string }>;
        const names = Object.values(listed).map((k) => k.name);
        assert.ok(
          ['Second admin', 'Door', 'Phone of participant 1'].every((n) => names.includes(n)),
          names.join(', '),
        );
      }
      assert.equal((await httpJson(base, 'GET', '/keys', undefined, 'not-a-key-0123456789abcdef')).status, 401);
    });

    test('a badge issued before the backup is accepted at the door of the restored server', async () => {
      const base = restored!.url;
      const badge = (meBefore as { badge: { badge: string } }).badge.badge;
      const checkIn = await ok(base, 'POST', '/checkin', { badge }, keys.volunteer);
      assert.equal(checkIn.participant_id, 1);
      assert.equal(checkIn.volunteer_name, 'Door');
    });

    test('the restored server takes new writes: ids go on after the restored ones', async () => {
      const base = restored!.url;
      await ok(base, 'POST', '/keys', { role: 'volunteer', name: 'After the restore' });
      await ok(base, 'PUT', '/bbt_token_admin_give', { participant_id: 10, tokens: TOKENS_PER_ORDER });
      await ok(base, 'POST', '/boba', { participant_id: 10 });
      assert.deepEqual(await balancesOffTheirLedger(restoredDb!.db), []);
    });
  });
}
