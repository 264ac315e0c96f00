// Formatting and parsing helpers shared by the screens.

const pad = (n: number) => String(n).padStart(2, '0');

/** HH:MM, 24-hour, local time, from unix seconds. */
export function clockTime(unixSeconds: number): string {
  const date = new Date(unixSeconds * 1000);
  return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A short local date and time for lists. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const today = new Date();
  const sameDay = date.toDateString() === today.toDateString();
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return sameDay ? time : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${time}`;
}

/** "3 min ago" style age of an ISO time. */
export function age(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (seconds < 60) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return `${hours} h ago`;
}

/** The number a field holds when it is a whole number (digits only, spaces around allowed); NaN otherwise. */
export const wholeNumber = (text: string) => (/^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN);

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The badge code in what a QR code or a person gave: a URL `<PUBLIC_URL>/b/<code>` (last path segment),
 * an app link `/app/#/b/<code>`, or a bare code. Empty string when there is none.
 */
export function extractBadgeCode(raw: string): string {
  const text = raw.trim();
  if (!text) return '';
  let path = text;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      const fromHash = /^#\/b\/([^/?#]+)/.exec(url.hash);
      if (fromHash?.[1]) return safeDecode(fromHash[1]);
      path = url.pathname;
    } catch {
      path = text;
    }
  } else {
    path = text.replace(/[?#].*$/, '');
  }
  const segments = path.split('/').filter((part) => part !== '');
  return safeDecode(segments[segments.length - 1] ?? '');
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part).trim();
  } catch {
    return part.trim();
  }
}

/** What a ledger row means, in plain words. */
export function ledgerText(kind: string, reference: { type: string; id: number } | null): string {
  switch (kind) {
    case 'exchange':
      return reference ? `Met participant #${reference.id}` : 'Met someone';
    case 'grant':
      return 'Given by the organizers';
    case 'order':
      return reference ? `Boba order #${reference.id}` : 'Boba order';
    case 'refund':
      return reference ? `Refund for order #${reference.id}` : 'Refund';
    default:
      return kind;
  }
}

/**
 * A `<input type="datetime-local">` value (2026-12-05T12:00, the device's own time) as ISO 8601 with the device's
 * offset (2026-12-05T12:00:00-05:00), which the API needs; '' for an empty or impossible value.
 */
export function localInputToIso(value: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value.trim());
  if (!match) return '';
  const [year, month, day, hours, minutes] = match.slice(1).map(Number) as [number, number, number, number, number];
  const date = new Date(year, month - 1, day, hours, minutes);
  // 2026-02-30 rolls over into March: not a real date. A time skipped by a clock change moves by an hour: kept.
  if (date.getFullYear() !== year || date.getMonth() !== month - 1 || date.getDate() !== day) return '';
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  const local = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${local}T${pad(date.getHours())}:${pad(date.getMinutes())}:00${zone}`;
}

/** An ISO time as the value of a `<input type="datetime-local">` in the device's time; '' for none. */
export function isoToLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
