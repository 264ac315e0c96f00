import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../free-port.js';
import { ROOT, waitUntilReady } from '../server-process.js';

/** How much of Caddy's log is kept for an error message: with its access log it writes a line per request. */
const LOG_TAIL_CHARS = 8000;

export interface CaddySettings {
  /** TAPIOCA_SITE: `https://localhost:<port>` (with `tls internal`) or `http://127.0.0.1:<port>`. */
  site: string;
  /** TAPIOCA_UPSTREAMS: each API process as host:port. */
  upstreams: readonly string[];
  /** Where Caddy keeps its CA, certificates and autosaved configuration (XDG_DATA_HOME and XDG_CONFIG_HOME). */
  dataDir: string;
  /** Answers true once Caddy serves the site as the caller wants; an exception counts as not yet. */
  ready: () => Promise<boolean>;
}

/**
 * Runs deploy/Caddyfile with `caddy run`, its port for plain HTTP on a free port and its admin API off, so
 * that it takes nothing of a Caddy already running on this machine. Hands the process to `onSpawn` at once
 * (whoever started it stops it, also when it never comes up), then polls `ready` until it answers true.
 */
export async function startCaddy(
  settings: CaddySettings,
  onSpawn: (caddy: ChildProcess) => void,
  timeoutMs = 30_000,
): Promise<ChildProcess> {
  const caddy = spawn('caddy', ['run', '--config', join(ROOT, 'deploy/Caddyfile'), '--adapter', 'caddyfile'], {
    env: {
      ...process.env,
      TAPIOCA_SITE: settings.site,
      TAPIOCA_UPSTREAMS: settings.upstreams.join(' '),
      TAPIOCA_HTTP_PORT: String(await freePort()),
      TAPIOCA_CADDY_ADMIN: 'off',
      XDG_DATA_HOME: settings.dataDir,
      XDG_CONFIG_HOME: settings.dataDir,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  onSpawn(caddy);
  let log = '';
  caddy.stderr.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-LOG_TAIL_CHARS)));
  await waitUntilReady(caddy, 'Caddy', settings.ready, timeoutMs, () => `:\n${log}`);
  return caddy;
}
