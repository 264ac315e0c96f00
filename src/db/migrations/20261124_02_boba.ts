import { type Kysely, sql } from 'kysely';
import { identity } from './column-helpers.js';

// Migrations are frozen history: they use Kysely<any> and no application code.

export async function up(db: Kysely<any>): Promise<void> {
  const id = identity(db);

  await db.schema
    .createTable('boba_orders')
    .addColumn('id', 'integer', id)
    .addColumn('participant_id', 'integer', (col) => col.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('status', 'text', (col) =>
      col.notNull().check(sql`status in ('Placed', 'In Progress', 'Out for Delivery', 'Delivered', 'Cancelled')`),
    )
    .addColumn('size', 'text', (col) => col.notNull())
    .addColumn('flavour', 'text', (col) => col.notNull())
    .addColumn('sweetness', 'text', (col) => col.notNull())
    .addColumn('ice', 'text', (col) => col.notNull())
    .addColumn('toppings', 'text', (col) => col.notNull())
    .addColumn('cost', 'integer', (col) => col.notNull().check(sql`cost >= 0`))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('boba_orders_participant').on('boba_orders').column('participant_id').execute();
  await db.schema.createIndex('boba_orders_status').on('boba_orders').column('status').execute();

  await db.schema
    .createTable('token_ledger')
    .addColumn('id', 'integer', id)
    .addColumn('participant_id', 'integer', (col) => col.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('amount', 'integer', (col) => col.notNull().check(sql`amount <> 0`))
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('exchange', 'grant', 'order', 'refund')`))
    .addColumn('order_id', 'integer', (col) => col.references('boba_orders.id').onDelete('cascade'))
    .addColumn('counterpart_id', 'integer', (col) => col.references('participants.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('token_ledger_participant').on('token_ledger').columns(['participant_id', 'id']).execute();
  // An order is paid for once and refunded at most once, whatever races.
  await db.schema
    .createIndex('token_ledger_one_payment_per_order')
    .unique()
    .on('token_ledger')
    .column('order_id')
    .where(sql.ref('kind'), '=', 'order')
    .execute();
  await db.schema
    .createIndex('token_ledger_one_refund_per_order')
    .unique()
    .on('token_ledger')
    .column('order_id')
    .where(sql.ref('kind'), '=', 'refund')
    .execute();

  await db.schema
    .createTable('pair_exchanges')
    .addColumn('participant_low', 'integer', (col) => col.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('participant_high', 'integer', (col) => col.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('exchanges', 'integer', (col) => col.notNull().check(sql`exchanges > 0`))
    .addColumn('last_exchange_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('pair_exchanges_pk', ['participant_low', 'participant_high'])
    .addCheckConstraint('pair_exchanges_ordered', sql`participant_low < participant_high`)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['pair_exchanges', 'token_ledger', 'boba_orders']) await db.schema.dropTable(table).execute();
}
