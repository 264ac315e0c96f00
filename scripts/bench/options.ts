import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { envInt } from '../bench-env.js';

/** The bench's settings, from the environment (README, "Benchmark"). */
export interface BenchOptions {
  /** BENCH_SECONDS: measured seconds per route. */
  seconds: number;
  /** BENCH_WARMUP_SECONDS: unmeasured seconds before each measurement. */
  warmupSeconds: number;
  /** BENCH_CONNECTIONS: autocannon's concurrent connections. */
  connections: number;
  /** BENCH_DATA: the challenge-format file imported before the server starts. */
  dataFile: string;
  /** BENCH_DEMO_PARTICIPANTS: how many demo participants the server generates when the file is not used. */
  demoCount: number;
  /** False when BENCH_DEMO_PARTICIPANTS is set or the file is absent: the server generates demo data. */
  useDataFile: boolean;
  /** BENCH_ROUTES: texts that choose routes by name (all routes when unset). */
  routeFilter: string | undefined;
  /** BENCH_STRICT=1: exit 1 when a target is missed. */
  strict: boolean;
  /**
   * BENCH_DATABASE: `sqlite` (the default), one instance on a SQLite file; or `postgres`, the scale-out
   * figure: one instance directly, then behind Caddy, then two behind Caddy, on one PostgreSQL database.
   */
  database: 'sqlite' | 'postgres';
  /** BENCH_POSTGRES_URL: the PostgreSQL server the bench creates its database on (and drops it from). */
  postgresUrl: string;
}

const DEFAULT_DATA_FILE = fileURLToPath(new URL('../../../shared/data/HTN_2023_BE_Challenge_Data.json', import.meta.url));

export function readOptions(): BenchOptions {
  const dataFile = process.env.BENCH_DATA || DEFAULT_DATA_FILE;
  const database = process.env.BENCH_DATABASE?.trim() || 'sqlite';
  if (database !== 'sqlite' && database !== 'postgres') {
    throw new Error(`BENCH_DATABASE must be sqlite or postgres, got "${database}"`);
  }
  return {
    seconds: envInt('BENCH_SECONDS', 10, 1),
    warmupSeconds: envInt('BENCH_WARMUP_SECONDS', 2, 0),
    connections: envInt('BENCH_CONNECTIONS', 50, 1),
    dataFile,
    demoCount: envInt('BENCH_DEMO_PARTICIPANTS', 1000, 1),
    useDataFile: !process.env.BENCH_DEMO_PARTICIPANTS && existsSync(dataFile),
    routeFilter: process.env.BENCH_ROUTES,
    strict: process.env.BENCH_STRICT === '1',
    database,
    postgresUrl: process.env.BENCH_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432',
  };
}
