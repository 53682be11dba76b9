/**
 * `npm run worker`: a separate image worker process. It takes image jobs from the Bull
 * queue on Redis (any number of workers share it), writes the images to the database and
 * publishes status changes for the servers' rooms. SIGTERM finishes the running jobs first.
 * It serves GET /metrics and GET /healthz on HOST:PORT (server/worker-http.ts).
 */
import { RedisOwnerBus } from './bus/owner-bus.js';
import { newProcessId } from './cluster/process-id.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrator.js';
import { createImagePipeline } from './images/pipeline.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';
import { startWorkerHttp } from './worker-http.js';
import { configOrExit, runMain, stopOnSignals } from './process-lifecycle.js';

runMain('telepets worker', async () => {
  const config = configOrExit('tool');
  const logger = createLogger(config).child({ process: 'worker' });
  if (!config.redisUrl) {
    process.stderr.write('npm run worker needs REDIS_URL: without Redis the server runs image jobs in its own process.\n');
    process.exit(2);
  }
  const db = openDatabase(config.database, config.deadlines.database);
  await db.withoutDeadlines(migrateToLatest);
  // One registry for the process: the bus, the queue's depth and the jobs, served on HOST:PORT.
  const metrics = createMetrics();
  // Picture status changes reach the owners' rooms on the servers over the owner bus.
  const bus = new RedisOwnerBus({
    redisUrl: config.redisUrl,
    prefix: `${config.images.queuePrefix}:`,
    processId: newProcessId(),
    deadlines: config.deadlines.redis,
    logger: logger.child({ component: 'bus' }),
    metrics,
  });
  const pipeline = createImagePipeline(config, db, bus, logger, metrics);
  pipeline.startWorker();
  const http = await startWorkerHttp({ host: config.host, port: config.port, registry: metrics.registry, logger });
  logger.info({ mode: config.mode, database: db.dialect }, 'telepets worker ready');
  // Running jobs may finish first: the deadline is one job's timeout, not the server's.
  stopOnSignals(
    logger,
    async () => {
      await pipeline.close();
      await http.close();
      await bus.close();
      await db.close();
    },
    config.images.jobTimeoutMs + 5_000,
  );
});
