import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { DatabaseHandle } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { preparedQuery } from '../src/db/prepared.js';
import { BACKENDS, createTestDatabase, openTestDatabase, type TestDatabase } from './helpers.js';

const insertSkills = preparedQuery((ex, rows: Array<{ name: string; frequency: number }>) =>
  ex.insertInto('skills').values(rows).returning(['name', 'frequency']),
);

const skillsAbove = preparedQuery((ex, p: { minimum: number; limit: number }) =>
  ex
    .selectFrom('skills')
    .select('name')
    .where('frequency', '>', p.minimum)
    // A constant of the query, not a parameter: it must stay in place among the values bound each time.
    .where('name', '<>', 'never listed')
    .orderBy('frequency')
    .limit(p.limit),
);

for (const backend of BACKENDS) {
  describe(`prepared queries (${backend.name})`, { skip: backend.skip }, () => {
    let database: TestDatabase;
    let handle: DatabaseHandle;
    before(async () => {
      database = await createTestDatabase(backend.name);
      handle = openTestDatabase(database);
      await migrateToLatest(handle.db);
    });
    after(async () => {
      await handle?.destroy();
      await database?.drop();
    });

    test('bind new values on every run, and rows of another count get SQL of their own', async () => {
      assert.deepEqual(await insertSkills(handle.db, [{ name: 'go', frequency: 1 }]), [{ name: 'go', frequency: 1 }]);
      assert.deepEqual(await insertSkills(handle.db, [{ name: 'rust', frequency: 5 }]), [{ name: 'rust', frequency: 5 }]);
      const three = [
        { name: 'zig', frequency: 2 },
        { name: 'ocaml', frequency: 4 },
        { name: 'never listed', frequency: 9 },
      ];
      assert.deepEqual(await insertSkills(handle.db, three), three);

      assert.deepEqual(await skillsAbove(handle.db, { minimum: 1, limit: 10 }), [
        { name: 'zig' },
        { name: 'ocaml' },
        { name: 'rust' },
      ]);
      assert.deepEqual(await skillsAbove(handle.db, { minimum: 3, limit: 1 }), [{ name: 'ocaml' }]);
    });

    test('run inside a transaction, and roll back with it', async () => {
      await assert.rejects(
        handle.db.transaction().execute(async (trx) => {
          await insertSkills(trx, [{ name: 'cobol', frequency: 7 }]);
          assert.deepEqual(await skillsAbove(trx, { minimum: 6, limit: 5 }), [{ name: 'cobol' }]);
          throw new Error('undo');
        }),
        /undo/,
      );
      assert.deepEqual(await skillsAbove(handle.db, { minimum: 6, limit: 5 }), []);
    });

    test('refuse a build that uses a parameter for anything but a value', async () => {
      // Choosing the query's shape from a parameter would freeze the first call's choice for every later call.
      const byShape = preparedQuery((ex, p: { descending: boolean }) =>
        ex
          .selectFrom('skills')
          .select('name')
          .orderBy('name', p.descending ? 'desc' : 'asc'),
      );
      await assert.rejects(byShape(handle.db, { descending: false }), /uses 0 of its 1 parameters as values/);
    });
  });
}
