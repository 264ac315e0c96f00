import type { Clock } from '../clock.js';
import type { Db } from '../db/tables.js';
import { insertCheckpoint, type NewCheckpointRow } from '../modules/checkpoints/checkpoints.repository.js';

type DemoCheckpoint = Pick<NewCheckpointRow, 'name' | 'kind' | 'per_participant_limit' | 'capacity'>;

/** What a fresh demo event offers a volunteer to scan at: always open, each needing a check-in first. */
const DEMO_CHECKPOINTS: DemoCheckpoint[] = [
  { name: 'Lunch', kind: 'meal', per_participant_limit: 1, capacity: null },
  { name: 'Dinner', kind: 'meal', per_participant_limit: 1, capacity: null },
  { name: 'Intro to React workshop', kind: 'workshop', per_participant_limit: 1, capacity: 40 },
  { name: 'T-shirt table', kind: 'swag', per_participant_limit: 1, capacity: null },
];

export async function createDemoCheckpoints(db: Db, clock: Clock): Promise<void> {
  const now = clock.now();
  for (const checkpoint of DEMO_CHECKPOINTS) {
    await insertCheckpoint(db, { ...checkpoint, requires_check_in: 1, created_at: now, updated_at: now });
  }
}
