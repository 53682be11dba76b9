/**
 * Builds the image pipeline from the configuration: the queue (Bull on Redis, or in
 * process), the provider chain and the job processor (status changes go to the owner bus
 * it is given). The server and
 * the separate worker (`npm run worker`) both use it.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Metrics } from '../metrics.js';
import { ImagesRepository } from '../repositories/images-repository.js';
import type { OwnerBus } from '../bus/owner-bus.js';
import { ImageGenerator } from './generator.js';
import { createImageProcessor, type ImageJobData } from './image-jobs.js';
import { createHuggingFaceProvider } from './providers/huggingface.js';
import { createProceduralProvider } from './providers/procedural.js';
import type { ImageProvider } from './providers/types.js';
import { BullQueue } from './queue/bull-queue.js';
import type { JobQueue } from './queue/job-queue.js';
import { MemoryQueue } from './queue/memory-queue.js';

export interface ImagePipeline {
  queue: JobQueue<ImageJobData>;
  generator: ImageGenerator;
  images: ImagesRepository;
  /** Starts processing jobs in this process. */
  startWorker(): void;
  close(): Promise<void>;
}

const IMAGE_QUEUE_NAME = 'telepets-images';

/** The chain: primary model → fallback model → procedural (only procedural without a token). */
function createProviders(config: Config['images']): ImageProvider[] {
  const providers: ImageProvider[] = [];
  if (config.hfToken) {
    const common = { token: config.hfToken, provider: config.hfProvider, endpointUrl: config.hfEndpointUrl };
    providers.push(createHuggingFaceProvider({ ...common, name: 'huggingface-primary', model: config.hfModel }));
    if (config.hfFallbackModel) {
      providers.push(createHuggingFaceProvider({ ...common, name: 'huggingface-fallback', model: config.hfFallbackModel }));
    }
  }
  providers.push(createProceduralProvider());
  return providers;
}

/**
 * `metrics`: the registry of the process running it: the queue's depth is read from it at
 * scrape time, and a process that works jobs counts their durations, failures and providers.
 */
export function createImagePipeline(config: Config, db: Db, bus: OwnerBus, logger: Logger, metrics: Metrics, now?: () => number): ImagePipeline {
  const log = logger.child({ component: 'images' });
  const images = new ImagesRepository(db.kysely, db.dialect);
  const queue: JobQueue<ImageJobData> = config.redisUrl
    ? new BullQueue<ImageJobData>({
        name: IMAGE_QUEUE_NAME,
        redisUrl: config.redisUrl,
        prefix: config.images.queuePrefix,
        lockDurationMs: config.images.jobLockMs,
        connectTimeoutMs: config.deadlines.redis.connectTimeoutMs,
        commandTimeoutMs: config.deadlines.redis.commandTimeoutMs,
        logger: log,
      })
    : new MemoryQueue<ImageJobData>();
  metrics.imageQueue.counts = () => queue.counts();
  const generator = new ImageGenerator(
    createProviders(config.images),
    { timeoutMs: config.images.hfTimeoutMs, attemptsPerProvider: config.images.providerAttempts, backoffMs: config.images.providerBackoffMs },
    { record: (row) => images.recordExperiment(row), logger: log, ...(now ? { now } : {}) },
  );
  const processor = createImageProcessor({
    images,
    generator,
    bus,
    logger: log,
    speciesOf: async (petId) =>
      (await db.kysely.selectFrom('pets').select('species').where('id', '=', petId).executeTakeFirst())?.species,
    metrics,
    ...(now ? { now } : {}),
  });
  let working = false;
  return {
    queue,
    generator,
    images,
    startWorker() {
      if (working) return;
      working = true;
      queue.process(config.images.concurrency, (job) => processor.handle(job), (job, err, final) => processor.failed(job, err, final));
      log.info({ queue: queue.kind, concurrency: config.images.concurrency, providers: generator.providers.map((p) => p.name) }, 'image worker started');
    },
    async close() {
      await queue.close();
    },
  };
}
