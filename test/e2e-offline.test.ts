// The web app with no network: the service worker serves the app shell, the app shows the hacker's last
// badge and balance, and an "Offline" banner comes and goes with the connection. Real server, built web app
// (web/dist) and Debian's Chromium in a phone-sized window; skipped like test/e2e.test.ts when either is missing.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page, Response } from 'playwright-core';
import { PNG } from 'pngjs';
import {
  jsQR,
  newContext,
  requireAll,
  scenario,
  signedInPage,
  skipUnlessRequired,
  TIMEOUT,
  webAppMissing,
} from './e2e/support.js';

const SCENARIO = { timeout: 120_000 };
const OFFLINE_TEXT = 'Offline.';

const banner = (page: Page) => page.getByRole('status').filter({ hasText: OFFLINE_TEXT });

/** Waits for the badge image to have loaded, then reads the QR code in it as the browser drew it. */
async function qrShown(page: Page): Promise<string | null> {
  const image = page.locator('img.badge-image');
  await image.waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelector<HTMLImageElement>('img.badge-image')?.naturalWidth);
  const png = PNG.sync.read(await image.screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

const missing = webAppMissing();

describe('offline web app', { skip: skipUnlessRequired(missing) }, () => {
  before(() => requireAll(missing));

  test('an offline reload shows the badge QR, name, code and last balance', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const person = await server.register(1);
      const key = await server.createKey('participant', person.name, person.id);
      const { badge, url } = await server.badgeOf(key.key);
      const give = await server.api('PUT', '/bbt_token_admin_give', { participant_id: person.id, tokens: 3 });
      assert.equal(give.status, 200);
      const balance = (await server.api('GET', '/me', undefined, key.key)).body.participant.bbt_tokens as number;

      const context = await newContext(await browser(), server.base);
      const scripts: Response[] = [];
      context.on('response', (response) => {
        if (/\/app\/assets\/.+\.js$/.test(response.url())) scripts.push(response);
      });
      const page = await signedInPage(context, key.key, 'badge');
      assert.equal(await qrShown(page), url);
      // The service worker has the app shell once it is active.
      await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));

      // Every script is cached for good; the entry chunk (the big one: files under 1 kB stay plain) comes as brotli.
      // (The service worker's precache fetches them too.)
      const entry = scripts.filter((script) => /\/assets\/index-[^/]+\.js$/.test(script.url()));
      assert.ok(entry.length > 0, `no entry chunk among ${scripts.map((script) => script.url()).join(', ')}`);
      for (const script of entry) assert.equal((await script.allHeaders())['content-encoding'], 'br');
      for (const script of scripts) {
        assert.equal((await script.allHeaders())['cache-control'], 'public, max-age=31536000, immutable', script.url());
      }

      await context.setOffline(true);
      await page.reload();
      assert.equal(await qrShown(page), url, 'the badge QR offline');
      await page.locator('.badge-name', { hasText: person.name }).waitFor();
      await page.locator('.badge-code', { hasText: badge }).waitFor();
      await page
        .getByTestId('balance')
        .filter({ hasText: `Tokens: ${balance}` })
        .waitFor();
      await banner(page).waitFor();
      assert.equal(await page.getByRole('alert').filter({ hasText: /\S/ }).count(), 0, 'an error shows beside the saved badge');
    }),
  );

  test('the Offline banner comes when the network goes and goes when it returns', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const person = await server.register(1);
      const key = await server.createKey('participant', person.name, person.id);
      const context = await newContext(await browser(), server.base);
      const page = await signedInPage(context, key.key, 'badge');
      await page.locator('img.badge-image').waitFor();
      assert.equal(await banner(page).count(), 0, 'the banner shows while online');

      await context.setOffline(true);
      await banner(page).waitFor();
      assert.ok(await banner(page).getByRole('button', { name: 'Retry' }).isVisible());

      await context.setOffline(false);
      await banner(page).waitFor({ state: 'detached', timeout: TIMEOUT });
    }),
  );
});
