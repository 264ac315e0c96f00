import type { FastifyRequest } from 'fastify';
import type { Role } from '../../db/tables.js';

/**
 * Who may call a route. `public`: anyone, no key needed. Otherwise the listed roles may, and a participant
 * key may too when `participant` says so: `scoped` lets them in and the service limits what they see or do;
 * a function names the participant the request is about, which must be their own.
 */
export type Access =
  | { public: true }
  | {
      public?: false;
      roles: readonly Role[];
      participant?: 'scoped' | ((request: FastifyRequest) => number | undefined);
      /** With OPEN_REGISTRATION=true, anonymous callers may use it too, rate-limited per address. */
      openRegistration?: boolean;
    };

const PUBLIC: Access = { public: true };
const ADMIN = ['admin'] as const;
const STAFF = ['admin', 'volunteer'] as const;
const ALL = ['admin', 'volunteer', 'participant'] as const;

const fromParams = (request: FastifyRequest) => (request.params as { id?: number }).id;
const fromQuery = (request: FastifyRequest) => (request.query as { participant_id?: number }).participant_id;
const fromBody = (request: FastifyRequest) => (request.body as { participant_id?: number } | undefined)?.participant_id;

/** The permission table: every route the app registers has a row here (the app refuses to start otherwise). */
export const PERMISSIONS: Record<string, Access> = {
  'GET /health': PUBLIC,
  // Not an API key's: the route itself asks for METRICS_TOKEN (and exists only when it is set).
  'GET /metrics': PUBLIC,
  // CORS preflight: browsers send it without credentials; @fastify/cors answers from the allow-list.
  'OPTIONS *': PUBLIC,
  'GET /openapi.json': PUBLIC,
  'GET /boba_info': PUBLIC,
  'GET /skills': PUBLIC,
  // A badge's QR code opens this on any phone; it only redirects into the web app, which then asks for a key.
  'GET /b/:code': PUBLIC,

  'GET /me': { roles: ALL },
  'GET /me/export': { roles: ALL },
  'GET /users': { roles: STAFF },
  'GET /users/:id': { roles: STAFF, participant: fromParams },
  'PUT /users/:id': { roles: ADMIN, participant: fromParams },
  'DELETE /users/:id': { roles: ADMIN, participant: fromParams },
  'POST /register': { roles: STAFF, openRegistration: true },
  'GET /users/:id/tokens': { roles: ADMIN, participant: fromParams },

  'GET /checkin': { roles: STAFF, participant: fromQuery },
  'POST /checkin': { roles: STAFF },

  'POST /boba': { roles: ADMIN, participant: fromBody },
  'GET /boba': { roles: STAFF, participant: 'scoped' },
  'PUT /boba': { roles: STAFF, participant: 'scoped' },
  'PUT /bbt_token_exchange': { roles: ADMIN, participant: 'scoped' },
  'PUT /bbt_token_admin_give': { roles: ADMIN },

  'GET /users/:id/badge.svg': { roles: STAFF, participant: fromParams },
  'GET /users/:id/badge.png': { roles: STAFF, participant: fromParams },
  'GET /badges/:code': { roles: STAFF },
  'POST /users/:id/badge/rotate': { roles: ADMIN },

  'POST /keys': { roles: ADMIN },
  'GET /keys': { roles: ADMIN },
  'POST /keys/participant-links': { roles: ADMIN },

  'GET /checkin/counts': { roles: STAFF },

  'POST /webhooks': { roles: ADMIN },
  'GET /webhooks': { roles: ADMIN },
  'DELETE /webhooks/:id': { roles: ADMIN },
  'GET /webhooks/:id/deliveries': { roles: ADMIN },
  'POST /webhooks/deliveries/:id/retry': { roles: ADMIN },
  'GET /audit': { roles: ADMIN },

  'GET /checkpoints': { roles: STAFF },
  'POST /checkpoints': { roles: ADMIN },
  'GET /checkpoints/:id': { roles: STAFF },
  'PUT /checkpoints/:id': { roles: ADMIN },
  'DELETE /checkpoints/:id': { roles: ADMIN },
  'POST /checkpoints/:id/scans': { roles: STAFF },
  'GET /checkpoints/:id/scans': { roles: STAFF },
  'POST /scans/:id/undo': { roles: STAFF },
  'GET /users/:id/scans': { roles: STAFF, participant: fromParams },
  'GET /sync/roster': { roles: STAFF },
  'POST /sync/scans': { roles: STAFF },

  'GET /hardware': { roles: ALL },
  'POST /hardware': { roles: ADMIN },
  'GET /hardware/:id': { roles: ALL },
  'PUT /hardware/:id': { roles: ADMIN },
  'DELETE /hardware/:id': { roles: ADMIN },
  'POST /hardware/requests': { roles: STAFF, participant: 'scoped' },
  'GET /hardware/requests': { roles: STAFF, participant: 'scoped' },
  'PUT /hardware/requests/:id': { roles: STAFF, participant: 'scoped' },
  'POST /hardware/loans': { roles: STAFF },
  'GET /hardware/loans': { roles: STAFF },
  'GET /hardware/loans/:id': { roles: STAFF, participant: 'scoped' },
  'POST /hardware/loans/:id/return': { roles: STAFF },
  'POST /hardware/loans/:id/lost': { roles: ADMIN },
  'GET /users/:id/loans': { roles: STAFF, participant: fromParams },

  'GET /events': { roles: ALL },
  'GET /stats': { roles: ADMIN },
  'GET /exports/participants.csv': { roles: ADMIN },
  'GET /exports/checkins.csv': { roles: ADMIN },
  'GET /exports/scans.csv': { roles: ADMIN },
  'GET /exports/orders.csv': { roles: ADMIN },
  'GET /exports/ledger.csv': { roles: ADMIN },
  'GET /exports/loans.csv': { roles: ADMIN },
  'POST /imports': { roles: ADMIN },
  'DELETE /keys/:id': { roles: ADMIN },
};

/** The interactive docs and the web app's static files: public, they hold no event data. */
const PUBLIC_PREFIXES = ['/docs', '/app'];

export function accessFor(method: string, url: string): Access | undefined {
  if (PUBLIC_PREFIXES.some((prefix) => url === prefix || url.startsWith(`${prefix}/`))) return PUBLIC;
  return PERMISSIONS[`${method === 'HEAD' ? 'GET' : method} ${url}`];
}
