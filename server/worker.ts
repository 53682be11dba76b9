/**
 * `npm run worker`: a separate image worker process. It takes image jobs from the Bull
 * queue on Redis (any number of workers share it), writes the images to the database and
 * publishes status changes for the servers' rooms. SIGTERM finishes the running jobs first.
 */
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrator.js';
import { createImagePipeline } from './images/pipeline.js';
import { createLogger } from './logger.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config).child({ process: 'worker' });
  if (!config.redisUrl) {
    process.stderr.write('npm run worker needs REDIS_URL: without Redis the server runs image jobs in its own process.\n');
    process.exit(2);
  }
  const db = openDatabase(config.database);
  await migrateToLatest(db.kysely);
  const pipeline = createImagePipeline(config, db, logger);
  pipeline.startWorker();
  logger.info('telepets worker ready');

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping');
    pipeline
      .close()
      .then(() => db.close())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        logger.error({ err }, 'worker stop failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`telepets worker failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
