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

export async function waitForHealth(baseUrl: string, server: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited with code ${server.exitCode} before it was ready`);
    try {
      if ((await fetch(`${baseUrl}/health`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`GET /health did not answer 200 within ${timeoutMs / 1000} s`);
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
