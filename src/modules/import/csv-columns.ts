/** What a CSV column can hold; `--map` and `?map=` name them. */
export const CSV_FIELDS = [
  'name',
  'first_name',
  'last_name',
  'email',
  'phone',
  'company',
  'skills',
  'dietary_restrictions',
  'tags',
] as const;

export type CsvField = (typeof CSV_FIELDS)[number];

/** Columns named by the operator: a header for each field, or '' for "this file has none". */
export type ColumnMap = ReadonlyMap<CsvField, string>;

/** The headers do not say where the e-mail or the name is, or say it twice; names what was found. */
export class ColumnMappingError extends Error {}

/** A `--map` value that cannot be read. */
export class ColumnMapSyntaxError extends Error {}

/** Headers compared without case, spaces or punctuation: "E-mail Address" is "emailaddress". */
const normalizeHeader = (header: string) => header.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/**
 * Exact header names per field, normalized, as the registration tools export them (Google Forms, Typeform,
 * Devpost, Luma, Eventbrite) or as people name columns by hand.
 */
const ALIASES: Record<CsvField, readonly string[]> = {
  name: [
    'name',
    'fullname',
    'yourname',
    'yourfullname',
    'whatsyourname',
    'whatisyourname',
    'whatsyourfullname',
    'whatisyourfullname',
  ],
  first_name: ['firstname', 'givenname', 'whatsyourfirstname', 'whatisyourfirstname'],
  last_name: ['lastname', 'surname', 'familyname', 'whatsyourlastname', 'whatisyourlastname'],
  email: [
    'email',
    'emailaddress',
    'youremail',
    'youremailaddress',
    'whatsyouremail',
    'whatisyouremail',
    'whatsyouremailaddress',
    'whatisyouremailaddress',
  ],
  phone: [
    'phone',
    'phonenumber',
    'mobile',
    'mobilenumber',
    'mobilephone',
    'cellphone',
    'cell',
    'telephone',
    'whatsyourphonenumber',
  ],
  company: ['company', 'school', 'organization', 'organisation', 'university', 'college', 'employer'],
  skills: ['skills', 'skill'],
  dietary_restrictions: ['dietaryrestrictions', 'dietaryrestriction', 'dietary', 'dietaryrequirements', 'dietaryneeds'],
  tags: ['tags', 'tag'],
};

/**
 * Words a header may contain when no header is an exact alias, tried field by field in this order (the
 * name last: "Company name" is the company's); only a header containing one that no other field took counts.
 */
const KEYWORDS: [CsvField, readonly string[]][] = [
  ['email', ['email']],
  ['phone', ['phone', 'mobile']],
  ['company', ['company', 'school', 'organization', 'organisation', 'university', 'college', 'employer']],
  ['skills', ['skill']],
  ['dietary_restrictions', ['dietary', 'diet']],
  ['tags', ['tags']],
  ['first_name', ['firstname', 'givenname']],
  ['last_name', ['lastname', 'surname', 'familyname']],
  ['name', ['name']],
];

/** One column per skill: `Skill: Python`, `Skill - Python`, or a Google Forms grid row `Rate your skills [Python]`. */
const SKILL_COLUMN_PATTERNS = [/^\s*skills?\s*[:\-–—]\s*(.*?)\s*$/i, /skill.*\[\s*([^\]]*?)\s*\]\s*$/i];
/**
 * What such a header may name as the skill: a few words, such as "Ruby on Rails", and not a question such as
 * "Skills: list them like Python:4", which is a one-column skills list.
 */
const SKILL_NAME = /^[^:?()]{1,40}$/;
const MAX_SKILL_NAME_WORDS = 3;

export interface ColumnPlan {
  headers: string[];
  /** Each field's column index; a field absent here has no column. */
  fields: Partial<Record<CsvField, number>>;
  /** Columns holding one skill's rating each. */
  skillColumns: { index: number; skill: string }[];
  /** Non-empty headers no field uses. */
  ignored: string[];
}

const quote = (header: string) => JSON.stringify(header);
const listed = (headers: string[]) => (headers.length === 0 ? '(none)' : headers.map(quote).join(', '));

/**
 * Reads a `--map` value: `field=Header,field=Header`. A header may itself hold commas: a comma only starts a
 * new pair when a known field and `=` follow it. `field=` says the file has no such column.
 */
export function parseColumnMap(text: string): Map<CsvField, string> {
  const map = new Map<CsvField, string>();
  const pairStart = new RegExp(`,(?=\\s*(?:${CSV_FIELDS.join('|')})\\s*=)`);
  for (const pair of text.split(pairStart)) {
    if (pair.trim() === '') continue;
    const equals = pair.indexOf('=');
    const field = (equals < 0 ? pair : pair.slice(0, equals)).trim() as CsvField;
    if (equals < 0 || !CSV_FIELDS.includes(field)) {
      throw new ColumnMapSyntaxError(
        `cannot read the column map at ${quote(pair.trim())}: write field=Header pairs separated by commas, ` +
          `where a field is one of ${CSV_FIELDS.join(', ')}`,
      );
    }
    map.set(field, pair.slice(equals + 1).trim());
  }
  return map;
}

function skillOfHeader(header: string): string | undefined {
  for (const pattern of SKILL_COLUMN_PATTERNS) {
    const skill = pattern.exec(header)?.[1];
    if (skill && SKILL_NAME.test(skill) && skill.split(/\s+/).length <= MAX_SKILL_NAME_WORDS) return skill;
  }
  return undefined;
}

/**
 * Which column holds what: the operator's map first, then one-column-per-skill headers, then for each field
 * a header that is one of its exact aliases, and last a header containing one of its keywords. A field
 * matched by two headers at the same step, a map naming no header, or no e-mail or name column at all, is
 * a ColumnMappingError naming the headers found.
 */
export function planColumns(headers: string[], map: ColumnMap = new Map()): ColumnPlan {
  const normalized = headers.map(normalizeHeader);
  const claimed = new Set<number>();
  const fields: Partial<Record<CsvField, number>> = {};
  const settled = new Set<CsvField>();
  const problems: string[] = [];

  const claim = (field: CsvField, matches: number[], how: string) => {
    if (matches.length === 1) {
      fields[field] = matches[0]!;
      claimed.add(matches[0]!);
      settled.add(field);
    } else if (matches.length > 1) {
      problems.push(`${field} could be any of ${listed(matches.map((i) => headers[i]!))} (${how})`);
      settled.add(field);
    }
  };

  for (const [field, header] of map) {
    settled.add(field);
    if (header === '') continue;
    const exact = headers.flatMap((h, i) => (h.trim() === header ? [i] : []));
    const loose = normalized.flatMap((h, i) => (h === normalizeHeader(header) ? [i] : []));
    const matches = exact.length > 0 ? exact : loose;
    if (matches.length === 0) problems.push(`the map names ${field}=${quote(header)}, but no column is called that`);
    else claim(field, matches, 'the map names more than one');
  }

  const skillColumns: ColumnPlan['skillColumns'] = [];
  for (const [index, header] of headers.entries()) {
    const skill = claimed.has(index) ? undefined : skillOfHeader(header);
    if (skill === undefined) continue;
    skillColumns.push({ index, skill });
    claimed.add(index);
  }

  const open = (index: number) => !claimed.has(index) && normalized[index] !== '';
  const exactMatches = new Map<CsvField, number[]>();
  for (const field of CSV_FIELDS) {
    if (settled.has(field)) continue;
    exactMatches.set(
      field,
      normalized.flatMap((h, i) => (open(i) && ALIASES[field].includes(h) ? [i] : [])),
    );
  }
  for (const [field, matches] of exactMatches) claim(field, matches, 'exact header names');

  const hasName = () => fields.name !== undefined || fields.first_name !== undefined || fields.last_name !== undefined;
  for (const [field, words] of KEYWORDS) {
    if (settled.has(field)) continue;
    if (field === 'name' && hasName()) continue;
    claim(
      field,
      normalized.flatMap((h, i) => (open(i) && words.some((word) => h.includes(word)) ? [i] : [])),
      'headers containing its name',
    );
  }

  if (fields.email === undefined && !problems.some((p) => p.startsWith('email '))) problems.push('no column holds the e-mail');
  if (!hasName() && !problems.some((p) => /^(name|first_name|last_name) /.test(p))) {
    problems.push('no column holds the name (Name, Full Name, or First Name and Last Name)');
  }
  if (problems.length > 0) {
    throw new ColumnMappingError(`${problems.join('; ')}. The headers are: ${listed(headers.filter((h) => h.trim() !== ''))}`);
  }
  return {
    headers,
    fields,
    skillColumns,
    ignored: headers.filter((h, i) => !claimed.has(i) && h.trim() !== ''),
  };
}
