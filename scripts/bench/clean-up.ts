import type { ChildProcess } from 'node:child_process';
import { stopServer } from '../server-process.js';

/**
 * What the bench must undo however its run ends (finished, failed or interrupted): the processes it started,
 * stopped last started first, then the rest (its database or directory), also last added first.
 */
export class CleanUp {
  readonly #processes: ChildProcess[] = [];
  readonly #steps: Array<() => Promise<void>> = [];

  /** Registers a process as soon as it is spawned, so that an interrupted start still stops it. */
  readonly process = (child: ChildProcess): void => {
    this.#processes.push(child);
  };

  add(step: () => Promise<void>): void {
    this.#steps.push(step);
  }

  /** Stops every process started so far (SIGTERM, SIGKILL after 10 s); those that have exited are skipped. */
  async stopProcesses(): Promise<void> {
    for (const child of [...this.#processes].reverse()) await stopServer(child);
  }

  async run(): Promise<void> {
    await this.stopProcesses();
    for (let step = this.#steps.pop(); step; step = this.#steps.pop()) {
      try {
        await step();
      } catch (error) {
        console.error('clean-up failed:', error instanceof Error ? error.message : error);
      }
    }
  }

  /** Cleans up and exits 130 on SIGINT or SIGTERM; answers what removes the handlers. */
  onInterrupt(): () => void {
    // `on`, not `once`: under tsx a Ctrl-C arrives twice (from the terminal and relayed by tsx), and a second
    // signal without a listener would end this process before the servers are stopped and the files removed.
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      console.error(`\n${signal}: stopping the servers and cleaning up`);
      void this.run().finally(() => process.exit(130));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
  }
}
