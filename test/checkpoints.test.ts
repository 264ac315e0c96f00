import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { DatabaseHandle } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createTestDatabase, openTestDatabase, type TestDatabase } from './helpers.js';

const fileSize = (path: string) => statSync(path).size;

// SQLite writes go to the write-ahead log; a thread of their own copies them into the database file, so
// the thread serving requests never stalls on it.
describe('background checkpoints (sqlite)', () => {
  let database: TestDatabase;
  let handle: DatabaseHandle;
  let path: string;
  before(async () => {
    database = await createTestDatabase('sqlite');
    path = database.url.slice('sqlite:'.length);
    handle = openTestDatabase(database);
    await migrateToLatest(handle.db);
  });
  after(async () => {
    await handle?.destroy();
    await database?.drop();
  });

  test('move committed pages from the log into the database file without the writer', async () => {
    const before = fileSize(path);
    // About 4 MB: far below the writer's own checkpoint threshold, so only the background thread moves it.
    await handle.transact(async (trx) => {
      await sql`create table filler (body text not null)`.execute(trx);
      for (let i = 0; i < 1000; i++) await sql`insert into filler (body) values (${'x'.repeat(4000)})`.execute(trx);
    });
    assert.ok(fileSize(`${path}-wal`) > 4_000_000, 'the commit went to the log');
    const deadline = Date.now() + 5000;
    while (fileSize(path) < before + 4_000_000 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(fileSize(path) >= before + 4_000_000, `database file ${fileSize(path)} bytes, was ${before}`);
  });

  test('stop with the database, leaving no log behind', async () => {
    await handle.destroy();
    handle = undefined as unknown as DatabaseHandle;
    // The last connection to close folds the log in and removes it: the background one closed first.
    assert.throws(() => statSync(`${path}-wal`), /ENOENT/);
  });
});
