import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const execFileAsync = promisify(execFile);

/**
 * Runs a TypeScript entry point in the project as an operator would, as `npx tsx <args>` (the docs' way) or,
 * quicker, as `node --import tsx <args>`; resolves with the exit code and output whatever the code.
 */
export async function runTsx(args: string[], env: Record<string, string>, via: 'npx' | 'node' = 'node') {
  const [command, prefix] = via === 'npx' ? ['npx', ['tsx']] : [process.execPath, ['--import', 'tsx']];
  try {
    const { stdout, stderr } = await execFileAsync(command, [...prefix, ...args], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failure.code === 'number' ? failure.code : -1,
      stdout: failure.stdout ?? '',
      stderr: failure.stderr ?? '',
    };
  }
}
