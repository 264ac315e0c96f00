/**
 * A text cell a spreadsheet would run as a formula begins with one of these (Apple Numbers treats the full-width
 * forms alike): Tapioca's CSV files put a ' before it, as csv-stringify's escape_formulas does for the exports.
 */
const FORMULA_CHARACTERS = '=+\\-@\\t\\r\\uFF1D\\uFF0B\\uFF0D\\uFF20';
const FORMULA_START = new RegExp(`^[${FORMULA_CHARACTERS}]`);
const GUARDED_FORMULA = new RegExp(`^'(?=[${FORMULA_CHARACTERS}])`);

/** The text as a CSV file writes it: with a leading ' when it would run as a formula. */
export const guardFormula = (text: string) => (FORMULA_START.test(text) ? `'${text}` : text);

/** The text without that guard, so an exported `'+1-555-0100` comes back as `+1-555-0100` (and `'Brien` stays). */
export const withoutFormulaGuard = (text: string) => text.replace(GUARDED_FORMULA, '');
