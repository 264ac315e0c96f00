// The header row of a CSV file, read in the browser to offer its columns for matching by hand. The server reads
// the file itself; this follows its rules: a BOM dropped, ',' ';' or tab as the header line uses most, quotes.

const DELIMITERS = [',', ';', '\t'];

/** The end of the first line outside quotes. */
function headerLineEnd(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) return i;
  }
  return text.length;
}

/** The delimiter the line uses most outside quotes; ',' on a tie or none. */
function delimiterOf(line: string): string {
  const counts = new Map(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

/** The header row's cells, trimmed (empty ones kept, so positions match). */
export function csvHeaders(text: string): string[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const line = body.slice(0, headerLineEnd(body));
  if (line.trim() === '') return [];
  const delimiter = delimiterOf(line);
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else cell += char;
  }
  cells.push(cell.trim());
  return cells;
}
