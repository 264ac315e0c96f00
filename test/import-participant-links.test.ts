import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { DatabaseHandle } from '../src/db/database.js';
import { generateParticipants } from '../src/demo/generate-participants.js';
import { importParticipants } from '../src/modules/import/import.service.js';
import { participantLinkChunks } from '../src/modules/keys/keys.service.js';
import { BACKENDS, openTestDatabase, startTestApp, TEST_ADMIN_KEY, type TestApp } from './helpers.js';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const PUBLIC_URL = 'https://hack.example.com';

/** Participant id and key of each line of a links CSV (no field of these tests needs quoting). */
const linksOf = (csv: string) =>
  csv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => ({ id: Number(line.split(',')[0]), key: /#key=(tpk_[\w-]+)$/.exec(line)![1]! }));

for (const backend of BACKENDS) {
  describe(`sign-in link export in batches (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let handle: DatabaseHandle;
    before(async () => {
      api = await startTestApp(backend.name, { PUBLIC_URL, PARTICIPANT_LINKS_RATE_LIMIT: '10' });
      handle = openTestDatabase(api.database);
    });
    after(async () => {
      await handle?.destroy();
      await api?.close();
    });

    const participantKeyOwners = async () =>
      (
        await handle.db
          .selectFrom('api_keys')
          .select('participant_id')
          .where('role', '=', 'participant')
          .orderBy('participant_id')
          .execute()
      ).map((row) => row.participant_id);

    test('an export that stops stores the keys of delivered batches only; the next export covers the rest', async () => {
      const summary = await importParticipants(handle, generateParticipants(10, 31), { reset: true });
      assert.equal(summary.imported, 10);

      const chunks = participantLinkChunks(handle.db, PUBLIC_URL, { batchSize: 3 });
      const first = await chunks.next();
      assert.equal(first.done, false);
      assert.deepEqual(await participantKeyOwners(), [], 'nothing is stored before its chunk is delivered');
      // Asking for the second chunk says the first was delivered; the second then fails to be delivered.
      const second = await chunks.next();
      assert.equal(second.done, false);
      await chunks.return();

      assert.deepEqual(await participantKeyOwners(), [1, 2, 3]);
      const delivered = linksOf(first.value);
      assert.deepEqual(
        delivered.map((link) => link.id),
        [1, 2, 3],
      );
      for (const { id, key } of delivered) assert.equal((await api.inject('GET', `/users/${id}`, undefined, key)).status, 200);
      for (const { id, key } of linksOf(`header\n${second.value}`)) {
        assert.ok(id >= 4 && id <= 6);
        assert.equal(
          (await api.inject('GET', `/users/${id}`, undefined, key)).status,
          401,
          'an undelivered batch has no stored keys',
        );
      }

      const res = await api.app.inject({
        method: 'POST',
        url: '/keys/participant-links',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
      });
      assert.equal(res.statusCode, 200);
      const rest = linksOf(res.body);
      assert.deepEqual(
        rest.map((link) => link.id),
        [4, 5, 6, 7, 8, 9, 10],
      );
      for (const { id, key } of rest) assert.equal((await api.inject('GET', `/users/${id}`, undefined, key)).status, 200);
      assert.deepEqual(await participantKeyOwners(), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    test('POST /keys/participant-links streams a link for every participant over many batches', async () => {
      const summary = await importParticipants(handle, generateParticipants(1100, 32), { reset: true });
      assert.equal(summary.imported, 1100);
      const res = await api.app.inject({
        method: 'POST',
        url: '/keys/participant-links',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
      });
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^text\/csv/);
      assert.ok(res.body.startsWith('id,name,email,sign_in_link\n'));
      const links = linksOf(res.body);
      assert.deepEqual(
        links.map((link) => link.id),
        Array.from({ length: 1100 }, (_, i) => i + 1),
      );
      assert.equal(new Set(links.map((link) => link.key)).size, 1100);
      for (const { id, key } of [links[0]!, links[549]!, links[1099]!]) {
        assert.equal((await api.inject('GET', `/users/${id}`, undefined, key)).status, 200);
      }
      assert.equal((await participantKeyOwners()).length, 1100);
    });
    test('a name a spreadsheet would run as a formula comes out as text', async () => {
      const registered = await api.inject('POST', '/register', {
        name: '=HYPERLINK("http://evil.example","click")',
        company: 'Acme',
        email: 'formula@example.com',
        phone: '+1 555 0100',
      });
      assert.equal(registered.status, 200, JSON.stringify(registered.body));
      const res = await api.app.inject({
        method: 'POST',
        url: '/keys/participant-links',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
      });
      assert.equal(res.statusCode, 200);
      assert.match(res.body, /,"'=HYPERLINK\(""http:\/\/evil\.example"",""click""\)",formula@example\.com,/);
    });
  });
}

describe('keys CLI participants export', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tapioca-links-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('never writes over an existing file, which may hold links not sent yet', async () => {
    const out = join(dir, 'links.csv');
    writeFileSync(out, 'links from an earlier export\n');
    const env = { ...process.env, DATABASE_URL: `sqlite:${join(dir, 'cli.db')}`, LOG_LEVEL: 'silent', DEMO_PARTICIPANTS: '0' };
    const cli = spawn('npx', ['tsx', 'src/cli/keys.ts', 'participants', '--out', out], { cwd: PROJECT_ROOT, env });
    let stderr = '';
    cli.stderr.on('data', (chunk) => (stderr += chunk));
    const [code] = await once(cli, 'exit');
    assert.notEqual(code, 0);
    assert.match(stderr, new RegExp(`${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} exists; choose a new file for --out`));
    assert.equal(readFileSync(out, 'utf8'), 'links from an earlier export\n');
  });
});
