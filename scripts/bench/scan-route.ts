import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database.js';
import { participantTallies } from '../scan-audit.js';
import { P99_MS, randomOf, type RouteBench, type StatusCounts } from './route.js';

const ACCEPTED = 201;
const REFUSED = 409;
const LIMIT = 1;

interface ScanAudit {
  /** checkpoint_participants rows. */
  participants: number;
  mostAccepted: number;
  overLimit: number;
  /** Rows whose accepted differs from a recount of the scans. */
  miscounted: number;
  accepted: number;
  refused: number;
  distinct: number;
  stored: { accepted: number; participants: number; refused: number };
}

/** Everything the check compares, read straight from the database with the server stopped. */
async function audit(databaseUrl: string, checkpointId: number): Promise<ScanAudit> {
  const handle = openDatabase(databaseUrl);
  const db = handle.db;
  try {
    const rows = (await participantTallies(db)).filter((row) => row.checkpoint_id === checkpointId);
    const scans = await db
      .selectFrom('checkpoint_scans')
      .select([
        sql<number>`sum(case when outcome = 'accepted' and annulled_at is null then 1 else 0 end)`.as('accepted'),
        sql<number>`sum(case when outcome = 'refused' then 1 else 0 end)`.as('refused'),
        sql<number>`count(distinct case when outcome = 'accepted' and annulled_at is null then participant_id end)`.as(
          'distinct',
        ),
      ])
      .where('checkpoint_id', '=', checkpointId)
      .executeTakeFirstOrThrow();
    const stored = await db
      .selectFrom('checkpoints')
      .select(['accepted_count', 'participant_count', 'refused_count'])
      .where('id', '=', checkpointId)
      .executeTakeFirstOrThrow();
    const accepted = rows.map((row) => row.accepted);
    return {
      participants: rows.length,
      mostAccepted: Math.max(0, ...accepted),
      overLimit: accepted.filter((n) => n > LIMIT).length,
      miscounted: rows.filter((row) => row.accepted !== row.recount).length,
      accepted: Number(scans.accepted ?? 0),
      refused: Number(scans.refused ?? 0),
      distinct: Number(scans.distinct ?? 0),
      stored: {
        accepted: Number(stored.accepted_count),
        participants: Number(stored.participant_count),
        refused: Number(stored.refused_count),
      },
    };
  } finally {
    await handle.destroy();
  }
}

/**
 * Scans at a meal with a limit of one per participant, each of a random participant with a fresh nonce: the
 * first scan of each participant is accepted, every later one refused (409 already_redeemed), so after the
 * first round nearly all are refusals, which are written too (a row and a counter each). No check-in is
 * required, so the scan reads only the participant and the checkpoint. Afterwards the database must show
 * nobody over the limit and counters equal to a recount, and agree with the 201s and 409s the bench saw.
 */
export function scanRoute(): RouteBench {
  const run = randomBytes(6).toString('base64url');
  let checkpointId = 0;
  const route: RouteBench = {
    name: 'POST /checkpoints/:id/scans (limit 1, random participants)',
    method: 'POST',
    path: '/checkpoints/:id/scans',
    drain: true,
    probeStatus: ACCEPTED,
    expectedStatuses: [ACCEPTED, REFUSED],
    async setup(ctx) {
      const { status, body } = await ctx.send('POST', '/checkpoints', {
        name: 'Bench lunch',
        kind: 'meal',
        per_participant_limit: LIMIT,
        requires_check_in: false,
      });
      if (status !== 201) throw new Error(`creating the checkpoint answered ${status}: ${JSON.stringify(body)}`);
      checkpointId = Number(Object.keys(body as object)[0]);
      route.path = `/checkpoints/${checkpointId}/scans`;
    },
    request: (n, ctx) => ({ body: { participant_id: randomOf(ctx.participantIds), nonce: `bench-${run}-${n}` } }),
    targets: { minRps: 2000, maxP99Ms: P99_MS },
    async check(databaseUrl, statuses: StatusCounts, report) {
      const found = await audit(databaseUrl, checkpointId);
      report(
        found.overLimit === 0 && found.miscounted === 0,
        `scans: no participant over the limit of ${LIMIT} (${found.participants} participants scanned in, ` +
          `most accepted scans of one participant ${found.mostAccepted}, ${found.overLimit} over the limit, ` +
          `${found.miscounted} whose count differs from their scans)`,
      );
      const recount = { accepted: found.accepted, participants: found.distinct, refused: found.refused };
      report(
        JSON.stringify(found.stored) === JSON.stringify(recount),
        `scans: the checkpoint's counters ${JSON.stringify(found.stored)} equal a recount of its scans ${JSON.stringify(recount)}`,
      );
      const seen = { accepted: statuses.get(ACCEPTED) ?? 0, refused: statuses.get(REFUSED) ?? 0 };
      report(
        seen.accepted === found.accepted && seen.refused === found.refused,
        `scans: ${found.accepted} accepted and ${found.refused} refused in the database; the bench was answered ` +
          `${seen.accepted} x ${ACCEPTED} and ${seen.refused} x ${REFUSED}`,
      );
    },
  };
  return route;
}
