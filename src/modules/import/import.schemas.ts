import { Type } from 'typebox';
import { CSV_FIELDS } from './csv-columns.js';

const flag = (name: string, description: string) =>
  Type.Optional(Type.Boolean({ description, 'x-error': `${name} must be true or false` }));

export const ImportQuery = Type.Object({
  dry_run: flag('dry_run', 'Only report what the import would do: nothing is written'),
  update: flag('update', 'Update participants whose e-mail (in any letter case) is taken, instead of skipping them'),
  reset: flag(
    'reset',
    "Replace the event's data (participants, check-ins, orders, tokens, scans, loans) by the file's participants, as one unit",
  ),
  map: Type.Optional(
    Type.String({
      maxLength: 4000,
      description:
        `Columns by header, before any guess: \`field=Header,field=Header\`, where a field is one of ${CSV_FIELDS.join(', ')}; ` +
        '`field=` says the file has none',
      'x-error': 'map must be field=Header pairs separated by commas, at most 4000 characters',
    }),
  ),
});

export const CsvBody = Type.String({
  description: 'The CSV file (UTF-8; header row first; , ; or tab between fields), sent as text/csv',
  'x-error': 'The body must be the CSV file, sent with content-type text/csv',
});

export const ImportSummary = Type.Object(
  {
    dry_run: Type.Boolean({ description: 'Whether this only reports what an import would do' }),
    total: Type.Integer({ description: 'Data rows read, blank rows aside' }),
    new: Type.Integer({ description: 'Participants created (or that would be)' }),
    updated: Type.Integer({ description: 'Participants matched by e-mail and updated (or that would be); only with update' }),
    skipped: Type.Array(
      Type.Object({
        row: Type.Integer({ description: 'The row number a spreadsheet shows: the header is row 1' }),
        reason: Type.String(),
      }),
    ),
    columns: Type.Record(Type.String(), Type.String(), { description: 'The header read for each field' }),
    skill_columns: Type.Record(Type.String(), Type.String(), {
      description: 'For a file with one column per skill: the header read for each skill',
    }),
    ignored_columns: Type.Array(Type.String(), { description: 'Headers of the columns no field uses' }),
  },
  { additionalProperties: false },
);
