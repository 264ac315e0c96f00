import type { Db } from '../../db/database.js';
import { BOBA_STATUSES, type BobaStatus } from '../../db/tables.js';
import * as repository from './stats.repository.js';

export interface Stats {
  participants: number;
  checked_in: number;
  orders_by_status: Record<BobaStatus, number>;
  tokens_in_circulation: number;
  top_skills: { skill: string; frequency: number; average_rating: number }[];
  check_ins_over_time: { hour: string; count: number }[];
}

const TOP_SKILLS = 10;

export class StatsService {
  constructor(private readonly db: Db) {}

  /** The organizers' dashboard figures, each read from the database as it is now. */
  async current(): Promise<Stats> {
    const [totals, orders, skills, checkIns] = await Promise.all([
      repository.participantTotals(this.db),
      repository.ordersByStatus(this.db),
      repository.topSkills(this.db, TOP_SKILLS),
      repository.checkInsPerHour(this.db),
    ]);
    const ordersByStatus = Object.fromEntries(BOBA_STATUSES.map((status) => [status, 0])) as Record<BobaStatus, number>;
    for (const { status, count } of orders) ordersByStatus[status] = count;
    return {
      participants: totals.participants,
      checked_in: checkIns.reduce((sum, bucket) => sum + bucket.count, 0),
      orders_by_status: ordersByStatus,
      tokens_in_circulation: totals.tokens,
      top_skills: skills.map((s) => ({
        skill: s.name,
        frequency: s.frequency,
        average_rating: Math.round((s.rating_sum / s.frequency) * 100) / 100,
      })),
      check_ins_over_time: checkIns.map((b) => ({ hour: new Date(b.hourStart).toISOString(), count: b.count })),
    };
  }
}
