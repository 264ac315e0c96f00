// End-to-end for the admin's Data screen and a hacker's own data. An admin previews a Google Forms CSV (a dry run that
// changes nothing: new rows, a taken e-mail, a bad row by number, the columns not used), asks for updates, and imports
// it with a double tap that sends it once (the server takes no Idempotency-Key on an import); downloads an export under
// the server's file name; adds a webhook whose signing secret shows once, and sees a check-in delivered to it; finds
// the import in the audit log. On a database of demo data the import is refused until the admin confirms replacing it;
// when that import's answer is lost, the preview is read again and shows what got in. A hacker downloads everything Tapioca holds about them and
// deletes their account after typing DELETE, and lands signed out. An admin deletes a participant from the Search
// screen (refused while hardware is out on loan to them; a double tap sends one DELETE). Same conditions as
// test/e2e.test.ts (web/dist and Chromium, or TEST_REQUIRE_BROWSER=1).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { before, describe, test, type TestContext } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  expectText,
  launchBrowser,
  newContext,
  requireAll,
  scenario,
  screenshotAll,
  signedInPage,
  skipUnlessRequired,
  startServer,
  TIMEOUT,
  webAppMissing,
} from './e2e/support.js';
import { TEST_ADMIN_KEY } from './helpers.js';

const SCENARIO = { timeout: 180_000 };

/** A Google Forms responses sheet: a timestamp, the questions as headers, one column no field uses. */
const GOOGLE_FORMS_CSV = [
  'Timestamp,Full Name,Email Address,Phone Number,School,"Skills (e.g. Python:4; SQL:3)",Dietary Restrictions,How did you hear about us?',
  '2026/11/01 10:00:00 AM GMT,Ada Lovelace,ada@example.com,+1 555 0101,Analytical U,Python:5; Math:5,,Friend',
  '2026/11/01 10:05:00 AM GMT,Grace Hopper,grace@example.com,+1 555 0102,Navy College,COBOL:5,vegetarian,Poster',
  // Row 4: already registered (by the API, with another letter case): skipped, or updated with "update".
  '2026/11/01 10:07:00 AM GMT,Test Person One,PERSON1@example.com,+1 555 0103,Acme,Go:3,,Friend',
  // Row 5: no e-mail address.
  '2026/11/01 10:09:00 AM GMT,Nobody Known,,+1 555 0104,,,,',
  '2026/11/01 10:11:00 AM GMT,Alan Turing,alan@example.com,+1 555 0105,Bletchley,Python:4,no nuts,Twitter',
  '',
].join('\r\n');

async function openData(page: Page, section: string): Promise<void> {
  await page.getByRole('button', { name: /^More/ }).click();
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Data', exact: true }).click();
  await page.getByRole('heading', { name: 'Data', exact: true }).waitFor();
  await page.getByRole('navigation', { name: 'Data' }).getByRole('link', { name: section, exact: true }).click();
}

const count = async (path: string) => Object.keys((await fetchJson(path)) as object).length;
let serverBase = '';
async function fetchJson(path: string): Promise<unknown> {
  const response = await fetch(`${serverBase}${path}`, { headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` } });
  assert.equal(response.status, 200, `${path}: ${response.status}`);
  return response.json();
}

/** A receiver of webhook deliveries on loopback: answers 200 and keeps what it got. */
async function startReceiver(): Promise<{ server: Server; url: string; received: { headers: object; body: string }[] }> {
  const received: { headers: object; body: string }[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return { server, url: `http://127.0.0.1:${address.port}/tapioca`, received };
}

/** Polls until `check` holds (bounded by TIMEOUT): for the server's background work, such as a webhook delivery. */
async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + TIMEOUT;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const webApp = webAppMissing();
describe('data screens in Chromium', { skip: skipUnlessRequired(webApp) }, () => {
  before(() => requireAll(webApp));

  test(
    'an admin previews a CSV, imports it once, downloads an export and adds a webhook whose secret shows once',
    SCENARIO,
    (t) =>
      scenario(t, async ({ server, browser, file }) => {
        serverBase = server.base;
        const known = await server.register(1);
        const receiver = await startReceiver();
        t.after(() => receiver.server.close());
        const csvPath = file('registrations.csv');
        writeFileSync(csvPath, GOOGLE_FORMS_CSV);

        const page = await signedInPage(await newContext(await browser(), server.base), TEST_ADMIN_KEY, 'dashboard');
        await page.setViewportSize({ width: 1280, height: 900 });
        await openData(page, 'Import');
        await page.getByRole('heading', { name: 'Import participants from CSV' }).waitFor();

        // The dry run: a preview, and nothing written.
        await page.getByLabel('CSV file').setInputFiles(csvPath);
        const preview = page.getByRole('region', { name: 'Preview of registrations.csv' });
        await expectText(preview.getByTestId('import-new'), '3');
        await expectText(preview.getByTestId('import-updated'), '0');
        await expectText(preview.getByTestId('import-skipped'), '2');
        const skippedRows = preview.getByTestId('import-skipped-rows');
        await expectText(skippedRows, /Row 4: email already taken by participant \d+/);
        await expectText(skippedRows, /Row 5: .*e-?mail/i);
        await expectText(preview.getByTestId('import-ignored'), '“Timestamp”, “How did you hear about us?”');
        await expectText(preview, 'Name ← “Full Name”');
        assert.equal(await count('/users'), 1, 'a dry run changes nothing');

        // Update the one already registered instead of skipping them.
        await page.getByLabel(/Update participants already registered/).check();
        await expectText(preview.getByTestId('import-updated'), '1');
        await expectText(preview.getByTestId('import-skipped'), '1');
        const importButton = preview.getByRole('button', { name: 'Import 4 participants' });

        // A double tap sends the import once, without an Idempotency-Key (the server refuses one on this route).
        const sent: { key: string | undefined; url: string }[] = [];
        page.on('request', (request) => {
          const url = new URL(request.url());
          if (url.pathname === '/imports' && !url.searchParams.has('dry_run'))
            sent.push({ key: request.headers()['idempotency-key'], url: url.search });
        });
        await importButton.dblclick();
        const result = page.getByTestId('import-result');
        await expectText(result.getByRole('status'), '3 participants added, 1 updated, 1 row skipped.');
        assert.equal(sent.length, 1, `sent once: ${JSON.stringify(sent)}`);
        assert.equal(sent[0]!.key, undefined, 'no Idempotency-Key');
        assert.match(sent[0]!.url, /update=true/);
        const imports = (await fetchJson('/audit?action=participants.import')) as { rows: { after: { new: number } }[] };
        assert.equal(imports.rows.length, 1, 'imported once');
        assert.equal(imports.rows[0]!.after.new, 3);
        const users = Object.values((await fetchJson('/users')) as Record<string, { name: string; email: string }>);
        assert.deepEqual(users.map((u) => u.name).sort(), ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Test Person One']);
        assert.equal(users.find((u) => u.name === 'Test Person One')?.email, 'person1@example.com');

        // An export, under the server's file name.
        await page.getByRole('navigation', { name: 'Data' }).getByRole('link', { name: 'Exports' }).click();
        const row = page.getByTestId('export-participants');
        const download = page.waitForEvent('download');
        await row.getByRole('button', { name: 'Download Participants CSV' }).click();
        const saved = await download;
        assert.match(saved.suggestedFilename(), /^tapioca-participants-\d{4}-\d\d-\d\d\.csv$/);
        const csv = readFileSync(await saved.path(), 'utf8');
        assert.match(csv, /^\uFEFF?id,Name,Email,/);
        for (const name of ['Ada Lovelace', 'Grace Hopper', 'Alan Turing'])
          assert.ok(csv.includes(name), `${name} is in the export`);
        await expectText(row.getByRole('status'), `Saved ${saved.suggestedFilename()}`);

        // A webhook: the secret shows once, then never again.
        await page.getByRole('navigation', { name: 'Data' }).getByRole('link', { name: 'Webhooks' }).click();
        await page.getByRole('button', { name: 'New webhook' }).click();
        await page.getByLabel('URL').fill(receiver.url);
        await page.getByRole('checkbox', { name: /^check_in/ }).check();
        await page.getByRole('checkbox', { name: /^loan\.\*/ }).check();
        assert.equal(
          await page.getByRole('checkbox', { name: /^loan\.lent/ }).isDisabled(),
          true,
          'loan.* takes every loan event',
        );
        await page.getByLabel('Format').selectOption('json');
        // A double tap adds one webhook.
        await page.getByRole('button', { name: 'Add webhook' }).dblclick();
        const secretCard = page.getByTestId('webhook-secret-card');
        await expectText(secretCard, 'You will not see this secret again');
        const secret = await secretCard.getByLabel('Signing secret').inputValue();
        assert.match(secret, /^whsec_/);
        const webhooks = Object.values((await fetchJson('/webhooks')) as Record<string, { id: number; events: string[] }>);
        assert.equal(webhooks.length, 1);
        assert.deepEqual(webhooks[0]!.events.sort(), ['check_in', 'loan.*']);
        assert.ok(!JSON.stringify(webhooks).includes(secret), 'the list never holds the secret');
        await secretCard.getByRole('button', { name: 'I have copied it' }).click();
        await page.getByTestId(`webhook-${webhooks[0]!.id}`).waitFor();
        assert.equal(await secretCard.count(), 0);
        assert.ok(!(await page.content()).includes(secret), 'the secret is gone from the page');

        // A check-in goes out to it; its deliveries list it as delivered.
        assert.equal((await server.api('POST', '/checkin', { participant_id: known.id })).status, 200);
        await eventually('the check-in delivered', async () => receiver.received.length > 0);
        await page.getByRole('link', { name: `Deliveries to ${receiver.url}` }).click();
        await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
        await eventually('the delivery shown as delivered', async () => {
          await page.getByRole('button', { name: 'Refresh' }).click();
          return /check_in\s*Delivered/.test((await page.locator('.delivery').first().textContent()) ?? '');
        });
        await expectText(page.locator('.delivery').first(), 'HTTP 200');
        assert.equal(JSON.parse(receiver.received[0]!.body).type, 'check_in');

        // The audit log shows the import and the check-in, and filters by action.
        await page.getByRole('navigation', { name: 'Data' }).getByRole('link', { name: 'Audit log' }).click();
        const table = page.getByRole('table');
        await expectText(table, 'participants.import');
        await page.getByLabel('Action').fill('check_in.create');
        await page.getByRole('button', { name: 'Filter' }).click();
        await expectText(table, `participant:${known.id}`);
        assert.equal(await table.getByText('participants.import').count(), 0, 'the filter leaves other actions out');
      }),
  );

  test(
    'on demo data, the import waits for the admin to confirm replacing it; a lost answer shows what got in',
    SCENARIO,
    async (t) => {
      const server = await startServer({ DEMO_PARTICIPANTS: '5' });
      serverBase = server.base;
      const browsers: Browser[] = [];
      try {
        const csvPath = `${server.dir}/people.csv`;
        writeFileSync(csvPath, 'Name,Email\nAda Lovelace,ada@example.com\nGrace Hopper,grace@example.com\n');
        browsers.push(await launchBrowser());
        // Service workers blocked: page.route must see every request.
        const context = await newContext(browsers[0]!, server.base, { serviceWorkers: 'block' });
        const page = await signedInPage(context, TEST_ADMIN_KEY, 'data/import');
        await page.getByLabel('CSV file').setInputFiles(csvPath);
        const demo = page.getByTestId('import-demo');
        await expectText(demo, 'This database holds demo data');
        assert.equal(await page.getByRole('button', { name: /^Import/ }).count(), 0, 'nothing to import yet');
        await demo.getByRole('button', { name: 'Replace demo data…' }).click();
        const dialog = page.getByRole('dialog', { name: 'Replace the demo data?' });
        await dialog.getByRole('button', { name: 'Yes, replace demo data' }).click();
        const button = page.getByRole('button', { name: 'Replace demo data and import 2 participants' });
        await button.waitFor();
        assert.equal(await count('/users'), 5, 'the demo data is still there after the preview');

        // The import goes through, but its answer is lost on the way back.
        let imports = 0;
        await page.route(
          (url) => url.pathname === '/imports' && !url.searchParams.has('dry_run'),
          async (route) => {
            imports++;
            await route.fetch();
            await route.abort('connectionreset');
          },
        );
        await button.click();
        await expectText(
          page.getByRole('alert'),
          'The connection dropped before Tapioca answered, so the import may have gone through.',
        );
        // Read again without reset: the file's people are now there, so every row is taken, and nothing is sent again.
        const preview = page.getByRole('region', { name: 'Preview of people.csv' });
        await expectText(preview.getByTestId('import-skipped'), '2');
        await expectText(preview.getByTestId('import-skipped-rows'), /Row 2: email already taken/);
        await expectText(preview, 'Nothing new to import: every row is skipped');
        assert.equal(await page.getByTestId('import-demo').count(), 0, 'the demo data is gone');
        assert.equal(imports, 1, 'the import was not repeated');
        const users = Object.values((await fetchJson('/users')) as Record<string, { name: string }>);
        assert.deepEqual(users.map((u) => u.name).sort(), ['Ada Lovelace', 'Grace Hopper']);
      } catch (error) {
        const saved = await screenshotAll(t.name, browsers);
        if (saved.length > 0) t.diagnostic(`screenshots: ${saved.join(', ')}`);
        throw error;
      } finally {
        await Promise.allSettled(browsers.map((b) => b.close()));
        await server.close();
      }
    },
  );

  test('a hacker downloads their data, then deletes their account and is signed out', SCENARIO, (t: TestContext) =>
    scenario(t, async ({ server, browser }) => {
      serverBase = server.base;
      const person = await server.register(7);
      const key = await server.createKey('participant', person.name, person.id);
      const page = await signedInPage(await newContext(await browser(), server.base), key.key);
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole('button', { name: /^More/ }).click();
      await page.getByRole('navigation').getByRole('link', { name: 'Profile' }).click();
      await page.getByRole('heading', { name: 'My profile' }).waitFor();

      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download my data' }).click();
      const saved = await download;
      assert.equal(saved.suggestedFilename(), 'tapioca-my-data.json');
      const data = JSON.parse(readFileSync(await saved.path(), 'utf8')) as {
        participant: { profile: { id: number; name: string } };
      };
      assert.equal(data.participant.profile.id, person.id);
      assert.equal(data.participant.profile.name, person.name);
      await expectText(page.getByRole('region', { name: 'My data' }).getByRole('status'), 'Saved tapioca-my-data.json');

      // Deleting asks twice: the button opens a dialog whose confirm waits for DELETE typed.
      await page.getByRole('button', { name: 'Delete my account' }).click();
      const dialog = page.getByRole('dialog', { name: 'Delete your account?' });
      const confirm = dialog.getByRole('button', { name: 'Delete my account' });
      assert.equal(await confirm.isDisabled(), true, 'not before DELETE is typed');
      await dialog.getByLabel('Type DELETE to confirm').fill('delete');
      await confirm.click();
      await expectText(page.getByRole('status'), 'Your account was deleted');
      await page.getByRole('heading', { name: 'Sign in to Tapioca' }).waitFor();
      assert.equal(await page.evaluate(() => localStorage.getItem('tapioca.apiKey')), null, 'the key is forgotten');
      assert.equal((await server.api('GET', `/users/${person.id}`)).status, 404, 'the participant is gone');
      assert.equal((await server.api('GET', '/me', undefined, key.key)).status, 401, 'their key no longer works');
    }),
  );

  test('an admin deletes a participant from Search, not while hardware is out on loan to them', SCENARIO, (t) =>
    scenario(t, async ({ server, browser }) => {
      const person = await server.register(3);
      const borrower = await server.register(4);
      const item = await server.api('POST', '/hardware', { name: 'Arduino Uno', quantity: 2, requires_check_in: false });
      assert.equal(item.status, 201, JSON.stringify(item.body));
      const itemId = Number(Object.keys(item.body as object)[0]);
      const loan = await server.api('POST', '/hardware/loans', { item_id: itemId, participant_id: borrower.id });
      assert.equal(loan.status, 201, JSON.stringify(loan.body));

      const page = await signedInPage(await newContext(await browser(), server.base), TEST_ADMIN_KEY, 'search');
      await page.setViewportSize({ width: 390, height: 844 });
      const open = async (who: { id: number; name: string }) => {
        await page.getByLabel('Search participants').fill(who.name);
        await page.getByTestId(`participant-${who.id}`).getByRole('link', { name: who.name }).click();
        await page.getByRole('heading', { name: who.name, level: 1 }).waitFor();
      };
      const confirmDelete = async (name: string) => {
        await page.getByRole('button', { name: 'Delete participant…' }).click();
        const dialog = page.getByRole('dialog', { name: `Delete ${name}?` });
        await expectText(dialog, 'Deleted participant');
        await expectText(dialog, 'cannot be undone');
        const confirm = dialog.getByRole('button', { name: 'Delete participant' });
        assert.equal(await confirm.isDisabled(), true, 'not before DELETE is typed');
        await dialog.getByLabel(`Type DELETE to delete ${name}`).fill('DELETE');
        return confirm;
      };

      // Hardware still out on loan: the server's refusal, with where to go, and nothing deleted.
      await open(borrower);
      await (await confirmDelete(borrower.name)).click();
      await expectText(page.getByRole('alert'), /still out on loan.*hardware desk/);
      assert.equal((await server.api('GET', `/users/${borrower.id}`)).status, 200, 'the borrower is still there');

      // A double tap on the confirm sends one DELETE; the search comes back without them.
      await page.getByRole('link', { name: '← Back to search' }).click();
      await open(person);
      const deletes: string[] = [];
      page.on('request', (request) => {
        if (request.method() === 'DELETE') deletes.push(request.url());
      });
      await (await confirmDelete(person.name)).dblclick();
      await expectText(page.getByRole('status'), `Deleted ${person.name} (#${person.id}).`);
      await page.getByRole('heading', { name: 'Find a participant' }).waitFor();
      assert.equal(await page.getByTestId(`participant-${person.id}`).count(), 0, 'gone from the results');
      assert.equal(deletes.length, 1, `one DELETE: ${JSON.stringify(deletes)}`);
      assert.equal((await server.api('GET', `/users/${person.id}`)).status, 404, 'the participant is gone');
    }),
  );
});
