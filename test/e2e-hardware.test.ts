// End-to-end for the hardware library: a hacker asks for two boards from their phone and sees the stock and their
// place in line; the desk's camera reads their badge, one tap hands the request out (its first answer lost on the
// way back, so the app asks again with the same Idempotency-Key and the server lends once), and the boards come
// back one by one; a refusal fills the desk's screen in red, and asking for what is all out puts the hacker in line
// without sending them to the desk. An admin adds an item (a tap right after it lands on nothing that moved under the
// finger) and edits it, sees who has it and what is overdue. Same conditions as test/e2e.test.ts (web/dist and Chromium, or TEST_REQUIRE_BROWSER=1).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import {
  expectText,
  newContext,
  requireAll,
  scenario,
  signedInPage,
  skipUnlessRequired,
  webAppMissing,
  writeBadgeVideo,
} from './e2e/support.js';
import { TEST_ADMIN_KEY } from './helpers.js';

const SCENARIO = { timeout: 180_000 };

/** Waits for the desk's full-screen answer of this tone to show a text. */
const expectResult = (page: Page, tone: 'ok' | 'warn' | 'bad' | 'unsure', text: string | RegExp) =>
  expectText(page.locator(`[data-testid="scan-result"][data-tone="${tone}"]`), text);

const webApp = webAppMissing();
describe('hardware library in Chromium', { skip: skipUnlessRequired(webApp) }, () => {
  before(() => requireAll(webApp));

  test('a hacker asks for two boards; the desk scans the badge, hands them out once, and takes them back', SCENARIO, (t) =>
    scenario(t, async ({ server, browser, file }) => {
      const person = await server.register(1);
      const other = await server.register(2);
      for (const someone of [person, other])
        assert.equal((await server.api('POST', '/checkin', { participant_id: someone.id })).status, 200);
      const created = await server.api('POST', '/hardware', {
        name: 'Arduino Uno',
        quantity: 3,
        per_participant_limit: 2,
        loan_hours: 4,
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const itemId = Number(Object.keys(created.body)[0]);
      const headset = await server.api('POST', '/hardware', { name: 'VR headset', quantity: 1 });
      const headsetId = Number(Object.keys(headset.body)[0]);
      // The only headset is out already.
      assert.equal((await server.api('POST', '/hardware/loans', { item_id: headsetId, participant_id: other.id })).status, 201);
      const expectStock = async (out: number, available: number) => {
        const body = (await server.api('GET', `/hardware/${itemId}`)).body as Record<string, { out: number; available: number }>;
        assert.deepEqual({ out: body[itemId]!.out, available: body[itemId]!.available }, { out, available });
      };
      const hackerKey = await server.createKey('participant', person.name, person.id);
      const volunteer = await server.createKey('volunteer', 'Hardware desk');

      // The hacker's phone: the Hardware tab lists what is free, and asks for two.
      const hacker = await signedInPage(await newContext(await browser(), server.base), hackerKey.key);
      await hacker.getByRole('navigation').getByRole('link', { name: 'Hardware' }).click();
      await hacker.getByRole('heading', { name: 'Hardware', exact: true }).waitFor();
      const available = hacker.getByTestId(`hardware-available-${itemId}`);
      await expectText(available, '3 of 3 available');
      await expectText(hacker.getByTestId(`hardware-available-${headsetId}`), '0 of 1 available');
      const card = hacker.getByTestId(`hardware-item-${itemId}`);
      await card.getByLabel('How many').selectOption('2');
      await card.getByRole('button', { name: 'Request Arduino Uno' }).click();
      await expectText(
        card.getByRole('status'),
        'Requested 2 × Arduino Uno. Free now: collect it at the hardware desk with your badge.',
      );
      await expectText(available, '3 of 3 available · 2 requested');
      const requests = (await server.api('GET', `/hardware/requests?participant_id=${person.id}`)).body as Record<
        string,
        unknown
      >;
      const [requestId] = Object.keys(requests);
      assert.ok(requestId, JSON.stringify(requests));
      const myRequest = hacker.getByTestId(`my-request-${requestId}`);
      await expectText(myRequest.getByRole('heading'), '2 × Arduino Uno');
      await expectText(myRequest, 'Free now: collect it at the hardware desk with your badge.');

      // The desk: its camera films the hacker's badge, which opens what they asked for.
      const camera = await browser(writeBadgeVideo(await server.badgePng(person.id), file('badge.y4m')));
      // Service workers blocked: page.route must see every request.
      const desk = await signedInPage(await newContext(camera, server.base, { serviceWorkers: 'block' }), volunteer.key);
      await desk.getByRole('button', { name: /^More/ }).click();
      await desk.getByRole('navigation').getByRole('link', { name: 'Hardware desk' }).click();
      await desk.getByRole('heading', { name: 'Hardware desk' }).waitFor();
      await expectText(desk.getByTestId('desk-person'), person.name);
      const row = desk.getByTestId(`desk-request-${requestId}`);
      await expectText(row, '2 × Arduino Uno');

      // Hand out, tapped twice; the first answer is lost on the way back.
      const lendKeys: string[] = [];
      await desk.route(
        (url) => url.pathname === '/hardware/loans',
        async (route) => {
          if (route.request().method() !== 'POST') return route.continue();
          lendKeys.push((await route.request().allHeaders())['idempotency-key'] ?? '');
          const response = await route.fetch();
          if (lendKeys.length === 1) return route.abort('connectionreset');
          return route.fulfill({ response });
        },
      );
      await row.getByRole('button', { name: 'Hand out' }).dblclick();
      await expectResult(desk, 'ok', 'Handed out');
      await expectText(desk.locator('.scan-result-name'), person.name);
      await expectText(desk.locator('.scan-result-detail'), /^2 × Arduino Uno · Due back \d\d:\d\d$/);
      assert.ok(lendKeys.length >= 2, `the lost answer was asked for again: ${JSON.stringify(lendKeys)}`);
      assert.equal(new Set(lendKeys).size, 1, `one Idempotency-Key: ${JSON.stringify(lendKeys)}`);
      const loans = Object.entries(
        (await server.api('GET', `/hardware/loans?participant_id=${person.id}`)).body as Record<string, { quantity: number }>,
      );
      assert.equal(loans.length, 1, `lent once: ${JSON.stringify(loans)}`);
      const [loanId, loan] = loans[0]!;
      assert.equal(loan.quantity, 2);
      await expectStock(2, 1);
      assert.equal(await row.count(), 0, 'the request left the list');
      // The hacker's phone follows: fewer free, and their loan with its due time.
      await expectText(available, '1 of 3 available');
      const myLoan = hacker.getByTestId(`my-loan-${loanId}`);
      await expectText(myLoan.getByRole('heading'), '2 × Arduino Uno');
      await expectText(myLoan, /Due back \d\d:\d\d/);

      // Back one at a time.
      const loanRow = desk.getByTestId(`desk-loan-${loanId}`);
      await expectText(loanRow, '2 × Arduino Uno');
      await loanRow.getByRole('button', { name: 'Take back 1 Arduino Uno' }).click();
      await expectResult(desk, 'ok', 'Taken back');
      await expectText(desk.locator('.scan-result-detail'), 'Arduino Uno · 1 still out');
      await expectStock(1, 2);
      await expectText(available, '2 of 3 available');
      await loanRow.getByRole('button', { name: 'Take back Arduino Uno' }).click();
      await expectResult(desk, 'ok', 'Taken back');
      await expectText(desk.getByTestId('desk-person'), 'Nothing borrowed.');
      await expectStock(0, 3);
      await expectText(available, '3 of 3 available');
      await expectText(hacker.locator('.hardware-history summary'), 'Returned (1)');

      // A refusal fills the screen in red and says why.
      await desk.getByText('Lend something else').click();
      await desk.getByLabel('Item').selectOption(String(headsetId));
      await desk.getByTestId('desk-person').getByRole('button', { name: 'Hand out' }).click();
      await expectResult(desk, 'bad', 'Not handed out');
      await expectText(desk.locator('.scan-result-detail'), 'VR headset · None left: the only one is out.');

      // Asking for it anyway: in line, and not sent to the desk while none is free.
      const headsetCard = hacker.getByTestId(`hardware-item-${headsetId}`);
      await headsetCard.getByRole('button', { name: 'Request VR headset' }).click();
      await expectText(headsetCard.getByRole('status'), 'Requested VR headset. Next in line: none free for you yet.');
      assert.doesNotMatch((await headsetCard.textContent()) ?? '', /Collect it|Free now/);
    }),
  );

  test('an admin adds and edits an item, sees who has it and what is overdue', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const person = await server.register(1);
      assert.equal((await server.api('POST', '/checkin', { participant_id: person.id })).status, 200);
      const context = await newContext(await browser(), server.base);
      // The page's timers, to be stopped below; until then its time runs as usual.
      await context.clock.install();
      const page = await signedInPage(context, TEST_ADMIN_KEY, 'dashboard');
      await page.getByRole('button', { name: /^More/ }).click();
      await page.getByRole('navigation').getByRole('link', { name: 'Hardware', exact: true }).click();
      await page.getByRole('heading', { name: 'Hardware', exact: true }).waitFor();

      await page.getByRole('button', { name: 'New item' }).click();
      await page.getByLabel('Name').fill('Soldering iron');
      await page.getByLabel('How many').fill('2');
      await page.getByLabel('Until the end of the event').uncheck();
      await page.getByLabel('Loan time (hours)').fill('1.5');
      // The second tap of a double tap, landing where "New item" appears as the form closes: it must not open it.
      const secondTap = page.evaluate(
        () =>
          new Promise<void>((resolve) => {
            const poll = setInterval(() => {
              const button = [...document.querySelectorAll('button')].find((each) => each.textContent === 'New item');
              if (!button) return;
              clearInterval(poll);
              const box = button.getBoundingClientRect();
              (document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) as HTMLElement | null)?.click();
              resolve();
            }, 0);
          }),
      );
      await page.getByRole('button', { name: 'Create item' }).click();
      await secondTap;
      await expectText(page.getByRole('status').first(), '"Soldering iron" added.');
      assert.equal(await page.locator('form').count(), 0, 'the tap after saving opened nothing');
      const items = Object.entries((await server.api('GET', '/hardware')).body as Record<string, any>);
      assert.equal(items.length, 1);
      const [itemId, item] = items[0]!;
      assert.equal(item.quantity, 2);
      assert.equal(item.loan_hours, 1.5);
      assert.equal(item.per_participant_limit, 1);
      assert.equal(item.requires_check_in, true);

      // Lent at the desk; then the quantity may not go below what is out.
      const lent = await server.api('POST', '/hardware/loans', { item_id: Number(itemId), participant_id: person.id });
      assert.equal(lent.status, 201, JSON.stringify(lent.body));
      const card = page.getByTestId(`admin-item-${itemId}`);
      await expectText(card, '1 of 2 available · 1 lent out');
      await card.getByRole('button', { name: 'Edit' }).click();
      await page.getByLabel('How many').fill('0');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expectText(page.locator('.field-error'), '1 is lent out now: the quantity cannot go below that');
      await page.getByLabel('How many').fill('5');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expectText(page.getByRole('status').first(), '"Soldering iron" saved.');
      await expectText(card, '4 of 5 available · 1 lent out');

      // Who has it; two hours later it is overdue, on the list, in the tab's count and on the dashboard.
      await card.getByRole('button', { name: 'Who has it' }).click();
      const [loanId] = Object.keys(lent.body as Record<string, unknown>);
      const loanCard = page.getByTestId(`admin-loan-${loanId}`);
      await expectText(loanCard.getByRole('heading'), `${person.name} #${person.id}`);
      await expectText(loanCard, /Soldering iron.*Due back \d\d:\d\d/);
      // Nothing is written when a loan falls due: with the page's timers stopped, no refresh left over from the
      // edit above reads again after the clock moves, and the tap on the tab must bring its count with its list.
      await page.clock.pauseAt(await page.evaluate(() => Date.now()));
      server.clock.advance(2 * 3_600_000);
      await page.getByRole('button', { name: /^Overdue/ }).click();
      await expectText(loanCard, /Overdue since \d\d:\d\d/);
      await expectText(page.getByRole('button', { name: /^Overdue/ }).locator('.tab-count'), '1');
      await page.clock.resume();
      await page.goto('/app/#/dashboard');
      await expectText(page.getByTestId('stat-hardware-overdue'), '1');
      await expectText(page.getByTestId('stat-hardware-out'), '1');
    }),
  );
});
