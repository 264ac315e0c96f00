// End-to-end: the web app's writes happen once per user intent. A double tap sends one request; a write
// whose answer is lost on the way back is retried with the same Idempotency-Key, and the screen shows what
// the first attempt really did (the server replays its stored answer). Real server, built web app
// (web/dist), Debian's Chromium on a phone-sized window; skipped like test/e2e.test.ts unless
// TEST_REQUIRE_BROWSER=1.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Browser, Page, Request, Route } from 'playwright-core';
import { base32ToBytes, totp } from '../src/shared/totp.js';
import {
  type E2eServer,
  newContext,
  requireAll,
  scenario,
  skipUnlessRequired,
  TIMEOUT,
  webAppMissing,
  writeBadgeVideo,
  expectText,
} from './e2e/support.js';
import { TEST_ADMIN_KEY } from './helpers.js';

const SCENARIO = { timeout: 120_000 };
/** The web app's default price of a drink (BBT_TOKENS_PER_ORDER). */
const PRICE = 5;
/** Longer than the Check-in screen's RESCAN_AFTER_MS: the same badge would have been looked up again by then. */
const LONGER_THAN_RESCAN_MS = 4_500;

async function signedIn(browser: Browser, server: E2eServer, key: string, route: string): Promise<Page> {
  // Service workers blocked: page.route must see every request, and a service worker's own fetches go around it.
  const page = await (await newContext(browser, server.base, { serviceWorkers: 'block' })).newPage();
  await page.goto(`/app/#key=${encodeURIComponent(key)}`);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.goto(`/app/#/${route}`);
  return page;
}

/** The writes the page sends to a path, with their Idempotency-Key; settled() waits until none is in flight. */
function watchWrites(page: Page, method: string, path: string) {
  const sent: Request[] = [];
  const open = new Set<Request>();
  const matches = (request: Request) => request.method() === method && new URL(request.url()).pathname === path;
  page.on('request', (request) => {
    if (!matches(request)) return;
    sent.push(request);
    open.add(request);
  });
  const done = (request: Request) => open.delete(request);
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return {
    keys: () => sent.map((request) => request.headers()['idempotency-key']),
    async settled() {
      const deadline = Date.now() + TIMEOUT;
      while (open.size > 0) {
        if (Date.now() > deadline) throw new Error(`${method} ${path} still in flight`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  };
}

/**
 * Lets the first write to `path` reach the server and be done there, then drops its answer: the page sees a
 * network error, as when a phone loses the venue Wi-Fi between sending and receiving.
 */
async function dropFirstAnswer(page: Page, method: string, path: string): Promise<void> {
  let dropped = false;
  await page.route(`**${path}`, async (route: Route) => {
    if (route.request().method() !== method || dropped) return route.fallback();
    dropped = true;
    await route.fetch();
    await route.abort('failed');
  });
}

async function ordersOf(server: E2eServer, participantId: number): Promise<[string, { status: string }][]> {
  const res = await server.api('GET', `/boba?participant_id=${participantId}`);
  assert.equal(res.status, 200);
  return Object.entries(res.body as Record<string, { status: string }>);
}

const balanceOf = async (server: E2eServer, participantId: number): Promise<number> =>
  (await server.api('GET', `/users/${participantId}/tokens`)).body.bbt_tokens as number;

async function hackerWithTokens(server: E2eServer, n: number, tokens: number) {
  const person = await server.register(n);
  if (tokens > 0) {
    const grant = await server.api('PUT', '/bbt_token_admin_give', { participant_id: person.id, tokens });
    assert.equal(grant.status, 200);
  }
  const key = await server.createKey('participant', `Hacker key ${n}`, person.id);
  return { ...person, key: key.key };
}

const webApp = webAppMissing();
describe('web app writes: once per user intent', { skip: skipUnlessRequired(webApp) }, () => {
  before(() => requireAll(webApp));

  test('a double tap on Order places exactly one order; the header names the hacker, not the key', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      // Enough for two drinks: a second request would be served, so only the app can stop it.
      const hacker = await hackerWithTokens(server, 1, 2 * PRICE);
      const page = await signedIn(await browser(), server, hacker.key, 'order');
      await expectText(page.locator('.who-name'), hacker.name);
      const posts = watchWrites(page, 'POST', '/boba');
      const order = page.getByRole('button', { name: `Order boba (${PRICE} tokens)` });
      await order.waitFor();

      // Two taps within one frame: nothing is re-rendered (the button not yet disabled) between them.
      await order.evaluate((button: HTMLButtonElement) => {
        button.click();
        button.click();
      });
      const shown = await expectText(page.getByRole('status'), /Order #\d+ placed/);
      await posts.settled();

      assert.equal(posts.keys().length, 1, 'one request for one intent');
      assert.match(posts.keys()[0] ?? '', /^[0-9a-f-]{36}$/);
      const orders = await ordersOf(server, hacker.id);
      assert.equal(orders.length, 1, 'exactly one order');
      assert.ok(shown.includes(`Order #${orders[0]![0]} placed`), shown);
      assert.equal(await balanceOf(server, hacker.id), PRICE);
    }),
  );

  test('an order whose answer is lost is retried with the same key and shows the one order placed', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const hacker = await hackerWithTokens(server, 1, 2 * PRICE);
      const page = await signedIn(await browser(), server, hacker.key, 'order');
      const posts = watchWrites(page, 'POST', '/boba');
      await dropFirstAnswer(page, 'POST', '/boba');
      await page.getByRole('button', { name: `Order boba (${PRICE} tokens)` }).click();

      const shown = await expectText(page.getByRole('status'), /Order #\d+ placed/);
      await posts.settled();
      const orders = await ordersOf(server, hacker.id);
      assert.equal(orders.length, 1, `exactly one order in the database, not ${orders.length}`);
      const keys = posts.keys();
      assert.ok(keys.length >= 2, `the app retried (${keys.length} requests)`);
      assert.ok(keys[0] && keys.every((key) => key === keys[0]), `one key for every retry: ${keys.join(', ')}`);
      assert.ok(shown.includes(`Order #${orders[0]![0]} placed`), shown);
      assert.equal(await balanceOf(server, hacker.id), PRICE);
      await expectText(page.getByTestId(`order-${orders[0]![0]}`), 'Placed');
    }),
  );

  test('an exchange whose answer is lost shows whom you met, not "already met"', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const scanner = await hackerWithTokens(server, 1, 0);
      const scanned = await hackerWithTokens(server, 2, 0);
      const { badge } = await server.badgeOf(scanned.key);
      const scannedMe = (await server.api('GET', '/me', undefined, scanned.key)).body;
      const liveCode = totp(base32ToBytes(scannedMe.live_code.secret), server.clock.now());
      // No video: Chromium's default fake camera shows no QR code, so the typed code is the only one.
      const page = await signedIn(await browser(), server, scanner.key, 'scan');
      const puts = watchWrites(page, 'PUT', '/bbt_token_exchange');
      await dropFirstAnswer(page, 'PUT', '/bbt_token_exchange');
      await page.getByLabel('Badge code').fill(badge);
      await page.getByLabel('Live code on their phone').fill(liveCode);
      await page.getByRole('button', { name: 'Exchange' }).click();

      await expectText(page.getByRole('status'), `You met ${scanned.name}. You both got a token! You now have 1 token.`);
      await puts.settled();
      assert.equal(((await page.getByRole('alert').textContent()) ?? '').trim(), '');
      const keys = puts.keys();
      assert.ok(keys.length >= 2, `the app retried (${keys.length} requests)`);
      assert.ok(keys[0] && keys.every((key) => key === keys[0]), `one key for every retry: ${keys.join(', ')}`);
      assert.equal(await balanceOf(server, scanner.id), 1);
      assert.equal(await balanceOf(server, scanned.id), 1);
    }),
  );

  test('the sign-in link export is sent once, without an idempotency key, and downloads the links', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      await server.register(1);
      await server.register(2);
      const page = await signedIn(await browser(), server, TEST_ADMIN_KEY, 'keys');
      const posts = watchWrites(page, 'POST', '/keys/participant-links');
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Export sign-in links' }).click();

      await expectText(page.getByRole('status'), 'Downloaded sign-in links for 2 participants.');
      assert.equal((await download).suggestedFilename(), 'tapioca-sign-in-links.csv');
      await posts.settled();
      // The server refuses Idempotency-Key on this streamed export: sending one would fail every export.
      assert.deepEqual(posts.keys(), [undefined], 'one request, with no Idempotency-Key');
    }),
  );

  test('revoking a key asks first; keeping it changes nothing', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const door = await server.createKey('volunteer', 'Door 2');
      const page = await signedIn(await browser(), server, TEST_ADMIN_KEY, 'keys');
      const revoke = page.getByRole('listitem').filter({ hasText: 'Door 2' }).getByRole('button', { name: 'Revoke' });
      const stillWorks = async () => (await server.api('GET', '/users', undefined, door.key)).status === 200;

      await revoke.click();
      await page.getByRole('button', { name: 'Keep key' }).click();
      assert.ok(await stillWorks(), 'kept: the key still works');
      await revoke.click();
      await page.getByRole('button', { name: 'Yes, revoke' }).click();
      await expectText(page.getByRole('status'), 'Key "Door 2" revoked.');
      assert.equal(await stillWorks(), false, 'revoked after the second step');
    }),
  );

  test('an order tapped while offline is not sent, now or later, and the screen says so', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const hacker = await hackerWithTokens(server, 1, 2 * PRICE);
      const page = await signedIn(await browser(), server, hacker.key, 'order');
      const posts = watchWrites(page, 'POST', '/boba');
      const order = page.getByRole('button', { name: `Order boba (${PRICE} tokens)` });
      await order.waitFor();

      await page.context().setOffline(true);
      await order.click();
      await expectText(page.getByRole('alert'), 'You are offline, so nothing was sent.');
      await page.context().setOffline(false);
      await expectText(page.getByRole('button', { name: `Order boba (${PRICE} tokens)` }), 'Order boba');
      assert.equal(posts.keys().length, 0, 'no request was made');
      assert.equal((await ordersOf(server, hacker.id)).length, 0);
    }),
  );

  test('Order is disabled, saying why, while the balance is below the price', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const hacker = await hackerWithTokens(server, 1, PRICE - 2);
      const page = await signedIn(await browser(), server, hacker.key, 'order');
      const order = page.getByRole('button', { name: `Order boba (${PRICE} tokens)` });
      await order.waitFor();
      assert.equal(await order.isDisabled(), true);
      await expectText(page.locator('#order-short'), 'You need 2 more tokens to order.');
      assert.equal(await order.getAttribute('aria-describedby'), 'order-short');
    }),
  );

  test('a check-in stays "Checked in" while the same badge is still in front of the camera', SCENARIO, (t) =>
    scenario(t, async ({ server, browser, file }) => {
      const person = await server.register(1);
      const desk = await server.createKey('volunteer', 'Desk 1');
      const camera = await browser(writeBadgeVideo(await server.badgePng(person.id), file('badge.y4m')));
      const page = await signedIn(camera, server, desk.key, 'checkin');
      const lookUps: string[] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname.startsWith('/badges/')) lookUps.push(request.url());
      });
      const checkIn = page.getByRole('button', { name: `Check in ${person.name}` });
      await checkIn.waitFor();
      await checkIn.click();
      await expectText(page.getByRole('status'), `Checked in ${person.name}`);
      const lookUpsAtCheckIn = lookUps.length;

      // The fake camera films the badge all along: give the scanner time to (wrongly) look it up again.
      await page.waitForTimeout(LONGER_THAN_RESCAN_MS);
      assert.equal(((await page.getByRole('status').textContent()) ?? '').trim(), `Checked in ${person.name}`);
      assert.equal(lookUps.length, lookUpsAtCheckIn, 'the badge still in view was not looked up again');
    }),
  );
});
