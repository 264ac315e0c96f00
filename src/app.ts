import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { type Clock, systemClock } from './clock.js';
import type { Config } from './config.js';
import { type DatabaseHandle, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createDemoCheckpoints } from './demo/demo-checkpoints.js';
import { createDemoHardware } from './demo/demo-hardware.js';
import { generateParticipants } from './demo/generate-participants.js';
import { registerErrorHandling } from './http/error-handler.js';
import { errorBody } from './http/error-reply.js';
import { installResponseCache } from './http/response-cache.js';
import { logSerializers } from './http/log-serializers.js';
import { addSecurityHeaders } from './http/security-headers.js';
import { refuseUnstorableText } from './http/storable-text.js';
import { createValidatorCompiler } from './http/validation.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { AuditService } from './modules/audit/audit.service.js';
import { assignAccessRules, enforceAccess } from './modules/auth/auth.js';
import { fastifyTrustProxy } from './modules/auth/client-address.js';
import { badgesRoutes } from './modules/badges/badges.routes.js';
import { BadgeSigner } from './modules/badges/badge-signing.js';
import { BadgesService } from './modules/badges/badges.service.js';
import { bobaRoutes } from './modules/boba/boba.routes.js';
import { BobaService } from './modules/boba/boba.service.js';
import { checkInRoutes } from './modules/checkin/checkin.routes.js';
import { checkpointsRoutes } from './modules/checkpoints/checkpoints.routes.js';
import { CheckpointsService } from './modules/checkpoints/checkpoints.service.js';
import { syncRoutes } from './modules/sync/sync.routes.js';
import { SyncService } from './modules/sync/sync.service.js';
import { CheckInService } from './modules/checkin/checkin.service.js';
import { hardwareRoutes } from './modules/hardware/hardware.routes.js';
import { HardwareService } from './modules/hardware/hardware.service.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { installIdempotency } from './modules/idempotency/idempotency.hooks.js';
import { IdempotencyService } from './modules/idempotency/idempotency.service.js';
import { CsvImportService } from './modules/import/csv-import.js';
import { importRoutes } from './modules/import/import.routes.js';
import { seedIfEmpty } from './modules/import/import.service.js';
import { ensureAdminKey } from './modules/keys/keys.bootstrap.js';
import { keysRoutes } from './modules/keys/keys.routes.js';
import { KeysService } from './modules/keys/keys.service.js';
import { eventsRoutes } from './modules/events/events.routes.js';
import { exportsRoutes } from './modules/exports/exports.routes.js';
import { ExportsService } from './modules/exports/exports.service.js';
import { EventHub, type EventHubOptions } from './modules/events/events.hub.js';
import { meRoutes } from './modules/me/me.routes.js';
import { timeRequests } from './modules/metrics/metrics.hooks.js';
import { metricsRoutes } from './modules/metrics/metrics.routes.js';
import { MeExportService } from './modules/me/me-export.service.js';
import { MeService } from './modules/me/me.service.js';
import { participantsRoutes } from './modules/participants/participants.routes.js';
import { ParticipantsService } from './modules/participants/participants.service.js';
import { skillsRoutes } from './modules/skills/skills.routes.js';
import { SkillsService } from './modules/skills/skills.service.js';
import { statsRoutes } from './modules/stats/stats.routes.js';
import { StatsService } from './modules/stats/stats.service.js';
import { tokensRoutes } from './modules/tokens/tokens.routes.js';
import { TokensService } from './modules/tokens/tokens.service.js';
import { webRoutes } from './modules/web/web.routes.js';
import { WebhookDispatcher, type WebhookDispatchOptions } from './modules/webhooks/webhooks.dispatcher.js';
import { webhooksRoutes } from './modules/webhooks/webhooks.routes.js';
import { WebhooksService } from './modules/webhooks/webhooks.service.js';

/** The built web app (npm run build:web), served under /app/. */
const WEB_ROOT = fileURLToPath(new URL('../web/dist', import.meta.url));

export interface BuildOptions {
  /** A database opened by the caller (tests share one between app instances); otherwise opened from config. */
  database?: DatabaseHandle;
  /** Where to show a newly created first admin key; the server prints it to the terminal. */
  announceAdminKey?: (message: string) => void;
  /** Live update intervals and the bound on a stream's unsent bytes; tests shorten them. */
  liveUpdates?: Partial<EventHubOptions> & { maxUnsentBytes?: number };
  /** Where every service reads the time; tests pass a clock they move by hand. */
  clock?: Clock;
  /** How often the webhook outbox is read, the first retry's delay, a receiver's time to answer; tests shorten them. */
  webhooks?: Partial<WebhookDispatchOptions>;
}

async function prepareDatabase(
  app: FastifyInstance,
  config: Config,
  database: DatabaseHandle,
  options: BuildOptions,
  clock: Clock,
) {
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) app.log.info({ migrations: applied }, 'database migrated');
  if (config.demoParticipants > 0) {
    const seeded = await seedIfEmpty(database, () => generateParticipants(config.demoParticipants), clock);
    if (seeded) {
      await createDemoCheckpoints(database.db, clock);
      await createDemoHardware(database.db, clock);
      app.log.info({ participants: seeded.imported }, 'empty database filled with demo participants, checkpoints and hardware');
    }
  }
  const { created, savedTo, revokedEarlierEnvKeys, envKeyRevoked } = await ensureAdminKey(
    database.db,
    config.access,
    config.databaseUrl,
    clock,
  );
  if (revokedEarlierEnvKeys)
    app.log.info({ revoked: revokedEarlierEnvKeys }, 'TAPIOCA_ADMIN_KEY changed: the key of its previous value is revoked');
  if (envKeyRevoked) app.log.warn('TAPIOCA_ADMIN_KEY is a revoked key and is refused; set a new value');
  if (created) {
    // Printed, never logged: log lines must not carry secrets.
    (options.announceAdminKey ?? ((message: string) => process.stdout.write(message)))(
      `\nNo admin key existed, so one was created. It is shown only now:\n\n  ${created.key}\n\n` +
        (savedTo ? `It was also saved to ${savedTo} (readable by this user only).\n` : '') +
        `Use it as: curl -H "Authorization: Bearer <key>" ${config.access.publicUrl}/users/1\n\n`,
    );
  }
}

/** Builds the whole API from a config: opens and migrates the database, seeds demo data, registers routes. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const clock = options.clock ?? systemClock;
  const database =
    options.database ??
    openDatabase(config.databaseUrl, {
      connectTimeoutMs: config.databaseConnectTimeoutMs,
      lockTimeoutMs: config.sqliteLockTimeoutMs,
    });
  const app = Fastify({
    logger: { level: config.logLevel, serializers: logSerializers },
    bodyLimit: config.bodyLimitBytes,
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // Longer path parameters reach the schemas, which answer in the API's own terms (404 for an unknown id).
    routerOptions: { maxParamLength: 1000 },
    frameworkErrors: (error, _request, reply) => {
      const status = error.statusCode ?? 400;
      const body =
        status === 414 ? errorBody('url_too_long', 'URL too long') : errorBody('malformed_request', 'Malformed request URL');
      void reply
        .code(status as never)
        .type('application/json; charset=utf-8')
        .send(JSON.stringify(body) as never);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onClose', async () => {
    if (!options.database) await database.destroy();
  });

  let signer: BadgeSigner;
  try {
    await prepareDatabase(app, config, database, options, clock);
    signer = await BadgeSigner.load(database.db, config.badgeSigningKey, clock);
  } catch (error) {
    await app.close();
    throw error;
  }

  app.setValidatorCompiler(createValidatorCompiler());
  // JSON is the only body this API reads; anything else is a 415, not a string to validate.
  app.removeContentTypeParser('text/plain');
  registerErrorHandling(app);
  const stats = new StatsService(database.db, clock);
  const { maxUnsentBytes, ...hubOptions } = options.liveUpdates ?? {};
  const hub = new EventHub(database, { pollMs: database.dialect === 'postgres' ? 1000 : 250, ...hubOptions }, clock);
  const metricsToken = config.metricsToken;
  const metrics = metricsToken
    ? timeRequests(app, {
        stats,
        liveClients: () => hub.subscriberCount,
        poolUsage: database.poolUsage,
        observeCommitBatches: database.observeCommitBatches,
        onReadFailure: (error) => app.log.warn({ err: error }, 'metrics: the event figures could not be read'),
      })
    : undefined;

  assignAccessRules(app);
  await installIdempotency(
    app,
    new IdempotencyService(database.db, database.transact, clock, config.idempotencyTtlHours * 3_600_000),
  );
  addSecurityHeaders(app);
  await app.register(cors, {
    origin: config.access.corsOrigins.length > 0 ? [...config.access.corsOrigins] : false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'last-event-id', 'idempotency-key'],
    exposedHeaders: ['idempotent-replayed'],
  });
  const keys = new KeysService(database.db, database.transact, config.access.publicUrl, clock);
  // Before enforceAccess: its ownership check comes after validation, and this is part of validation.
  refuseUnstorableText(app);
  await enforceAccess(app, {
    keys,
    openRegistration: config.access.openRegistration,
    failedAuthLimit: config.access.failedAuthLimit,
    registrationLimit: config.access.registrationLimit,
    rateLimitAddresses: config.access.rateLimitAddresses,
  });
  if (database.changeVersion && config.responseCache) {
    installResponseCache(app, { changeVersion: database.changeVersion, maxBytes: config.responseCacheMaxBytes });
  }
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Tapioca',
        version: '0.1.0',
        description: 'Hackathon operations: participants, skills, check-in, checkpoints, hardware, boba, API keys and badges.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key' } } },
    },
    // Shared schemas keep their $id as their name in the document (ErrorResponse), not def-0.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const participants = new ParticipantsService(
    database.db,
    database.transact,
    config.pageSize,
    clock,
    config.access.openRegistration,
  );
  const checkIns = new CheckInService(database.db, database.transact, signer, clock);
  const checkpoints = new CheckpointsService(database.db, database.transact, signer, clock, config.scanUndoMinutes * 60_000);
  const boba = new BobaService(database.db, database.transact, config.boba, clock);
  const badges = new BadgesService(database.db, database.transact, signer, config.access.publicUrl, clock);
  const hardware = new HardwareService(database.db, database.transact, signer, clock);

  await app.register(healthRoutes, { database });
  if (metrics && metricsToken) await app.register(metricsRoutes, { metrics, token: metricsToken });
  await app.register(participantsRoutes, { participants });
  await app.register(skillsRoutes, { skills: new SkillsService(database.db) });
  await app.register(checkInRoutes, { checkIns });
  await app.register(checkpointsRoutes, { checkpoints });
  await app.register(syncRoutes, { sync: new SyncService(database.db, signer, checkpoints, checkIns, clock) });
  await app.register(hardwareRoutes, { hardware });
  await app.register(bobaRoutes, { boba });
  await app.register(tokensRoutes, {
    tokens: new TokensService(database.db, database.transact, config.boba, signer, clock, config.exchangeRequiresLiveCode),
  });
  await app.register(keysRoutes, { keys, participantLinksLimit: config.access.participantLinksLimit });
  await app.register(badgesRoutes, { badges, imageLimit: config.access.badgeImageLimit });
  await app.register(meRoutes, {
    me: new MeService(participants, checkIns, boba, badges, hardware, signer),
    meExport: new MeExportService(database.db, clock),
  });
  await app.register(exportsRoutes, { exports: new ExportsService(database.db, clock) });
  await app.register(statsRoutes, { stats });
  await app.register(importRoutes, { imports: new CsvImportService(database, clock) });
  await app.register(auditRoutes, { audit: new AuditService(database.db) });
  app.decorate('eventHub', hub);
  await app.register(eventsRoutes, { hub, maxUnsentBytes });
  await app.register(webRoutes, { root: WEB_ROOT });
  await app.register(webhooksRoutes, { webhooks: new WebhooksService(database.db, database.transact, clock) });
  const dispatcher = new WebhookDispatcher(database, clock, app.log, options.webhooks);
  app.addHook('onReady', async () => dispatcher.start());
  // preClose, not onClose: sends in flight give their leases back while the database is still open.
  app.addHook('preClose', () => dispatcher.close());

  return app;
}
