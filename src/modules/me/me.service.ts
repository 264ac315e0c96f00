import type { Static } from 'typebox';
import { LIVE_CODE_ALGORITHM, LIVE_CODE_DIGITS, LIVE_CODE_PERIOD_SECONDS, bytesToBase32 } from '../../shared/totp.js';
import type { BadgeSigner } from '../badges/badge-signing.js';
import type { BadgesService } from '../badges/badges.service.js';
import type { BobaService } from '../boba/boba.service.js';
import type { CheckInService } from '../checkin/checkin.service.js';
import type { HardwareService } from '../hardware/hardware.service.js';
import type { Actor } from '../keys/keys.service.js';
import type { ParticipantsService } from '../participants/participants.service.js';
import type * as schemas from './me.schemas.js';

type MeView = Static<typeof schemas.Me>;
type LiveCodeView = Static<typeof schemas.LiveCode>;

/** Everything the caller's key stands for, in one answer: the web app's start screen. */
export class MeService {
  constructor(
    private readonly participants: ParticipantsService,
    private readonly checkIns: CheckInService,
    private readonly boba: BobaService,
    private readonly badges: BadgesService,
    private readonly hardware: HardwareService,
    private readonly signer: BadgeSigner,
  ) {}

  async describe(actor: Actor): Promise<MeView> {
    const key = { id: actor.keyId, name: actor.name, role: actor.role, participant_id: actor.participantId };
    const id = actor.participantId;
    if (id === null) return { key, participant: null, check_in: null, orders: null, loans: null, badge: null, live_code: null };
    const [participant, checkIn, orders, loans, badge] = await Promise.all([
      this.participants.get(id),
      this.checkIns.status(id),
      this.boba.list({}, actor),
      this.hardware.loansOf(id),
      this.badges.badgeOf(id),
    ]);
    return {
      key,
      participant: { id, ...participant },
      check_in: checkIn,
      orders,
      loans,
      badge,
      live_code: this.liveCode(id, badge.version),
    };
  }

  /** The secret of the badge version the answer carries, so the live code and the badge always belong together. */
  private liveCode(participantId: number, badgeVersion: number): LiveCodeView {
    return {
      secret: bytesToBase32(this.signer.liveCodeSecret(participantId, badgeVersion)),
      digits: LIVE_CODE_DIGITS,
      period: LIVE_CODE_PERIOD_SECONDS,
      algorithm: LIVE_CODE_ALGORITHM,
    };
  }
}
