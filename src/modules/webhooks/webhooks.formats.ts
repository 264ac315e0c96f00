import type { WebhookFormat } from '../../db/tables.js';
import { toIso } from '../../http/instants.js';

type EventData = Record<string, unknown>;

/** Escapes text a person typed (a checkpoint or item name, a location) for the chat it goes to. */
type Escape = (text: string) => string;

const id = (value: unknown) => (typeof value === 'number' ? `#${value}` : '#?');
const count = (value: unknown) => (typeof value === 'number' ? String(value) : '?');

function orderChoice(data: EventData, escape: Escape): string {
  const text = (key: string) => (typeof data[key] === 'string' ? escape(data[key]) : '');
  const toppings = text('toppings');
  return [`${text('size')} ${text('flavour')}`.trim(), text('sweetness'), text('ice'), toppings === 'None' ? '' : toppings]
    .filter(Boolean)
    .join(', ');
}

/** One readable line for a chat channel. Ids only: event data carries no names, e-mails or phones. */
function describeEvent(event: string, data: EventData, escape: Escape): string {
  const text = (key: string) => (typeof data[key] === 'string' ? escape(data[key]) : '?');
  const participant = `participant ${id(data.participant_id)}`;
  const where = typeof data.location === 'string' && data.location !== '' ? ` (${escape(data.location)})` : '';
  switch (event) {
    case 'check_in':
      return `✅ Participant ${id(data.participant_id)} checked in${data.offline === true ? ' (offline scanner)' : ''}`;
    case 'scan':
      if (data.outcome === 'accepted') return `📍 Participant ${id(data.participant_id)} scanned at ${text('checkpoint_name')}`;
      return (
        `⛔ Scan refused at ${text('checkpoint_name')}: ${typeof data.reason === 'string' ? data.reason.replaceAll('_', ' ') : 'refused'}` +
        (typeof data.participant_id === 'number' ? ` (${participant})` : '')
      );
    case 'order.created':
      return `🧋 Order ${id(data.order_id)} placed by ${participant}: ${orderChoice(data, escape)}${where}`;
    case 'order.moved':
      return `🧋 Order ${id(data.order_id)} moved ${text('from')} → ${text('to')}${where}`;
    case 'tokens.granted': {
      const amount = typeof data.amount === 'number' ? data.amount : 0;
      const tokens = (n: number) => `${n} token${n === 1 ? '' : 's'}`;
      const change = amount < 0 ? `lost ${tokens(-amount)}` : `got ${tokens(amount)}`;
      return `🪙 Participant ${id(data.participant_id)} ${change} (balance ${count(data.balance)})`;
    }
    case 'loan.lent':
      return (
        `🔌 ${count(data.quantity)} × ${text('item_name')} lent to ${participant} (loan ${id(data.loan_id)}` +
        (typeof data.due_at === 'string' ? `, due ${data.due_at})` : ')')
      );
    case 'loan.returned':
      return `↩️ ${count(data.returned)} of ${count(data.quantity)} × ${text('item_name')} back from ${participant} (loan ${id(data.loan_id)})`;
    case 'loan.lost':
      return `❗ ${count(data.lost)} of ${count(data.quantity)} × ${text('item_name')} written off as lost (${participant}, loan ${id(data.loan_id)})`;
    default:
      return `Tapioca: ${escape(event)}`;
  }
}

// Discord reads Markdown: a name like `*VIP*`, `||x||` or `[x](y)` must show as typed. (A name is never at the
// start of the line, where `#` and `>` would count.)
const discordEscape: Escape = (text) => text.replace(/[\\*_~`|[\]()]/g, '\\$&');
// Slack's mrkdwn reserves only these three; `<!channel>` would otherwise notify everyone.
const slackEscape: Escape = (text) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** The request body for an endpoint's format: Standard Webhooks JSON, or a chat message. */
export function webhookBody(format: WebhookFormat, event: string, data: EventData, createdAt: number): string {
  switch (format) {
    case 'json':
      return JSON.stringify({ type: event, timestamp: toIso(createdAt), data });
    case 'discord':
      // No @everyone, @here or role pings, whatever a name contains.
      return JSON.stringify({ content: describeEvent(event, data, discordEscape), allowed_mentions: { parse: [] } });
    case 'slack':
      return JSON.stringify({ text: describeEvent(event, data, slackEscape) });
  }
}
