import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../src/db/database.js';
import { accessFor } from '../src/modules/auth/permissions.js';
import { base32ToBytes, totp } from '../src/shared/totp.js';
import { BACKENDS, openTestDatabase, sampleParticipant, startTestApp, type TestApp } from './helpers.js';

type Caller = 'anonymous' | 'participant_self' | 'participant_other' | 'volunteer' | 'admin' | 'revoked' | 'expired';
const CALLERS: Caller[] = ['anonymous', 'participant_self', 'participant_other', 'volunteer', 'admin', 'revoked', 'expired'];

interface Request {
  method: string;
  url: string;
  body?: unknown;
}

/** A route's row: how to make a request that should succeed for an allowed caller, and who is allowed. */
interface Row {
  route: string;
  request: (ctx: Context, caller: Caller) => Promise<Request> | Request;
  /** Status for each allowed caller; callers left out must get 403 (401 without a valid key). */
  allowed: Partial<Record<Caller, number>>;
  public?: boolean;
  /** A public route's status when it is not 200. */
  status?: number;
  /** An endless response: allowed callers are checked over real HTTP, reading only the status. */
  stream?: boolean;
  /** Opened by this bearer token alone: every caller's API key gets 401. */
  token?: string;
}

/** /app/ serves the built web app, or says 503 that it is not built yet. */
const WEB_APP_STATUS = existsSync(new URL('../web/dist/index.html', import.meta.url)) ? 200 : 503;

interface Context {
  api: TestApp;
  self: number;
  other: number;
  newParticipant(): Promise<number>;
  badgeOf(participantId: number): Promise<string>;
  /** The live code the participant's phone shows now, which a participant's exchange sends with the badge. */
  liveCodeOf(participantId: number): Promise<string>;
  /** A checkpoint anyone checked in or not may be scanned at any number of times. */
  checkpoint(): Promise<number>;
  /** An accepted scan made with the caller's key where it may scan, else the admin's. */
  scanBy(caller: Caller): Promise<number>;
  /** A new hardware item with plenty of stock, no limit and no check-in needed. */
  newItem(): Promise<number>;
  /** A new loan of one unit to the participant, made by the admin. */
  newLoan(participantId: number): Promise<number>;
  /** A new webhook endpoint (at a port nothing listens on). */
  newWebhook(): Promise<number>;
  /** A delivery given up on, of a new webhook endpoint: one that may be retried. */
  failedDelivery(): Promise<number>;
}

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const STAFF_OK = { volunteer: 200, admin: 200 };
const ALL_KEYS_OK = { participant_self: 200, participant_other: 200, volunteer: 200, admin: 200 };

/** The permission table of the README, as the test asserts it. */
const MATRIX: Row[] = [
  { route: 'GET /health', public: true, request: () => ({ method: 'GET', url: '/health' }), allowed: {} },
  { route: 'GET /metrics', token: METRICS_TOKEN, request: () => ({ method: 'GET', url: '/metrics' }), allowed: {} },
  { route: 'GET /openapi.json', public: true, request: () => ({ method: 'GET', url: '/openapi.json' }), allowed: {} },
  { route: 'GET /docs*', public: true, request: () => ({ method: 'GET', url: '/docs/json' }), allowed: {} },
  { route: 'GET /boba_info', public: true, request: () => ({ method: 'GET', url: '/boba_info' }), allowed: {} },
  { route: 'GET /skills', public: true, request: () => ({ method: 'GET', url: '/skills' }), allowed: {} },
  { route: 'GET /me', request: () => ({ method: 'GET', url: '/me' }), allowed: ALL_KEYS_OK },
  { route: 'GET /me/export', request: () => ({ method: 'GET', url: '/me/export' }), allowed: ALL_KEYS_OK },
  { route: 'GET /users', request: () => ({ method: 'GET', url: '/users' }), allowed: STAFF_OK },
  {
    route: 'GET /users/:id',
    request: (ctx) => ({ method: 'GET', url: `/users/${ctx.self}` }),
    allowed: { participant_self: 200, ...STAFF_OK },
  },
  {
    route: 'PUT /users/:id',
    request: (ctx) => ({ method: 'PUT', url: `/users/${ctx.self}`, body: { phone: '+1-555-123-4567' } }),
    allowed: { participant_self: 200, admin: 200 },
  },
  {
    // The participant themself is let through but, without {"confirm": true}, deletes nothing: the matrix
    // goes on with them (their confirmed deletion is in test/deletion.test.ts). The admin deletes someone new.
    route: 'DELETE /users/:id',
    request: async (ctx, caller) =>
      caller === 'admin'
        ? { method: 'DELETE', url: `/users/${await ctx.newParticipant()}` }
        : { method: 'DELETE', url: `/users/${ctx.self}`, body: {} },
    allowed: { participant_self: 400, admin: 200 },
  },
  {
    route: 'POST /register',
    request: () => ({ method: 'POST', url: '/register', body: sampleParticipant(Math.floor(Math.random() * 1e9), []) }),
    allowed: STAFF_OK,
  },
  {
    route: 'GET /users/:id/tokens',
    request: (ctx) => ({ method: 'GET', url: `/users/${ctx.self}/tokens` }),
    allowed: { participant_self: 200, admin: 200 },
  },
  {
    route: 'GET /checkin',
    request: (ctx) => ({ method: 'GET', url: `/checkin?participant_id=${ctx.self}` }),
    allowed: { participant_self: 200, ...STAFF_OK },
  },
  {
    route: 'POST /checkin',
    request: async (ctx) => ({ method: 'POST', url: '/checkin', body: { participant_id: await ctx.newParticipant() } }),
    allowed: STAFF_OK,
  },
  {
    route: 'POST /boba',
    request: async (ctx) => {
      await ctx.api.inject('PUT', '/bbt_token_admin_give', { participant_id: ctx.self, tokens: 5 });
      return { method: 'POST', url: '/boba', body: { participant_id: ctx.self } };
    },
    allowed: { participant_self: 200, admin: 200 },
  },
  { route: 'GET /boba', request: () => ({ method: 'GET', url: '/boba' }), allowed: ALL_KEYS_OK },
  {
    route: 'PUT /boba',
    request: async (ctx) => {
      await ctx.api.inject('PUT', '/bbt_token_admin_give', { participant_id: ctx.self, tokens: 5 });
      const order = await ctx.api.inject('POST', '/boba', { participant_id: ctx.self });
      return { method: 'PUT', url: '/boba', body: { order_id: Number(Object.keys(order.body)[0]), status: 'Cancelled' } };
    },
    allowed: { participant_self: 200, ...STAFF_OK },
  },
  {
    route: 'PUT /bbt_token_exchange',
    request: async (ctx, caller) => {
      const partner = await ctx.newParticipant();
      const body = caller.startsWith('participant')
        ? { participant_2_badge: await ctx.badgeOf(partner), participant_2_code: await ctx.liveCodeOf(partner) }
        : { participant_1_id: await ctx.newParticipant(), participant_2_id: partner };
      return { method: 'PUT', url: '/bbt_token_exchange', body };
    },
    allowed: { participant_self: 200, participant_other: 200, admin: 200 },
  },
  {
    route: 'PUT /bbt_token_admin_give',
    request: (ctx) => ({ method: 'PUT', url: '/bbt_token_admin_give', body: { participant_id: ctx.self, tokens: 1 } }),
    allowed: { admin: 200 },
  },
  {
    route: 'GET /users/:id/badge.svg',
    request: (ctx) => ({ method: 'GET', url: `/users/${ctx.self}/badge.svg` }),
    allowed: { participant_self: 200, ...STAFF_OK },
  },
  {
    route: 'GET /users/:id/badge.png',
    request: (ctx) => ({ method: 'GET', url: `/users/${ctx.self}/badge.png` }),
    allowed: { participant_self: 200, ...STAFF_OK },
  },
  {
    route: 'GET /badges/:code',
    request: async (ctx) => ({ method: 'GET', url: `/badges/${await ctx.badgeOf(ctx.self)}` }),
    allowed: STAFF_OK,
  },
  {
    route: 'POST /users/:id/badge/rotate',
    request: async (ctx) => ({ method: 'POST', url: `/users/${await ctx.newParticipant()}/badge/rotate` }),
    allowed: { admin: 200 },
  },
  {
    route: 'POST /keys',
    request: () => ({ method: 'POST', url: '/keys', body: { role: 'volunteer', name: 'Desk 9' } }),
    allowed: { admin: 200 },
  },
  { route: 'GET /keys', request: () => ({ method: 'GET', url: '/keys' }), allowed: { admin: 200 } },
  {
    route: 'DELETE /keys/:id',
    request: async (ctx) => {
      const created = await ctx.api.inject('POST', '/keys', { role: 'volunteer', name: 'to revoke' });
      return { method: 'DELETE', url: `/keys/${created.body.id}` };
    },
    allowed: { admin: 200 },
  },
  { route: 'GET /b/:code', public: true, request: () => ({ method: 'GET', url: '/b/some-code' }), allowed: {}, status: 302 },
  { route: 'GET /app', public: true, request: () => ({ method: 'GET', url: '/app' }), allowed: {}, status: 302 },
  { route: 'GET /app/*', public: true, request: () => ({ method: 'GET', url: '/app/' }), allowed: {}, status: WEB_APP_STATUS },
  { route: 'GET /checkin/counts', request: () => ({ method: 'GET', url: '/checkin/counts' }), allowed: STAFF_OK },
  { route: 'GET /audit', request: () => ({ method: 'GET', url: '/audit' }), allowed: { admin: 200 } },
  { route: 'GET /checkpoints', request: () => ({ method: 'GET', url: '/checkpoints' }), allowed: STAFF_OK },
  {
    route: 'POST /checkpoints',
    request: () => ({ method: 'POST', url: '/checkpoints', body: { name: 'Swag', kind: 'swag' } }),
    allowed: { admin: 201 },
  },
  {
    route: 'GET /checkpoints/:id',
    request: async (ctx) => ({ method: 'GET', url: `/checkpoints/${await ctx.checkpoint()}` }),
    allowed: STAFF_OK,
  },
  {
    route: 'PUT /checkpoints/:id',
    request: async (ctx) => ({ method: 'PUT', url: `/checkpoints/${await ctx.checkpoint()}`, body: { name: 'Lunch' } }),
    allowed: { admin: 200 },
  },
  {
    route: 'DELETE /checkpoints/:id',
    request: async (ctx) => {
      const created = await ctx.api.inject('POST', '/checkpoints', { name: 'To archive', kind: 'other' });
      return { method: 'DELETE', url: `/checkpoints/${Object.keys(created.body)[0]}` };
    },
    allowed: { admin: 200 },
  },
  {
    route: 'POST /checkpoints/:id/scans',
    request: async (ctx) => ({
      method: 'POST',
      url: `/checkpoints/${await ctx.checkpoint()}/scans`,
      body: { participant_id: ctx.self, nonce: `nonce-${Math.random()}` },
    }),
    allowed: { volunteer: 201, admin: 201 },
  },
  {
    route: 'GET /checkpoints/:id/scans',
    request: async (ctx) => ({ method: 'GET', url: `/checkpoints/${await ctx.checkpoint()}/scans` }),
    allowed: STAFF_OK,
  },
  {
    // A volunteer undoes only their own scans (another's: 403, in checkpoint-scans.test.ts); an admin any.
    route: 'POST /scans/:id/undo',
    request: async (ctx, caller) => ({ method: 'POST', url: `/scans/${await ctx.scanBy(caller)}/undo` }),
    allowed: STAFF_OK,
  },
  {
    route: 'GET /users/:id/scans',
    request: (ctx) => ({ method: 'GET', url: `/users/${ctx.self}/scans` }),
    allowed: { participant_self: 200, ...STAFF_OK },
  },
  { route: 'GET /sync/roster', request: () => ({ method: 'GET', url: '/sync/roster' }), allowed: STAFF_OK },
  {
    route: 'POST /sync/scans',
    request: (ctx) => ({
      method: 'POST',
      url: '/sync/scans',
      body: [{ check_in: true, participant_id: ctx.self, nonce: `nonce-${Math.random()}`, scanned_at: new Date().toISOString() }],
    }),
    allowed: STAFF_OK,
  },
  { route: 'GET /hardware', request: () => ({ method: 'GET', url: '/hardware' }), allowed: ALL_KEYS_OK },
  {
    route: 'POST /hardware',
    request: () => ({ method: 'POST', url: '/hardware', body: { name: 'Arduino Uno', quantity: 3 } }),
    allowed: { admin: 201 },
  },
  {
    route: 'GET /hardware/:id',
    request: async (ctx) => ({ method: 'GET', url: `/hardware/${await ctx.newItem()}` }),
    allowed: ALL_KEYS_OK,
  },
  {
    route: 'PUT /hardware/:id',
    request: async (ctx) => ({ method: 'PUT', url: `/hardware/${await ctx.newItem()}`, body: { quantity: 50 } }),
    allowed: { admin: 200 },
  },
  {
    route: 'DELETE /hardware/:id',
    request: async (ctx) => ({ method: 'DELETE', url: `/hardware/${await ctx.newItem()}` }),
    allowed: { admin: 200 },
  },
  {
    route: 'POST /hardware/requests',
    request: async (ctx) => ({
      method: 'POST',
      url: '/hardware/requests',
      body: { item_id: await ctx.newItem(), participant_id: ctx.self },
    }),
    allowed: { participant_self: 201, volunteer: 201, admin: 201 },
  },
  { route: 'GET /hardware/requests', request: () => ({ method: 'GET', url: '/hardware/requests' }), allowed: ALL_KEYS_OK },
  {
    route: 'PUT /hardware/requests/:id',
    request: async (ctx) => {
      const body = { item_id: await ctx.newItem(), participant_id: ctx.self };
      const created = await ctx.api.inject('POST', '/hardware/requests', body);
      return { method: 'PUT', url: `/hardware/requests/${Object.keys(created.body)[0]}`, body: { status: 'cancelled' } };
    },
    allowed: { participant_self: 200, ...STAFF_OK },
  },
  {
    route: 'POST /hardware/loans',
    request: async (ctx) => ({
      method: 'POST',
      url: '/hardware/loans',
      body: { item_id: await ctx.newItem(), participant_id: ctx.self },
    }),
    allowed: { volunteer: 201, admin: 201 },
  },
  { route: 'GET /hardware/loans', request: () => ({ method: 'GET', url: '/hardware/loans' }), allowed: STAFF_OK },
  {
    route: 'GET /hardware/loans/:id',
    request: async (ctx) => ({ method: 'GET', url: `/hardware/loans/${await ctx.newLoan(ctx.self)}` }),
    allowed: { participant_self: 200, ...STAFF_OK },
  },
  {
    route: 'POST /hardware/loans/:id/return',
    request: async (ctx) => ({ method: 'POST', url: `/hardware/loans/${await ctx.newLoan(ctx.self)}/return`, body: {} }),
    allowed: STAFF_OK,
  },
  {
    route: 'POST /hardware/loans/:id/lost',
    request: async (ctx) => ({ method: 'POST', url: `/hardware/loans/${await ctx.newLoan(ctx.self)}/lost`, body: {} }),
    allowed: { admin: 200 },
  },
  {
    route: 'GET /users/:id/loans',
    request: (ctx) => ({ method: 'GET', url: `/users/${ctx.self}/loans` }),
    allowed: { participant_self: 200, ...STAFF_OK },
  },
  { route: 'GET /events', request: () => ({ method: 'GET', url: '/events' }), allowed: ALL_KEYS_OK, stream: true },
  { route: 'GET /stats', request: () => ({ method: 'GET', url: '/stats' }), allowed: { admin: 200 } },
  {
    route: 'POST /webhooks',
    request: () => ({ method: 'POST', url: '/webhooks', body: { url: 'http://127.0.0.1:9/matrix', events: ['check_in'] } }),
    allowed: { admin: 201 },
  },
  { route: 'GET /webhooks', request: () => ({ method: 'GET', url: '/webhooks' }), allowed: { admin: 200 } },
  {
    route: 'DELETE /webhooks/:id',
    request: async (ctx) => ({ method: 'DELETE', url: `/webhooks/${await ctx.newWebhook()}` }),
    allowed: { admin: 200 },
  },
  {
    route: 'GET /webhooks/:id/deliveries',
    request: async (ctx) => ({ method: 'GET', url: `/webhooks/${await ctx.newWebhook()}/deliveries` }),
    allowed: { admin: 200 },
  },
  {
    route: 'POST /webhooks/deliveries/:id/retry',
    request: async (ctx) => ({ method: 'POST', url: `/webhooks/deliveries/${await ctx.failedDelivery()}/retry` }),
    allowed: { admin: 200 },
  },
  {
    // A dry run: the body, without a content type, is read as CSV; nothing changes for the other rows.
    route: 'POST /imports',
    request: () => ({ method: 'POST', url: '/imports?dry_run=true', body: 'Name,Email\nMatrix Person,matrix@example.com\n' }),
    allowed: { admin: 200 },
  },
  ...['participants', 'checkins', 'scans', 'orders', 'ledger', 'loans'].map((name): Row => ({
    route: `GET /exports/${name}.csv`,
    request: () => ({ method: 'GET', url: `/exports/${name}.csv` }),
    allowed: { admin: 200 },
  })),
  {
    route: 'POST /keys/participant-links',
    request: () => ({ method: 'POST', url: '/keys/participant-links' }),
    allowed: { admin: 200 },
  },
  { route: 'OPTIONS *', public: true, request: () => ({ method: 'OPTIONS', url: '/users' }), allowed: {} },
];

/** Every (method, path) the app registered, read from Fastify's route tree; HEAD twins of GET left out. */
function registeredRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const stack: { depth: number; path: string }[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)(?:├── |└── )(.+?) \(([A-Z, ]+)\)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    while (stack.length > depth) stack.pop();
    const parent = stack[stack.length - 1]?.path ?? '';
    // The tree prints a wildcard under "/app" as "*", though the route is "/app/*".
    const segment = match[2]!.startsWith('*') && parent !== '' && !parent.endsWith('/') ? `/${match[2]}` : match[2]!;
    const path = parent + segment;
    stack.push({ depth, path });
    for (const method of match[3]!.split(', ')) if (method !== 'HEAD') routes.push(`${method} ${path}`);
  }
  return routes;
}

const matrixRowFor = (route: string) =>
  MATRIX.find(
    (row) =>
      row.route === route ||
      (row.route === 'GET /docs*' && /^GET \/docs/.test(route)) ||
      (row.route === 'GET /app/*' && /^GET \/app\/./.test(route)),
  );

for (const backend of BACKENDS) {
  describe(`permissions (${backend.name})`, { skip: backend.skip }, () => {
    let api: TestApp;
    let ctx: Context;
    const keys = {} as Record<Caller, string | null>;
    let counter = 0;
    let handle: DatabaseHandle;
    let listening: Promise<string> | undefined;
    const base = () => (listening ??= api.listen());

    let checkpointId: number | undefined;
    const createOpenCheckpoint = async () => {
      const body = { name: 'Open bar', kind: 'other', per_participant_limit: null, requires_check_in: false };
      return Number(Object.keys((await api.inject('POST', '/checkpoints', body)).body)[0]);
    };

    before(async () => {
      api = await startTestApp(backend.name, { BBT_TOKENS_COOLDOWN: '0', AUTH_FAILURE_LIMIT: '100000', METRICS_TOKEN });
      const register = async () => {
        const res = await api.inject('POST', '/register', sampleParticipant(10_000 + counter++, []));
        return Number(Object.keys(res.body)[0]);
      };
      handle = openTestDatabase(api.database);
      ctx = {
        api,
        self: await register(),
        other: await register(),
        newParticipant: register,
        badgeOf: async (id) =>
          (await handle.db.selectFrom('participants').select('badge_code').where('id', '=', id).executeTakeFirstOrThrow())
            .badge_code,
        liveCodeOf: async (id) => {
          const me = await api.inject('GET', '/me', undefined, await api.createKey('participant', id));
          return totp(base32ToBytes(me.body.live_code.secret), Date.now());
        },
        checkpoint: async () => (checkpointId ??= await createOpenCheckpoint()),
        scanBy: async (caller) => {
          const scanner = caller === 'volunteer' ? (keys.volunteer ?? undefined) : undefined;
          const url = `/checkpoints/${await ctx.checkpoint()}/scans`;
          const scan = await api.inject('POST', url, { participant_id: ctx.self, nonce: `nonce-${Math.random()}` }, scanner);
          return scan.body.scan_id as number;
        },
        newItem: async () => {
          const body = { name: 'Breadboard', quantity: 1000, per_participant_limit: null, requires_check_in: false };
          return Number(Object.keys((await api.inject('POST', '/hardware', body)).body)[0]);
        },
        newLoan: async (participantId) => {
          const body = { item_id: await ctx.newItem(), participant_id: participantId };
          return Number(Object.keys((await api.inject('POST', '/hardware/loans', body)).body)[0]);
        },
        newWebhook: async () => {
          const body = { url: 'http://127.0.0.1:9/matrix', events: ['check_in'] };
          return (await api.inject('POST', '/webhooks', body)).body.id as number;
        },
        failedDelivery: async () => {
          const now = Date.now();
          const delivery = await handle.db
            .insertInto('webhook_deliveries')
            .values({
              endpoint_id: await ctx.newWebhook(),
              event: 'check_in',
              payload: '{}',
              status: 'failed',
              next_attempt_at: now,
              created_at: now,
              finished_at: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          return delivery.id;
        },
      };
      keys.anonymous = null;
      keys.admin = await api.createKey('admin');
      keys.volunteer = await api.createKey('volunteer');
      keys.participant_self = await api.createKey('participant', ctx.self);
      keys.participant_other = await api.createKey('participant', ctx.other);
      keys.revoked = await api.createKey('admin', undefined, 'revoked');
      keys.expired = await api.createKey('admin', undefined, 'expired');
      const listed = Object.values<{ id: number; name: string }>((await api.inject('GET', '/keys')).body);
      const idOf = (name: string) => listed.find((k) => k.name === name)!.id;
      assert.equal((await api.inject('DELETE', `/keys/${idOf('revoked')}`)).status, 200);
      await handle.db
        .updateTable('api_keys')
        .set({ expires_at: Date.now() - 1000 })
        .where('id', '=', idOf('expired'))
        .execute();
    });
    after(async () => {
      await handle?.destroy();
      await api?.close();
    });

    test('every registered route has a row in the permission table and in this matrix', () => {
      const routes = registeredRoutes(api.app);
      assert.ok(routes.length >= 25, `found only ${routes.length} routes`);
      for (const route of routes) {
        const [method, url] = route.split(' ') as [string, string];
        assert.ok(accessFor(method, url), `${route} has no permission rule`);
        assert.ok(matrixRowFor(route), `${route} has no row in the test matrix`);
      }
    });

    for (const row of MATRIX) {
      test(`${row.route}`, async () => {
        for (const caller of CALLERS) {
          const request = await row.request(ctx, caller);
          if (row.stream && row.allowed[caller]) {
            const aborter = new AbortController();
            const response = await fetch(`${await base()}${request.url}`, {
              headers: { authorization: `Bearer ${keys[caller]}` },
              signal: aborter.signal,
            });
            assert.equal(response.status, row.allowed[caller], caller);
            assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
            aborter.abort();
            continue;
          }
          const res = await api.inject(request.method, request.url, request.body, keys[caller]);
          const expected = row.token
            ? 401
            : row.public
              ? request.method === 'OPTIONS'
                ? res.status
                : (row.status ?? 200)
              : (row.allowed[caller] ?? (caller === 'anonymous' || caller === 'revoked' || caller === 'expired' ? 401 : 403));
          assert.equal(res.status, expected, `${caller}: ${request.method} ${request.url} -> ${JSON.stringify(res.body)}`);
          if (expected === 401) {
            assert.deepEqual(res.body, { error: 'Authentication required', code: 'authentication_required' });
            assert.equal(res.headers['www-authenticate'], 'Bearer');
          }
          if (expected === 403) assert.deepEqual(res.body, { error: 'Forbidden', code: 'forbidden' });
          if (row.public) assert.ok(![401, 403].includes(res.status), `${caller}: public route refused`);
        }
        if (row.token) {
          const request = await row.request(ctx, 'anonymous');
          assert.equal((await api.inject(request.method, request.url, request.body, row.token)).status, 200);
        }
      });
    }

    test('a participant sees only their own orders and may only cancel their own while it is Placed', async () => {
      const own = keys.participant_self!;
      for (const id of [ctx.self, ctx.other]) {
        await api.inject('PUT', '/bbt_token_admin_give', { participant_id: id, tokens: 20 });
        await api.inject('POST', '/boba', { participant_id: id });
      }
      const seen = Object.values<{ participant_id: number }>((await api.inject('GET', '/boba', undefined, own)).body);
      assert.ok(seen.length > 0 && seen.every((o) => o.participant_id === ctx.self));
      assert.deepEqual((await api.inject('GET', `/boba?participant_id=${ctx.other}`, undefined, own)).body, {});

      const orders = (await api.inject('GET', '/boba?status=Placed')).body as Record<string, { participant_id: number }>;
      const othersOrder = Number(Object.entries(orders).find(([, o]) => o.participant_id === ctx.other)![0]);
      const ownOrder = Number(Object.entries(orders).find(([, o]) => o.participant_id === ctx.self)![0]);
      assert.equal((await api.inject('PUT', '/boba', { order_id: othersOrder, status: 'Cancelled' }, own)).status, 403);
      assert.equal((await api.inject('PUT', '/boba', { order_id: ownOrder, status: 'In Progress' }, own)).status, 403);
      assert.equal((await api.inject('PUT', '/boba', { order_id: ownOrder, status: 'In Progress' }, keys.volunteer)).status, 200);
      const late = await api.inject('PUT', '/boba', { order_id: ownOrder, status: 'Cancelled' }, own);
      assert.deepEqual(
        [late.status, late.body],
        [400, { error: 'Cannot move an order from In Progress to Cancelled', code: 'invalid_transition' }],
      );
      assert.equal((await api.inject('PUT', '/boba', { order_id: ownOrder, status: 'Cancelled' }, keys.volunteer)).status, 200);
    });

    test('a participant cannot order for, read, or exchange as someone else', async () => {
      const own = keys.participant_self!;
      assert.equal((await api.inject('POST', '/boba', { participant_id: ctx.other }, own)).status, 403);
      const asOther = await api.inject(
        'PUT',
        '/bbt_token_exchange',
        { participant_1_id: ctx.other, participant_2_badge: await ctx.badgeOf(ctx.self) },
        own,
      );
      assert.equal(asOther.status, 403);
      const byIds = await api.inject(
        'PUT',
        '/bbt_token_exchange',
        { participant_1_id: ctx.self, participant_2_id: ctx.other },
        own,
      );
      assert.equal(byIds.status, 403);
      assert.equal((await api.inject('GET', `/checkin?participant_id=${ctx.other}`, undefined, own)).status, 403);
    });
  });
}
