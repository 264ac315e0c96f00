import { type ChildProcess, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { runToEnd, spawnTs, waitForHealth } from '../server-process.js';
import { ADMIN_KEY, sendRaw } from './http.js';
import type { BobaSettings } from './route.js';

/** Raised for the bench's server so the orders' top-up takes a few grants per participant, not thousands. */
const BENCH_MAX_GRANT = 1_000_000;

/**
 * With two or more cores and taskset, the server gets core 1 and this load generator core 0, so the two
 * do not take turns on one core: the figures move far less between runs. Pins this process; answers
 * whether the cores are pinned.
 */
export function pinCores(): boolean {
  const pinned = availableParallelism() >= 2 && spawnSync('taskset', ['--version']).status === 0;
  if (pinned) spawnSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' });
  return pinned;
}

export interface ServerSettings {
  databaseUrl: string;
  port: number;
  /** Demo participants the server generates on an empty database (0 when the data was imported). */
  demoParticipants: number;
  pinned: boolean;
  /** Behind Caddy: TRUST_PROXY=127.0.0.1, as deploy/Caddyfile asks of every API process. */
  trustProxy?: boolean;
}

/** The server's environment: the bench's admin key and the boba settings the write routes need. */
function serverEnv(settings: ServerSettings): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DATABASE_URL: settings.databaseUrl,
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: String(settings.port),
    DEMO_PARTICIPANTS: String(settings.demoParticipants),
    TAPIOCA_ADMIN_KEY: ADMIN_KEY,
    // 0: exchanges are measured for throughput; with the default 5 s cooldown a participant could exchange once
    // per run and the route would measure the refusals.
    BBT_TOKENS_COOLDOWN: '0',
    // 1 (the default): every exchange must be between a fresh pair, as the route's requests are.
    BBT_PAIR_EXCHANGES: '1',
    BBT_MAX_GRANT: String(BENCH_MAX_GRANT),
    ...(settings.trustProxy ? { TRUST_PROXY: '127.0.0.1' } : {}),
  };
}

/** Runs a TypeScript entry point of the project, pinned to core 1 when the cores are pinned. */
const spawnPinned = (file: string, args: string[], settings: ServerSettings): ChildProcess =>
  spawnTs(file, args, serverEnv(settings), { prefix: settings.pinned ? ['taskset', '-c', '1'] : [] });

/** Imports a challenge-format file into the bench's database with the import CLI. */
export async function importData(
  dataFile: string,
  settings: ServerSettings,
  onSpawn: (importer: ChildProcess) => void,
): Promise<void> {
  const importer = spawnPinned('src/cli/import.ts', [dataFile], settings);
  onSpawn(importer);
  await runToEnd(importer, 'the import');
}

/** A server the bench started. */
export interface Instance {
  url: string;
  process: ChildProcess;
}

/** Starts the server, hands it to `onSpawn` at once (to be stopped however the run ends), waits until GET /health answers 200. */
export async function startServer(settings: ServerSettings, onSpawn: (server: ChildProcess) => void): Promise<Instance> {
  const url = `http://127.0.0.1:${settings.port}`;
  const server = spawnPinned('src/server.ts', [], settings);
  onSpawn(server);
  await waitForHealth(url, server);
  return { url, process: server };
}

/** Reads GET /boba_info and checks the server runs with what the write routes need. */
export async function readBobaSettings(baseUrl: string): Promise<BobaSettings> {
  const { status, text } = await sendRaw(baseUrl, 'GET', '/boba_info');
  if (status !== 200) throw new Error(`GET /boba_info answered ${status}: ${text}`);
  const info = JSON.parse(text) as Record<string, unknown>;
  // What the bench set for the server, for a field the answer lacks.
  const field = (name: string, otherwise: number) => (typeof info[name] === 'number' ? info[name] : otherwise);
  const boba = {
    tokensPerOrder: field('boba_tokens_per_order', 5),
    cooldownSeconds: field('boba_tokens_cooldown', 0),
    maxGrant: field('boba_max_grant', BENCH_MAX_GRANT),
    pairExchanges: field('boba_pair_exchanges', 1),
  };
  if (boba.cooldownSeconds !== 0 || boba.pairExchanges !== 1) {
    throw new Error(
      `the server reports a cooldown of ${boba.cooldownSeconds} s and a pair limit of ${boba.pairExchanges}; the bench needs 0 and 1`,
    );
  }
  return boba;
}
