import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { CsvError, parse } from 'csv-parse';

/** A file this import cannot read as CSV: not UTF-8, a quote never closed, no header row. */
export class CsvFormatError extends Error {}

export interface CsvRow {
  /** The row's number as a spreadsheet shows it: the header is row 1, and a cell spanning lines is still one row. */
  row: number;
  cells: string[];
}

export type CsvSource = AsyncIterable<Buffer | string> | Iterable<Buffer | string>;

/** Field separators told apart by the header line: spreadsheets in many locales save with ';'. */
const DELIMITERS = [',', ';', '\t'] as const;
/** A header line longer than this is not looked at further; ',' is assumed. */
const LONGEST_HEADER = 1024 * 1024;
/** Text handed to the parser at a time: the parser works through a chunk without yielding. */
const CHUNK_CHARS = 64 * 1024;
/** Rows between two turns of the event loop, so a large upload never holds up other requests for long. */
const ROWS_BETWEEN_YIELDS = 1000;

const NOT_UTF8 = 'the file is not UTF-8 text: save it as "CSV UTF-8" and try again';

/** A whole file's bytes as text, without a byte order mark; throws a CsvFormatError when they are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    if (error instanceof TypeError) throw new CsvFormatError(NOT_UTF8);
    throw error;
  }
}

/** Slices of `text` of at most CHUNK_CHARS, never cutting a surrogate pair in two. */
function* slices(text: string): Generator<string> {
  for (let start = 0; start < text.length;) {
    let end = Math.min(start + CHUNK_CHARS, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    yield text.slice(start, end);
    start = end;
  }
}

/** The source as text, without a byte order mark; bytes that are not UTF-8 stop it with a CsvFormatError. */
async function* decoded(source: CsvSource): AsyncGenerator<string> {
  // The decoder drops a UTF-8 BOM itself; text handed over as a string may still start with one.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let first = true;
  const fail = (error: unknown): never => {
    if (error instanceof TypeError) throw new CsvFormatError(NOT_UTF8);
    throw error;
  };
  for await (const chunk of source) {
    let text: string;
    try {
      text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    } catch (error) {
      fail(error);
      return;
    }
    if (first && text.length > 0) {
      first = false;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    yield* slices(text);
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch (error) {
    fail(error);
  }
}

/**
 * The delimiter the header line uses most outside quotes (',' on a tie or none), or undefined while the
 * header line is not complete in `text` and more may come.
 */
function headerDelimiter(text: string, complete: boolean): string | undefined {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  let ended = complete || text.length >= LONGEST_HEADER;
  for (let i = 0; i < text.length && i < LONGEST_HEADER; i += 1) {
    const char = text[i]!;
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) {
      ended = true;
      break;
    } else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  if (!ended) return undefined;
  let best: string = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

const describeParseError = (error: CsvError) => `the file is not valid CSV: ${error.message}`;

/**
 * The rows of a CSV file, header first, read as the source delivers it (a file stream, a request body):
 * UTF-8 with or without a BOM, ',' ';' or tab between fields as the header line shows, quoted cells that
 * may span lines, any line ending. Rows may be shorter or longer than the header; an empty line is a row of
 * one empty cell, so that row numbers stay those a spreadsheet shows.
 */
export async function* readCsvRows(source: CsvSource): AsyncGenerator<CsvRow> {
  const text = decoded(source)[Symbol.asyncIterator]();
  const head: string[] = [];
  let delimiter: string | undefined;
  let ended = false;
  while (delimiter === undefined) {
    const next = await text.next();
    if (next.done) ended = true;
    else head.push(next.value);
    delimiter = headerDelimiter(head.join(''), ended);
  }
  async function* whole(): AsyncGenerator<string> {
    yield* head;
    if (ended) return;
    for (let next = await text.next(); !next.done; next = await text.next()) yield next.value;
  }

  const parser = parse({ delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  const input = Readable.from(whole());
  input.on('error', (error) => parser.destroy(error));
  input.pipe(parser);
  try {
    let row = 0;
    for await (const cells of parser as AsyncIterable<string[]>) {
      row += 1;
      yield { row, cells };
      if (row % ROWS_BETWEEN_YIELDS === 0) await setImmediate();
    }
  } catch (error) {
    if (error instanceof CsvError) throw new CsvFormatError(describeParseError(error));
    throw error;
  } finally {
    input.destroy();
    parser.destroy();
  }
}
