import type { BobaConfig } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { LedgerKind } from '../../db/tables.js';
import { rejected } from '../../errors.js';
import { participantNotFound } from '../participants/participants.service.js';
import * as repository from './tokens.repository.js';

export interface ExchangeResult {
  success: 'Tokens exchanged';
  new_tokens_1: number;
  new_tokens_2: number;
}

export interface GrantResult {
  success: 'Tokens given';
  new_tokens: number;
}

export interface LedgerView {
  id: number;
  amount: number;
  kind: LedgerKind;
  reference: { type: 'order' | 'participant'; id: number } | null;
  created_at: string;
}

export interface TokenHistory {
  participant_id: number;
  bbt_tokens: number;
  entries: LedgerView[];
}

const toLedgerView = (row: repository.LedgerRow): LedgerView => ({
  id: row.id,
  amount: row.amount,
  kind: row.kind,
  reference:
    row.order_id !== null
      ? { type: 'order', id: row.order_id }
      : row.counterpart_id !== null
        ? { type: 'participant', id: row.counterpart_id }
        : null,
  created_at: new Date(row.created_at).toISOString(),
});

export class TokensService {
  constructor(
    private readonly db: Db,
    private readonly boba: BobaConfig,
  ) {}

  /**
   * Gives each of two participants one token. Both rows are locked in ascending id order (no deadlock on
   * PostgreSQL) before the cooldown and pair limit are checked, so racing exchanges see each other's result.
   */
  async exchange(participant1: number, participant2: number): Promise<ExchangeResult> {
    if (participant1 === participant2) throw rejected('self_exchange', 'Cannot exchange tokens with yourself');
    const [low, high] = participant1 < participant2 ? [participant1, participant2] : [participant2, participant1];
    return this.db.transaction().execute(async (trx) => {
      const lockedLow = await repository.lockForExchange(trx, low);
      const lockedHigh = await repository.lockForExchange(trx, high);
      if (!lockedLow || !lockedHigh) throw participantNotFound();
      const now = Date.now();
      const cooldownMs = this.boba.cooldownSeconds * 1000;
      for (const [position, locked] of [
        [1, participant1 === low ? lockedLow : lockedHigh],
        [2, participant2 === low ? lockedLow : lockedHigh],
      ] as const) {
        if (locked.last_exchange_at !== null && now - locked.last_exchange_at < cooldownMs) {
          throw rejected('cooldown', `Participant ${position} has not waited long enough to exchange tokens`);
        }
      }
      const limit = this.boba.pairExchanges;
      if (limit > 0 && (await repository.pairExchangeCount(trx, low, high)) >= limit) {
        throw rejected(
          'pair_limit',
          limit === 1
            ? 'These participants have already exchanged tokens'
            : `These participants have already exchanged tokens ${limit} times`,
        );
      }
      await repository.countPairExchange(trx, low, high, now);
      const newLow = await repository.recordExchange(trx, low, now);
      const newHigh = await repository.recordExchange(trx, high, now);
      await repository.appendLedger(
        trx,
        [
          { participantId: low, amount: 1, kind: 'exchange', counterpartId: high },
          { participantId: high, amount: 1, kind: 'exchange', counterpartId: low },
        ],
        now,
      );
      return {
        success: 'Tokens exchanged' as const,
        new_tokens_1: participant1 === low ? newLow : newHigh,
        new_tokens_2: participant2 === low ? newLow : newHigh,
      };
    });
  }

  async grant(participantId: number, tokens: number): Promise<GrantResult> {
    const max = this.boba.maxGrant;
    if (!Number.isSafeInteger(tokens) || tokens === 0 || Math.abs(tokens) > max) {
      throw rejected('invalid_grant', `tokens must be a non-zero integer from -${max} to ${max}`);
    }
    return this.db.transaction().execute(async (trx) => {
      const now = Date.now();
      const balance = await repository.changeBalance(trx, participantId, tokens, now);
      if (balance === undefined) {
        if ((await repository.findBalance(trx, participantId)) === undefined) throw participantNotFound();
        throw rejected('negative_balance', 'Not enough tokens to take away');
      }
      await repository.appendLedger(trx, [{ participantId, amount: tokens, kind: 'grant' }], now);
      return { success: 'Tokens given' as const, new_tokens: balance };
    });
  }

  async history(participantId: number, page: number, pageSize: number): Promise<TokenHistory> {
    const balance = await repository.findBalance(this.db, participantId);
    if (balance === undefined) throw participantNotFound();
    const rows = await repository.findLedgerPage(this.db, participantId, {
      limit: pageSize,
      offset: (page - 1) * pageSize,
    });
    return { participant_id: participantId, bbt_tokens: balance, entries: rows.map(toLedgerView) };
  }
}
