// The web app with no network: the service worker serves the app shell, the app shows the hacker's last
// badge and balance, and an "Offline" banner comes and goes with the connection. A volunteer's station keeps
// scanning offline: it decides from its roster (signed badges checked with the roster's key), queues what it
// let through on the phone, and uploads the queue when the network is back. Real server, built web app
// (web/dist) and Debian's Chromium in a phone-sized window; skipped like test/e2e.test.ts when either is missing.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { ed25519 } from '@noble/curves/ed25519.js';
import type { BrowserContext, Page, Response } from 'playwright-core';
import { PNG } from 'pngjs';
import { signedBadgeCode, signedBadgeMessage } from '../src/shared/badge-token.js';
import {
  type E2eServer,
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
import { TEST_ADMIN_KEY } from './helpers.js';

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
      // The badge link with the live code the phone works out for itself (test/e2e-live-code.test.ts checks it).
      const liveCodeOf = (shown: string | null) => (shown?.startsWith(`${url}?c=`) ? shown.slice(url.length + 3) : shown);
      assert.match(liveCodeOf(await qrShown(page)) ?? '', /^\d{6}$/);
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
      assert.match(liveCodeOf(await qrShown(page)) ?? '', /^\d{6}$/, 'the badge QR offline');
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

// ---------------------------------------------------------------------------------------------------
// Offline scanning at a station.

/** A phone's screen: the station must stay usable at this size. */
const PHONE = { width: 390, height: 844 };
/** The station's roster delta comes at most every 30 s: a wait for one allows that and some. */
const DELTA_WAIT_MS = 45_000;

interface Person {
  id: number;
  name: string;
  /** The signed code on their badge. */
  badge: string;
}

async function person(server: E2eServer, n: number): Promise<Person> {
  const registered = await server.register(n);
  const key = await server.createKey('participant', registered.name, registered.id);
  return { ...registered, badge: (await server.badgeOf(key.key)).badge };
}

async function createCheckpoint(server: E2eServer, body: Record<string, unknown>): Promise<number> {
  const created = await server.api('POST', '/checkpoints', { kind: 'meal', per_participant_limit: 1, ...body });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return Number(Object.keys(created.body)[0]);
}

/** A well-formed signed badge for this participant, signed with some other key than the event's. */
function forgedBadge(participantId: number): string {
  const signature = ed25519.sign(signedBadgeMessage(participantId, 1), ed25519.utils.randomSecretKey());
  return signedBadgeCode(participantId, 1, signature);
}

/** A volunteer's phone at a station (`place`: the start of its button), with the roster on it and the app shell cached. */
async function stationPage(context: BrowserContext, key: string, place: RegExp): Promise<Page> {
  const page = await signedInPage(context, key, 'station');
  await page.setViewportSize(PHONE);
  await page.getByRole('button', { name: place }).click();
  await page.getByTestId('roster-status').waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  return page;
}

const queueBanner = (page: Page) => page.getByTestId('offline-queue');

/** Types a badge code into "Badge won't scan?" and sends it, as a volunteer does when the camera cannot read it. */
async function typeBadge(page: Page, code: string, action = 'Scan'): Promise<void> {
  const panel = page.locator('details.fallback');
  if (!(await panel.evaluate((element) => (element as HTMLDetailsElement).open))) await panel.locator('summary').click();
  await panel.getByLabel('Badge code').fill(code);
  await panel.locator('form').getByRole('button', { name: action }).click();
}

/** Waits for the full-screen answer of this tone to show each text, then for it to go. */
async function expectAnswer(page: Page, tone: 'ok' | 'warn' | 'bad' | 'unsure', ...texts: (string | RegExp)[]) {
  const answer = page.locator(`[data-testid="scan-result"][data-tone="${tone}"]`);
  for (const text of texts) await expectText(answer, text);
  await page.getByTestId('scan-result').waitFor({ state: 'detached' });
}

/** The scans recorded at a checkpoint, by outcome. */
async function scansAt(server: E2eServer, checkpointId: number, outcome: 'accepted' | 'refused'): Promise<any[]> {
  const listed = await server.api('GET', `/checkpoints/${checkpointId}/scans?outcome=${outcome}`);
  assert.equal(listed.status, 200, JSON.stringify(listed.body));
  return Object.values(listed.body as Record<string, any>);
}

describe('offline scanning at a station', { skip: skipUnlessRequired(missing) }, () => {
  before(() => requireAll(missing));

  test('offline: one accepted, one forged, one already used; back online the queue syncs and the banner goes', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const ann = await person(server, 1);
      const bob = await person(server, 2);
      const lunch = await createCheckpoint(server, { name: 'Lunch', requires_check_in: false });
      const volunteer = await server.createKey('volunteer', 'Lunch table');
      const context = await newContext(await browser(), server.base);
      const page = await stationPage(context, volunteer.key, /^Lunch/);
      const uploads: unknown[][] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/sync/scans') uploads.push(request.postDataJSON() as unknown[]);
      });
      assert.ok(await queueBanner(page).isHidden(), 'the offline banner shows while online');

      await context.setOffline(true);
      await expectText(queueBanner(page), 'Offline: 0 scans queued');
      await typeBadge(page, ann.badge);
      await expectAnswer(page, 'ok', 'Accepted', ann.name, 'Provisional');
      await expectText(page.getByTestId('queued-count'), '1');
      await typeBadge(page, forgedBadge(bob.id));
      await expectAnswer(page, 'bad', 'Forged badge', 'This badge was not made by the event');
      await typeBadge(page, ann.badge);
      await expectAnswer(page, 'warn', 'Already redeemed', ann.name, /Already redeemed at \d\d:\d\d by this phone\./);
      await expectText(page.getByTestId('queued-count'), '1');
      // Offline, the counter counts what this phone let through.
      await expectText(page.getByTestId('station-counter'), '1 of 0');
      assert.deepEqual(await scansAt(server, lunch, 'accepted'), [], 'a scan reached the server while offline');

      await context.setOffline(false);
      await queueBanner(page).waitFor({ state: 'hidden' });
      const accepted = await scansAt(server, lunch, 'accepted');
      assert.equal(accepted.length, 1, JSON.stringify(accepted));
      assert.equal(accepted[0].participant_id, ann.id);
      assert.equal(accepted[0].offline, true);
      assert.deepEqual(await scansAt(server, lunch, 'refused'), [], 'the refusals made offline stay on the phone');
      assert.equal(uploads.length, 1, 'one upload');
      assert.equal(uploads[0]!.length, 1, `only what was let through is uploaded: ${JSON.stringify(uploads)}`);
      assert.equal(await page.getByTestId('sync-reports').count(), 0, 'a report shows after a clean sync');

      // Online again: the server answers, and the same person is refused there too.
      await typeBadge(page, ann.badge);
      await expectAnswer(page, 'warn', 'Already redeemed', ann.name);
      assert.equal(await page.locator('.scan-result-provisional').count(), 0);
    }),
  );

  test('a reload while offline keeps the queue; door check-ins by badge and by name, offline, sync after', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const ann = await person(server, 1);
      const bob = await person(server, 2);
      const volunteer = await server.createKey('volunteer', 'Door 1');
      const context = await newContext(await browser(), server.base);
      const page = await stationPage(context, volunteer.key, /^Door check-in/);

      await context.setOffline(true);
      await typeBadge(page, ann.badge, 'Check in');
      await expectAnswer(page, 'ok', 'Checked in', ann.name, 'Provisional');
      // Find by name works from the phone's list.
      await page.getByLabel('Find by name').fill(bob.name.split(' ')[0]!);
      const row = page.getByTestId(`station-participant-${bob.id}`);
      await expectText(row, 'not checked in');
      await row.getByRole('button', { name: 'Check in' }).click();
      await expectAnswer(page, 'ok', 'Checked in', bob.name, 'Provisional');
      await expectText(row, /#\d+ · checked in/);
      await typeBadge(page, ann.badge, 'Check in');
      await expectAnswer(page, 'warn', 'Already checked in', /Checked in at \d\d:\d\d by this phone\./);
      await expectText(page.getByTestId('queued-count'), '2');

      await page.reload();
      await expectText(queueBanner(page), 'Offline: 2 scans queued');
      await expectText(page.getByTestId('station-counter'), '2 of 2');
      for (const { id } of [ann, bob]) {
        assert.equal(
          (await server.api('GET', `/checkin?participant_id=${id}`)).body.checked_in,
          false,
          'checked in while offline',
        );
      }

      await context.setOffline(false);
      await queueBanner(page).waitFor({ state: 'hidden' });
      for (const { id } of [ann, bob]) {
        const status = await server.api('GET', `/checkin?participant_id=${id}`);
        assert.equal(status.body.checked_in, true, JSON.stringify(status.body));
        assert.equal(status.body.volunteer_name, 'Door 1');
      }
      await expectText(page.getByTestId('station-counter'), '2 of 2');
    }),
  );

  test('two phones offline let the same person into a once-only meal: one counts, the other shows the conflict', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const ann = await person(server, 1);
      const lunch = await createCheckpoint(server, { name: 'Lunch', requires_check_in: false });
      const chromium = await browser();
      const phones: { context: BrowserContext; page: Page }[] = [];
      for (const name of ['Lunch 1', 'Lunch 2']) {
        const key = await server.createKey('volunteer', name);
        const context = await newContext(chromium, server.base);
        phones.push({ context, page: await stationPage(context, key.key, /^Lunch/) });
      }
      const [first, second] = phones as [(typeof phones)[number], (typeof phones)[number]];
      for (const { context, page } of phones) {
        await context.setOffline(true);
        await typeBadge(page, ann.badge);
        await expectAnswer(page, 'ok', 'Accepted', ann.name, 'Provisional');
      }

      await first.context.setOffline(false);
      await queueBanner(first.page).waitFor({ state: 'hidden' });
      await second.context.setOffline(false);
      await queueBanner(second.page).waitFor({ state: 'hidden' });

      const report = second.page.getByTestId('sync-report');
      await expectText(report, 'Not counted');
      await expectText(report, ann.name);
      await expectText(report, 'Lunch');
      await expectText(report, /they had already had this here \(the one that counted: \d\d:\d\d by Lunch 1\)/);
      assert.equal(await first.page.getByTestId('sync-report').count(), 0, 'the phone whose scan counted reports a conflict');

      const accepted = await scansAt(server, lunch, 'accepted');
      assert.equal(accepted.length, 1, JSON.stringify(accepted));
      const refused = await scansAt(server, lunch, 'refused');
      assert.equal(refused.length, 1, JSON.stringify(refused));
      assert.equal(refused[0].reason, 'offline_conflict');
      const counts = (await server.api('GET', `/checkpoints/${lunch}`)).body[lunch].counts;
      assert.deepEqual([counts.participants, counts.conflicts], [1, 1], JSON.stringify(counts));
      // The organizers' dashboard counts it.
      const dashboard = await signedInPage(await newContext(chromium, server.base), TEST_ADMIN_KEY, 'dashboard');
      await expectText(dashboard.getByTestId('offline-conflicts'), 'Lunch 1');

      // Dismissed, the report goes, and stays gone after a reload.
      await report.getByRole('button', { name: `Dismiss: ${ann.name}` }).click();
      await report.waitFor({ state: 'detached' });
      await second.page.reload();
      await second.page.getByTestId('roster-status').waitFor();
      assert.equal(await second.page.getByTestId('sync-report').count(), 0);
    }),
  );

  test('a scan with no answer within 3 s is decided on the phone and queued with the nonce it was sent with', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const ann = await person(server, 1);
      const lunch = await createCheckpoint(server, { name: 'Lunch', requires_check_in: false });
      const volunteer = await server.createKey('volunteer', 'Lunch table');
      const context = await newContext(await browser(), server.base);
      const page = await stationPage(context, volunteer.key, /^Lunch/);
      const sent: string[] = [];
      const uploaded: string[] = [];
      page.on('request', (request) => {
        const path = new URL(request.url()).pathname;
        if (path === `/checkpoints/${lunch}/scans`) sent.push((request.postDataJSON() as { nonce: string }).nonce);
        if (path === '/sync/scans') uploaded.push(...(request.postDataJSON() as { nonce: string }[]).map((item) => item.nonce));
      });
      // The scan reaches the server, but its answer comes too late for the line.
      await context.route(`**/checkpoints/${lunch}/scans`, async (route) => {
        const response = await route.fetch();
        await new Promise((resolve) => setTimeout(resolve, 4_000));
        await route.fulfill({ response }).catch(() => undefined);
      });

      await typeBadge(page, ann.badge);
      await expectAnswer(page, 'ok', 'Accepted', ann.name, 'Provisional');
      await queueBanner(page).waitFor({ state: 'hidden' });
      assert.equal(sent.length, 1, JSON.stringify(sent));
      assert.deepEqual(uploaded, sent, 'the queued scan keeps the nonce it was sent with');
      const accepted = await scansAt(server, lunch, 'accepted');
      assert.equal(accepted.length, 1, JSON.stringify(accepted));
      assert.deepEqual(await scansAt(server, lunch, 'refused'), [], 'the upload conflicted with its own online scan');
      assert.equal(await page.getByTestId('sync-report').count(), 0);
    }),
  );

  test("the roster's delta sync brings a change made after the full sync", { timeout: 180_000 }, (t) =>
    scenario(t, async ({ server, browser }) => {
      const ann = await person(server, 1);
      const bob = await person(server, 2);
      assert.equal((await server.api('POST', '/checkin', { participant_id: ann.id })).status, 200);
      await createCheckpoint(server, { name: 'Dinner', requires_check_in: true });
      const volunteer = await server.createKey('volunteer', 'Dinner table');
      const context = await newContext(await browser(), server.base);
      const page = await stationPage(context, volunteer.key, /^Dinner/);
      const since: string[] = [];
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.pathname === '/sync/roster' && url.searchParams.has('since')) since.push(url.searchParams.get('since')!);
      });

      // Bob checks in at another door after the station has its roster; its next delta brings that.
      assert.equal((await server.api('POST', '/checkin', { participant_id: bob.id })).status, 200);
      const delta = await page.waitForResponse(
        (response) => {
          const url = new URL(response.url());
          return url.pathname === '/sync/roster' && url.searchParams.has('since');
        },
        { timeout: DELTA_WAIT_MS },
      );
      const answer = await delta.json();
      assert.equal(answer.full, false);
      assert.ok(
        answer.participants.some((p: any) => p.id === bob.id && p.checked_in),
        JSON.stringify(answer.participants),
      );

      await context.setOffline(true);
      await expectText(page.getByTestId('station-counter'), '0 of 2');
      await typeBadge(page, bob.badge);
      await expectAnswer(page, 'ok', 'Accepted', bob.name, 'Provisional');
      assert.ok(since.length >= 1);
    }),
  );

  test('a roster answer read before an online scan does not undo it: offline, the person is already redeemed', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const ann = await person(server, 1);
      await createCheckpoint(server, { name: 'Lunch', requires_check_in: false });
      const volunteer = await server.createKey('volunteer', 'Lunch table');
      const context = await newContext(await browser(), server.base);
      const page = await stationPage(context, volunteer.key, /^Lunch/);
      const syncedAt = await rosterFullSyncAt(page);

      // The next roster answer is read by the server at once, but reaches the phone only after Ann's scan.
      let read!: () => void;
      const answerRead = new Promise<void>((resolve) => (read = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/sync/roster*', async (route) => {
        const response = await route.fetch();
        read();
        await released;
        await route.fulfill({ response }).catch(() => undefined);
      });
      // A station opened again syncs its whole roster at once.
      await page.reload();
      await answerRead;
      await page.getByTestId('roster-status').waitFor();
      await typeBadge(page, ann.badge);
      await expectAnswer(page, 'ok', 'Accepted', ann.name);
      release();
      await expectPoll(async () => (await rosterFullSyncAt(page)) !== syncedAt, 'the held roster answer was never taken');
      await page.unrouteAll();

      await context.setOffline(true);
      await expectText(queueBanner(page), 'Offline: 0 scans queued');
      await typeBadge(page, ann.badge);
      await expectAnswer(page, 'warn', 'Already redeemed', ann.name);
    }),
  );

  test(
    'a key revoked while its scans wait offline: signed out, the scans stay and upload with the next volunteer key',
    SCENARIO,
    (t) =>
      scenario(t, async ({ server, browser }) => {
        const ann = await person(server, 1);
        const lunch = await createCheckpoint(server, { name: 'Lunch', requires_check_in: false });
        const first = await server.createKey('volunteer', 'Lunch table');
        const next = await server.createKey('volunteer', 'Lunch relief');
        const context = await newContext(await browser(), server.base);
        const page = await stationPage(context, first.key, /^Lunch/);

        await context.setOffline(true);
        await typeBadge(page, ann.badge);
        await expectAnswer(page, 'ok', 'Accepted', ann.name, 'Provisional');
        await expectText(page.getByTestId('queued-count'), '1');
        assert.equal((await server.api('DELETE', `/keys/${first.id}`)).status, 200);

        // Back online, the server refuses the key: the app signs out, and says the scan is still on the phone.
        await context.setOffline(false);
        const signIn = page.getByRole('button', { name: 'Sign in' });
        await signIn.waitFor();
        const kept = 'scan made offline is still on this phone; sign in with a volunteer or admin key to upload it.';
        await expectText(page.getByTestId('kept-scans'), `1 ${kept}`);
        await expectText(page.getByRole('alert'), 'You were signed out');
        assert.deepEqual(await scansAt(server, lunch, 'accepted'), []);
        // It stays through a reload.
        await page.reload();
        await expectText(page.getByTestId('kept-scans'), `1 ${kept}`);

        await page.getByLabel('API key').fill(next.key);
        await signIn.click();
        await expectText(
          page.getByTestId('kept-scans-upload'),
          '1 scan made offline before a sign-out was uploaded with your key.',
        );
        const accepted = await scansAt(server, lunch, 'accepted');
        assert.equal(accepted.length, 1, JSON.stringify(accepted));
        assert.equal(accepted[0].participant_id, ann.id);
        assert.equal(accepted[0].offline, true);
        assert.equal(accepted[0].key_name, 'Lunch relief');
        await queueBanner(page).waitFor({ state: 'hidden' });
        assert.equal(await page.getByTestId('sync-report').count(), 0);
      }),
  );
});

/** When the station's roster on the page was last synced whole (IndexedDB), or null with none. */
function rosterFullSyncAt(page: Page): Promise<number | null> {
  return page.evaluate(
    () =>
      new Promise<number | null>((resolve, reject) => {
        const opening = indexedDB.open('tapioca-scanner');
        opening.onerror = () => reject(opening.error ?? new Error('IndexedDB did not open'));
        opening.onsuccess = () => {
          const db = opening.result;
          const reading = db.transaction('meta').objectStore('meta').get('roster');
          reading.onerror = () => reject(reading.error ?? new Error('IndexedDB did not read'));
          reading.onsuccess = () => {
            db.close();
            resolve((reading.result as { fullSyncAt?: number } | undefined)?.fullSyncAt ?? null);
          };
        };
      }),
  );
}

/** Asks until `check` holds, for up to TIMEOUT. */
async function expectPoll(check: () => Promise<boolean>, message: string): Promise<void> {
  const deadline = Date.now() + TIMEOUT;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(message);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
