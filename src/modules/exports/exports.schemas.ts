import { Type } from 'typebox';

export const EXPORT_NAMES = ['participants', 'checkins', 'scans', 'orders', 'ledger', 'loans'] as const;
export type ExportName = (typeof EXPORT_NAMES)[number];

/**
 * The header row of each export, in column order. The participants export uses the headers the CSV import
 * reads (Name, Email, ... Tags), so an export loads into another Tapioca; it is the only one with personal
 * data: the others name participants by participant_id alone.
 */
export const EXPORT_COLUMNS: Record<ExportName, readonly string[]> = {
  participants: [
    'id',
    'Name',
    'Email',
    'Phone',
    'Company',
    'Skills',
    'Dietary Restrictions',
    'Tags',
    'checked_in',
    'checked_in_at',
    'bbt_tokens',
    'created_at',
  ],
  checkins: ['participant_id', 'checked_in_at', 'recorded_at', 'offline', 'volunteer_key_id', 'volunteer_key_name'],
  scans: [
    'id',
    'checkpoint_id',
    'checkpoint_name',
    'participant_id',
    'outcome',
    'reason',
    'scanned_at',
    'received_at',
    'offline',
    'annulled_at',
    'key_id',
    'key_name',
  ],
  orders: [
    'id',
    'participant_id',
    'status',
    'size',
    'flavour',
    'sweetness',
    'ice',
    'toppings',
    'location',
    'cost',
    'created_at',
    'updated_at',
  ],
  ledger: ['id', 'participant_id', 'amount', 'kind', 'order_id', 'counterpart_id', 'actor_key_id', 'created_at'],
  loans: [
    'id',
    'item_id',
    'item_name',
    'participant_id',
    'quantity',
    'returned',
    'lost',
    'status',
    'due_at',
    'created_at',
    'updated_at',
    'closed_at',
    'request_id',
    'key_id',
    'key_name',
  ],
};

const WHAT: Record<ExportName, string> = {
  participants: "Every participant not deleted, with personal data and skills (Python:4; SQL:3), in the CSV import's headers",
  checkins: 'Every check-in',
  scans: 'Every checkpoint scan, accepted, refused or annulled',
  orders: 'Every boba order',
  ledger: 'Every token movement',
  loans: 'Every hardware loan',
};

export const exportSummary = (name: ExportName) =>
  `${WHAT[name]}, as a CSV attachment (UTF-8 with a BOM, header row first, times in ISO 8601 UTC)`;

export const CsvExport = (name: ExportName) =>
  Type.Unsafe({
    description: `Columns: ${EXPORT_COLUMNS[name].join(',')}. A text cell beginning with =, +, -, @, tab or CR starts with an added '.`,
    content: { 'text/csv': { schema: { type: 'string' } } },
  });
