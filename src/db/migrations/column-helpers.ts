import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

// Shared by migrations only; never changes what an applied migration created.

/** An auto-incrementing integer primary key in either dialect. */
export function identity(db: Kysely<any>) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return (col: ColumnDefinitionBuilder) =>
    postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement();
}
