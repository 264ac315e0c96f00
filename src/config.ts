import proxyAddr from '@fastify/proxy-addr';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Every environment variable the server reads. The loader below reads no other (`Env` admits only these), and
 * test/docs-config.test.ts checks that docs/operations.md documents each of them.
 */
export const ENVIRONMENT_VARIABLES = [
  'PORT',
  'HOST',
  'DATABASE_URL',
  'DATABASE_CONNECT_TIMEOUT_MS',
  'SQLITE_LOCK_TIMEOUT_MS',
  'PAGE_SIZE',
  'DEMO_PARTICIPANTS',
  'LOG_LEVEL',
  'BODY_LIMIT_BYTES',
  'RESPONSE_CACHE',
  'RESPONSE_CACHE_MAX_BYTES',
  'TRUST_PROXY',
  'BBT_TOKENS_PER_ORDER',
  'BBT_TOKENS_COOLDOWN',
  'BBT_MAX_GRANT',
  'BBT_PAIR_EXCHANGES',
  'TAPIOCA_ADMIN_KEY',
  'OPEN_REGISTRATION',
  'PUBLIC_URL',
  'CORS_ORIGINS',
  'AUTH_FAILURE_LIMIT',
  'REGISTRATION_RATE_LIMIT',
  'RATE_LIMIT_ADDRESSES',
  'BADGE_IMAGE_RATE_LIMIT',
  'PARTICIPANT_LINKS_RATE_LIMIT',
  'IDEMPOTENCY_TTL_HOURS',
  'SCAN_UNDO_MINUTES',
  'BADGE_SIGNING_KEY',
  'EXCHANGE_REQUIRES_LIVE_CODE',
  'METRICS_TOKEN',
] as const;
type EnvironmentVariable = (typeof ENVIRONMENT_VARIABLES)[number];

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  /** PostgreSQL: how long opening a connection may take before it is given up. */
  readonly databaseConnectTimeoutMs: number;
  /** SQLite: how long a statement waits (without blocking) for a lock another process holds. */
  readonly sqliteLockTimeoutMs: number;
  readonly pageSize: number;
  readonly demoParticipants: number;
  readonly logLevel: LogLevel;
  readonly bodyLimitBytes: number;
  /** Reuse read responses until the database changes (SQLite only). */
  readonly responseCache: boolean;
  /** Bound on the bytes the response cache holds; least recently used answers go first. */
  readonly responseCacheMaxBytes: number;
  /** How long an Idempotency-Key's stored answer is replayed; older keys are pruned. */
  readonly idempotencyTtlHours: number;
  /** How long the key that made a checkpoint scan may undo it; admins may at any time. */
  readonly scanUndoMinutes: number;
  /** The Ed25519 seed badges are signed with (32 bytes, base64url); absent: generated once and kept in the database. */
  readonly badgeSigningKey: Uint8Array | undefined;
  /** A participant's exchange must carry their live code (current or previous 30 s step), not a printed badge. */
  readonly exchangeRequiresLiveCode: boolean;
  /**
   * Which X-Forwarded-For hops to believe (rate limits are per address): false for none, a number of proxies
   * in front, or the proxies' addresses/CIDRs.
   */
  readonly trustProxy: TrustProxy;
  /** The bearer token GET /metrics asks for; absent: there is no /metrics. */
  readonly metricsToken: string | undefined;
  readonly boba: BobaConfig;
  readonly access: AccessConfig;
}

export interface AccessConfig {
  /** Accepted as an admin key when set (its hash is stored at start-up). */
  readonly adminKey: string | undefined;
  readonly openRegistration: boolean;
  /** Base of the links in QR badges and sign-in links, without a trailing slash. */
  readonly publicUrl: string;
  /** Origins allowed to call the API from a browser; empty means none. */
  readonly corsOrigins: readonly string[];
  /** Failed authentications per client address per minute before 429. */
  readonly failedAuthLimit: number;
  /** Anonymous registrations per client address per minute when registration is open. */
  readonly registrationLimit: number;
  /** Client addresses each per-address limiter remembers; the least recently seen are forgotten first. */
  readonly rateLimitAddresses: number;
  /** Badge images (PNG or SVG) per API key per minute. */
  readonly badgeImageLimit: number;
  /** POST /keys/participant-links exports per API key per minute. */
  readonly participantLinksLimit: number;
}

export type TrustProxy = false | number | readonly string[];

export interface BobaConfig {
  readonly tokensPerOrder: number;
  /** Seconds a participant waits between two exchanges. */
  readonly cooldownSeconds: number;
  readonly maxGrant: number;
  /** How many times the same two participants may ever exchange; 0 means no limit. */
  readonly pairExchanges: number;
}

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Partial<Record<EnvironmentVariable, string>>>;

function integer(env: Env, name: EnvironmentVariable, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(name, `must be an integer, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function databaseUrl(env: Env): string {
  const url = env.DATABASE_URL?.trim() || 'sqlite:data/tapioca.db';
  if (/^sqlite:.+/.test(url) || /^postgres(ql)?:\/\/.+/.test(url)) return url;
  throw new ConfigError('DATABASE_URL', `must be sqlite:<path> or postgres://..., got "${url}"`);
}

function logLevel(env: Env): LogLevel {
  const raw = env.LOG_LEVEL?.trim() || 'info';
  if ((LOG_LEVELS as readonly string[]).includes(raw)) return raw as LogLevel;
  throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
}

function host(env: Env): string {
  const raw = env.HOST?.trim() || '127.0.0.1';
  if (/\s/.test(raw)) throw new ConfigError('HOST', `must be a host name or address, got "${raw}"`);
  return raw;
}

function boolean(env: Env, name: EnvironmentVariable, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function url(env: Env, name: EnvironmentVariable, fallback: string): string {
  const raw = env[name]?.trim() || fallback;
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}

function origins(env: Env, name: EnvironmentVariable): string[] {
  const list = (env[name] ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of list) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin))
      throw new ConfigError(name, `must list origins like https://app.example.com, got "${origin}"`);
  }
  return list;
}

/**
 * `true` is refused rather than given a meaning: it used to trust every client's X-Forwarded-For, so anyone
 * could pick the address the rate limits count, and an operator relying on it must now say which proxy to trust.
 */
function trustProxy(env: Env): TrustProxy {
  const raw = env.TRUST_PROXY?.trim() ?? '';
  if (raw === '' || raw.toLowerCase() === 'false' || raw === '0') return false;
  if (raw.toLowerCase() === 'true') {
    throw new ConfigError(
      'TRUST_PROXY',
      'no longer accepts "true", which let any client choose its address with X-Forwarded-For; set the number of ' +
        'proxies in front of Tapioca (TRUST_PROXY=1 behind one TLS proxy such as Caddy) or their addresses ' +
        '(TRUST_PROXY=127.0.0.1, or a comma-separated list of addresses and CIDRs)',
    );
  }
  if (/^\d+$/.test(raw)) return integer(env, 'TRUST_PROXY', 0, 1, 100);
  const proxies = raw.split(',').map((entry) => entry.trim());
  for (const proxy of proxies) {
    try {
      proxyAddr.compile(proxy);
    } catch {
      throw new ConfigError('TRUST_PROXY', `must be false, a number of proxies, or proxy addresses/CIDRs, got "${proxy}"`);
    }
  }
  return Object.freeze(proxies);
}

function secret(env: Env, name: 'TAPIOCA_ADMIN_KEY' | 'METRICS_TOKEN'): string | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  if (raw.length < 24) throw new ConfigError(name, 'must be at least 24 characters (128 bits or more of randomness)');
  // It travels as `Authorization: Bearer <secret>`, which ends at the first space.
  if (/\s/.test(raw)) throw new ConfigError(name, 'must not contain spaces');
  return raw;
}

/** A scraper's token must open nothing else: Prometheus' credentials file would otherwise hold the admin key. */
function metricsToken(env: Env): string | undefined {
  const token = secret(env, 'METRICS_TOKEN');
  if (token !== undefined && token === secret(env, 'TAPIOCA_ADMIN_KEY')) {
    throw new ConfigError('METRICS_TOKEN', 'must differ from TAPIOCA_ADMIN_KEY');
  }
  return token;
}

function signingSeed(env: Env): Uint8Array | undefined {
  const raw = env.BADGE_SIGNING_KEY?.trim();
  if (!raw) return undefined;
  const seed = /^[A-Za-z0-9_-]{43}$/.test(raw) ? Buffer.from(raw, 'base64url') : undefined;
  if (seed?.length !== 32) {
    throw new ConfigError('BADGE_SIGNING_KEY', 'must be 32 bytes in base64url (43 characters), as the server generates it');
  }
  return new Uint8Array(seed);
}

/** Reads and validates the whole configuration once; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const port = integer(env, 'PORT', 8000, 0, 65535);
  const bindHost = host(env);
  const reachableHost = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost;
  return Object.freeze({
    port,
    host: bindHost,
    databaseUrl: databaseUrl(env),
    databaseConnectTimeoutMs: integer(env, 'DATABASE_CONNECT_TIMEOUT_MS', 5000, 100, 600_000),
    sqliteLockTimeoutMs: integer(env, 'SQLITE_LOCK_TIMEOUT_MS', 10_000, 0, 600_000),
    pageSize: integer(env, 'PAGE_SIZE', 50, 1, 10_000),
    demoParticipants: integer(env, 'DEMO_PARTICIPANTS', 1000, 0, 1_000_000),
    logLevel: logLevel(env),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 100 * 1_048_576),
    responseCache: boolean(env, 'RESPONSE_CACHE', true),
    responseCacheMaxBytes: integer(env, 'RESPONSE_CACHE_MAX_BYTES', 64 * 1_048_576, 1024, 16 * 1024 * 1_048_576),
    trustProxy: trustProxy(env),
    idempotencyTtlHours: integer(env, 'IDEMPOTENCY_TTL_HOURS', 24, 1, 24 * 365),
    scanUndoMinutes: integer(env, 'SCAN_UNDO_MINUTES', 10, 0, 24 * 60),
    badgeSigningKey: signingSeed(env),
    exchangeRequiresLiveCode: boolean(env, 'EXCHANGE_REQUIRES_LIVE_CODE', true),
    metricsToken: metricsToken(env),
    boba: Object.freeze({
      tokensPerOrder: integer(env, 'BBT_TOKENS_PER_ORDER', 5, 1, 1_000_000),
      cooldownSeconds: integer(env, 'BBT_TOKENS_COOLDOWN', 5, 0, 86_400 * 7),
      maxGrant: integer(env, 'BBT_MAX_GRANT', 1000, 1, 1_000_000),
      pairExchanges: integer(env, 'BBT_PAIR_EXCHANGES', 1, 0, 1_000_000),
    }),
    access: Object.freeze({
      adminKey: secret(env, 'TAPIOCA_ADMIN_KEY'),
      openRegistration: boolean(env, 'OPEN_REGISTRATION', false),
      publicUrl: url(env, 'PUBLIC_URL', `http://${reachableHost.includes(':') ? `[${reachableHost}]` : reachableHost}:${port}`),
      corsOrigins: Object.freeze(origins(env, 'CORS_ORIGINS')),
      failedAuthLimit: integer(env, 'AUTH_FAILURE_LIMIT', 30, 1, 1_000_000),
      registrationLimit: integer(env, 'REGISTRATION_RATE_LIMIT', 10, 1, 1_000_000),
      rateLimitAddresses: integer(env, 'RATE_LIMIT_ADDRESSES', 10_000, 1, 10_000_000),
      badgeImageLimit: integer(env, 'BADGE_IMAGE_RATE_LIMIT', 60, 1, 1_000_000),
      participantLinksLimit: integer(env, 'PARTICIPANT_LINKS_RATE_LIMIT', 2, 1, 1_000_000),
    }),
  });
}
