/**
 * How fast the web app opens on a slow phone connection (issue 11): the real server and the built app
 * (web/dist), Debian's Chromium driven by playwright-core, every page throttled through CDP
 * Network.emulateNetworkConditions to 400 ms latency and 50,000 bytes/s each way. Prints the median of
 * RUNS runs (and every run) of:
 *   - cold load, hacker's sign-in link -> badge QR drawn                 (target <= 3.5 s)
 *   - cold load, volunteer's sign-in link -> taps "Door check-in" -> camera running (fake one)  (target <= 5 s)
 *   - warm reload of the badge (service worker and saved copy in place)  (target <= 1 s)
 *   - offline reload shows the badge                                     (yes/no)
 *   - JavaScript bytes over the wire before the hacker's badge shows     (target <= 110 KB)
 *
 *   npm run build:web && npm run measure:web-load [runs=3]
 */
import { type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { freePort } from './free-port.js';
import { ROOT, spawnTs, stopServer, waitForHealth } from './server-process.js';

const RUNS = Number(process.argv[2] ?? 3);
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ADMIN_KEY = 'measure-admin-key-0123456789abcdef';
const SLOW_NETWORK = { offline: false, latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 };
const STEP_TIMEOUT_MS = 30_000;

interface Keys {
  hacker: string;
  volunteer: string;
}

async function call<T>(base: string, method: string, path: string, body: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

async function createKeys(base: string): Promise<Keys> {
  const registered = await call<Record<string, unknown>>(base, 'POST', '/register', {
    name: 'Measure Hacker',
    company: 'Acme',
    email: 'measure@example.com',
    phone: '+1-555-000-0000',
    skills: [{ skill: 'Python', rating: 4 }],
  });
  const participantId = Number(Object.keys(registered)[0]);
  const hacker = await call<{ key: string }>(base, 'POST', '/keys', {
    role: 'participant',
    name: 'Measure Hacker',
    participant_id: participantId,
  });
  const volunteer = await call<{ key: string }>(base, 'POST', '/keys', { role: 'volunteer', name: 'Measure Volunteer' });
  return { hacker: hacker.key, volunteer: volunteer.key };
}

/** A fresh phone-sized context (empty HTTP cache, no service worker, no storage). */
async function phoneContext(browser: Browser, base: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 420, height: 860 }, locale: 'en-GB' });
  await context.grantPermissions(['camera'], { origin: base });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  return context;
}

/** A throttled page that counts the bytes (headers and body, as sent) of every script it loads. */
async function slowPage(context: BrowserContext): Promise<{ page: Page; scriptBytes: () => number }> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', SLOW_NETWORK);
  const scripts = new Set<string>();
  let bytes = 0;
  cdp.on('Network.responseReceived', (event) => {
    if (event.type === 'Script') scripts.add(event.requestId);
  });
  cdp.on('Network.loadingFinished', (event) => {
    if (scripts.has(event.requestId)) bytes += event.encodedDataLength;
  });
  return { page, scriptBytes: () => bytes };
}

const badgeDrawn = (page: Page) =>
  page.waitForFunction(
    () => {
      const image = document.querySelector<HTMLImageElement>('img.badge-image');
      return image !== null && image.complete && image.naturalWidth > 0;
    },
    undefined,
    { timeout: STEP_TIMEOUT_MS },
  );

async function timed(step: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await step();
  return performance.now() - start;
}

interface HackerRun {
  coldMs: number;
  scriptBytes: number;
  warmMs: number;
  offlineBadge: boolean;
}

async function hackerRun(browser: Browser, base: string, key: string): Promise<HackerRun> {
  const context = await phoneContext(browser, base);
  try {
    const { page, scriptBytes } = await slowPage(context);
    const coldMs = await timed(async () => {
      await page.goto(`/app/#key=${encodeURIComponent(key)}`, { waitUntil: 'commit' });
      await badgeDrawn(page);
    });
    const bytes = scriptBytes();
    // A warm reload is one with the service worker installed and in control.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: STEP_TIMEOUT_MS });
    const warmMs = await timed(async () => {
      await page.reload({ waitUntil: 'commit' });
      await badgeDrawn(page);
    });
    await context.setOffline(true);
    await page.reload({ waitUntil: 'commit' }).catch(() => undefined);
    const offlineBadge = await badgeDrawn(page).then(
      () => true,
      () => false,
    );
    return { coldMs, scriptBytes: bytes, warmMs, offlineBadge };
  } finally {
    await context.close();
  }
}

async function volunteerRun(browser: Browser, base: string, key: string): Promise<number> {
  const context = await phoneContext(browser, base);
  try {
    const { page } = await slowPage(context);
    return await timed(async () => {
      await page.goto(`/app/#key=${encodeURIComponent(key)}`, { waitUntil: 'commit' });
      // A phone new to the volunteer asks once where it stands (then remembers); the tap is part of the way in.
      await page.getByRole('button', { name: /^Door check-in/ }).click({ timeout: STEP_TIMEOUT_MS });
      await page.locator('.camera-running').waitFor({ timeout: STEP_TIMEOUT_MS });
    });
  } finally {
    await context.close();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const kilobytes = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

function report(hacker: HackerRun[], volunteerMs: number[]): void {
  const cold = median(hacker.map((run) => run.coldMs));
  const volunteer = median(volunteerMs);
  const warm = median(hacker.map((run) => run.warmMs));
  const bytes = median(hacker.map((run) => run.scriptBytes));
  const offline = hacker.every((run) => run.offlineBadge);
  const all = (values: number[], format: (value: number) => string) => values.map(format).join(', ');
  console.log(
    `network: ${SLOW_NETWORK.latency} ms latency, ${SLOW_NETWORK.downloadThroughput} bytes/s down and up; ${RUNS} runs, median`,
  );
  console.log(
    `cold load, hacker sign-in link -> badge QR:       ${seconds(cold)} (target <= 3.5 s, ${verdict(cold <= 3500)}) [${all(
      hacker.map((run) => run.coldMs),
      seconds,
    )}]`,
  );
  console.log(
    `cold load, volunteer sign-in link -> door picked -> camera ready: ${seconds(volunteer)} (target <= 5 s, ${verdict(volunteer <= 5000)}) [${all(volunteerMs, seconds)}]`,
  );
  console.log(
    `warm reload -> badge QR:                          ${seconds(warm)} (target <= 1 s, ${verdict(warm <= 1000)}) [${all(
      hacker.map((run) => run.warmMs),
      seconds,
    )}]`,
  );
  console.log(`offline reload shows the badge:                   ${offline ? 'yes' : 'no'}`);
  console.log(
    `JavaScript over the wire, hacker's first screen:  ${kilobytes(bytes)} (target <= 110 KB, ${verdict(bytes <= 110_000)}) [${all(
      hacker.map((run) => run.scriptBytes),
      kilobytes,
    )}]`,
  );
}

async function main(): Promise<void> {
  if (!existsSync(join(ROOT, 'web', 'dist', 'index.html'))) throw new Error('web/dist is missing: run npm run build:web first');
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH} (set CHROMIUM_PATH)`);
  const dir = mkdtempSync(join(tmpdir(), 'tapioca-web-load-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;
  try {
    server = spawnTs('src/server.ts', [], {
      ...process.env,
      DATABASE_URL: `sqlite:${join(dir, 'tapioca.db')}`,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: base,
      LOG_LEVEL: 'warn',
      DEMO_PARTICIPANTS: '0',
      TAPIOCA_ADMIN_KEY: ADMIN_KEY,
    });
    await waitForHealth(base, server);
    const keys = await createKeys(base);
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
    });
    const hacker: HackerRun[] = [];
    const volunteer: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      hacker.push(await hackerRun(browser, base, keys.hacker));
      volunteer.push(await volunteerRun(browser, base, keys.volunteer));
    }
    report(hacker, volunteer);
  } finally {
    await browser?.close();
    await stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
