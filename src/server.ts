import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseStartupError, explainStartupFailure } from './db/database-errors.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await buildApp(config).catch((error: unknown) => {
    throw explainStartupFailure(error, config.databaseUrl, config.databaseConnectTimeoutMs);
  });

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing in-flight requests');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else if (error instanceof DatabaseStartupError) console.error(`Tapioca failed to start: ${error.message}`);
  else console.error('Tapioca failed to start:', error);
  process.exit(1);
});
