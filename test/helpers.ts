import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { type BuildOptions, buildApp } from '../src/app.js';
import type { Clock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { type DatabaseHandle, openDatabase } from '../src/db/database.js';
import type { Db } from '../src/db/tables.js';

export type BackendName = 'sqlite' | 'postgres';

/** Every test app accepts this as an admin key (TAPIOCA_ADMIN_KEY); requests carry it unless told otherwise. */
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef';

/** Which key a request carries: a key, or null for none. */
export type As = string | null;

const authorization = (key: As): Record<string, string> => (key === null ? {} : { authorization: `Bearer ${key}` });

export interface TestBackend {
  name: BackendName;
  /** A reason to skip, or false when the backend is available. */
  skip: string | false;
}

const postgresUrl = process.env.TEST_POSTGRES_URL;
if (!postgresUrl && process.env.TEST_REQUIRE_POSTGRES === '1') {
  throw new Error('TEST_REQUIRE_POSTGRES=1 but TEST_POSTGRES_URL is not set: the PostgreSQL run would be skipped');
}

/** Every test file runs its suite once per backend; PostgreSQL only when TEST_POSTGRES_URL names a server. */
export const BACKENDS: TestBackend[] = [
  { name: 'sqlite', skip: false },
  { name: 'postgres', skip: postgresUrl ? false : 'TEST_POSTGRES_URL is not set' },
];

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh SQLite file, or a fresh PostgreSQL schema, for one test file (or one test). */
export async function createTestDatabase(backend: BackendName): Promise<TestDatabase> {
  if (backend === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tapioca-test-'));
    return { url: `sqlite:${join(dir, 'tapioca.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  if (!postgresUrl) throw new Error('TEST_POSTGRES_URL is not set');
  const schema = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(postgresUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, unknown>;
}

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  inject<T = any>(method: string, url: string, body?: unknown, as?: As): Promise<ApiResponse<T>>;
  /** Creates an API key through the API and returns its secret. */
  createKey(role: 'admin' | 'volunteer' | 'participant', participantId?: number, name?: string): Promise<string>;
  /** Listens on a random loopback port; concurrency tests go through the real HTTP server. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function startTestApp(
  backend: BackendName,
  env: Record<string, string> = {},
  database?: TestDatabase,
  options: Pick<BuildOptions, 'clock'> = {},
): Promise<TestApp> {
  const db = database ?? (await createTestDatabase(backend));
  const config = loadConfig({
    DATABASE_URL: db.url,
    DEMO_PARTICIPANTS: '0',
    LOG_LEVEL: 'silent',
    TAPIOCA_ADMIN_KEY: TEST_ADMIN_KEY,
    ...env,
  });
  const app = await buildApp(config, options);
  const inject = async (method: string, url: string, body?: unknown, as: As = TEST_ADMIN_KEY) => {
    const response = await app.inject({
      method: method as 'GET',
      url,
      headers: authorization(as),
      ...(body === undefined ? {} : { payload: body as object }),
    });
    const text = response.body;
    const json = (response.headers['content-type'] ?? '').toString().includes('json');
    return { status: response.statusCode, body: text && json ? JSON.parse(text) : text || undefined, headers: response.headers };
  };
  return {
    app,
    database: db,
    inject,
    async createKey(role, participantId, name = `${role} key`) {
      const res = await inject('POST', '/keys', {
        role,
        name,
        ...(participantId === undefined ? {} : { participant_id: participantId }),
      });
      if (res.status !== 200) throw new Error(`creating a ${role} key failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.key as string;
    },
    async listen() {
      return app.listen({ port: 0, host: '127.0.0.1' });
    },
    async close() {
      await app.close();
      if (!database) await db.drop();
    },
  };
}

export interface ManualClock extends Clock {
  /** Moves the time on by `ms`, as if that long had passed. */
  advance(ms: number): void;
  set(millis: number): void;
}

/** A clock that stands still until told: cooldowns and expiries pass at once, without sleeping. */
export function manualClock(startMillis = Date.now()): ManualClock {
  let current = startMillis;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (millis) => {
      current = millis;
    },
  };
}

/** Opens the test database directly, for assertions the API does not expose. */
export function openTestDatabase(database: TestDatabase): DatabaseHandle {
  return openDatabase(database.url, { poolSize: 2 });
}

export async function httpJson<T = any>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  as: As = TEST_ADMIN_KEY,
): Promise<ApiResponse<T>> {
  const response = await fetch(base + path, {
    method,
    headers: { ...authorization(as), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: Object.fromEntries(response.headers) };
}

export const sampleParticipant = (n: number, skills = [{ skill: 'Python', rating: 4 }]) => ({
  name: `Test Person ${n}`,
  company: 'Acme',
  email: `person${n}@example.com`,
  phone: '+1-555-000-0000',
  skills,
});

export const CHALLENGE_FILE = new URL('../../shared/data/HTN_2023_BE_Challenge_Data.json', import.meta.url);

/** Whether a command-line tool runs here: `args` make it print its version and exit. */
export function toolInstalled(command: string, args: readonly string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Every participant (deleted ones too) with their balance and the sum of their ledger rows, which must agree. */
export async function ledgerBalances(db: Db): Promise<{ id: number; bbt_tokens: number; ledger: number }[]> {
  const rows = await db
    .selectFrom('participants')
    .leftJoin('token_ledger', 'token_ledger.participant_id', 'participants.id')
    .select(['participants.id', 'participants.bbt_tokens', sql<number>`coalesce(sum(token_ledger.amount), 0)`.as('ledger')])
    .groupBy(['participants.id', 'participants.bbt_tokens'])
    .execute();
  return rows.map((row) => ({ id: row.id, bbt_tokens: Number(row.bbt_tokens), ledger: Number(row.ledger) }));
}

/** Skill aggregates as stored (skills anyone holds) equal a recount from participant_skills. */
export async function assertSkillAggregatesExact({ db }: DatabaseHandle): Promise<void> {
  const stored = await db
    .selectFrom('skills')
    .select(['id', 'frequency', 'rating_sum'])
    .where('frequency', '>', 0)
    .orderBy('id')
    .execute();
  const recount = await db
    .selectFrom('participant_skills')
    .select(['skill_id as id', sql<number>`count(*)`.as('frequency'), sql<number>`sum(rating)`.as('rating_sum')])
    .groupBy('skill_id')
    .orderBy('skill_id')
    .execute();
  assert.deepEqual(stored, recount);
}
