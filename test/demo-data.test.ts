import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Kysely } from 'kysely';
import type { DatabaseHandle } from '../src/db/database.js';
import { migrateTo, migrateToLatest } from '../src/db/migrate.js';
import { generateParticipants } from '../src/demo/generate-participants.js';
import { DemoDataError, importParticipants } from '../src/modules/import/import.service.js';
import { runTsx } from './cli-runner.js';
import { BACKENDS, createTestDatabase, openTestDatabase, sampleParticipant, startTestApp, type TestDatabase } from './helpers.js';

/** Runs the import CLI as an organizer would. */
const runImportCli = (args: string[], databaseUrl: string) =>
  runTsx(['src/cli/import.ts', ...args], { DATABASE_URL: databaseUrl });

const REAL = [1, 2, 3].map((n) => sampleParticipant(n));

for (const backend of BACKENDS) {
  describe(`demo data (${backend.name})`, { skip: backend.skip }, () => {
    let database: TestDatabase;
    let handle: DatabaseHandle;
    let dir: string;
    before(async () => {
      database = await createTestDatabase(backend.name);
      handle = openTestDatabase(database);
      dir = mkdtempSync(join(tmpdir(), 'tapioca-demo-'));
    });
    after(async () => {
      await handle?.destroy();
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    const startServer = (demoParticipants: number) =>
      startTestApp(backend.name, { DEMO_PARTICIPANTS: String(demoParticipants) }, database);
    const emails = async () =>
      (await handle.db.selectFrom('participants').select('email').orderBy('id').execute()).map((row) => row.email);

    test('demo participants are marked; real ones are refused beside them, by the service and the CLI, changing nothing', async () => {
      const server = await startServer(20);
      try {
        assert.deepEqual((await server.inject('GET', '/health', undefined, null)).body, {
          status: 'ok',
          database: backend.name,
          demo_data: true,
        });
        // Trying the API in the demo is what the demo is for: a registration is accepted, and is demo data too.
        assert.equal((await server.inject('POST', '/register', sampleParticipant(99))).status, 200);
        assert.equal((await server.inject('GET', '/health', undefined, null)).body.demo_data, true);
      } finally {
        await server.close();
      }
      const before = await emails();
      assert.deepEqual(before, [...generateParticipants(20).map((p) => p.email), sampleParticipant(99).email]);

      await assert.rejects(importParticipants(handle, REAL), DemoDataError);
      assert.deepEqual(await emails(), before);

      const file = join(dir, 'real.json');
      writeFileSync(file, JSON.stringify(REAL));
      const refused = await runImportCli([file], database.url);
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /holds demo data/);
      assert.match(refused.stderr, /would mix fake and real people/);
      assert.match(refused.stderr, /Nothing was changed/);
      assert.ok(refused.stderr.includes(`npm run import -- --reset ${file}`), refused.stderr);
      assert.doesNotMatch(refused.stderr, /\n\s+at /, 'no stack trace');
      assert.doesNotMatch(refused.stdout, /imported \d+/);
      assert.deepEqual(await emails(), before);

      const replaced = await runImportCli(['--reset', file], database.url);
      assert.equal(replaced.code, 0, replaced.stderr);
      assert.match(replaced.stdout, /imported 3, skipped 0/);
      assert.deepEqual(
        await emails(),
        REAL.map((p) => p.email),
      );

      // Real from now on: appending works, and a start with DEMO_PARTICIPANTS leaves it alone.
      assert.equal((await importParticipants(handle, [sampleParticipant(4)])).imported, 1);
      const again = await startServer(20);
      try {
        assert.equal((await again.inject('GET', '/health', undefined, null)).body.demo_data, false);
        assert.equal(Object.keys((await again.inject('GET', '/users')).body).length, 4);
      } finally {
        await again.close();
      }
    });
  });

  describe(`demo data in a database from before the mark (${backend.name})`, { skip: backend.skip }, () => {
    /** A database as the previous version left it, holding `participants`; answers its demo flag once migrated. */
    async function demoFlagAfterUpgrade(participants: { name: string; email: string }[]): Promise<number> {
      const database = await createTestDatabase(backend.name);
      const handle = openTestDatabase(database);
      try {
        await migrateTo(handle.db, '20261201_07_participant_search');
        const db = handle.db as unknown as Kysely<any>;
        for (const { name, email } of participants) {
          await db
            .insertInto('participants')
            .values({
              name,
              company: 'C',
              email,
              email_key: email.toLowerCase(),
              phone: '1',
              badge_code: `b-${email}`,
              created_at: 0,
              updated_at: 0,
            })
            .execute();
        }
        await migrateToLatest(handle.db);
        return (await handle.db.selectFrom('event_settings').select('demo').executeTakeFirstOrThrow()).demo;
      } finally {
        await handle.destroy();
        await database.drop();
      }
    }

    test('the upgrade recognises demo participants by the first one the generator gives, and nothing else', async () => {
      assert.equal(await demoFlagAfterUpgrade(generateParticipants(3)), 1);
      assert.equal(await demoFlagAfterUpgrade(REAL.map((p) => ({ name: p.name, email: p.email }))), 0);
      assert.equal(await demoFlagAfterUpgrade([]), 0);
    });
  });
}
