// The web app's static files over HTTP: precompressed variants chosen by Accept-Encoding, hashed assets
// cached for a year, and the files that keep their names (index.html, service worker, manifest) revalidated.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance } from 'fastify';
import { webRoutes } from '../src/modules/web/web.routes.js';

const SCRIPT = `export const greeting = ${JSON.stringify('hello from Tapioca '.repeat(200))};\n`;
const HASHED_SCRIPT = '/app/assets/index-Ab12Cd34.js';

/** A built web app as Vite and vite-plugin-compression2 lay it out, with .br and .gz beside each file. */
function writeBuild(root: string): void {
  mkdirSync(join(root, 'assets'));
  const files: Record<string, string> = {
    'index.html': `<!doctype html><title>Tapioca</title><script type="module" src="${HASHED_SCRIPT}"></script>`,
    'assets/index-Ab12Cd34.js': SCRIPT,
    'sw.js': `self.addEventListener('fetch', () => undefined); // ${'x'.repeat(2000)}`,
    'manifest.webmanifest': JSON.stringify({ name: 'Tapioca', start_url: '/app/', display: 'standalone' }),
  };
  for (const [path, text] of Object.entries(files)) {
    writeFileSync(join(root, path), text);
    writeFileSync(join(root, `${path}.br`), brotliCompressSync(text));
    writeFileSync(join(root, `${path}.gz`), gzipSync(text));
  }
}

describe('web app static files', () => {
  let app: FastifyInstance;
  let base: string;
  let root: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'tapioca-web-static-'));
    writeBuild(root);
    // The /b/:code schema carries the app's own keywords (x-error); this test never validates against it.
    app = Fastify({ ajv: { customOptions: { strict: false } } });
    await app.register(webRoutes, { root });
    base = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  after(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const get = (path: string, acceptEncoding: string) =>
    fetch(`${base}${path}`, { headers: { 'accept-encoding': acceptEncoding } });

  test('a hashed asset is sent brotli-compressed when accepted, cached for a year as immutable', async () => {
    const response = await get(HASHED_SCRIPT, 'gzip, deflate, br');
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-encoding'), 'br');
    assert.equal(response.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.match(response.headers.get('content-type') ?? '', /javascript/);
    assert.match(response.headers.get('vary') ?? '', /accept-encoding/i);
    assert.equal(await response.text(), SCRIPT);
  });

  test('gzip when brotli is not accepted, the plain file when neither is', async () => {
    const gzip = await get(HASHED_SCRIPT, 'gzip');
    assert.equal(gzip.headers.get('content-encoding'), 'gzip');
    assert.equal(await gzip.text(), SCRIPT);
    const plain = await get(HASHED_SCRIPT, 'identity');
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(plain.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(await plain.text(), SCRIPT);
  });

  for (const path of ['/app/', '/app/index.html', '/app/sw.js', '/app/manifest.webmanifest']) {
    test(`${path} is revalidated on every use (no-cache), compressed too`, async () => {
      const response = await get(path, 'br');
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-cache');
      assert.equal(response.headers.get('content-encoding'), 'br');
      await response.arrayBuffer();
    });
  }
});
