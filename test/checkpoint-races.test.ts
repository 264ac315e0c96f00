import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import {
  type ApiResponse,
  type As,
  BACKENDS,
  createTestDatabase,
  httpJson,
  openTestDatabase,
  sampleParticipant,
  startTestApp,
  TEST_ADMIN_KEY,
  type TestApp,
  type TestDatabase,
} from './helpers.js';
import { participantTallies } from '../scripts/scan-audit.js';
import { seededRandom } from '../src/demo/generate-participants.js';

const parallel = <T>(count: number, fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: count }, (_, i) => fn(i)));
const tally = (results: ApiResponse[]) => {
  const counts: Record<string, number> = {};
  for (const r of results) {
    const what = r.status === 201 ? 'accepted' : `${r.status} ${r.body?.code}`;
    counts[what] = (counts[what] ?? 0) + 1;
  }
  return counts;
};

for (const backend of BACKENDS) {
  describe(`checkpoint scans under races (${backend.name})`, { skip: backend.skip }, () => {
    let database: TestDatabase;
    let apps: TestApp[];
    let bases: string[];
    let scanners: string[];
    let calls = 0;
    let people = 0;
    let nonces = 0;
    // On PostgreSQL two API instances share one database, as in a scaled-out deployment; requests alternate.
    const call = <T = any>(method: string, path: string, body?: unknown, as: As = TEST_ADMIN_KEY): Promise<ApiResponse<T>> =>
      httpJson<T>(bases[calls++ % bases.length]!, method, path, body, as);
    const nonce = () => `race-${backend.name}-${++nonces}`;
    const register = async () => {
      const res = await call('POST', '/register', sampleParticipant(++people, []));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return Number(Object.keys(res.body)[0]);
    };
    const createCheckpoint = async (fields: Record<string, unknown>) => {
      const res = await call('POST', '/checkpoints', { name: 'Race', kind: 'swag', requires_check_in: false, ...fields });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return Number(Object.keys(res.body)[0]);
    };
    const scan = (checkpointId: number, participantId: number, scanNonce = nonce(), as?: As) =>
      call(
        'POST',
        `/checkpoints/${checkpointId}/scans`,
        { participant_id: participantId, nonce: scanNonce },
        as ?? scanners[calls % 2],
      );
    const scanRows = async (checkpointId: number) => {
      const res = await call('GET', `/checkpoints/${checkpointId}/scans`);
      assert.equal(res.status, 200);
      return res.body as Record<string, any>;
    };
    const counts = async (checkpointId: number) => (await call('GET', `/checkpoints/${checkpointId}`)).body[checkpointId].counts;

    before(async () => {
      database = await createTestDatabase(backend.name);
      const instances = backend.name === 'postgres' ? 2 : 1;
      apps = [];
      for (let i = 0; i < instances; i++) apps.push(await startTestApp(backend.name, {}, database));
      bases = await Promise.all(apps.map((app) => app.listen()));
      scanners = [
        await apps[0]!.createKey('volunteer', undefined, 'Scanner 1'),
        await apps[0]!.createKey('volunteer', undefined, 'Scanner 2'),
      ];
    });
    after(async () => {
      for (const app of apps ?? []) await app.close();
      await database?.drop();
    });

    test('30 parallel scans of one participant at a limit-1 checkpoint: one accepted, 29 already_redeemed', async () => {
      const id = await createCheckpoint({ per_participant_limit: 1 });
      const p = await register();
      const results = await parallel(30, () => scan(id, p));
      assert.deepEqual(tally(results), { accepted: 1, '409 already_redeemed': 29 });
      assert.deepEqual(await counts(id), { accepted: 1, participants: 1, refused: 29, conflicts: 0 });
      assert.equal(Object.keys(await scanRows(id)).length, 30);
    });

    test('30 parallel scans at a limit-2 checkpoint: two accepted, 28 limit_reached', async () => {
      const id = await createCheckpoint({ per_participant_limit: 2 });
      const p = await register();
      const results = await parallel(30, () => scan(id, p));
      assert.deepEqual(tally(results), { accepted: 2, '409 limit_reached': 28 });
      assert.deepEqual(
        results
          .filter((r) => r.status === 201)
          .map((r) => r.body.count)
          .sort(),
        [1, 2],
      );
    });

    test('capacity 5 with 20 participants racing: exactly 5 accepted, 15 capacity_reached', async () => {
      const id = await createCheckpoint({ capacity: 5, per_participant_limit: 1 });
      const participants = await parallel(20, () => register());
      const results = await parallel(20, (i) => scan(id, participants[i]!));
      assert.deepEqual(tally(results), { accepted: 5, '409 capacity_reached': 15 });
      assert.deepEqual(await counts(id), { accepted: 5, participants: 5, refused: 15, conflicts: 0 });
    });

    test('capacity 5 with 10 participants scanned 3 times each at limit 2: 5 participants in, at most 2 each', async () => {
      const id = await createCheckpoint({ capacity: 5, per_participant_limit: 2 });
      const participants = await parallel(10, () => register());
      const results = await parallel(30, (i) => scan(id, participants[i % 10]!));
      const accepted = results.filter((r) => r.status === 201);
      const admitted = new Set(accepted.map((r) => r.body.participant.id));
      assert.equal(admitted.size, 5);
      assert.equal(accepted.length, 10);
      assert.ok(results.every((r) => r.status === 201 || ['capacity_reached', 'limit_reached'].includes(r.body.code)));
    });

    test('30 parallel requests with the same nonce: one answer for all, one row', async () => {
      const id = await createCheckpoint({ per_participant_limit: 1 });
      const p = await register();
      const shared = nonce();
      const results = await parallel(30, () => scan(id, p, shared, scanners[0]));
      const first = results[0]!;
      assert.equal(first.status, 201, JSON.stringify(first.body));
      for (const r of results) assert.deepEqual([r.status, r.body], [first.status, first.body]);
      assert.deepEqual(Object.keys(await scanRows(id)), [String(first.body.scan_id)]);
      assert.deepEqual(await counts(id), { accepted: 1, participants: 1, refused: 0, conflicts: 0 });
    });

    test('30 parallel requests with the same nonce for a refusal: one answer for all, one row', async () => {
      const id = await createCheckpoint({ per_participant_limit: 1, requires_check_in: true });
      const p = await register();
      const shared = nonce();
      const results = await parallel(30, () => scan(id, p, shared, scanners[1]));
      const first = results[0]!;
      assert.equal(first.status, 409, JSON.stringify(first.body));
      assert.equal(first.body.code, 'not_checked_in');
      for (const r of results) assert.deepEqual([r.status, r.body], [first.status, first.body]);
      assert.deepEqual(Object.keys(await scanRows(id)), [String(first.body.scan_id)]);
      assert.deepEqual(await counts(id), { accepted: 0, participants: 0, refused: 1, conflicts: 0 });
    });

    test('10 parallel undos of one scan: one 200, the rest already_annulled, counted once', async () => {
      const id = await createCheckpoint({ per_participant_limit: 1, capacity: 1 });
      const p = await register();
      const accepted = await scan(id, p);
      assert.equal(accepted.status, 201);
      const results = await parallel(10, () => call('POST', `/scans/${accepted.body.scan_id}/undo`));
      assert.equal(results.filter((r) => r.status === 200).length, 1);
      assert.ok(results.every((r) => r.status === 200 || (r.status === 409 && r.body.code === 'already_annulled')));
      assert.deepEqual(await counts(id), { accepted: 0, participants: 0, refused: 0, conflicts: 0 });
      // The place and the redemption are free again, exactly once.
      const again = await parallel(10, () => scan(id, p));
      assert.deepEqual(tally(again), { accepted: 1, '409 already_redeemed': 9 });
    });

    test('a random mix of scans and undos from many clients', async () => {
      const random = seededRandom(backend.name === 'sqlite' ? 12 : 21);
      const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
      const checkpoints = [
        await createCheckpoint({ per_participant_limit: 1 }),
        await createCheckpoint({ per_participant_limit: 3, capacity: 4 }),
        await createCheckpoint({ per_participant_limit: null, capacity: 3 }),
      ];
      const participants = await parallel(8, () => register());
      const accepted: number[] = [];
      const operation = async () => {
        if (random() < 0.8 || accepted.length === 0) {
          const res = await scan(pick(checkpoints), pick(participants));
          if (res.status === 201) accepted.push(res.body.scan_id as number);
          else assert.equal(res.status, 409, JSON.stringify(res.body));
        } else {
          const res = await call('POST', `/scans/${pick(accepted)}/undo`);
          assert.ok(res.status === 200 || res.body.code === 'already_annulled', JSON.stringify(res.body));
        }
      };
      for (let wave = 0; wave < 10; wave++) await parallel(16, operation);
      assert.ok(accepted.length > 0);
    });

    test(
      'an archive waits for a scan already deciding, so no scan is accepted on a stale copy of the checkpoint',
      { skip: backend.name !== 'postgres' && 'SQLite runs one write transaction at a time' },
      async () => {
        const id = await createCheckpoint({ per_participant_limit: 2 });
        const p = await register();
        assert.equal((await scan(id, p)).status, 201);
        const handle = openTestDatabase(database);
        const waitingOnLocks = async () =>
          Number(
            (
              await sql<{ n: string }>`select count(*) as n from pg_stat_activity
                where wait_event_type = 'Lock' and datname = current_database()`.execute(handle.db)
            ).rows[0]!.n,
          );
        const waitUntil = async (condition: () => Promise<boolean>, what: string) => {
          for (let tries = 0; !(await condition()); tries++) {
            assert.ok(tries < 500, `gave up waiting until ${what}`);
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        };
        try {
          let secondScan: Promise<ApiResponse> | undefined;
          let archive: Promise<ApiResponse> | undefined;
          // Holding the participant's count row stalls the second scan mid-decision; the archive is sent then.
          await handle.db.transaction().execute(async (trx) => {
            await sql`select 1 from checkpoint_participants where checkpoint_id = ${id} and participant_id = ${p} for update`.execute(
              trx,
            );
            secondScan = scan(id, p);
            await waitUntil(async () => (await waitingOnLocks()) >= 1, 'the scan waits');
            archive = call('DELETE', `/checkpoints/${id}`);
            // The archive must queue behind the scan; under the old stale read it did not wait at all.
            await waitUntil(
              async () => (await waitingOnLocks()) >= 2 || (await Promise.race([archive!, Promise.resolve(false)])) !== false,
              'the archive waits or answers',
            );
          });
          const [scanned, archived] = await Promise.all([secondScan!, archive!]);
          assert.equal(scanned.status, 201, JSON.stringify(scanned.body));
          assert.equal(archived.status, 200);
          // Archived after the scan: its answer counts the scan.
          assert.deepEqual(archived.body[id].counts, { accepted: 2, participants: 1, refused: 0, conflicts: 0 });
        } finally {
          await handle.destroy();
        }
      },
    );

    test('the same nonce for another participant is refused, not answered for the first', async () => {
      const id = await createCheckpoint({ per_participant_limit: 1 });
      const [first, other] = [await register(), await register()];
      const shared = nonce();
      assert.equal((await scan(id, first, shared, scanners[0])).status, 201);
      const reused = await scan(id, other, shared, scanners[0]);
      assert.deepEqual([reused.status, reused.body.code], [422, 'idempotency_key_reused']);
      assert.equal(Object.keys(await scanRows(id)).length, 1);
    });

    test('afterwards the database agrees with itself: counts, limits and capacities', async () => {
      const handle = openTestDatabase(database);
      try {
        const db = handle.db;
        const perParticipant = await participantTallies(db);
        assert.ok(perParticipant.length > 0);
        for (const row of perParticipant) {
          const where = `checkpoint ${row.checkpoint_id}, participant ${row.participant_id}`;
          assert.equal(row.accepted, row.recount, where);
          if (row.per_participant_limit !== null) assert.ok(row.accepted <= row.per_participant_limit, where);
        }
        // Every accepted, live scan has its checkpoint_participants row.
        const orphans = await db
          .selectFrom('checkpoint_scans as s')
          .leftJoin('checkpoint_participants as cp', (join) =>
            join.onRef('cp.checkpoint_id', '=', 's.checkpoint_id').onRef('cp.participant_id', '=', 's.participant_id'),
          )
          .select('s.id')
          .where('s.outcome', '=', 'accepted')
          .where('s.annulled_at', 'is', null)
          .where('cp.checkpoint_id', 'is', null)
          .execute();
        assert.deepEqual(orphans, []);

        const checkpoints = await db
          .selectFrom('checkpoints as c')
          .select([
            'c.id',
            'c.capacity',
            'c.accepted_count',
            'c.participant_count',
            'c.refused_count',
            (eb) =>
              eb
                .selectFrom('checkpoint_scans as s')
                .select(sql<number>`count(*)`.as('n'))
                .whereRef('s.checkpoint_id', '=', 'c.id')
                .where('s.outcome', '=', 'accepted')
                .where('s.annulled_at', 'is', null)
                .as('accepted'),
            (eb) =>
              eb
                .selectFrom('checkpoint_scans as s')
                .select(sql<number>`count(distinct s.participant_id)`.as('n'))
                .whereRef('s.checkpoint_id', '=', 'c.id')
                .where('s.outcome', '=', 'accepted')
                .where('s.annulled_at', 'is', null)
                .as('participants'),
            (eb) =>
              eb
                .selectFrom('checkpoint_scans as s')
                .select(sql<number>`count(*)`.as('n'))
                .whereRef('s.checkpoint_id', '=', 'c.id')
                .where('s.outcome', '=', 'refused')
                .as('refused'),
          ])
          .orderBy('c.id')
          .execute();
        assert.ok(checkpoints.length >= 8);
        for (const c of checkpoints) {
          assert.deepEqual(
            [c.accepted_count, c.participant_count, c.refused_count].map(Number),
            [c.accepted, c.participants, c.refused].map(Number),
            `checkpoint ${c.id}: stored [accepted, participants, refused] against a recount`,
          );
          if (c.capacity !== null) assert.ok(Number(c.participant_count) <= c.capacity, `checkpoint ${c.id} over capacity`);
        }
      } finally {
        await handle.destroy();
      }
    });
  });
}
