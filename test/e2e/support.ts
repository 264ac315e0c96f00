// End-to-end support: the real server in-process on a fresh SQLite file, Debian's Chromium driven by
// playwright-core, and a fake camera (a Y4M video made from the server's own badge PNG).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { httpJson, type ManualClock, manualClock, sampleParticipant, TEST_ADMIN_KEY } from '../helpers.js';
import { freePort } from '../../scripts/free-port.js';

type JsQr = typeof import('jsqr').default;
/**
 * jsQR, typed: its CommonJS typings declare `export default`, which NodeNext reads as a namespace
 * whose .default is the function, while at run time the module itself is the function.
 */
export const jsQR: JsQr = ((jsQRModule as unknown as { default?: JsQr }).default ?? jsQRModule) as unknown as JsQr;

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_INDEX = join(ROOT, 'web', 'dist', 'index.html');
export const SCREENSHOT_DIR = join(ROOT, 'test-output', 'e2e');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** One bound for every expectation and action in the browser: generous, never unbounded. */
export const TIMEOUT = 15_000;

/** Whether CI demands the browser suite (TEST_REQUIRE_BROWSER=1): then a missing piece fails, never skips. */
export const BROWSER_REQUIRED = process.env.TEST_REQUIRE_BROWSER === '1';

/** What the camera chain in Chromium needs that this machine lacks, or false. */
export function chromiumMissing(): string | false {
  if (existsSync(CHROMIUM_PATH)) return false;
  return `Chromium not found at ${CHROMIUM_PATH} (set CHROMIUM_PATH, or apt-get install chromium)`;
}

/** What the browser suite needs that this machine lacks (Chromium, the built web app), or false. */
export function webAppMissing(): string | false {
  const missing: string[] = [];
  const chromium = chromiumMissing();
  if (chromium) missing.push(chromium);
  if (!existsSync(WEB_INDEX)) missing.push(`the web app is not built (${WEB_INDEX} is missing: run npm run build:web)`);
  return missing.length > 0 ? missing.join('; ') : false;
}

/**
 * The skip option for a suite needing `missing`: the reason when the browser is optional, false when
 * the suite can run or when TEST_REQUIRE_BROWSER=1 (then requireAll below fails every test loudly).
 */
export const skipUnlessRequired = (missing: string | false): string | false => (BROWSER_REQUIRED ? false : missing);

/** A before() hook body: fails the suite, with the reason, when something it needs is missing. */
export function requireAll(missing: string | false): void {
  if (missing) throw new Error(`TEST_REQUIRE_BROWSER=1 but the end-to-end browser suite cannot run: ${missing}`);
}

export interface KeyInfo {
  id: number;
  name: string;
  key: string;
}

export interface Registered {
  id: number;
  name: string;
}

export interface E2eServer {
  app: FastifyInstance;
  /** http://127.0.0.1:<port>, also the server's PUBLIC_URL. */
  base: string;
  dir: string;
  /** The server's time: a scenario moves it on past a cooldown instead of waiting. */
  clock: ManualClock;
  api<T = any>(method: string, path: string, body?: unknown, as?: string | null): Promise<{ status: number; body: T }>;
  register(n: number, skills?: { skill: string; rating: number }[]): Promise<Registered>;
  createKey(role: 'admin' | 'volunteer' | 'participant', name: string, participantId?: number): Promise<KeyInfo>;
  badgePng(participantId: number): Promise<Buffer>;
  /** The code inside a participant's badge, through their own key (GET /me). */
  badgeOf(participantKey: string): Promise<{ badge: string; url: string }>;
  close(): Promise<void>;
}

/** The real server on a fresh SQLite database, listening on loopback, with a one-second exchange cooldown. */
export async function startServer(env: Record<string, string> = {}): Promise<E2eServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tapioca-e2e-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const config = loadConfig({
    DATABASE_URL: `sqlite:${join(dir, 'tapioca.db')}`,
    DEMO_PARTICIPANTS: '0',
    LOG_LEVEL: 'silent',
    TAPIOCA_ADMIN_KEY: TEST_ADMIN_KEY,
    PUBLIC_URL: base,
    BBT_TOKENS_COOLDOWN: '1',
    ...env,
  });
  const clock = manualClock();
  const app = await buildApp(config, { clock });
  try {
    await app.listen({ port, host: '127.0.0.1' });
  } catch (error) {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const api = async (method: string, path: string, body?: unknown, as: string | null = TEST_ADMIN_KEY) => {
    const res = await httpJson(base, method, path, body, as);
    return { status: res.status, body: res.body };
  };
  const ok = async (method: string, path: string, body?: unknown, as?: string | null) => {
    const res = await api(method, path, body, as);
    if (res.status !== 200) throw new Error(`${method} ${path} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };

  return {
    app,
    base,
    dir,
    clock,
    api,
    async register(n, skills) {
      const body = await ok('POST', '/register', sampleParticipant(n, skills));
      const [id, participant] = Object.entries(body)[0] as [string, { name: string }];
      return { id: Number(id), name: participant.name };
    },
    async createKey(role, name, participantId) {
      const body = await ok('POST', '/keys', {
        role,
        name,
        ...(participantId === undefined ? {} : { participant_id: participantId }),
      });
      return { id: body.id, name: body.name, key: body.key };
    },
    async badgePng(participantId) {
      const response = await fetch(`${base}/users/${participantId}/badge.png`, {
        headers: { authorization: `Bearer ${TEST_ADMIN_KEY}` },
      });
      if (response.status !== 200) throw new Error(`GET /users/${participantId}/badge.png failed: ${response.status}`);
      return Buffer.from(await response.arrayBuffer());
    },
    async badgeOf(participantKey) {
      const me = await ok('GET', '/me', undefined, participantKey);
      return { badge: me.badge.badge, url: me.badge.url };
    },
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Fake camera: Y4M (YUV4MPEG2, 4:2:0) video of a badge, which Chromium plays in a loop as the webcam.

export const VIDEO_WIDTH = 640;
export const VIDEO_HEIGHT = 480;
const Y4M_HEADER = `YUV4MPEG2 W${VIDEO_WIDTH} H${VIDEO_HEIGHT} F10:1 Ip A1:1 C420jpeg\n`;

export interface Rgba {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/**
 * The PNG drawn centred on a white 640x480 canvas, scaled (area average) to fit with a white border:
 * the 512 px badge is taller than the frame.
 */
export function badgeCanvas(png: Buffer, fit = 440): Rgba {
  const image = PNG.sync.read(png);
  const scale = Math.min(1, fit / image.width, fit / image.height);
  const w = Math.round(image.width * scale);
  const h = Math.round(image.height * scale);
  const left = Math.floor((VIDEO_WIDTH - w) / 2);
  const top = Math.floor((VIDEO_HEIGHT - h) / 2);
  const data = new Uint8ClampedArray(VIDEO_WIDTH * VIDEO_HEIGHT * 4).fill(255);
  for (let y = 0; y < h; y++) {
    const sy0 = Math.floor(y / scale);
    const sy1 = Math.max(sy0 + 1, Math.floor((y + 1) / scale));
    for (let x = 0; x < w; x++) {
      const sx0 = Math.floor(x / scale);
      const sx1 = Math.max(sx0 + 1, Math.floor((x + 1) / scale));
      const sum = [0, 0, 0];
      let count = 0;
      for (let sy = sy0; sy < Math.min(sy1, image.height); sy++) {
        for (let sx = sx0; sx < Math.min(sx1, image.width); sx++) {
          const i = (sy * image.width + sx) * 4;
          const alpha = image.data[i + 3]! / 255;
          // Transparent pixels are composited over white.
          for (let c = 0; c < 3; c++) sum[c]! += image.data[i + c]! * alpha + 255 * (1 - alpha);
          count++;
        }
      }
      const o = ((top + y) * VIDEO_WIDTH + left + x) * 4;
      for (let c = 0; c < 3; c++) data[o + c] = Math.round(sum[c]! / Math.max(1, count));
      data[o + 3] = 255;
    }
  }
  return { width: VIDEO_WIDTH, height: VIDEO_HEIGHT, data };
}

/** RGB to I420 (BT.601, studio range): a full-size Y plane, then quarter-size U and V planes. */
export function rgbaToI420({ width, height, data }: Rgba): Buffer {
  const cw = width / 2;
  const ch = height / 2;
  const frame = Buffer.alloc(width * height + 2 * cw * ch);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const r = data[i]!;
      const g = data[i + 1]!;
      const b = data[i + 2]!;
      frame[y * width + x] = clamp(16 + 0.257 * r + 0.504 * g + 0.098 * b);
    }
  }
  const uOffset = width * height;
  const vOffset = uOffset + cw * ch;
  for (let y = 0; y < ch; y++) {
    for (let x = 0; x < cw; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const i = ((2 * y + dy) * width + 2 * x + dx) * 4;
        r += data[i]!;
        g += data[i + 1]!;
        b += data[i + 2]!;
      }
      r /= 4;
      g /= 4;
      b /= 4;
      frame[uOffset + y * cw + x] = clamp(128 - 0.148 * r - 0.291 * g + 0.439 * b);
      frame[vOffset + y * cw + x] = clamp(128 + 0.439 * r - 0.368 * g - 0.071 * b);
    }
  }
  return frame;
}

/** I420 back to RGBA (BT.601, studio range), for checking a written video decodes. */
export function i420ToRgba(frame: Buffer, width: number, height: number): Rgba {
  const cw = width / 2;
  const uOffset = width * height;
  const vOffset = uOffset + cw * (height / 2);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = 1.164 * (frame[y * width + x]! - 16);
      const d = frame[uOffset + (y >> 1) * cw + (x >> 1)]! - 128;
      const e = frame[vOffset + (y >> 1) * cw + (x >> 1)]! - 128;
      const i = (y * width + x) * 4;
      data[i] = c + 1.596 * e;
      data[i + 1] = c - 0.392 * d - 0.813 * e;
      data[i + 2] = c + 2.017 * d;
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

/** Writes a Y4M file of identical frames of the badge PNG; returns its path. */
export function writeBadgeVideo(png: Buffer, path: string, frames = 10): string {
  const frame = rgbaToI420(badgeCanvas(png));
  const parts: Buffer[] = [Buffer.from(Y4M_HEADER, 'ascii')];
  for (let n = 0; n < frames; n++) parts.push(Buffer.from('FRAME\n', 'ascii'), frame);
  writeFileSync(path, Buffer.concat(parts));
  return path;
}

/** Reads a Y4M file written above: its size, frame count and first frame as RGBA. */
export function readY4m(path: string): { width: number; height: number; frames: number; first: Rgba } {
  const file = readFileSync(path);
  const headerEnd = file.indexOf(0x0a);
  const header = file.subarray(0, headerEnd).toString('ascii');
  if (!header.startsWith('YUV4MPEG2 ')) throw new Error(`not a Y4M file: ${header}`);
  const width = Number(/ W(\d+)/.exec(header)?.[1]);
  const height = Number(/ H(\d+)/.exec(header)?.[1]);
  const frameSize = width * height * 1.5;
  let offset = headerEnd + 1;
  let frames = 0;
  let first: Rgba | undefined;
  while (offset < file.length) {
    const lineEnd = file.indexOf(0x0a, offset);
    if (!file.subarray(offset, lineEnd).toString('ascii').startsWith('FRAME')) throw new Error(`bad frame header at ${offset}`);
    const frame = file.subarray(lineEnd + 1, lineEnd + 1 + frameSize);
    if (frame.length !== frameSize) throw new Error(`truncated frame ${frames}`);
    first ??= i420ToRgba(frame, width, height);
    frames++;
    offset = lineEnd + 1 + frameSize;
  }
  if (!first) throw new Error('no frames');
  return { width, height, frames, first };
}

// ---------------------------------------------------------------------------------------------------
// Chromium.

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
];

/** Headless Debian Chromium; with a video, the fake camera plays it in a loop. */
export async function launchBrowser(video?: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    timeout: 60_000,
    args: [...CHROMIUM_ARGS, ...(video ? [`--use-file-for-fake-video-capture=${video}`] : [])],
  });
}

/**
 * A fresh context (own localStorage) on the server, camera allowed, with bounded timeouts; a phone-sized
 * window, UTC and a 24-hour locale, so times read HH:MM in UTC.
 */
export async function newContext(
  browser: Browser,
  base: string,
  options: { serviceWorkers?: 'allow' | 'block' } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: base,
    viewport: { width: 420, height: 860 },
    timezoneId: 'UTC',
    locale: 'en-GB',
    serviceWorkers: options.serviceWorkers ?? 'allow',
  });
  await context.grantPermissions(['camera'], { origin: base });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  return context;
}

/** A page signed in with a key through the sign-in link, as a volunteer or hacker would be. */
export async function signedInPage(context: BrowserContext, key: string, route?: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/app/#key=${encodeURIComponent(key)}`);
  await page.getByRole('button', { name: 'Sign out' }).waitFor({ timeout: TIMEOUT });
  if (route) await page.goto(`/app/#/${route}`);
  return page;
}

const safeName = (name: string) =>
  name
    .replace(/[^a-zA-Z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 100) || 'test';

/** Saves a PNG of every open page of every browser into test-output/e2e/<test name>-<n>.png. */
export async function screenshotAll(testName: string, browsers: Browser[], dir = SCREENSHOT_DIR): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const saved: string[] = [];
  let n = 0;
  for (const browser of browsers) {
    if (!browser.isConnected()) continue;
    for (const context of browser.contexts()) {
      for (const page of context.pages()) {
        n++;
        const path = join(dir, `${safeName(testName)}-${n}.png`);
        try {
          // A background tab paints nothing, and its screenshot would wait for a frame forever.
          await page.bringToFront();
          await page.screenshot({ path, fullPage: true, timeout: 10_000 });
          saved.push(path);
        } catch (error) {
          process.stderr.write(`could not screenshot ${page.url()}: ${(error as Error).message}\n`);
        }
      }
    }
  }
  return saved;
}

export interface Scenario {
  server: E2eServer;
  /** Launches Chromium (optionally with a badge as its camera); closed after the scenario. */
  browser: (video?: string) => Promise<Browser>;
  /** A path in this scenario's scratch directory. */
  file: (name: string) => string;
}

/**
 * Runs one scenario against a fresh server and database; on failure saves a screenshot of every open
 * page (test-output/e2e/<test name>-<n>.png), then always closes the browsers and the server.
 */
export async function scenario(
  t: TestContext,
  body: (s: Scenario) => Promise<void>,
  { screenshotDir = SCREENSHOT_DIR }: { screenshotDir?: string } = {},
): Promise<void> {
  const server = await startServer();
  const browsers: Browser[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'tapioca-e2e-files-'));
  try {
    await body({
      server,
      browser: async (video) => {
        const browser = await launchBrowser(video);
        browsers.push(browser);
        return browser;
      },
      file: (name) => join(scratch, name),
    });
    // TEST_E2E_SCREENSHOTS=always keeps the screens of passing scenarios too, to look at them.
    if (process.env.TEST_E2E_SCREENSHOTS === 'always') await screenshotAll(`passed ${t.name}`, browsers, screenshotDir);
  } catch (error) {
    const saved = await screenshotAll(t.name, browsers, screenshotDir);
    if (saved.length > 0) t.diagnostic(`screenshots: ${saved.join(', ')}`);
    throw error;
  } finally {
    await Promise.allSettled(browsers.map((b) => b.close()));
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Polls until one of the locator's elements shows the text (whitespace collapsed); fails with the last text seen. */
export async function expectText(locator: Locator, expected: string | RegExp, timeout = TIMEOUT): Promise<string> {
  const deadline = Date.now() + timeout;
  let last = '(no element)';
  for (;;) {
    const count = await locator.count();
    for (let i = 0; i < count; i++) {
      const text = (
        (await locator
          .nth(i)
          .textContent({ timeout: 1_000 })
          .catch(() => null)) ?? ''
      )
        .replace(/\s+/g, ' ')
        .trim();
      last = text;
      if (typeof expected === 'string' ? text.includes(expected) : expected.test(text)) return text;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `expected ${locator.toString()} to have text ${expected} within ${timeout} ms; last text: ${JSON.stringify(last)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
