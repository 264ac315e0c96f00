import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Migrations are frozen history: they use Kysely<any> and no application code.

/**
 * Indexes GET /users?q= (a part of the name or e-mail, any letter case), which otherwise reads every
 * participant: on SQLite a trigram full-text table kept by triggers, on PostgreSQL trigram indexes from the
 * pg_trgm extension. Where the extension cannot be created (not installed, or no right to), the search
 * still works, by reading the table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) await indexPostgres(db);
  else await indexSqlite(db);
}

async function indexSqlite(db: Kysely<any>): Promise<void> {
  const statements = [
    // External content: the index holds trigrams only; the text stays in participants.
    `create virtual table participants_search using fts5(name, email_key, content='participants', content_rowid='id', tokenize='trigram')`,
    `create trigger participants_search_insert after insert on participants begin
       insert into participants_search (rowid, name, email_key) values (new.id, new.name, new.email_key); end`,
    `create trigger participants_search_delete after delete on participants begin
       insert into participants_search (participants_search, rowid, name, email_key) values ('delete', old.id, old.name, old.email_key); end`,
    `create trigger participants_search_update after update of name, email_key on participants begin
       insert into participants_search (participants_search, rowid, name, email_key) values ('delete', old.id, old.name, old.email_key);
       insert into participants_search (rowid, name, email_key) values (new.id, new.name, new.email_key); end`,
    `insert into participants_search (participants_search) values ('rebuild')`,
  ];
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** Runs `statement` in a savepoint: whether it succeeded, without aborting the migration's transaction if not. */
async function succeeds(db: Kysely<any>, statement: ReturnType<typeof sql>): Promise<boolean> {
  await sql`savepoint try_statement`.execute(db);
  try {
    await statement.execute(db);
    await sql`release savepoint try_statement`.execute(db);
    return true;
  } catch {
    await sql`rollback to savepoint try_statement`.execute(db);
    return false;
  }
}

async function indexPostgres(db: Kysely<any>): Promise<void> {
  // In public if allowed: an extension created in this schema would go, with every index using it, if the schema
  // (another event's, sharing the database) were dropped.
  const created =
    (await succeeds(db, sql`create extension if not exists pg_trgm with schema public`)) ||
    (await succeeds(db, sql`create extension if not exists pg_trgm`));
  if (!created) return;
  // The operator class lives in whichever schema holds the extension, which may have existed already.
  const { schema } = (
    await sql<{
      schema: string;
    }>`select extnamespace::regnamespace::text as schema from pg_extension where extname = 'pg_trgm'`.execute(db)
  ).rows[0]!;
  const trigramOps = sql.raw(`${schema}.gin_trgm_ops`);
  await sql`create index participants_name_search on participants using gin (lower(name) ${trigramOps})`.execute(db);
  await sql`create index participants_email_search on participants using gin (email_key ${trigramOps})`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop index if exists participants_name_search`.execute(db);
    await sql`drop index if exists participants_email_search`.execute(db);
    return;
  }
  for (const name of ['participants_search_insert', 'participants_search_delete', 'participants_search_update']) {
    await sql.raw(`drop trigger ${name}`).execute(db);
  }
  await sql`drop table participants_search`.execute(db);
}
