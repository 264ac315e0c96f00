import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { BACKENDS, createTestDatabase, startTestApp, type TestApp, type TestDatabase } from './helpers.js';

const KEY_A = 'rotation-key-a-0123456789abcdef';
const KEY_B = 'rotation-key-b-0123456789abcdef';

for (const backend of BACKENDS) {
  describe(`changing TAPIOCA_ADMIN_KEY (${backend.name})`, { skip: backend.skip }, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(backend.name);
    });
    after(() => database?.drop());

    /** Starts the app on the shared database with TAPIOCA_ADMIN_KEY set to `adminKey`, runs `check`, stops it. */
    async function withAdminKey(adminKey: string, check: (api: TestApp) => Promise<void>): Promise<void> {
      const api = await startTestApp(backend.name, { TAPIOCA_ADMIN_KEY: adminKey }, database);
      try {
        await check(api);
      } finally {
        await api.close();
      }
    }
    const statusWith = async (api: TestApp, key: string) => (await api.inject('GET', '/keys', undefined, key)).status;
    const createKey = async (api: TestApp, body: { role: string; name: string }, as: string) => {
      const created = await api.inject('POST', '/keys', body, as);
      assert.equal(created.status, 200);
      return created.body.key as string;
    };

    test('revokes the key of the previous value only; the same value again changes nothing', async () => {
      let apiKeys: string[] = [];
      await withAdminKey(KEY_A, async (api) => {
        assert.equal(await statusWith(api, KEY_A), 200);
        // Named like the variable's key, to show that the name is not what marks it.
        apiKeys = [
          await createKey(api, { role: 'admin', name: 'TAPIOCA_ADMIN_KEY' }, KEY_A),
          await createKey(api, { role: 'volunteer', name: 'volunteer' }, KEY_A),
        ];
      });

      let keysAfterRotation: unknown;
      await withAdminKey(KEY_B, async (api) => {
        assert.equal(await statusWith(api, KEY_A), 401);
        assert.equal(await statusWith(api, KEY_B), 200);
        assert.equal(await statusWith(api, apiKeys[0]!), 200, 'an admin key created through the API stays');
        assert.equal((await api.inject('GET', '/users', undefined, apiKeys[1])).status, 200, 'a volunteer key stays');
        keysAfterRotation = (await api.inject('GET', '/keys', undefined, KEY_B)).body;
        const revoked = Object.values(keysAfterRotation as Record<string, { name: string; revoked_at: string | null }>).filter(
          (key) => key.revoked_at !== null,
        );
        assert.equal(revoked.length, 1, 'only the key of the previous value');
      });

      await withAdminKey(KEY_B, async (api) => {
        assert.deepEqual((await api.inject('GET', '/keys', undefined, KEY_B)).body, keysAfterRotation);
        assert.equal(await statusWith(api, KEY_A), 401);
      });

      // A process started with the old value (a stale deployment) gets nowhere and locks nobody out.
      await withAdminKey(KEY_A, async (api) => {
        assert.equal(await statusWith(api, KEY_A), 401);
        assert.equal(await statusWith(api, KEY_B), 200);
        assert.deepEqual((await api.inject('GET', '/keys', undefined, KEY_B)).body, keysAfterRotation);
      });
    });
  });
}
