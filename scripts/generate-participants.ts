import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import { generateParticipants } from '../src/demo/generate-participants.js';
import type { ParticipantInput } from '../src/modules/participants/participants.service.js';

const USAGE = 'usage: npx tsx scripts/generate-participants.ts COUNT OUT.json|OUT.csv [--seed N]';

/** As a registration tool exports them: the headers a Google Form gives, skills as `Python:4; SQL:3`. */
function asCsv(participants: ParticipantInput[]): string {
  const rows = participants.map((p) => [
    p.name,
    p.email,
    p.phone,
    p.company,
    (p.skills ?? []).map(({ skill, rating }) => `${skill}:${rating}`).join('; '),
    p.dietary_restrictions ?? '',
  ]);
  return stringify(rows, {
    header: true,
    columns: ['Full Name', 'Email Address', 'Phone Number', 'School', 'Skills', 'Dietary Restrictions'],
  });
}

/**
 * Writes COUNT participants to OUT, in the challenge file's format (a JSON array) or, for a name ending in
 * .csv, as a registration tool's CSV export, for `npm run import` and the benchmarks. The same count and seed
 * always give the same file; e-mails are unique.
 */
function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { seed: { type: 'string', default: '2023' } } });
  const [countText, out] = positionals;
  if (!countText || !/^\d+$/.test(countText) || !out || !/^\d+$/.test(values.seed)) throw new Error(USAGE);
  const participants = generateParticipants(Number(countText), Number(values.seed));
  writeFileSync(out, out.toLowerCase().endsWith('.csv') ? asCsv(participants) : JSON.stringify(participants));
  console.log(`wrote ${participants.length} participants to ${out}`);
}

try {
  main();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
