import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { type DatabaseHandle, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { generateParticipants } from './demo/generate-participants.js';
import { registerErrorHandling } from './http/error-handler.js';
import { installResponseCache } from './http/response-cache.js';
import { createValidatorCompiler } from './http/validation.js';
import { bobaRoutes } from './modules/boba/boba.routes.js';
import { BobaService } from './modules/boba/boba.service.js';
import { checkInRoutes } from './modules/checkin/checkin.routes.js';
import { CheckInService } from './modules/checkin/checkin.service.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { seedIfEmpty } from './modules/import/import.service.js';
import { participantsRoutes } from './modules/participants/participants.routes.js';
import { ParticipantsService } from './modules/participants/participants.service.js';
import { skillsRoutes } from './modules/skills/skills.routes.js';
import { SkillsService } from './modules/skills/skills.service.js';
import { tokensRoutes } from './modules/tokens/tokens.routes.js';
import { TokensService } from './modules/tokens/tokens.service.js';

export interface BuildOptions {
  /** A database opened by the caller (tests share one between app instances); otherwise opened from config. */
  database?: DatabaseHandle;
}

/** Builds the whole API from a config: opens and migrates the database, seeds demo data, registers routes. */
export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const database = options.database ?? openDatabase(config.databaseUrl);
  const app = Fastify({
    logger: { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onClose', async () => {
    if (!options.database) await database.destroy();
  });

  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length > 0) app.log.info({ migrations: applied }, 'database migrated');
    if (config.demoParticipants > 0) {
      const seeded = await seedIfEmpty(database, () => generateParticipants(config.demoParticipants));
      if (seeded) app.log.info({ participants: seeded.imported }, 'empty database filled with demo participants');
    }
  } catch (error) {
    await app.close();
    throw error;
  }

  app.setValidatorCompiler(createValidatorCompiler());
  // JSON is the only body this API reads; anything else is a 415, not a string to validate.
  app.removeContentTypeParser('text/plain');
  registerErrorHandling(app);
  if (database.changeVersion && config.responseCache) installResponseCache(app, database.changeVersion);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Tapioca',
        version: '0.1.0',
        description: 'Hackathon operations: participants, skills, check-in and boba.',
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes, { database });
  await app.register(participantsRoutes, { participants: new ParticipantsService(database.db, config.pageSize) });
  await app.register(skillsRoutes, { skills: new SkillsService(database.db) });
  await app.register(checkInRoutes, { checkIns: new CheckInService(database.db) });
  await app.register(bobaRoutes, { boba: new BobaService(database.db, config.boba) });
  await app.register(tokensRoutes, { tokens: new TokensService(database.db, config.boba) });

  return app;
}
