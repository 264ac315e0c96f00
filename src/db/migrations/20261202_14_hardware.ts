import { type Kysely, sql } from 'kysely';
import { identity } from './column-helpers.js';

// Migrations are frozen history: they use Kysely<any> and no application code.

/**
 * The hardware library. Stock is a conditional update on the item (`units_out + n <= quantity`, and a CHECK
 * besides); each participant's units of an item are a row whose conditional update enforces the item's limit.
 * A loan knows how much of it came back or was lost; every movement is an append-only loan event with the key
 * that made it. At most one open request per participant and item, by a partial unique index.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const id = identity(db);

  await db.schema
    .createTable('hardware_items')
    .addColumn('id', 'integer', id)
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('description', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('quantity', 'integer', (col) => col.notNull().check(sql`quantity >= 0`))
    .addColumn('units_out', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('per_participant_limit', 'integer', (col) => col.check(sql`per_participant_limit >= 1`))
    // Null: lent until the end of the event.
    .addColumn('loan_minutes', 'integer', (col) => col.check(sql`loan_minutes >= 1`))
    .addColumn('requires_check_in', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('archived_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addCheckConstraint('hardware_items_units_out', sql`units_out >= 0 and units_out <= quantity`)
    .execute();

  await db.schema
    .createTable('hardware_holdings')
    .addColumn('item_id', 'integer', (col) => col.notNull().references('hardware_items.id').onDelete('cascade'))
    .addColumn('participant_id', 'integer', (col) => col.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('units', 'integer', (col) =>
      col
        .notNull()
        .defaultTo(0)
        .check(sql`units >= 0`),
    )
    .addPrimaryKeyConstraint('hardware_holdings_pk', ['item_id', 'participant_id'])
    .execute();

  await db.schema
    .createTable('hardware_requests')
    .addColumn('id', 'integer', id)
    .addColumn('item_id', 'integer', (col) => col.notNull().references('hardware_items.id').onDelete('cascade'))
    .addColumn('participant_id', 'integer', (col) => col.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('quantity', 'integer', (col) => col.notNull().check(sql`quantity >= 1`))
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('requested', 'ready', 'collected', 'cancelled')`))
    .addColumn('loan_id', 'integer')
    .addColumn('key_id', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('hardware_requests_open')
    .unique()
    .on('hardware_requests')
    .columns(['item_id', 'participant_id'])
    .where(sql<boolean>`status in ('requested', 'ready')`)
    .execute();
  await db.schema.createIndex('hardware_requests_queue').on('hardware_requests').columns(['item_id', 'status', 'id']).execute();
  await db.schema
    .createIndex('hardware_requests_participant')
    .on('hardware_requests')
    .columns(['participant_id', 'id'])
    .execute();

  await db.schema
    .createTable('hardware_loans')
    .addColumn('id', 'integer', id)
    .addColumn('item_id', 'integer', (col) => col.notNull().references('hardware_items.id').onDelete('cascade'))
    .addColumn('participant_id', 'integer', (col) => col.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('quantity', 'integer', (col) => col.notNull().check(sql`quantity >= 1`))
    .addColumn('returned', 'integer', (col) =>
      col
        .notNull()
        .defaultTo(0)
        .check(sql`returned >= 0`),
    )
    .addColumn('lost', 'integer', (col) =>
      col
        .notNull()
        .defaultTo(0)
        .check(sql`lost >= 0`),
    )
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('out', 'returned', 'lost')`))
    .addColumn('due_at', 'bigint')
    .addColumn('key_id', 'integer', (col) => col.notNull())
    .addColumn('request_id', 'integer')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addColumn('closed_at', 'bigint')
    // Out exactly while some of it is neither back nor lost.
    .addCheckConstraint(
      'hardware_loans_balance',
      sql`returned + lost <= quantity and (status = 'out') = (returned + lost < quantity)`,
    )
    .execute();
  await db.schema.createIndex('hardware_loans_item').on('hardware_loans').columns(['item_id', 'status', 'id']).execute();
  await db.schema.createIndex('hardware_loans_participant').on('hardware_loans').columns(['participant_id', 'id']).execute();
  await db.schema.createIndex('hardware_loans_status').on('hardware_loans').columns(['status', 'due_at']).execute();

  await db.schema
    .createTable('hardware_loan_events')
    .addColumn('id', 'integer', id)
    .addColumn('loan_id', 'integer', (col) => col.notNull().references('hardware_loans.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('lent', 'returned', 'lost')`))
    .addColumn('quantity', 'integer', (col) => col.notNull().check(sql`quantity >= 1`))
    .addColumn('note', 'text')
    .addColumn('key_id', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('hardware_loan_events_loan').on('hardware_loan_events').columns(['loan_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['hardware_loan_events', 'hardware_loans', 'hardware_requests', 'hardware_holdings', 'hardware_items']) {
    await db.schema.dropTable(table).execute();
  }
}
