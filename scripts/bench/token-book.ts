export type WriteKind = 'grant' | 'order' | 'exchange';

/** What one write does to balances if (and only if) it is answered 200: signed amounts per participant. */
export interface TokenMove {
  kind: WriteKind;
  changes: ReadonlyArray<readonly [participantId: number, amount: number]>;
}

/**
 * The token movements the bench itself saw: every write is entered when sent and settled by its own
 * response (autocannon's per-request onResponse, paired through the per-connection context, not the run's
 * counters), so warm-ups, probes and set-up calls count too, and a request that never got an answer stays
 * pending instead of being silently counted as failed or as done.
 */
export class TokenBook {
  /** Net change per participant from the writes answered 200. */
  readonly change = new Map<number, number>();
  readonly ok: Record<WriteKind, number> = { grant: 0, order: 0, exchange: 0 };
  /** Tokens given by the grants answered 200. */
  grantedTokens = 0;
  /** Statuses other than 200, per kind. */
  readonly refused: Record<WriteKind, Map<number, number>> = { grant: new Map(), order: new Map(), exchange: new Map() };
  private readonly pending = new Set<TokenMove>();

  sent(move: TokenMove): void {
    this.pending.add(move);
  }

  answered(move: TokenMove, status: number): void {
    if (!this.pending.delete(move)) return;
    if (status !== 200) {
      const refused = this.refused[move.kind];
      refused.set(status, (refused.get(status) ?? 0) + 1);
      return;
    }
    this.ok[move.kind] += 1;
    for (const [participantId, amount] of move.changes) {
      this.change.set(participantId, (this.change.get(participantId) ?? 0) + amount);
      if (move.kind === 'grant') this.grantedTokens += amount;
    }
  }

  /** Writes sent that never got a response (connection errors, timeouts): applied or not, nobody knows. */
  unanswered(): TokenMove[] {
    return [...this.pending];
  }
}
