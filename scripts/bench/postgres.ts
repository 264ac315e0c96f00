import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { CleanUp } from './clean-up.js';

/** Runs `work` on one connection to the database the server URL names (the one others are created from). */
async function onServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a database of the bench's own on the PostgreSQL server of BENCH_POSTGRES_URL, under a fresh name (so
 * that runs side by side never share one) that marks it as the bench's, and has the clean-up drop it. Answers
 * its URL and the server's version.
 */
export async function createBenchDatabase(serverUrl: string, cleanUp: CleanUp): Promise<{ url: string; serverVersion: string }> {
  const name = `tapioca_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // Registered before it exists, so a run interrupted while it is being created still drops it; `with (force)`
  // because after an interrupt a server may not have let go of it yet.
  cleanUp.add(async () => {
    await onServer(serverUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
  });
  const serverVersion = await onServer(serverUrl, async (client) => {
    await client.query(`create database ${name}`);
    const { rows } = await client.query<{ server_version: string }>('show server_version');
    return rows[0]?.server_version ?? 'unknown';
  });
  return { url: url.toString(), serverVersion };
}
