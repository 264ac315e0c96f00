import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateParticipants } from '../src/demo/generate-participants.js';

const USAGE = 'usage: npx tsx scripts/generate-participants.ts COUNT OUT.json [--seed N]';

/**
 * Writes COUNT participants in the challenge file's format (a JSON array) to OUT.json, for `npm run import`
 * and the benchmarks. The same count and seed always give the same file; e-mails are unique.
 */
function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { seed: { type: 'string', default: '2023' } } });
  const [countText, out] = positionals;
  if (!countText || !/^\d+$/.test(countText) || !out || !/^\d+$/.test(values.seed)) throw new Error(USAGE);
  const participants = generateParticipants(Number(countText), Number(values.seed));
  writeFileSync(out, JSON.stringify(participants));
  console.log(`wrote ${participants.length} participants to ${out}`);
}

try {
  main();
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
