import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DatabaseHandle } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createTestDatabase, openTestDatabase, type TestDatabase } from './helpers.js';

// Group commit is SQLite's write path: many callers, one transaction, each caller all or nothing.
describe('group commit (sqlite)', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  before(async () => {
    database = await createTestDatabase('sqlite');
    handle = openTestDatabase(database);
    await migrateToLatest(handle.db);
  });
  after(async () => {
    await handle?.destroy();
    await database?.drop();
  });

  const addSkill = (name: string) => (trx: Parameters<Parameters<DatabaseHandle['transact']>[0]>[0]) =>
    trx.insertInto('skills').values({ name }).returning('id').executeTakeFirstOrThrow();

  test('concurrent work shares transactions, yet each piece succeeds or fails alone', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        handle.transact(async (trx) => {
          const { id } = await addSkill(`skill ${i}`)(trx);
          // Every seventh piece writes, then fails: its write must vanish, its neighbours' must not.
          if (i % 7 === 0) throw new Error(`refused ${i}`);
          return id;
        }),
      ),
    );
    const names = (await handle.db.selectFrom('skills').select('name').execute()).map((r) => r.name);
    for (const [i, outcome] of outcomes.entries()) {
      if (i % 7 === 0) {
        assert.equal(outcome.status, 'rejected');
        assert.equal(outcome.reason.message, `refused ${i}`);
        assert.ok(!names.includes(`skill ${i}`), `skill ${i} was rolled back`);
      } else {
        assert.equal(outcome.status, 'fulfilled');
        assert.ok(names.includes(`skill ${i}`), `skill ${i} was kept`);
      }
    }
    assert.equal(names.length, 200 - Math.ceil(200 / 7));
  });

  test('a constraint violation fails only its own piece', async () => {
    const [duplicate, fresh] = await Promise.allSettled([
      handle.transact((trx) => addSkill('skill 1')(trx)),
      handle.transact((trx) => addSkill('brand new')(trx)),
    ]);
    assert.equal(duplicate.status, 'rejected');
    assert.equal(fresh.status, 'fulfilled');
  });
});
