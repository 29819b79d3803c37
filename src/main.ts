import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { createApp } from './bootstrap';
import { ConfigError, loadConfig, type AppConfig } from './config';
import { CountUsersQuery } from './users';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const app = await createApp(config);
  await app.listen(config.PORT);
  const logger = new Logger('Casetrail');
  const store = config.EVENT_STORE === 'postgres' ? 'PostgreSQL' : `SQLite in ${config.dataDir}`;
  logger.log(`Casetrail is listening on http://localhost:${config.PORT} (events: ${store}); API docs at /api/docs`);
  if ((await app.get(QueryBus).execute(new CountUsersQuery())) === 0) {
    logger.warn(
      `No users yet. Open http://localhost:${config.PORT}/ in a browser to create the first administrator,\n` +
        'or from a terminal (this works while the server runs; it prints an API token):\n' +
        `  npm run --silent cli -- user:add --name "Your Name" --role admin`,
    );
  }
}

main().catch((error: unknown) => {
  console.error('Casetrail failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
