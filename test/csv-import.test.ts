import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase, type DatabaseHandle } from '../src/db/database.js';
import { ColumnMappingError, parseColumnMap } from '../src/modules/import/csv-columns.js';
import { importCsv } from '../src/modules/import/csv-import.js';
import { runTsx } from './cli-runner.js';
import { assertSkillAggregatesExact, BACKENDS, openTestDatabase, startTestApp, TEST_ADMIN_KEY, type TestApp } from './helpers.js';

interface SkillRating {
  skill: string;
  rating: number;
}

interface View {
  name: string;
  company: string;
  email: string;
  phone: string;
  checked_in: boolean;
  bbt_tokens: number;
  bbt_tokens_last_exchange_time: number;
  skills: SkillRating[];
  tags: string[];
  dietary_restrictions: string;
}

const fixture = (name: string) => readFileSync(new URL(`./fixtures/csv/${name}`, import.meta.url));

/** A participant as GET /users shows one fresh from an import. */
const participant = (fields: Partial<View> & Pick<View, 'name' | 'email'>): View => ({
  company: '',
  phone: '',
  checked_in: false,
  bbt_tokens: 0,
  bbt_tokens_last_exchange_time: 0,
  skills: [],
  tags: ['hacker'],
  dietary_restrictions: '',
  ...fields,
});

const keyed = (views: View[]) => Object.fromEntries(views.map((view, i) => [String(i + 1), view]));

/** GET /skills as a recount of the participants' own skills gives it. */
function skillStats(participants: { skills: SkillRating[] }[]) {
  const totals = new Map<string, { frequency: number; sum: number }>();
  for (const { skills } of participants) {
    for (const { skill, rating } of skills) {
      const total = totals.get(skill) ?? { frequency: 0, sum: 0 };
      totals.set(skill, { frequency: total.frequency + 1, sum: total.sum + rating });
    }
  }
  const names = [...totals.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(
    names.map((name) => {
      const { frequency, sum } = totals.get(name)!;
      return [name, { frequency, average_rating: Math.round((sum / frequency) * 100) / 100 }];
    }),
  );
}

interface Upload {
  status: number;
  body: any;
}

async function upload(api: TestApp, csv: string | Buffer, query = '', contentType: string | null = 'text/csv'): Promise<Upload> {
  const response = await api.app.inject({
    method: 'POST',
    url: `/imports${query}`,
    payload: csv,
    headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, ...(contentType === null ? {} : { 'content-type': contentType }) },
  });
  return { status: response.statusCode, body: response.json() };
}

interface FixtureCase {
  file: string;
  columns: Record<string, string>;
  skillColumns?: Record<string, string>;
  ignored: string[];
  skipped?: { row: number; reason: string }[];
  participants: View[];
}

/** Each registration tool's export, as its documented header layout has it, and what it should give. */
const FIXTURES: FixtureCase[] = [
  {
    file: 'google-forms.csv',
    columns: {
      email: 'Email Address',
      name: 'Full Name',
      phone: 'Phone Number',
      company: 'School / Company',
      dietary_restrictions: 'Dietary Restrictions',
    },
    skillColumns: { Python: 'Rate your skills [Python]', SQL: 'Rate your skills [SQL]', React: 'Rate your skills [React]' },
    ignored: ['Timestamp', 'T-shirt size (S, M, L, XL)', 'How did you hear about us?'],
    // Row 2's last answer spans two lines: the repeated submission is row 4, not line 5.
    skipped: [{ row: 4, reason: 'email already taken by row 2' }],
    participants: [
      participant({
        name: 'Ada Lovelace',
        email: 'ada.lovelace@example.com',
        phone: '+1 416 555 0101',
        company: 'University of Waterloo',
        dietary_restrictions: 'Vegetarian',
        skills: [
          { skill: 'Python', rating: 5 },
          { skill: 'SQL', rating: 3 },
        ],
      }),
      participant({
        name: 'Grace Hopper',
        email: 'grace@example.org',
        phone: '416-555-0102',
        company: 'Navy Reserve',
        skills: [
          { skill: 'Python', rating: 4 },
          { skill: 'SQL', rating: 5 },
          { skill: 'React', rating: 2 },
        ],
      }),
      participant({ name: 'Linus Torvalds', email: 'linus@example.net', dietary_restrictions: 'Nut allergy, no shellfish' }),
    ],
  },
  {
    file: 'typeform.csv',
    columns: {
      name: "What's your name?",
      email: "What's your email?",
      company: 'Which company or school are you with?',
      phone: "What's your phone number?",
      skills: 'Which skills do you bring? (like Python:4; SQL:3)',
      dietary_restrictions: 'Any dietary restrictions?',
      tags: 'Tags',
    },
    ignored: ['#', 'Start Date (UTC)', 'Submit Date (UTC)', 'Network ID'],
    participants: [
      participant({
        name: 'Margaret Hamilton',
        email: 'margaret@example.com',
        company: 'MIT',
        phone: '+1 617 555 0199',
        skills: [
          { skill: 'Assembly', rating: 5 },
          { skill: 'Python', rating: 3 },
        ],
        tags: ['mentor'],
      }),
      // Python rated twice: the last rating wins, in the place it first appeared.
      participant({
        name: 'Alan Turing',
        email: 'alan@example.co.uk',
        company: 'University of Manchester',
        dietary_restrictions: 'Vegan',
        skills: [
          { skill: 'Python', rating: 5 },
          { skill: 'Haskell', rating: 2 },
        ],
      }),
      participant({
        name: 'Katherine Johnson',
        email: 'katherine@example.com',
        company: 'NASA',
        phone: '+1 757 555 0142',
        skills: [
          { skill: 'Go', rating: 4 },
          { skill: 'Rust', rating: 2 },
        ],
        tags: ['vip', 'mentor'],
      }),
    ],
  },
  {
    file: 'devpost.csv',
    columns: { first_name: 'First Name', last_name: 'Last Name', email: 'Email', company: 'School', skills: 'Skills' },
    ignored: ['Major', 'Level of Study', 'Graduation Year', 'Country', 'Specialty', 'Team Name', 'Submitted a project?'],
    participants: [
      // Skills listed without a rating are rated 3.
      participant({
        name: 'Tim Berners-Lee',
        email: 'timbl@example.org',
        company: 'University of Oxford',
        skills: [
          { skill: 'HTML', rating: 3 },
          { skill: 'HTTP', rating: 3 },
          { skill: 'C', rating: 3 },
        ],
      }),
      participant({
        name: 'Barbara Liskov',
        email: 'barbara@example.edu',
        company: 'Stanford University',
        skills: [
          { skill: 'CLU', rating: 5 },
          { skill: 'Java', rating: 4 },
        ],
      }),
      participant({
        name: 'Dennis Ritchie',
        email: 'dmr@example.com',
        company: 'Harvard University',
        skills: [
          { skill: 'C', rating: 5 },
          { skill: 'Unix', rating: 5 },
        ],
      }),
    ],
  },
  {
    file: 'luma.csv',
    columns: {
      name: 'name',
      first_name: 'first_name',
      last_name: 'last_name',
      email: 'email',
      phone: 'phone_number',
      company: 'What company or school are you with?',
      dietary_restrictions: 'Dietary restrictions',
    },
    ignored: [
      'api_id',
      'created_at',
      'approval_status',
      'checked_in_at',
      'custom_source',
      'qr_code_url',
      'amount',
      'amount_tax',
      'currency',
      'coupon_code',
      'eth_address',
      'solana_address',
      'survey_response_rating',
      'survey_response_feedback',
      'ticket_type_id',
      'ticket_name',
    ],
    participants: [
      participant({
        name: 'Hedy Lamarr',
        email: 'hedy@example.com',
        phone: '+13105550123',
        company: 'MGM Studios',
        dietary_restrictions: 'Gluten-free',
      }),
      // No full name: first and last name joined.
      participant({ name: 'Edsger Dijkstra', email: 'edsger@example.nl', company: 'Eindhoven University of Technology' }),
      participant({ name: 'Annie Easley', email: 'ANNIE@EXAMPLE.COM', phone: '+12165550177', company: 'NASA Lewis' }),
    ],
  },
  {
    // Saved by Excel: a byte order mark and CRLF line ends.
    file: 'eventbrite.csv',
    columns: { first_name: 'First Name', last_name: 'Last Name', email: 'Email', phone: 'Cell Phone', company: 'Company' },
    ignored: [
      'Order #',
      'Order Date',
      'Quantity',
      'Price Tier',
      'Ticket Type',
      'Attendee #',
      'Group',
      'Order Type',
      'Currency',
      'Total Paid',
      'Fees Paid',
      'Eventbrite Fees',
      'Eventbrite Payment Processing',
      'Attendee Status',
      'Home Address 1',
      'Home Address 2',
      'Home City',
      'Home State',
      'Home Zip',
      'Home Country',
      'Home Phone',
      'Job Title',
      'Work Phone',
    ],
    participants: [
      participant({ name: 'Frances Allen', email: 'frances@example.com', phone: '+1 518 555 0110', company: 'IBM' }),
      participant({ name: 'John McCarthy', email: 'jmc@example.edu', company: 'Stanford University' }),
      participant({
        name: 'Radia Perlman',
        email: 'radia@example.com',
        phone: '+1 757 555 0131',
        company: 'Dell Technologies, Inc.',
      }),
    ],
  },
];

/** Headers in column order: the summary lists them so. */
const inColumnOrder = (file: string, columns: Record<string, string>) => {
  const header = fixture(file)
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)[0]!;
  const position = (h: string) => header.indexOf(h.includes(',') ? `"${h}"` : h);
  return Object.fromEntries(Object.entries(columns).sort(([, a], [, b]) => position(a) - position(b)));
};

for (const backend of BACKENDS) {
  describe(`CSV import (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let handle: DatabaseHandle;
    before(async () => {
      api = await startTestApp(backend.name);
      handle = openTestDatabase(api.database);
    });
    after(async () => {
      await handle?.destroy();
      await api?.close();
    });

    const users = async () => (await api.inject('GET', '/users')).body as Record<string, View>;
    const skills = async () => (await api.inject('GET', '/skills')).body as Record<string, unknown>;
    const auditRows = () =>
      handle.db
        .selectFrom('audit_log')
        .select(['action', 'target', 'after'])
        .where('action', '=', 'participants.import')
        .execute();

    /** /skills equals a recount from the participants' skills, and so do the stored aggregates. */
    async function assertSkillsExact(): Promise<void> {
      assert.deepEqual(await skills(), skillStats(Object.values(await users())));
      await assertSkillAggregatesExact(handle);
    }

    for (const expected of FIXTURES) {
      test(`${expected.file} imports with its columns found by header`, async () => {
        const { status, body } = await upload(api, fixture(expected.file), '?reset=true');
        assert.equal(status, 200, JSON.stringify(body));
        assert.deepEqual(body, {
          dry_run: false,
          total: expected.participants.length + (expected.skipped?.length ?? 0),
          new: expected.participants.length,
          updated: 0,
          skipped: expected.skipped ?? [],
          columns: inColumnOrder(expected.file, expected.columns),
          skill_columns: expected.skillColumns ?? {},
          ignored_columns: expected.ignored,
        });
        assert.deepEqual(await users(), keyed(expected.participants));
        await assertSkillsExact();
      });
    }

    test('bad rows are skipped with their spreadsheet row number and why; a multi-line cell is one row; the rest loads', async () => {
      const csv = [
        'Name,Email,Skills,Tags,Notes',
        'Good One,good1@example.com,Python:4,,',
        'Multi Line,multi@example.com,Go,,"first line',
        'second line',
        'third line"',
        'No Email,,Python:2,,',
        'Bad Rating,bad-rating@example.com,Python:9,,',
        ',no-name@example.com,,,',
        'Bad Email,not-an-email,,,',
        'Bad Tag,bad-tag@example.com,,vip!,',
        'Bad Word,bad-word@example.com,SQL:expert,,',
        '',
        'Last Good,GOOD1@EXAMPLE.COM,,,',
        'Really Last,good2@example.com,SQL,,',
      ].join('\n');
      const { status, body } = await upload(api, csv, '?reset=true');
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body.skipped, [
        { row: 4, reason: 'the e-mail is empty' },
        { row: 5, reason: 'skills: the rating of "Python" is "9", not 1 to 5' },
        { row: 6, reason: 'the name is empty' },
        { row: 7, reason: 'email must be a valid e-mail address' },
        { row: 8, reason: 'A tag is 1 to 40 lower-case letters, digits, - or _, such as meal-group-a' },
        { row: 9, reason: 'skills: the rating of "SQL" is "expert", not 1 to 5' },
        { row: 11, reason: 'email already taken by row 2' },
      ]);
      // The blank row 10 is neither counted nor reported.
      assert.deepEqual([body.total, body.new, body.updated], [10, 3, 0]);
      assert.deepEqual(await users(), {
        1: participant({ name: 'Good One', email: 'good1@example.com', skills: [{ skill: 'Python', rating: 4 }] }),
        2: participant({ name: 'Multi Line', email: 'multi@example.com', skills: [{ skill: 'Go', rating: 3 }] }),
        3: participant({ name: 'Really Last', email: 'good2@example.com', skills: [{ skill: 'SQL', rating: 3 }] }),
      });
      await assertSkillsExact();
    });

    test('semicolons, a byte order mark and CRLF line ends, as spreadsheets in many locales save', async () => {
      const csv = '\uFEFFE-mail;Vorname;Nachname;Firma\r\nmarie@example.com;Marie;Curie;"Institut du Radium; Paris"\r\n';
      // "Vorname" and "Nachname" are no header the import knows: without a map there is no name column.
      const { status, body } = await upload(api, csv, '?reset=true', 'text/csv; charset=utf-8');
      assert.deepEqual([status, body.code], [400, 'unmapped_columns']);
      assert.ok(body.error.includes('The headers are: "E-mail", "Vorname", "Nachname", "Firma"'), body.error);
      const mapped = await upload(
        api,
        csv,
        `?reset=true&map=${encodeURIComponent('first_name=Vorname,last_name=Nachname,company=Firma')}`,
      );
      assert.equal(mapped.status, 200, JSON.stringify(mapped.body));
      assert.deepEqual(await users(), {
        1: participant({ name: 'Marie Curie', email: 'marie@example.com', company: 'Institut du Radium; Paris' }),
      });
    });

    test("a formula guard (a ' before = + - @) is dropped, as the exports write it; another ' stays", async () => {
      const csv = `Name,Email,Phone\n"'=HYPERLINK(""x"")",guard@example.com,'+1-555-0100\n'Brien,brien@example.com,'555\n`;
      const { status, body } = await upload(api, csv, '?reset=true');
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(await users(), {
        1: participant({ name: '=HYPERLINK("x")', email: 'guard@example.com', phone: '+1-555-0100' }),
        2: participant({ name: "'Brien", email: 'brien@example.com', phone: "'555" }),
      });
    });

    test('a dry run says what would happen, reading the database, and changes nothing', async () => {
      assert.equal((await upload(api, fixture('google-forms.csv'), '?reset=true')).status, 200);
      assert.equal((await api.inject('PUT', '/users/2', { skills: [{ skill: 'Rust', rating: 1 }] })).status, 200);
      const usersBefore = await users();
      const skillsBefore = await skills();
      const auditBefore = await auditRows();
      const csv = [
        'Name,Email,Skills',
        'Grace H.,GRACE@example.org,Python:1; COBOL:5',
        'Newcomer,newcomer@example.com,Python:5',
        'No Email,,',
      ].join('\n');

      const plain = await upload(api, csv, '?dry_run=true');
      assert.equal(plain.status, 200, JSON.stringify(plain.body));
      assert.deepEqual(
        { ...plain.body, columns: undefined, ignored_columns: undefined, skill_columns: undefined },
        {
          dry_run: true,
          total: 3,
          new: 1,
          updated: 0,
          skipped: [
            { row: 2, reason: 'email already taken by participant 2' },
            { row: 4, reason: 'the e-mail is empty' },
          ],
          columns: undefined,
          ignored_columns: undefined,
          skill_columns: undefined,
        },
      );
      const updating = await upload(api, csv, '?dry_run=true&update=true');
      assert.deepEqual(
        [updating.body.new, updating.body.updated, updating.body.skipped],
        [1, 1, [{ row: 4, reason: 'the e-mail is empty' }]],
      );
      const resetting = await upload(api, csv, '?dry_run=true&reset=true');
      assert.deepEqual([resetting.body.new, resetting.body.updated, resetting.body.skipped.length], [2, 0, 1]);

      assert.deepEqual(await users(), usersBefore);
      assert.deepEqual(await skills(), skillsBefore);
      assert.equal((await handle.db.selectFrom('skills').select('name').where('name', '=', 'COBOL').execute()).length, 0);
      assert.deepEqual(await auditRows(), auditBefore);
    });

    test('update: participants matched by e-mail in any case are updated, skills added or re-rated, /skills exact', async () => {
      const base = [
        'Name,Email,Phone,Company,Skills,Tags',
        'Alice,alice@example.com,555-0001,OldCo,Python:2; Go:3,mentor',
        'Bob,bob@example.com,555-0002,Acme,Python:4,',
      ].join('\n');
      assert.equal((await upload(api, base, '?reset=true')).status, 200);
      assert.equal((await api.inject('PUT', '/users/1', { skills: [{ skill: 'Rust', rating: 1 }] })).status, 200);

      // No phone column and no tags column: phones and tags stay; an empty dietary cell clears it.
      const changes = [
        'Name,Email,Company,Skills,Dietary Restrictions',
        'Alice Updated,ALICE@Example.com,NewCo,Python:5; Elm:2,Vegan',
        'Carol,carol@example.com,,SQL:3,',
        'Bob,bob@example.com,Acme,Python:4,',
      ].join('\n');
      const refused = await upload(api, changes);
      assert.deepEqual(refused.body.skipped, [
        { row: 2, reason: 'email already taken by participant 1' },
        { row: 4, reason: 'email already taken by participant 2' },
      ]);
      assert.equal(refused.body.new, 1);

      const { status, body } = await upload(api, changes, '?update=true');
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual([body.total, body.new, body.updated, body.skipped], [3, 0, 3, []]);
      const after = await users();
      assert.deepEqual(after[1], {
        ...participant({ name: 'Alice Updated', email: 'alice@example.com', phone: '555-0001', company: 'NewCo' }),
        dietary_restrictions: 'Vegan',
        tags: ['mentor'],
        skills: [
          { skill: 'Python', rating: 5 },
          { skill: 'Go', rating: 3 },
          { skill: 'Rust', rating: 1 },
          { skill: 'Elm', rating: 2 },
        ],
      });
      assert.deepEqual(
        after[2],
        participant({
          name: 'Bob',
          email: 'bob@example.com',
          phone: '555-0002',
          company: 'Acme',
          skills: [{ skill: 'Python', rating: 4 }],
        }),
      );
      assert.deepEqual(
        after[3],
        participant({ name: 'Carol', email: 'carol@example.com', skills: [{ skill: 'SQL', rating: 3 }] }),
      );
      await assertSkillsExact();

      // A tags column replaces tags where a row lists some, and leaves them where its cell is empty.
      const tagging = ['Email,Name,Tags', 'alice@example.com,Alice,Judge mentor', 'bob@example.com,Bob,'].join('\n');
      assert.equal((await upload(api, tagging, '?update=true')).body.updated, 2);
      const tagged = await users();
      assert.deepEqual([tagged[1]!.tags, tagged[2]!.tags], [['judge', 'mentor'], ['hacker']]);
      await assertSkillsExact();
    });

    test('map names the columns the headers do not; a header in the map may hold commas', async () => {
      const csv = [
        'Participant,Contact,Org,"Languages known, rated",Allergies,Home phone,Work phone',
        'Ken Thompson,ken@example.com,Bell Labs,"B:5, Go:4",None,555-1,555-2',
      ].join('\n');
      const unmapped = await upload(api, csv);
      assert.equal(unmapped.status, 400);
      assert.equal(unmapped.body.code, 'unmapped_columns');
      assert.match(unmapped.body.error, /no column holds the e-mail/);
      assert.match(unmapped.body.error, /no column holds the name/);
      assert.match(unmapped.body.error, /phone could be any of "Home phone", "Work phone"/);
      assert.ok(unmapped.body.error.includes('"Languages known, rated"'), unmapped.body.error);
      assert.match(unmapped.body.error, /map=/);

      const map =
        'name=Participant,email=Contact,company=Org,skills=Languages known, rated,dietary_restrictions=allergies,phone=';
      const { status, body } = await upload(api, csv, `?reset=true&map=${encodeURIComponent(map)}`);
      assert.equal(status, 200, JSON.stringify(body));
      assert.deepEqual(body.columns, {
        name: 'Participant',
        email: 'Contact',
        company: 'Org',
        skills: 'Languages known, rated',
        dietary_restrictions: 'Allergies',
      });
      assert.deepEqual(body.ignored_columns, ['Home phone', 'Work phone']);
      assert.deepEqual(await users(), {
        1: participant({
          name: 'Ken Thompson',
          email: 'ken@example.com',
          company: 'Bell Labs',
          dietary_restrictions: 'None',
          skills: [
            { skill: 'B', rating: 5 },
            { skill: 'Go', rating: 4 },
          ],
        }),
      });

      const wrong = await upload(api, csv, `?map=${encodeURIComponent('email=Mail')}`);
      assert.deepEqual([wrong.status, wrong.body.code], [400, 'unmapped_columns']);
      assert.match(wrong.body.error, /the map names email="Mail", but no column is called that/);
      const unreadable = await upload(api, csv, `?map=${encodeURIComponent('mail=Contact')}`);
      assert.deepEqual([unreadable.status, unreadable.body.code], [400, 'validation_failed']);
      assert.match(unreadable.body.error, /^map: cannot read the column map at "mail=Contact"/);
    });

    test('ambiguous headers are an error naming them, and nothing is written', async () => {
      const before = await users();
      for (const [csv, problem] of [
        ['Name,Email,E-mail\nA,a@example.com,a@example.com', 'email could be any of "Email", "E-mail" (exact header names)'],
        [
          'Your e-mail here,Backup email,Name\na@example.com,b@example.com,A',
          'email could be any of "Your e-mail here", "Backup email"',
        ],
      ] as const) {
        const { status, body } = await upload(api, csv);
        assert.deepEqual([status, body.code], [400, 'unmapped_columns']);
        assert.ok(body.error.includes(problem), body.error);
        assert.match(body.error, /The headers are: /);
        await assert.rejects(importCsv(handle, [csv]), ColumnMappingError);
      }
      assert.deepEqual(await users(), before);
    });

    test('POST /imports: the audit row, and refusals of what is not a CSV file', async () => {
      await upload(api, fixture('devpost.csv'), '?reset=true');
      const audited = await upload(api, 'Email,Name\nnew1@example.com,New One\ntimbl@example.org,Tim\n', '?update=true');
      assert.equal(audited.status, 200);
      const rows = await auditRows();
      assert.deepEqual(rows.at(-1), {
        action: 'participants.import',
        target: 'import:2',
        after: JSON.stringify({ new: 1, updated: 1, skipped: 0, reset: false }),
      });
      const before = await users();

      const tooLarge = await upload(api, `Name,Email\n${'x'.repeat(21 * 1024 * 1024)}`);
      assert.deepEqual(tooLarge, { status: 413, body: { error: 'Request body too large', code: 'payload_too_large' } });
      const json = await upload(api, JSON.stringify([{ name: 'A' }]), '', 'application/json');
      assert.deepEqual(json, {
        status: 415,
        body: { error: 'Unsupported content type: send the CSV file as text/csv', code: 'unsupported_media_type' },
      });
      const latin1 = await upload(api, Buffer.from('Name,Email\nJos\xe9,jose@example.com\n', 'latin1'));
      assert.deepEqual([latin1.status, latin1.body.code], [400, 'invalid_csv']);
      assert.match(latin1.body.error, /not UTF-8/);
      const unclosed = await upload(api, 'Name,Email\nA,a@example.com\n"B,b@example.com\n');
      assert.deepEqual([unclosed.status, unclosed.body.code], [400, 'invalid_csv']);
      assert.match(unclosed.body.error, /Quote Not Closed/);
      const empty = await upload(api, '');
      assert.deepEqual(empty, {
        status: 400,
        body: { error: 'the file is empty: it needs a header row naming its columns', code: 'invalid_csv' },
      });
      const nothing = await api.inject('POST', '/imports');
      assert.deepEqual([nothing.status, nothing.body.code], [400, 'validation_failed']);
      const both = await upload(api, 'Name,Email\n', '?update=true&reset=true');
      assert.deepEqual([both.status, both.body.code], [400, 'validation_failed']);

      // Scripts often send no content type, or text/plain; Excel on Windows gives .csv files its own type.
      for (const type of [null, 'text/plain', 'application/vnd.ms-excel']) {
        const { status, body } = await upload(api, 'Name,Email\nX,x@example.com\n', '?dry_run=true', type);
        assert.deepEqual([status, body.new], [200, 1], String(type));
      }
      assert.deepEqual(await users(), before);
      assert.equal((await auditRows()).length, rows.length);
    });
  });

  describe(`CSV import under an Idempotency-Key (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    before(async () => {
      api = await startTestApp(backend.name);
    });
    after(async () => api?.close());

    // A keyed request runs in one transaction with its stored answer, which an import (a transaction per
    // batch, a reset on a connection of its own) cannot join: the route must refuse the key, as
    // POST /keys/participant-links does (without the NOT_REPLAYABLE entry it answers a 500).
    test('an Idempotency-Key is refused with 400, nothing imported', async () => {
      const response = await api.app.inject({
        method: 'POST',
        url: '/imports',
        payload: 'Name,Email\nA,a@example.com\n',
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'text/csv', 'idempotency-key': 'import-1' },
      });
      assert.equal(response.statusCode, 400, response.body);
      assert.equal(response.json<{ code: string }>().code, 'validation_failed');
      assert.match(response.json<{ error: string }>().error, /^Idempotency-Key is not accepted by POST \/imports: /);
      assert.deepEqual((await api.inject('GET', '/users')).body, {});
    });
  });

  describe(`CSV import into demo data (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    before(async () => {
      api = await startTestApp(backend.name, { DEMO_PARTICIPANTS: '5' });
    });
    after(async () => api?.close());

    test('real participants are refused beside demo ones (409 demo_data), dry run too; reset replaces them', async () => {
      const demo = (await api.inject('GET', '/users')).body;
      assert.equal(Object.keys(demo).length, 5);
      for (const query of ['', '?dry_run=true', '?update=true']) {
        const { status, body } = await upload(api, fixture('devpost.csv'), query);
        assert.deepEqual([status, body.code], [409, 'demo_data'], query);
        assert.match(body.error, /demo data.*Nothing was changed.*reset=true/s);
      }
      assert.deepEqual((await api.inject('GET', '/users')).body, demo);
      const { status, body } = await upload(api, fixture('devpost.csv'), '?reset=true');
      assert.deepEqual([status, body.new], [200, 3]);
      assert.deepEqual(
        Object.values((await api.inject('GET', '/users')).body).map((user: any) => user.email),
        ['timbl@example.org', 'barbara@example.edu', 'dmr@example.com'],
      );
      assert.equal((await api.inject('GET', '/health', undefined, null)).body.demo_data, false);
    });
  });
}

describe('column map syntax', () => {
  test('pairs split at commas followed by a field name, so headers may hold commas', () => {
    assert.deepEqual(
      [...parseColumnMap('email=E-mail, name=What is your name, in full?,skills=Skills (e.g. Python:4, SQL:3),phone=')],
      [
        ['email', 'E-mail'],
        ['name', 'What is your name, in full?'],
        ['skills', 'Skills (e.g. Python:4, SQL:3)'],
        ['phone', ''],
      ],
    );
  });
});

describe('import CLI with CSV (sqlite)', () => {
  let dir: string;
  let databaseUrl: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tapioca-csv-cli-'));
    databaseUrl = `sqlite:${join(dir, 'cli.db')}`;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (args: string[], via: 'node' | 'npx' = 'node') =>
    runTsx(['src/cli/import.ts', ...args], { DATABASE_URL: databaseUrl }, via);

  async function participantsInDatabase() {
    const database = openDatabase(databaseUrl);
    try {
      return await database.db.selectFrom('participants').select(['id', 'name', 'email']).orderBy('id').execute();
    } finally {
      await database.destroy();
    }
  }

  test('a dry run prints the columns, the counts and each skipped row, and writes nothing', async () => {
    const { code, stdout, stderr } = await cli(['--dry-run', fileURL('google-forms.csv')], 'npx');
    assert.equal(code, 0, stderr);
    const lines = stdout.split('\n').map((line) => line.trim());
    assert.ok(
      lines.includes(`importing participants from ${fileURL('google-forms.csv')} (CSV) (dry run: nothing will be changed)`),
      stdout,
    );
    assert.ok(lines.includes('ignored columns: "Timestamp", "T-shirt size (S, M, L, XL)", "How did you hear about us?"'), stdout);
    assert.ok(
      lines.some((line) => line.startsWith('skill columns: Python = "Rate your skills [Python]"')),
      stdout,
    );
    assert.ok(lines.includes('4/4 rows processed'), stdout);
    assert.ok(lines.includes('dry run, nothing changed: would import 3 new, 0 updated, 1 skipped of 4 rows'), stdout);
    assert.ok(lines.includes('skipped row 4: email already taken by row 2'), stdout);
    assert.deepEqual(await participantsInDatabase(), []);
  });

  test('an import prints progress and a summary; --update updates; a second run skips by participant', async () => {
    const rows = Array.from(
      { length: 2500 },
      (_, i) => `Person ${i + 1},person${i + 1}@example.com,"Python:${(i % 5) + 1}; SQL:3"`,
    );
    const file = join(dir, 'people.csv');
    writeFileSync(file, ['Full Name,Email,Skills', ...rows, 'Broken,,'].join('\r\n'));
    const first = await cli([file]);
    assert.equal(first.code, 0, first.stderr);
    assert.ok(
      first.stdout.split('\n').some((line) => line.trim() === '2501/2501 rows processed'),
      first.stdout,
    );
    assert.match(first.stdout, /^imported 2500 new, 0 updated, 1 skipped of 2501 rows in \d+\.\d s$/m);
    assert.match(first.stdout, /^ {2}skipped row 2502: the e-mail is empty$/m);
    assert.equal((await participantsInDatabase()).length, 2500);

    const again = await cli([file]);
    assert.match(again.stdout, /^imported 0 new, 0 updated, 2501 skipped of 2501 rows/m);
    assert.match(again.stdout, /^ {2}skipped row 2: email already taken by participant 1$/m);

    const changes = join(dir, 'changes.txt');
    writeFileSync(changes, 'Full Name,Email\nPerson One Renamed,PERSON1@example.com\n');
    const updated = await cli(['--update', changes]);
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, /^imported 0 new, 1 updated, 0 skipped of 1 rows/m);
    assert.deepEqual((await participantsInDatabase())[0], { id: 1, name: 'Person One Renamed', email: 'person1@example.com' });
  });

  test('unmapped columns, --map and option mistakes exit non-zero with a clear message and change nothing', async () => {
    const file = join(dir, 'odd.csv');
    writeFileSync(file, 'Participant,Contact\nMary Jackson,mary@example.com\n');
    const before = await participantsInDatabase();
    const unmapped = await cli([file]);
    assert.notEqual(unmapped.code, 0);
    assert.match(
      unmapped.stderr,
      /no column holds the e-mail; no column holds the name .*The headers are: "Participant", "Contact"\./,
    );
    assert.match(unmapped.stderr, /Name the columns with --map, e\.g\. --map "email=Email Address,name=Full Name"/);
    assert.doesNotMatch(unmapped.stderr, /\n\s+at /, 'no stack trace');

    const json = join(dir, 'people.json');
    writeFileSync(json, '[]');
    const cases: [string[], RegExp][] = [
      [['--dry-run', json], /--dry-run: for CSV files only/],
      [['--reset', '--update', file], /--reset and --update cannot be combined/],
      [['--map', 'mail=Contact', file], /cannot read the column map at "mail=Contact"/],
      [['--map'], /--map needs a value/],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await cli(args);
      assert.notEqual(code, 0, args.join(' '));
      assert.match(stderr, message, args.join(' '));
    }
    assert.deepEqual(await participantsInDatabase(), before);

    const mapped = await cli(['--map', 'name=Participant', '--map=email=contact', file]);
    assert.equal(mapped.code, 0, mapped.stderr);
    assert.match(mapped.stdout, /^columns: name = "Participant", email = "Contact"$/m);
    assert.match(mapped.stdout, /^imported 1 new/m);
  });
});

function fileURL(name: string): string {
  const path = new URL(`./fixtures/csv/${name}`, import.meta.url).pathname;
  assert.ok(existsSync(path), path);
  return path;
}
