import { rejected } from '../../errors.js';

/** Milliseconds for an ISO 8601 time the schema let through; 400 for a date that does not exist. */
export function parseInstant(field: string, text: string): number {
  const millis = Date.parse(text);
  // Date.parse rolls 2026-02-30 over to March; a time that does not print back to its own date is refused.
  const [date] = text.split('T');
  if (Number.isNaN(millis) || !isRealDate(date ?? '')) {
    throw rejected('invalid_time', `${field} is not a real date and time: ${text}`);
  }
  return millis;
}

/** How far back an offline scanner's time is believed, and how far ahead a phone's clock may run. */
const SCAN_MAX_AGE_MS = 24 * 3_600_000;
const SCAN_MAX_LEAD_MS = 5 * 60_000;

/** When a scan (or an offline check-in) was made: the scanner's time if given and believable, else now. */
export function scanInstant(scannedAt: string | undefined, now: number): number {
  if (scannedAt === undefined) return now;
  const millis = parseInstant('scanned_at', scannedAt);
  if (millis < now - SCAN_MAX_AGE_MS || millis > now + SCAN_MAX_LEAD_MS) {
    throw rejected('invalid_time', 'scanned_at must be within the last 24 hours and not more than 5 minutes ahead');
  }
  return millis;
}

function isRealDate(date: string): boolean {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}
