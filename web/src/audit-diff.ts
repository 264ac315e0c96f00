// An audit row's before and after as a short list of what changed, for a table cell.

/** One line of a change: a field, what it was and what it became (undefined: not there on that side). */
export interface DiffLine {
  field: string;
  before?: string;
  after?: string;
}

/** Longer values are cut here (the whole value stays in the cell's title). */
export const VALUE_CHARS = 80;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A value in a few characters: strings quoted, lists comma-separated, objects as JSON. */
export function valueText(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item !== 'object' || item === null))
    return value.length === 0 ? '(none)' : value.map((item) => (typeof item === 'string' ? item : String(item))).join(', ');
  return JSON.stringify(value);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * What changed between `before` and `after`: for two objects, the fields that differ (in the order they first
 * appear); for a creation (before null) or a removal (after null), every field on the side there is; anything
 * else as one line without a field name.
 */
export function auditDiff(before: unknown, after: unknown): DiffLine[] {
  const hasBefore = before !== null && before !== undefined;
  const hasAfter = after !== null && after !== undefined;
  if (!hasBefore && !hasAfter) return [];
  if ((isRecord(before) || !hasBefore) && (isRecord(after) || !hasAfter)) {
    const was = isRecord(before) ? before : {};
    const is = isRecord(after) ? after : {};
    const fields = [...new Set([...Object.keys(was), ...Object.keys(is)])];
    return fields
      .filter((field) => !(field in was && field in is && same(was[field], is[field])))
      .map((field) => ({
        field,
        ...(field in was ? { before: valueText(was[field]) } : {}),
        ...(field in is ? { after: valueText(is[field]) } : {}),
      }));
  }
  return [{ field: '', ...(hasBefore ? { before: valueText(before) } : {}), ...(hasAfter ? { after: valueText(after) } : {}) }];
}

/** A value cut to VALUE_CHARS with an ellipsis. */
export const shortened = (text: string) => (text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS - 1)}…` : text);
