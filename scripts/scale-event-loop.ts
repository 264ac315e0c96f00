/**
 * How long a cold GET /users holds the event loop at most, in CPU time: the server runs in this process, and a
 * setImmediate chain notes the process's CPU time at every turn of the loop; the largest gap between two turns
 * is the longest stretch of work that let nothing else run. CPU time, unlike the /health latency measured by
 * `npm run bench:scale`, does not grow when a busy machine deschedules the process.
 *
 *   tsx scripts/scale-event-loop.ts <database url> [path=/users] [runs=3]
 */
import { randomBytes } from 'node:crypto';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';

const [databaseUrl, path = '/users', runsArg = '3'] = process.argv.slice(2);
if (!databaseUrl) throw new Error('usage: tsx scripts/scale-event-loop.ts <database url> [path] [runs]');
const adminKey = randomBytes(24).toString('base64url');
const app = await buildApp(
  loadConfig({ DATABASE_URL: databaseUrl, DEMO_PARTICIPANTS: '0', LOG_LEVEL: 'warn', TAPIOCA_ADMIN_KEY: adminKey, PORT: '0' }),
);
const base = await app.listen({ port: 0, host: '127.0.0.1' });
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

try {
  for (let run = 0; run < Number(runsArg); run++) {
    // A write first, so the answer is read from the database, not from the response cache.
    await fetch(`${base}/users/1`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ company: `Event loop ${Date.now()}` }),
    });
    let longest = 0;
    let turns = 0;
    let last = cpuMs();
    let metering = true;
    const meter = () => {
      const now = cpuMs();
      longest = Math.max(longest, now - last);
      last = now;
      turns += 1;
      if (metering) setImmediate(meter);
    };
    setImmediate(meter);
    const started = performance.now();
    const cpuStart = cpuMs();
    const body = await (await fetch(base + path, { headers: { authorization: `Bearer ${adminKey}` } })).text();
    metering = false;
    console.log(
      `GET ${path}: ${(body.length / 1024 / 1024).toFixed(1)} MB in ${(performance.now() - started).toFixed(0)} ms, ` +
        `${(cpuMs() - cpuStart).toFixed(0)} ms CPU (server and client); longest stretch without a turn of the event loop ` +
        `${longest.toFixed(1)} ms CPU, ${turns} turns`,
    );
  }
} finally {
  await app.close();
}
