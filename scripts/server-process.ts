import { type ChildProcess, spawn, type StdioOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The project's root, where the benchmarks run its entry points. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Runs a TypeScript entry point of the project with this Node and tsx's loader, optionally under a prefix (taskset). */
export function spawnTs(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  options: { prefix?: string[]; stdio?: StdioOptions } = {},
): ChildProcess {
  const [program, ...rest] = [...(options.prefix ?? []), process.execPath, '--import', 'tsx', file, ...args];
  return spawn(program as string, rest, { cwd: ROOT, env, stdio: options.stdio ?? ['ignore', 'inherit', 'inherit'] });
}

export async function runToEnd(child: ChildProcess, what: string): Promise<void> {
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (exitCode) => resolve(exitCode));
  });
  if (code !== 0) throw new Error(`${what} exited with code ${code}`);
}

/**
 * Polls `ready` every 200 ms until it answers true (an exception counts as not yet); fails when `child` exits
 * or cannot be started first, or when the time runs out. `detail` adds to the failure (a log's tail).
 */
export async function waitUntilReady(
  child: ChildProcess,
  what: string,
  ready: () => Promise<boolean>,
  timeoutMs: number,
  detail = () => '',
): Promise<void> {
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (spawnError) throw new Error(`${what} could not be started: ${spawnError.message}`);
    if (child.exitCode !== null) throw new Error(`${what} exited with code ${child.exitCode} before it was ready${detail()}`);
    try {
      if (await ready()) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${what} was not ready within ${timeoutMs / 1000} s${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Waits until the server's GET /health answers 200. */
export async function waitForHealth(baseUrl: string, server: ChildProcess, timeoutMs = 60_000): Promise<void> {
  await waitUntilReady(server, 'the server', async () => (await fetch(`${baseUrl}/health`)).status === 200, timeoutMs);
}

export async function stopServer(server: ChildProcess | undefined): Promise<void> {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** A process's resident memory now and at its peak, in bytes, from /proc (Linux). */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}
