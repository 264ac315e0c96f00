import type { Static } from 'typebox';
import type { Clock } from '../../clock.js';
import type { BobaConfig } from '../../config.js';
import type { TransactionRunner } from '../../db/transactions.js';
import type { Db } from '../../db/tables.js';
import { forbidden, rejected } from '../../errors.js';
import type { BadgeSigner } from '../badges/badge-signing.js';
import { findBadgeVersion } from '../badges/badges.repository.js';
import { participantForBadge } from '../badges/badges.service.js';
import { auditStaffChange } from '../audit/audit.service.js';
import { recordEvents, tokensEvent } from '../events/events.repository.js';
import { enqueueWebhookEvent } from '../webhooks/webhooks.outbox.js';
import type { Actor } from '../keys/keys.service.js';
import { participantNotFound } from '../participants/participants.errors.js';
import * as repository from './tokens.repository.js';
import type * as schemas from './tokens.schemas.js';
import { toIso } from '../../http/instants.js';
import { isLiveCode } from '../../shared/totp.js';

type ExchangeResult = Static<typeof schemas.ExchangeResult>;

export interface ExchangeRequest {
  participant1Id?: number;
  participant2Id?: number;
  participant2Badge?: string;
  /** The live code on participant 2's phone, read with their badge. */
  participant2Code?: string;
}

type GrantResult = Static<typeof schemas.GrantResult>;
type TokenHistory = Static<typeof schemas.TokenHistory>;
type LedgerView = TokenHistory['entries'][number];

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
  created_at: toIso(row.created_at),
});

export class TokensService {
  constructor(
    private readonly db: Db,
    private readonly transact: TransactionRunner,
    private readonly boba: BobaConfig,
    private readonly signer: BadgeSigner,
    private readonly clock: Clock,
    /** EXCHANGE_REQUIRES_LIVE_CODE: a participant's exchange by badge needs participant 2's live code. */
    private readonly liveCodeRequired: boolean,
  ) {}

  /**
   * Works out who exchanges with whom. A participant key is always participant 1 and must name participant 2
   * by their badge code, which only meeting them gives: bare ids would let two friends farm from their sofas.
   */
  async resolveExchange(request: ExchangeRequest, actor: Actor): Promise<[number, number]> {
    const hasId2 = request.participant2Id !== undefined;
    const hasBadge2 = request.participant2Badge !== undefined;
    if (hasId2 && hasBadge2) throw rejected('ambiguous_partner', 'Give participant_2_id or participant_2_badge, not both');
    if (actor.role === 'participant') {
      if (request.participant1Id !== undefined && request.participant1Id !== actor.participantId) throw forbidden('not_self');
      if (hasId2) throw forbidden('badge_required');
    }
    const participant1 = actor.role === 'participant' ? (actor.participantId as number) : request.participant1Id;
    if (participant1 === undefined) throw rejected('participant_required', 'participant_1_id required');
    if (!hasId2 && !hasBadge2) throw rejected('partner_required', 'participant_2_id or participant_2_badge required');
    const participant2 = hasBadge2
      ? await participantForBadge(this.db, this.signer, request.participant2Badge as string)
      : (request.participant2Id as number);
    return [participant1, participant2];
  }

  /**
   * Gives each of two participants one token. Both rows are locked in ascending id order (no deadlock on
   * PostgreSQL) before the pair limit and cooldown are checked, so racing exchanges see each other's result.
   */
  async exchange(request: ExchangeRequest, actor: Actor): Promise<ExchangeResult> {
    const [participant1, participant2] = await this.resolveExchange(request, actor);
    if (participant1 === participant2) throw rejected('self_exchange', 'Cannot exchange tokens with yourself');
    if (this.liveCodeRequired && actor.role === 'participant') await this.checkLiveCode(participant2, request.participant2Code);
    const [low, high] = participant1 < participant2 ? [participant1, participant2] : [participant2, participant1];
    return this.transact(async (trx) => {
      const lockedLow = await repository.lockForExchange(trx, low);
      const lockedHigh = await repository.lockForExchange(trx, high);
      if (!lockedLow || !lockedHigh) throw participantNotFound();
      const now = this.clock.now();
      const cooldownMs = this.boba.cooldownSeconds * 1000;
      const [locked1, locked2] = participant1 === low ? [lockedLow, lockedHigh] : [lockedHigh, lockedLow];
      // The pair limit first: waiting out the cooldown would not help a pair that has used up its exchanges.
      const limit = this.boba.pairExchanges;
      if (limit > 0 && (await repository.pairExchangeCount(trx, low, high)) >= limit) {
        throw rejected(
          'pair_limit',
          limit === 1
            ? 'These participants have already exchanged tokens'
            : `These participants have already exchanged tokens ${limit} times`,
        );
      }
      for (const [position, locked] of [
        [1, locked1],
        [2, locked2],
      ] as const) {
        if (locked.last_exchange_at !== null && now - locked.last_exchange_at < cooldownMs) {
          throw rejected('cooldown', `Participant ${position} has not waited long enough to exchange tokens`);
        }
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
        actor,
        now,
      );
      await recordEvents(trx, [tokensEvent(low, newLow), tokensEvent(high, newHigh)], now);
      await auditStaffChange(
        trx,
        actor,
        { action: 'tokens.exchange', target: `participant:${participant1}`, after: { partner_id: participant2 } },
        now,
      );
      return {
        success: 'Tokens exchanged' as const,
        new_tokens_1: participant1 === low ? newLow : newHigh,
        new_tokens_2: participant2 === low ? newLow : newHigh,
        participant_2_name: locked2.name,
      };
    });
  }

  /**
   * A badge alone can be a printed copy or a screenshot passed around online; the code on participant 2's phone,
   * good for this 30 s step and the one before, shows they stand here now.
   */
  private async checkLiveCode(participant2: number, code: string | undefined): Promise<void> {
    const version = await findBadgeVersion(this.db, participant2);
    if (version === undefined) throw participantNotFound();
    const secret = this.signer.liveCodeSecret(participant2, version);
    if (code === undefined || !isLiveCode(secret, code, this.clock.now())) {
      throw rejected('stale_code', 'No live code, or an old one: ask them to show the live code on their phone');
    }
  }

  async grant(participantId: number, tokens: number, actor: Actor): Promise<GrantResult> {
    const max = this.boba.maxGrant;
    if (!Number.isSafeInteger(tokens) || tokens === 0 || Math.abs(tokens) > max) {
      throw rejected('invalid_grant', `tokens must be a non-zero integer from -${max} to ${max}`);
    }
    return this.transact(async (trx) => {
      const now = this.clock.now();
      const balance = await repository.changeBalance(trx, participantId, tokens, now);
      if (balance === undefined) {
        if ((await repository.findBalance(trx, participantId)) === undefined) throw participantNotFound();
        throw rejected('negative_balance', 'Not enough tokens to take away');
      }
      await repository.appendLedger(trx, [{ participantId, amount: tokens, kind: 'grant' }], actor, now);
      await recordEvents(trx, [tokensEvent(participantId, balance)], now);
      await auditStaffChange(
        trx,
        actor,
        {
          action: 'tokens.grant',
          target: `participant:${participantId}`,
          before: { bbt_tokens: balance - tokens },
          after: { bbt_tokens: balance },
        },
        now,
      );
      await enqueueWebhookEvent(trx, 'tokens.granted', { participant_id: participantId, amount: tokens, balance }, now);
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
