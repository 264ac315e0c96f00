import type { Db } from '../../db/database.js';
import { rejected } from '../../errors.js';
import { participantNotFound } from '../participants/participants.service.js';
import * as repository from './checkin.repository.js';

export interface CheckInView {
  participant_id: number;
  checked_in: boolean;
  check_in_time?: number;
  volunteer_id?: number;
}

const toView = (participantId: number, row: repository.CheckInRow | undefined): CheckInView =>
  row
    ? {
        participant_id: participantId,
        checked_in: true,
        check_in_time: Math.floor(row.checked_in_at / 1000),
        volunteer_id: row.volunteer_id,
      }
    : { participant_id: participantId, checked_in: false };

export class CheckInService {
  constructor(private readonly db: Db) {}

  async status(participantId: number): Promise<CheckInView> {
    const found = await repository.findParticipantCheckIn(this.db, participantId);
    if (!found) throw participantNotFound();
    return toView(participantId, found.checkIn);
  }

  async checkIn(participantId: number, volunteerId: number): Promise<CheckInView> {
    if (!(await repository.participantExists(this.db, participantId))) throw participantNotFound();
    const row = await repository.insertCheckIn(this.db, {
      participant_id: participantId,
      checked_in_at: Date.now(),
      volunteer_id: volunteerId,
    });
    if (!row) throw rejected('already_checked_in', 'Already checked in');
    return toView(participantId, row);
  }
}
