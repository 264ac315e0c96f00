// End-to-end for checkpoints: a volunteer's phone at a meal scans badges continuously through the camera
// (no tap per badge), sees each answer fill the screen, and undoes the last accepted scan; a scan whose answer
// was lost is repeated when its badge comes back, even after another badge and a reload; an admin creates,
// edits, archives and restores a checkpoint through the UI. Same conditions as test/e2e.test.ts (web/dist and
// Chromium, or TEST_REQUIRE_BROWSER=1).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  badgeCanvas,
  newContext,
  requireAll,
  rgbaToI420,
  scenario,
  signedInPage,
  skipUnlessRequired,
  VIDEO_HEIGHT,
  VIDEO_WIDTH,
  webAppMissing,
  expectText,
} from './e2e/support.js';
import { TEST_ADMIN_KEY } from './helpers.js';

const SCENARIO = { timeout: 180_000 };
const FPS = 10;

/**
 * A looping camera video: each badge for two seconds, then an empty white frame for two, as a volunteer
 * holding a badge up, taking it away and showing it (or the next one) again. Each showing after the first is a
 * deliberate rescan.
 */
function writeShowAndHideVideo(pngs: Buffer[], path: string): string {
  const blank = rgbaToI420({
    width: VIDEO_WIDTH,
    height: VIDEO_HEIGHT,
    data: new Uint8ClampedArray(VIDEO_WIDTH * VIDEO_HEIGHT * 4).fill(255),
  });
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${VIDEO_WIDTH} H${VIDEO_HEIGHT} F${FPS}:1 Ip A1:1 C420jpeg\n`, 'ascii')];
  for (const png of pngs) {
    const badge = rgbaToI420(badgeCanvas(png));
    for (let n = 0; n < 4 * FPS; n++) parts.push(Buffer.from('FRAME\n', 'ascii'), n < 2 * FPS ? badge : blank);
  }
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

/** Waits for the full-screen answer of this tone to show a text. */
const expectResult = (page: Page, tone: 'ok' | 'warn' | 'bad' | 'unsure', text: string | RegExp) =>
  expectText(page.locator(`[data-testid="scan-result"][data-tone="${tone}"]`), text);

const webApp = webAppMissing();
describe('checkpoints in Chromium', { skip: skipUnlessRequired(webApp) }, () => {
  before(() => requireAll(webApp));

  test('continuous scanning at a limit-1 meal: accepted, already redeemed, undone, accepted again', SCENARIO, (t) =>
    scenario(t, async ({ server, browser, file }) => {
      const person = await server.register(1);
      assert.equal((await server.api('POST', '/checkin', { participant_id: person.id })).status, 200);
      const created = await server.api('POST', '/checkpoints', { name: 'Lunch', kind: 'meal', per_participant_limit: 1 });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const checkpointId = Number(Object.keys(created.body)[0]);
      const volunteer = await server.createKey('volunteer', 'Lunch table');
      const camera = await browser(writeShowAndHideVideo([await server.badgePng(person.id)], file('badge.y4m')));
      const page = await signedInPage(await newContext(camera, server.base), volunteer.key, 'station');
      const nonces: string[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST' && new URL(request.url()).pathname === `/checkpoints/${checkpointId}/scans`)
          nonces.push((request.postDataJSON() as { nonce: string }).nonce);
      });

      // The phone is not set up yet: it asks where it stands, and remembers the answer.
      await page.getByRole('heading', { name: 'Where are you scanning?' }).waitFor();
      await page.getByRole('button', { name: /^Lunch/ }).click();
      await page.getByRole('heading', { name: 'Lunch' }).waitFor();
      assert.equal(
        await page.evaluate(() => localStorage.getItem('tapioca.station')),
        JSON.stringify({ type: 'checkpoint', id: checkpointId, name: 'Lunch' }),
      );

      // No tap: the camera's badge is scanned at once.
      await expectResult(page, 'ok', person.name);
      await expectText(page.getByTestId('station-counter'), '1 of 1');
      // Shown again after it left the camera: a new scan, refused in amber.
      await expectResult(page, 'warn', 'Already redeemed');
      await expectText(page.locator('[data-testid="scan-result"][data-tone="warn"]'), person.name);
      // It says when, and that this phone (its key's name is the volunteer's) did it.
      await expectText(
        page.locator('[data-testid="scan-result"][data-tone="warn"]'),
        /Already redeemed at \d\d:\d\d by this phone\./,
      );

      await page.getByRole('button', { name: new RegExp(`^Undo last accepted: ${person.name} \\(\\d\\d:\\d\\d\\)`) }).click();
      await expectText(page.getByRole('status').filter({ hasText: 'Undone' }), `Undone: ${person.name}’s scan no longer counts.`);
      await expectText(page.getByTestId('station-counter'), '0 of 1');

      // The next showing counts again.
      await expectResult(page, 'ok', person.name);
      await expectText(page.getByTestId('station-counter'), '1 of 1');

      const scans = async (outcome: string) =>
        Object.values(
          (await server.api('GET', `/checkpoints/${checkpointId}/scans?outcome=${outcome}`)).body as Record<string, any>,
        );
      assert.equal((await scans('accepted')).length, 1, 'one accepted scan stands');
      assert.equal((await scans('annulled')).length, 1, 'the first one was undone');
      const refused = await scans('refused');
      assert.ok(refused.length >= 1 && refused.every((scan) => scan.reason === 'already_redeemed'), JSON.stringify(refused));
      assert.equal(new Set(nonces).size, nonces.length, `a fresh nonce per scan: ${nonces.join(', ')}`);
      // Every request was a showing of the badge: none while the answer was on screen or the badge stayed in view.
      const recorded = (await scans('accepted')).length + (await scans('annulled')).length + refused.length;
      assert.equal(recorded, nonces.length, 'each request recorded one scan');

      // Reopened, the phone goes straight back to its checkpoint.
      await page.goto('/app/#/');
      await page.getByRole('heading', { name: 'Lunch' }).waitFor();
    }),
  );

  // With a roster, a lost answer is decided on the phone and queued (test/e2e-offline.test.ts); a phone that
  // could not load the roster yet falls back to asking for the badge again, which this test pins.
  test('no roster yet: a lost answer, another badge, a reload, then the first badge again: counted once', SCENARIO, (t) =>
    scenario(t, async ({ server, browser, file }) => {
      const first = await server.register(1);
      const second = await server.register(2);
      for (const person of [first, second])
        assert.equal((await server.api('POST', '/checkin', { participant_id: person.id })).status, 200);
      const { badge: firstBadge } = await server.badgeOf((await server.createKey('participant', first.name, first.id)).key);
      const created = await server.api('POST', '/checkpoints', { name: 'Lunch', kind: 'meal', per_participant_limit: 1 });
      const checkpointId = Number(Object.keys(created.body)[0]);
      const volunteer = await server.createKey('volunteer', 'Lunch table');
      const pngs = [await server.badgePng(first.id), await server.badgePng(second.id)];
      const camera = await browser(writeShowAndHideVideo(pngs, file('badges.y4m')));
      const context = await newContext(camera, server.base);
      await context.route('**/sync/roster*', (route) => route.abort('connectionreset'));
      const page = await signedInPage(context, volunteer.key, 'station');

      // The first badge's scans reach the server, but every answer is lost until the second badge is accepted.
      let secondAccepted = false;
      const firstSent: { nonce: string; key: string | undefined }[] = [];
      await context.route(`**/checkpoints/${checkpointId}/scans`, async (route) => {
        const request = route.request();
        const body = request.postDataJSON() as { badge?: string; nonce: string };
        const response = await route.fetch();
        if (body.badge === firstBadge) {
          firstSent.push({ nonce: body.nonce, key: (await request.allHeaders())['idempotency-key'] });
          if (!secondAccepted) return route.abort('connectionreset');
        } else if (response.status() === 201) secondAccepted = true;
        return route.fulfill({ response });
      });

      await page.getByRole('button', { name: /^Lunch/ }).click();
      // Neither yes nor no, with the name looked up, and how to ask again.
      await expectResult(page, 'unsure', first.name);
      await expectText(page.getByTestId('scan-result'), 'Take the badge away and show it again: it will not count twice');

      // A reload in the middle of the queue keeps the lost scan (sessionStorage).
      await page.reload();
      await page.getByRole('heading', { name: 'Lunch' }).waitFor();
      await expectResult(page, 'ok', second.name);
      await expectResult(page, 'ok', first.name);

      const scans = async (outcome: string) =>
        Object.values(
          (await server.api('GET', `/checkpoints/${checkpointId}/scans?outcome=${outcome}`)).body as Record<string, any>,
        );
      const accepted = await scans('accepted');
      assert.equal(accepted.filter((scan) => scan.participant_id === first.id).length, 1, JSON.stringify(accepted));
      assert.equal(accepted.filter((scan) => scan.participant_id === second.id).length, 1, JSON.stringify(accepted));
      assert.deepEqual(await scans('refused'), [], 'the first badge was never refused as already redeemed');
      assert.ok(firstSent.length >= 2, JSON.stringify(firstSent));
      assert.equal(
        new Set(firstSent.map((sent) => sent.nonce)).size,
        1,
        `one nonce for the first badge: ${JSON.stringify(firstSent)}`,
      );
      assert.equal(new Set(firstSent.map((sent) => sent.key)).size, 1, `one Idempotency-Key: ${JSON.stringify(firstSent)}`);
    }),
  );

  test('an admin creates, edits, archives and restores a checkpoint through the UI', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const page = await signedInPage(await newContext(await browser(), server.base), TEST_ADMIN_KEY, 'dashboard');
      // Checkpoints sit behind "More" so the admin's menu stays one row on a phone.
      await page.getByRole('button', { name: /^More/ }).click();
      await page.getByRole('navigation').getByRole('link', { name: 'Checkpoints' }).click();
      await page.getByRole('heading', { name: 'Checkpoints' }).waitFor();

      await page.getByRole('button', { name: 'New checkpoint' }).click();
      await page.getByLabel('Name').fill('Saturday dinner');
      await page.getByLabel('Kind').selectOption('meal');
      await page.getByLabel('Opens').fill('2026-12-05T18:00');
      await page.getByLabel('Closes').fill('2026-12-05T20:30');
      await page.getByLabel('Capacity (people)').fill('150');
      await page.getByLabel('Only for tags').fill('hacker, Mentor');
      await page.getByRole('button', { name: 'Create checkpoint' }).click();
      await expectText(page.getByRole('status').first(), 'Checkpoint "Saturday dinner" created.');

      const list = async () =>
        Object.entries((await server.api('GET', '/checkpoints?archived=true')).body as Record<string, any>);
      const [[id, checkpoint]] = (await list()) as [[string, any]];
      assert.equal(checkpoint.name, 'Saturday dinner');
      assert.equal(checkpoint.kind, 'meal');
      // The browser runs in UTC: 18:00 there is 18:00Z.
      assert.equal(new Date(checkpoint.opens_at).toISOString(), '2026-12-05T18:00:00.000Z');
      assert.equal(new Date(checkpoint.closes_at).toISOString(), '2026-12-05T20:30:00.000Z');
      assert.equal(checkpoint.per_participant_limit, 1);
      assert.equal(checkpoint.capacity, 150);
      assert.equal(checkpoint.requires_check_in, true);
      assert.deepEqual(checkpoint.allowed_tags, ['hacker', 'mentor']);

      const card = page.getByTestId(`checkpoint-${id}`);
      await card.getByRole('button', { name: 'Edit' }).click();
      await page.getByLabel('Unlimited').check();
      await page.getByLabel('Capacity (people)').fill('');
      await page.getByLabel('Closes').fill('');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expectText(page.getByRole('status').first(), 'Checkpoint "Saturday dinner" saved.');
      const [[, edited]] = (await list()) as [[string, any]];
      assert.equal(edited.per_participant_limit, null);
      assert.equal(edited.capacity, null);
      assert.equal(edited.closes_at, null);
      assert.equal(new Date(edited.opens_at).toISOString(), '2026-12-05T18:00:00.000Z', 'what was not changed stays');

      await card.getByRole('button', { name: 'Archive' }).click();
      await page.getByRole('button', { name: 'Yes, archive' }).click();
      await expectText(page.getByRole('status').first(), 'archived');
      const [[, archived]] = (await list()) as [[string, any]];
      assert.equal(archived.archived, true);
      assert.equal(await page.getByTestId(`checkpoint-${id}`).count(), 0, 'gone from the list of open checkpoints');

      // Archived by mistake: "Show archived" lists it, and Restore opens it again.
      await page.getByLabel('Show archived').check();
      await page.getByTestId(`checkpoint-${id}`).getByRole('button', { name: 'Restore' }).click();
      await expectText(page.getByRole('status').first(), 'restored');
      const [[, restored]] = (await list()) as [[string, any]];
      assert.equal(restored.archived, false);
    }),
  );
});
