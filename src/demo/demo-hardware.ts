import type { Clock } from '../clock.js';
import type { Db } from '../db/tables.js';
import { insertItem, type NewItemRow } from '../modules/hardware/hardware.repository.js';

type DemoItem = Pick<NewItemRow, 'name' | 'description' | 'quantity' | 'per_participant_limit' | 'loan_minutes'>;

/** What a fresh demo event's hardware desk lends: a few of each, one per person, the headsets for two hours. */
const DEMO_ITEMS: DemoItem[] = [
  { name: 'Arduino Uno', description: 'With a USB cable', quantity: 20, per_participant_limit: 1, loan_minutes: null },
  {
    name: 'Raspberry Pi 4',
    description: '4 GB, with power supply and SD card',
    quantity: 8,
    per_participant_limit: 1,
    loan_minutes: null,
  },
  { name: 'Meta Quest 3', description: 'VR headset', quantity: 2, per_participant_limit: 1, loan_minutes: 120 },
  { name: 'Jumper wires', description: 'A bundle of 40', quantity: 50, per_participant_limit: 3, loan_minutes: null },
];

export async function createDemoHardware(db: Db, clock: Clock): Promise<void> {
  const now = clock.now();
  for (const item of DEMO_ITEMS) {
    await insertItem(db, { ...item, requires_check_in: 1, created_at: now, updated_at: now });
  }
}
