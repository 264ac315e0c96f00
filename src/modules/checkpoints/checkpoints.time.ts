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

function isRealDate(date: string): boolean {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}
