/**
 * Fixed-window counter per client address. Per process: with several instances an attacker gets the limit
 * once per instance, which still bounds guessing; keys have 256 bits, so the limit is about noise, not secrecy.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Seconds until the client may try again, or 0 when it is under the limit. */
  retryAfter(client: string, now = Date.now()): number {
    const window = this.windows.get(client);
    if (!window || now - window.startedAt >= this.windowMs || window.count < this.max) return 0;
    return Math.max(1, Math.ceil((window.startedAt + this.windowMs - now) / 1000));
  }

  hit(client: string, now = Date.now()): void {
    const window = this.windows.get(client);
    if (!window || now - window.startedAt >= this.windowMs) {
      if (this.windows.size > 100_000) this.prune(now);
      this.windows.set(client, { startedAt: now, count: 1 });
    } else {
      window.count += 1;
    }
  }

  private prune(now: number): void {
    for (const [client, window] of this.windows) {
      if (now - window.startedAt >= this.windowMs) this.windows.delete(client);
    }
  }
}
