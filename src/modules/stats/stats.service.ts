import type { Static } from 'typebox';
import type { Clock } from '../../clock.js';
import { BOBA_STATUSES, type Db } from '../../db/tables.js';
import { findCheckpoints } from '../checkpoints/checkpoints.repository.js';
import { countHardware } from '../hardware/hardware.repository.js';
import * as repository from './stats.repository.js';
import type * as schemas from './stats.schemas.js';
import { toIso } from '../../http/instants.js';

type Stats = Static<typeof schemas.Stats>;
type Attendance = Static<typeof schemas.Attendance>;

const TOP_SKILLS = 10;
/** How often counter rows of exited PostgreSQL backends are folded together. */
const FOLD_INTERVAL_MS = 60_000;

const totalOf = (buckets: Array<{ count: number }>) => buckets.reduce((sum, bucket) => sum + bucket.count, 0);

export class StatsService {
  private foldedAt = -Infinity;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  /** The organizers' dashboard figures, from counts the database keeps as it changes. */
  async current(): Promise<Stats> {
    const [{ counters, checkIns, checkedIn, checkpoints, hardware }, skills] = await Promise.all([
      this.counts(),
      repository.topSkills(this.db, TOP_SKILLS),
    ]);
    return {
      participants: counters.get('participants') ?? 0,
      checked_in: checkedIn,
      orders_by_status: Object.fromEntries(BOBA_STATUSES.map((status) => [status, counters.get(`order:${status}`) ?? 0])),
      tokens_in_circulation: counters.get('tokens') ?? 0,
      top_skills: skills.map((s) => ({
        skill: s.name,
        frequency: s.frequency,
        average_rating: Math.round((s.rating_sum / s.frequency) * 100) / 100,
      })),
      check_ins_over_time: checkIns.map((b) => ({ hour: toIso(b.hourStart), count: b.count })),
      checkpoints: checkpoints.map((c) => ({
        id: c.id,
        name: c.name,
        kind: c.kind,
        capacity: c.capacity,
        accepted: c.accepted_count,
        participants: c.participant_count,
        refused: c.refused_count,
        conflicts: c.conflict_count,
        archived: c.archived_at !== null,
      })),
      hardware,
    };
  }

  /**
   * The counts the dashboard and GET /metrics are made of: every counter the database keeps (stats_counters,
   * with `ledger:*` and `webhook:*` beside the dashboard's), check-ins per hour and in all, every checkpoint's
   * counters (archived too) and the hardware library's.
   */
  async counts() {
    const now = this.clock.now();
    if (now - this.foldedAt >= FOLD_INTERVAL_MS) {
      this.foldedAt = now;
      await repository.foldIdleShards(this.db);
    }
    const [counters, checkIns, checkpoints, hardware] = await Promise.all([
      repository.readCounters(this.db),
      repository.checkInsPerHour(this.db),
      findCheckpoints(this.db, true),
      countHardware(this.db, now),
    ]);
    return { counters, checkIns, checkedIn: totalOf(checkIns), checkpoints, hardware };
  }

  /** For a scanning station's "132 of 300": how many are registered and checked in. */
  async attendance(): Promise<Attendance> {
    const [counters, checkIns] = await Promise.all([repository.readCounters(this.db), repository.checkInsPerHour(this.db)]);
    return {
      participants: counters.get('participants') ?? 0,
      checked_in: totalOf(checkIns),
    };
  }
}
