/**
 * The server's memory when many large lists are read at once: starts the server on a database already holding
 * many participants (scripts/scale-data.ts) and reads `lists` lists of (nearly) everyone, `inFlight` at a time,
 * a write before every fourth so answers keep being read from the database; prints the RSS, now and at peak.
 *
 *   tsx scripts/scale-concurrent-lists.ts <database url> [inFlight=16] [lists=32]
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort } from './free-port.js';
import { memoryOf, spawnTs, stopServer, waitForHealth } from './server-process.js';

const [databaseUrl, inFlightArg = '16', listsArg = '32'] = process.argv.slice(2);
if (!databaseUrl) throw new Error('usage: tsx scripts/scale-concurrent-lists.ts <database url> [inFlight] [lists]');
const MB = 1024 * 1024;
const adminKey = randomBytes(32).toString('base64url');
const headers = { authorization: `Bearer ${adminKey}` };
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
let server: ChildProcess | undefined;
try {
  server = spawnTs('src/server.ts', [], {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    TAPIOCA_ADMIN_KEY: adminKey,
    DEMO_PARTICIPANTS: '0',
    LOG_LEVEL: 'warn',
  });
  const stop = () => void stopServer(server).then(() => process.exit(1));
  process.once('SIGINT', stop).once('SIGTERM', stop);
  await waitForHealth(base, server);
  const pid = server.pid as number;
  const lists = Number(listsArg);
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Number(inFlightArg) }, async () => {
      while (sent < lists) {
        const n = sent++;
        if (n % 4 === 0) {
          await fetch(`${base}/users/1`, {
            method: 'PUT',
            headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify({ company: `Concurrent ${n}` }),
          });
        }
        const path = [`/users?x=${n}`, `/users?q=a&n=${n}`, `/users?checked_in=false&x=${n}`, `/users?q=exa`][n % 4] as string;
        await (await fetch(base + path, { headers })).arrayBuffer();
      }
    }),
  );
  const { rss, peak } = memoryOf(pid);
  console.log(
    `${lists} lists, ${inFlightArg} in flight, in ${((performance.now() - started) / 1000).toFixed(0)} s: ` +
      `server RSS ${(rss / MB).toFixed(0)} MB, peak ${(peak / MB).toFixed(0)} MB`,
  );
} finally {
  await stopServer(server);
}
