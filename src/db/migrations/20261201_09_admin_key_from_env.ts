import { type Kysely, sql } from 'kysely';

// Migrations are frozen history: they use Kysely<any> and no application code.

/**
 * Marks the admin key registered from TAPIOCA_ADMIN_KEY, so that a start with another value can revoke it
 * without touching keys created through the API or the CLI.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('api_keys')
    .addColumn('from_env', 'integer', (col) =>
      col
        .notNull()
        .defaultTo(0)
        .check(sql`from_env in (0, 1)`),
    )
    .execute();
  // Earlier versions named that key so; it is the only mark they left.
  await db
    .updateTable('api_keys')
    .set({ from_env: 1 })
    .where('name', '=', 'TAPIOCA_ADMIN_KEY')
    .where('role', '=', 'admin')
    .execute();
}
