// End-to-end for live exchange codes: the hacker's badge screen shows a QR of the badge link with the code of
// this 30 s step, the same 6 digits and a countdown, and both change when the step does; a scanner that opens an
// old code is told so in plain words, and the current one exchanges. Real server, built web app (web/dist) and
// Debian's Chromium, the phone's time set with Playwright's clock; skipped like test/e2e.test.ts.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { base32ToBytes, totp } from '../src/shared/totp.js';
import {
  expectText,
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
const STEP_MS = 30_000;

/** The QR code in the badge image, as the browser drew it. */
async function qrShown(page: Page): Promise<string | null> {
  const image = page.locator('img.badge-image');
  await image.waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelector<HTMLImageElement>('img.badge-image')?.naturalWidth);
  const png = PNG.sync.read(await image.screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

/** Polls the badge QR until it reads `expected` (a new code is drawn a moment after the digits change). */
async function expectQr(page: Page, expected: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT;
  let shown: string | null = null;
  while (Date.now() < deadline) {
    shown = await qrShown(page);
    if (shown === expected) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.equal(shown, expected);
}

const missing = webAppMissing();

describe('live exchange codes in the web app', { skip: skipUnlessRequired(missing) }, () => {
  before(() => requireAll(missing));

  test("the badge screen's QR and digits change with the step; an old code is refused plainly", SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const shown = await server.register(1);
      const scanner = await server.register(2);
      const shownKey = await server.createKey('participant', shown.name, shown.id);
      const scannerKey = await server.createKey('participant', scanner.name, scanner.id);
      const me = (await server.api('GET', '/me', undefined, shownKey.key)).body;
      const secret = base32ToBytes(me.live_code.secret);
      const badgeUrl = me.badge.url as string;
      // 5 s into a step. The phone's clock stands still there (its timers still run) until the test moves it.
      const stepStart = Math.floor(Date.now() / STEP_MS) * STEP_MS;
      const start = stepStart + 5_000;
      server.clock.set(start);

      const phone = await newContext(await browser(), server.base);
      await phone.clock.setFixedTime(start);
      const badgePage = await signedInPage(phone, shownKey.key, 'badge');
      const firstCode = totp(secret, start);
      await expectText(badgePage.getByTestId('live-code'), new RegExp(`Live code ${firstCode}\\s*New code in 25 s`));
      await expectQr(badgePage, `${badgeUrl}?c=${firstCode}`);

      await badgePage.clock.setFixedTime(stepStart + STEP_MS - 1_000);
      await expectText(badgePage.getByTestId('live-code'), new RegExp(`Live code ${firstCode}\\s*New code in 1 s`));
      await badgePage.clock.setFixedTime(stepStart + STEP_MS);
      const nextCode = totp(secret, stepStart + STEP_MS);
      assert.notEqual(nextCode, firstCode);
      await expectText(badgePage.getByTestId('live-code'), new RegExp(`Live code ${nextCode}\\s*New code in 30 s`));
      await expectQr(badgePage, `${badgeUrl}?c=${nextCode}`);

      // The scanner opens the links the badge QR held, as its camera app would: a minute and a half on, the first
      // code is stale; the code of that moment exchanges.
      server.clock.set(start + 3 * STEP_MS);
      const scanning = await newContext(await browser(), server.base);
      await signedInPage(scanning, scannerKey.key);
      const open = async (code: string) => {
        const page = await scanning.newPage();
        // The link in the QR: the server redirects it into the app, live code and all.
        await page.goto(`${badgeUrl}?c=${code}`);
        return page;
      };
      const stale = await open(firstCode);
      await expectText(stale.getByRole('alert'), 'No live code, or an old one — ask them to show the live code on their phone.');
      const live = await open(totp(secret, start + 3 * STEP_MS));
      await expectText(live.getByRole('status'), `You met ${shown.name}. You both got a token! You now have 1 token.`);
      assert.equal((await server.api('GET', `/users/${shown.id}/tokens`)).body.bbt_tokens, 1);
    }),
  );
});
