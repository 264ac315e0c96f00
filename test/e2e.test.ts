// End-to-end: the real server, the built web app (web/dist) and Debian's Chromium with a fake camera
// that films the server's own badge images. Skipped when Chromium or web/dist is missing, unless
// TEST_REQUIRE_BROWSER=1 (CI), where that fails every test with the reason.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import QRCode from 'qrcode';
import { base32ToBytes, totp } from '../src/shared/totp.js';
import {
  chromiumMissing,
  type E2eServer,
  jsQR,
  newContext,
  readY4m,
  requireAll,
  scenario,
  signedInPage,
  skipUnlessRequired,
  startServer,
  TIMEOUT,
  VIDEO_HEIGHT,
  VIDEO_WIDTH,
  webAppMissing,
  writeBadgeVideo,
  expectText,
} from './e2e/support.js';

const SCENARIO = { timeout: 120_000 };

const visible = (locator: Locator, timeout = TIMEOUT) => locator.first().waitFor({ state: 'visible', timeout });

/** The number(s) shown in an element, e.g. "Participants 3" -> [3]. */
const numbersIn = (text: string) => (text.match(/\d+(\.\d+)?/g) ?? []).map(Number);

async function expectNumber(page: Page, testId: string, expected: number): Promise<void> {
  await expectText(page.getByTestId(testId), new RegExp(`(^|[^\\d.])${expected}([^\\d.]|$)`));
  const text = (await page.getByTestId(testId).first().textContent()) ?? '';
  assert.ok(numbersIn(text).includes(expected), `${testId} shows ${JSON.stringify(text)}, expected ${expected}`);
}

/** Marks the page so a later check can prove it was never reloaded (the change arrived live). */
const markPage = (page: Page) => page.evaluate(() => ((window as unknown as { __e2eMark: number }).__e2eMark = 1));
const stillMarked = async (page: Page) =>
  assert.equal(await page.evaluate(() => (window as unknown as { __e2eMark?: number }).__e2eMark), 1, 'the page was reloaded');

/** The live code a hacker's phone shows at the server's (frozen) time, from the secret their /me gives it. */
async function liveCodeOf(server: E2eServer, participantKey: string): Promise<{ code: string; badgeUrl: string }> {
  const me = (await server.api('GET', '/me', undefined, participantKey)).body;
  return { code: totp(base32ToBytes(me.live_code.secret), server.clock.now()), badgeUrl: me.badge.url };
}

// ---------------------------------------------------------------------------------------------------
describe('fake camera: the badge video decodes back to the badge URL', () => {
  test('Y4M from the server badge PNG -> I420 -> RGB -> jsQR', async () => {
    const server = await startServer();
    try {
      const person = await server.register(1);
      const key = await server.createKey('participant', 'Person 1', person.id);
      const { url } = await server.badgeOf(key.key);
      assert.match(url, new RegExp(`^${server.base}/b/`));
      const path = writeBadgeVideo(await server.badgePng(person.id), `${server.dir}/badge.y4m`, 10);
      const video = readY4m(path);
      assert.deepEqual([video.width, video.height, video.frames], [VIDEO_WIDTH, VIDEO_HEIGHT, 10]);
      const code = jsQR(video.first.data, video.first.width, video.first.height);
      assert.equal(code?.data, url);
    } finally {
      await server.close();
    }
  });
});

const chromium = chromiumMissing();
describe('fake camera: Chromium films the badge video', { skip: skipUnlessRequired(chromium) }, () => {
  before(() => requireAll(chromium));

  test('getUserMedia frames in Chromium decode to the badge URL', SCENARIO, (t) =>
    scenario(t, async ({ server, browser, file }) => {
      const person = await server.register(1);
      const key = await server.createKey('participant', 'Person 1', person.id);
      const { url } = await server.badgeOf(key.key);
      const camera = await browser(writeBadgeVideo(await server.badgePng(person.id), file('badge.y4m')));
      const context = await newContext(camera, server.base);
      const page = await context.newPage();
      await page.goto('/health');
      // Grabs a camera frame in the page and hands its pixels to Node, where jsQR reads them.
      const frame = await page.evaluate(async () => {
        const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480 } });
        const video = document.createElement('video');
        video.muted = true;
        video.srcObject = stream;
        await video.play();
        await new Promise((resolve) => setTimeout(resolve, 500));
        const canvas = document.createElement('canvas');
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(video, 0, 0);
        const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
        stream.getTracks().forEach((track) => track.stop());
        let binary = '';
        for (let i = 0; i < pixels.length; i += 0x8000) binary += String.fromCharCode(...pixels.subarray(i, i + 0x8000));
        return { width: canvas.width, height: canvas.height, base64: btoa(binary) };
      });
      assert.deepEqual([frame.width, frame.height], [VIDEO_WIDTH, VIDEO_HEIGHT]);
      const data = new Uint8ClampedArray(Buffer.from(frame.base64, 'base64'));
      assert.equal(jsQR(data, frame.width, frame.height)?.data, url);
    }),
  );

  test('a failing scenario leaves a screenshot of every open page', SCENARIO, async (t) => {
    // A private folder: other runs of the suite may be writing test-output/e2e at the same time.
    const dir = mkdtempSync(join(tmpdir(), 'tapioca-e2e-shots-'));
    try {
      await assert.rejects(
        scenario(
          t,
          async ({ server, browser }) => {
            const b = await browser();
            const context = await newContext(b, server.base);
            await (await context.newPage()).goto('/health');
            // A small page: a full-page screenshot of the whole OpenAPI document takes seconds on a loaded machine.
            await (await newContext(b, server.base)).newPage().then((page) => page.goto('/boba_info'));
            throw new Error('deliberate failure');
          },
          { screenshotDir: dir },
        ),
        /deliberate failure/,
      );
      const prefix = t.name.replace(/[^a-zA-Z0-9._-]+/g, '-');
      assert.deepEqual(readdirSync(dir).sort(), [`${prefix}-1.png`, `${prefix}-2.png`]);
      for (const file of readdirSync(dir)) {
        assert.ok(readFileSync(join(dir, file)).subarray(1, 4).toString() === 'PNG', `${file} is not a PNG`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------------
const webApp = webAppMissing();
describe('web app in Chromium', { skip: skipUnlessRequired(webApp) }, () => {
  before(() => requireAll(webApp));

  test(
    'a volunteer scans a real badge on #/checkin, checks the participant in, and a second scan says already checked in',
    SCENARIO,
    (t) =>
      scenario(t, async ({ server, browser, file }) => {
        const person = await server.register(1);
        await server.register(2);
        const desk = await server.createKey('volunteer', 'Desk 3');
        const camera = await browser(writeBadgeVideo(await server.badgePng(person.id), file('badge.y4m')));
        const context = await newContext(camera, server.base);

        // A volunteer lands on the scanning station; the look-up desk is one tap away.
        const page = await signedInPage(context, desk.key);
        await page.waitForURL(/#\/station/);
        await page.goto('/app/#/checkin');
        await visible(page.getByRole('heading', { name: 'Check-in' }));
        // The fake camera films the badge: the scanner finds the participant without typing.
        const checkIn = page.getByRole('button', { name: `Check in ${person.name}` });
        await visible(checkIn);
        await checkIn.click();
        await expectText(page.getByRole('status'), `Checked in ${person.name}`);

        const status = await server.api('GET', `/checkin?participant_id=${person.id}`);
        assert.equal(status.body.checked_in, true);
        assert.equal(status.body.volunteer_name, 'Desk 3');
        const at = new Date(status.body.check_in_time * 1000);
        const hhmm = `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
        assert.equal((await server.api('GET', '/checkin?participant_id=2')).body.checked_in, false);

        // Second scan: the camera still films the same badge.
        await page.goto('/app/#/checkin');
        await page.reload();
        await visible(page.getByRole('heading', { name: 'Check-in' }));
        await expectText(page.getByRole('status'), `Already checked in at ${hhmm} by Desk 3`);
        assert.equal(await page.getByRole('button', { name: `Check in ${person.name}` }).count(), 0);
      }),
  );

  test('a hacker orders boba on #/order and sees the status change live when the kitchen starts it', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const person = await server.register(1);
      const grant = await server.api('PUT', '/bbt_token_admin_give', { participant_id: person.id, tokens: 5 });
      assert.equal(grant.status, 200);
      const hackerKey = await server.createKey('participant', 'Hacker 1', person.id);
      const kitchenKey = await server.createKey('volunteer', 'Kitchen');
      const b = await browser();

      const hacker = await signedInPage(await newContext(b, server.base), hackerKey.key);
      await hacker.waitForURL(/#\/badge/);
      await hacker.goto('/app/#/order');
      await visible(hacker.getByRole('heading', { name: 'Order boba' }));
      for (const field of ['Size', 'Flavour', 'Sweetness', 'Ice', 'Toppings']) await visible(hacker.getByLabel(field));
      // Pick a flavour other than the default, whatever kind of field the form uses.
      const flavourField = hacker.getByLabel('Flavour').first();
      let flavour: string;
      if ((await flavourField.evaluate((el) => el.tagName)) === 'SELECT') {
        const options = await flavourField
          .locator('option')
          .evaluateAll((els) => els.map((o) => (o as HTMLOptionElement).value).filter(Boolean));
        flavour = options[options.length - 1]!;
        await flavourField.selectOption(flavour);
      } else {
        flavour = 'Taro';
        await flavourField.fill(flavour);
      }
      await hacker.getByRole('button', { name: /^Order boba/ }).click();

      const orders = await poll(async () => {
        const res = await server.api('GET', `/boba?participant_id=${person.id}`);
        return Object.keys(res.body).length > 0 ? res.body : undefined;
      }, 'the order to reach the server');
      const [orderId, order] = Object.entries(orders)[0] as [string, any];
      assert.equal(order.status, 'Placed');
      assert.equal(order.flavour, flavour);
      assert.equal((await server.api('GET', `/users/${person.id}/tokens`)).body.bbt_tokens, 0);
      const card = hacker.getByTestId(`order-${orderId}`);
      await expectText(card, 'Placed');
      await visible(card.getByRole('button', { name: 'Cancel order' }));
      await markPage(hacker);

      const kitchen = await signedInPage(await newContext(b, server.base), kitchenKey.key, 'kitchen');
      await visible(kitchen.getByRole('heading', { name: 'Boba kitchen' }));
      for (const column of ['Placed', 'In Progress', 'Out for Delivery'])
        await visible(kitchen.getByRole('heading', { name: column, exact: true }));
      const kitchenCard = kitchen.getByTestId(`kitchen-order-${orderId}`);
      await kitchenCard.getByRole('button', { name: 'Start' }).click();
      await visible(kitchen.getByTestId(`kitchen-order-${orderId}`).getByRole('button', { name: 'Send out' }));
      assert.equal((await server.api('GET', `/boba?participant_id=${person.id}`)).body[orderId].status, 'In Progress');

      // The hacker's page was not reloaded: the new status arrived live.
      await expectText(hacker.getByTestId(`order-${orderId}`), 'In Progress');
      await stillMarked(hacker);
      assert.equal(await hacker.getByTestId(`order-${orderId}`).getByRole('button', { name: 'Cancel order' }).count(), 0);
    }),
  );

  test("a hacker scans another hacker's badge on #/scan and both balances change", SCENARIO, (t) =>
    scenario(t, async ({ server, browser, file }) => {
      const scanner = await server.register(1);
      const scanned = await server.register(2);
      const scannerKey = await server.createKey('participant', 'Hacker 1', scanner.id);
      const scannedKey = await server.createKey('participant', 'Hacker 2', scanned.id);
      // The camera films the QR on the scanned hacker's phone: their badge link with the live code.
      const live = await liveCodeOf(server, scannedKey.key);
      const phoneBadge = await QRCode.toBuffer(`${live.badgeUrl}?c=${live.code}`, {
        errorCorrectionLevel: 'M',
        margin: 2,
        width: 512,
      });
      const camera = await browser(writeBadgeVideo(phoneBadge, file('badge2.y4m')));

      // The scanned hacker watches their own badge screen: the balance must change live.
      const other = await signedInPage(await newContext(camera, server.base), scannedKey.key);
      await other.waitForURL(/#\/badge/);
      await visible(other.getByRole('heading', { name: 'My badge' }));
      await visible(other.getByRole('img', { name: 'My QR badge' }));
      await expectText(other.getByTestId('balance'), 'Tokens: 0');
      await markPage(other);

      const page = await signedInPage(await newContext(camera, server.base), scannerKey.key, 'scan');
      await visible(page.getByRole('heading', { name: 'Scan someone' }));
      await expectText(page.getByRole('status'), /You both got a token! You now have 1 tokens?\./);

      assert.equal((await server.api('GET', `/users/${scanner.id}/tokens`)).body.bbt_tokens, 1);
      assert.equal((await server.api('GET', `/users/${scanned.id}/tokens`)).body.bbt_tokens, 1);
      await expectText(other.getByTestId('balance'), 'Tokens: 1');
      await stillMarked(other);
      await page.goto('/app/#/badge');
      await expectText(page.getByTestId('balance'), 'Tokens: 1');
    }),
  );

  test('scan errors say plainly why (typed badge codes)', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const me = await server.register(1);
      const other = await server.register(2);
      const third = await server.register(3);
      const myKey = await server.createKey('participant', 'Hacker 1', me.id);
      const otherKey = await server.createKey('participant', 'Hacker 2', other.id);
      const thirdKey = await server.createKey('participant', 'Hacker 3', third.id);
      const mine = await server.badgeOf(myKey.key);
      const theirs = await server.badgeOf(otherKey.key);
      const thirds = await server.badgeOf(thirdKey.key);
      // No video file: Chromium's default fake camera shows no QR code, so only typed codes count.
      const page = await signedInPage(await newContext(await browser(), server.base), myKey.key, 'scan');
      await visible(page.getByRole('heading', { name: 'Scan someone' }));
      const exchange = async (code: string, liveCode = '') => {
        await page.getByLabel('Badge code').fill(code);
        await page.getByLabel('Live code on their phone').fill(liveCode);
        await page.getByRole('button', { name: 'Exchange' }).click();
      };
      const theirCode = (await liveCodeOf(server, otherKey.key)).code;
      const thirdsCode = (await liveCodeOf(server, thirdKey.key)).code;
      await exchange(mine.badge);
      await expectText(page.getByRole('alert'), 'That is your own badge.');
      await exchange('no-such-badge');
      await expectText(page.getByRole('alert'), 'That badge is not valid.');
      await exchange(theirs.badge);
      await expectText(page.getByRole('alert'), 'No live code, or an old one — ask them to show the live code on their phone.');
      await exchange(theirs.badge, theirCode);
      await expectText(page.getByRole('status'), /You both got a token! You now have 1 tokens?\./);
      // At once, again: the pair limit (1) is said first, since waiting would not help.
      await exchange(theirs.badge, theirCode);
      await expectText(page.getByRole('alert'), 'You have already met this person.');
      await exchange(thirds.badge, thirdsCode);
      await expectText(page.getByRole('alert'), 'Too soon: wait a few seconds between exchanges.');
      server.clock.advance(1000); // BBT_TOKENS_COOLDOWN=1
      await exchange(thirds.badge, thirdsCode);
      await expectText(page.getByRole('status'), /You met .*You now have 2 tokens\./);
    }),
  );

  test('the admin dashboard renders its charts with real numbers', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const people = [
        await server.register(1, [
          { skill: 'Python', rating: 4 },
          { skill: 'Rust', rating: 5 },
        ]),
        await server.register(2, [{ skill: 'Python', rating: 2 }]),
        await server.register(3, [
          { skill: 'Python', rating: 3 },
          { skill: 'Go', rating: 3 },
        ]),
        await server.register(4, [{ skill: 'Go', rating: 1 }]),
      ];
      const desk = await server.createKey('volunteer', 'Desk 1');
      for (const person of people.slice(0, 2)) {
        assert.equal((await server.api('POST', '/checkin', { participant_id: person.id }, desk.key)).status, 200);
      }
      assert.equal((await server.api('PUT', '/bbt_token_admin_give', { participant_id: people[0]!.id, tokens: 12 })).status, 200);
      assert.equal((await server.api('POST', '/boba', { participant_id: people[0]!.id })).status, 200); // costs 5: 7 left
      const admin = await server.createKey('admin', 'Organizer');

      const page = await signedInPage(await newContext(await browser(), server.base), admin.key);
      await page.waitForURL(/#\/dashboard/);
      await visible(page.getByRole('heading', { name: 'Dashboard' }));
      await expectNumber(page, 'stat-participants', people.length);
      await expectNumber(page, 'stat-checked-in', 2);
      await expectNumber(page, 'stat-tokens', 7);
      await expectNumber(page, 'stat-orders-Placed', 1);

      const skills = page.getByRole('img', { name: 'Top skills by frequency' });
      await visible(skills);
      assert.equal(await skills.evaluate((el) => el.tagName.toLowerCase()), 'svg');
      const titles = await poll(async () => {
        const all = await skills.locator('title').allTextContents();
        return all.some((title) => title.startsWith('Python')) ? all.map((title) => title.trim()) : undefined;
      }, 'the skills chart to have bars');
      const expectBar = (skill: string, n: number, average: string) => {
        const pattern = new RegExp(`^${skill}: ${n} participants?, average ${average.replace('.', '\\.')}(\\.0+)?$`);
        assert.ok(
          titles.some((title) => pattern.test(title)),
          `no bar ${pattern} among ${JSON.stringify(titles)}`,
        );
      };
      expectBar('Python', 3, '3');
      expectBar('Go', 2, '2');
      expectBar('Rust', 1, '5');

      const checkIns = page.getByRole('img', { name: 'Check-ins over time' });
      await visible(checkIns);
      assert.equal(await checkIns.evaluate((el) => el.tagName.toLowerCase()), 'svg');
      // One bar per hour ("HH:00: n check-ins"), adding up to the check-ins made; the two made above
      // fall in one hour (or, across an hour boundary, two different ones), never two bars for one hour.
      const hours = (await checkIns.locator('title').allTextContents()).map((title) => {
        const match = /^(.+): (\d+) check-ins?$/.exec(title.trim());
        assert.ok(match, `unexpected bar title ${JSON.stringify(title)}`);
        return { hour: match[1]!, count: Number(match[2]) };
      });
      assert.equal(
        hours.reduce((sum, bar) => sum + bar.count, 0),
        2,
        JSON.stringify(hours),
      );
      assert.equal(new Set(hours.map((bar) => bar.hour)).size, hours.length, `two bars for one hour: ${JSON.stringify(hours)}`);

      // The counts are live: a check-in elsewhere shows up without a reload.
      await markPage(page);
      assert.equal((await server.api('POST', '/checkin', { participant_id: people[2]!.id }, desk.key)).status, 200);
      await expectNumber(page, 'stat-checked-in', 3);
      await stillMarked(page);
    }),
  );

  test('sign-in by link lands signed in with the key gone from the URL; sign-out returns to the sign-in screen', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const person = await server.register(1);
      const hacker = await server.createKey('participant', 'Hacker One', person.id);
      const context = await newContext(await browser(), server.base);
      const page = await context.newPage();

      await page.goto(`/app/#key=${encodeURIComponent(hacker.key)}`);
      await visible(page.getByRole('button', { name: 'Sign out' }));
      await page.waitForURL(/#\/badge/);
      assert.ok(!page.url().includes(hacker.key), `the key is still in ${page.url()}`);
      assert.match(new URL(page.url()).hash, /^#\//);
      await visible(page.getByRole('heading', { name: 'My badge' }));
      // A hacker's header names the participant, not the key.
      await expectText(page.getByRole('banner'), person.name);
      await expectText(page.getByRole('banner'), /participant/i);
      assert.equal(await page.evaluate(() => localStorage.getItem('tapioca.apiKey')), hacker.key);
      assert.ok(!(await page.evaluate(() => location.href)).includes('key='));

      await page.getByRole('button', { name: 'Sign out' }).click();
      await visible(page.getByRole('heading', { name: 'Sign in to Tapioca' }));
      assert.equal(await page.evaluate(() => localStorage.getItem('tapioca.apiKey')), null);

      // Pasting keys: a wrong one is refused plainly, the right one signs in.
      await page.getByLabel('API key').fill('not-a-real-key-0123456789abcdef');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expectText(page.getByRole('alert'), 'That key was not accepted');
      await page.getByLabel('API key').fill(hacker.key);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await visible(page.getByRole('button', { name: 'Sign out' }));
      await visible(page.getByRole('heading', { name: 'My badge' }));

      // A reload keeps the session (localStorage); the badge link opens the app's scan flow.
      await page.reload();
      await visible(page.getByRole('button', { name: 'Sign out' }));
      const redirect = await fetch(`${server.base}/b/some-code`, { redirect: 'manual' });
      assert.ok(redirect.status >= 300 && redirect.status < 400, `GET /b/<code> answered ${redirect.status}`);
      assert.equal(new URL(redirect.headers.get('location') ?? '', server.base).href, `${server.base}/app/#/b/some-code`);
    }),
  );
});

/** Polls until fn returns something, or fails naming what it waited for. */
async function poll<T>(fn: () => Promise<T | undefined>, what: string, timeout = TIMEOUT): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
