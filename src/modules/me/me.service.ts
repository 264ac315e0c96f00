import type { Static } from 'typebox';
import type { BadgesService } from '../badges/badges.service.js';
import type { BobaService } from '../boba/boba.service.js';
import type { CheckInService } from '../checkin/checkin.service.js';
import type { Actor } from '../keys/keys.service.js';
import type { ParticipantsService } from '../participants/participants.service.js';
import type * as schemas from './me.schemas.js';

type MeView = Static<typeof schemas.Me>;

/** Everything the caller's key stands for, in one answer: the web app's start screen. */
export class MeService {
  constructor(
    private readonly participants: ParticipantsService,
    private readonly checkIns: CheckInService,
    private readonly boba: BobaService,
    private readonly badges: BadgesService,
  ) {}

  async describe(actor: Actor): Promise<MeView> {
    const key = { id: actor.keyId, name: actor.name, role: actor.role, participant_id: actor.participantId };
    const id = actor.participantId;
    if (id === null) return { key, participant: null, check_in: null, orders: null, badge: null };
    const [participant, checkIn, orders, badge] = await Promise.all([
      this.participants.get(id),
      this.checkIns.status(id),
      this.boba.list({}, actor),
      this.badges.badgeOf(id),
    ]);
    return { key, participant: { id, ...participant }, check_in: checkIn, orders, badge };
  }
}
