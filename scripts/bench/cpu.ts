import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

interface ProcessTimes {
  command: string;
  parent: number;
  /** CPU seconds of the process itself. */
  own: number;
  /** CPU seconds of its children that have exited and been waited for. */
  reapedChildren: number;
}

/** A process's CPU times from /proc (Linux); undefined once it is gone. */
function timesOf(pid: number): ProcessTimes | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command is in parentheses and may hold spaces; the fields after it start with field 3 (state).
  const close = stat.lastIndexOf(')');
  const fields = stat
    .slice(close + 2)
    .split(' ')
    .map(Number);
  const field = (n: number) => fields[n - 3] ?? 0;
  return {
    command: stat.slice(stat.indexOf('(') + 1, close),
    parent: field(4),
    own: (field(14) + field(15)) / TICKS_PER_SECOND,
    reapedChildren: (field(16) + field(17)) / TICKS_PER_SECOND,
  };
}

/**
 * CPU seconds of every PostgreSQL process on this machine, whoever it serves, plus those of its backends that
 * have exited, which the postmaster (the postgres process whose parent is not one) was charged when it reaped them.
 */
function postgresSeconds(): number {
  const all = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => [Number(entry), timesOf(Number(entry))] as const);
  const isPostgres = new Set(all.filter(([, times]) => times?.command === 'postgres').map(([pid]) => pid));
  let seconds = 0;
  for (const [pid, times] of all) {
    if (!times || !isPostgres.has(pid)) continue;
    seconds += times.own + (isPostgres.has(times.parent) ? 0 : times.reapedChildren);
  }
  return seconds;
}

/** The processes whose CPU time is counted, by the name they are reported under (several pids add up). */
export type Watched = ReadonlyArray<{ name: string; pids: readonly number[] }>;

/** The names every account reports, in order: the watched processes, this process and PostgreSQL. */
export const LOAD_TOOL = 'load tool (this process)';
export const POSTGRES = 'PostgreSQL';

function secondsNow(watched: Watched): Map<string, number> {
  const now = new Map<string, number>();
  const usage = process.cpuUsage();
  now.set(LOAD_TOOL, (usage.user + usage.system) / 1e6);
  for (const { name, pids } of watched)
    now.set(
      name,
      pids.reduce((sum, pid) => sum + (timesOf(pid)?.own ?? 0), 0),
    );
  now.set(POSTGRES, postgresSeconds());
  return now;
}

/** CPU seconds per process over the work run through `during`, and the wall-clock seconds that work took. */
export class CpuAccount {
  wallSeconds = 0;
  readonly seconds = new Map<string, number>();

  constructor(private readonly watched: Watched) {}

  readonly during = async <T>(work: () => Promise<T>): Promise<T> => {
    const before = secondsNow(this.watched);
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.wallSeconds += (performance.now() - started) / 1000;
      for (const [name, seconds] of secondsNow(this.watched)) {
        this.seconds.set(name, (this.seconds.get(name) ?? 0) + seconds - (before.get(name) ?? 0));
      }
    }
  };
}
