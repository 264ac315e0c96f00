// End-to-end for the kitchen's board: names and locations on tickets, moves that cannot happen twice, and
// what a screen reader hears. Same conditions as test/e2e.test.ts (web/dist and Chromium, or TEST_REQUIRE_BROWSER=1).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import {
  chromiumMissing,
  newContext,
  requireAll,
  scenario,
  signedInPage,
  skipUnlessRequired,
  webAppMissing,
  expectText,
} from './e2e/support.js';

const webApp = webAppMissing() || chromiumMissing();

describe('kitchen board in Chromium', { skip: skipUnlessRequired(webApp) }, () => {
  before(() => requireAll(webApp));

  test('a ticket names who and where; a stale cancel is refused plainly; changes are announced', { timeout: 120_000 }, (t) =>
    scenario(t, async ({ server, browser }) => {
      const person = await server.register(1);
      assert.equal((await server.api('PUT', '/bbt_token_admin_give', { participant_id: person.id, tokens: 10 })).status, 200);
      const hackerKey = await server.createKey('participant', 'Hacker 1', person.id);
      const kitchenKey = await server.createKey('volunteer', 'Kitchen');
      const b = await browser();

      const kitchen = await signedInPage(await newContext(b, server.base), kitchenKey.key, 'kitchen');
      await kitchen.getByRole('heading', { name: 'Boba kitchen' }).waitFor();
      await expectText(kitchen.getByRole('banner'), 'Live updates on');

      const hacker = await signedInPage(await newContext(b, server.base), hackerKey.key, 'order');
      await hacker.getByLabel('Where are you?').fill('Table 12');
      await hacker.getByRole('button', { name: /^Order boba/ }).click();
      await expectText(hacker.getByRole('status').first(), 'placed');
      const [orderId, order] = Object.entries<any>((await server.api('GET', `/boba?participant_id=${person.id}`)).body)[0]!;
      assert.equal(order.location, 'Table 12');

      const ticket = kitchen.getByTestId(`kitchen-order-${orderId}`);
      await expectText(ticket, person.name);
      await expectText(ticket, 'Table 12');
      const announcements = kitchen.getByTestId('kitchen-announcements');
      assert.equal(await announcements.getAttribute('aria-live'), 'polite');
      await expectText(announcements, `New order #${orderId} for ${person.name} at Table 12`);

      // The kitchen decides to cancel the ticket it sees as Placed; meanwhile someone else starts it.
      await ticket.getByRole('button', { name: 'Cancel' }).click();
      assert.equal((await server.api('PUT', '/boba', { order_id: Number(orderId), status: 'In Progress' })).status, 200);
      await kitchen.getByTestId(`kitchen-order-${orderId}`).getByRole('button', { name: 'Send out' }).waitFor();
      await expectText(announcements, `Started order #${orderId} for ${person.name}`);
      // The hacker following the order hears the change too.
      const hackerAnnouncements = hacker.getByTestId('order-announcements');
      assert.equal(await hackerAnnouncements.getAttribute('aria-live'), 'polite');
      await expectText(hackerAnnouncements, `Order #${orderId} is now In Progress.`);
      await kitchen.getByRole('button', { name: 'Yes, cancel' }).click();
      await expectText(kitchen.getByRole('status').first(), 'That order had already moved');
      assert.equal(await kitchen.getByRole('alert').first().textContent(), '', 'not shown as an error');
      const after = (await server.api('GET', `/boba?participant_id=${person.id}`)).body[orderId];
      assert.equal(after.status, 'In Progress', 'the stale cancel changed nothing');
      assert.equal((await server.api('GET', `/users/${person.id}`)).body[person.id].bbt_tokens, 5, 'and refunded nothing');

      await kitchen.getByTestId(`kitchen-order-${orderId}`).getByRole('button', { name: 'Send out' }).click();
      await kitchen.getByTestId(`kitchen-order-${orderId}`).getByRole('button', { name: 'Delivered' }).waitFor();
      assert.equal((await server.api('GET', `/boba?participant_id=${person.id}`)).body[orderId].status, 'Out for Delivery');
    }),
  );
});
