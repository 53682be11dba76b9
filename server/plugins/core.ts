/**
 * The process's basics every other plugin reads: its configuration, logger, metrics, wall
 * clock and name in the cluster, and the shared Redis client (null in one-process mode).
 */
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import { withDeadline } from '../util/deadline.js';
import { watchRedis } from '../util/redis-health.js';

export interface Core {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** The one wall clock (epoch ms) of the app: everything reads it, never Date.now. */
  clock: () => number;
  /** This process's name in the cluster (logs, leases, the owner bus, the room inspector). */
  processId: string;
  /** Prefix of every key and channel this app keeps in Redis. */
  redisPrefix: string;
  /** Commands with deadlines; null without REDIS_URL. */
  redis: Redis | null;
  /** Cluster mode: REDIS_URL is set. */
  cluster: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    core: Core;
  }
}

export const corePlugin = fp<Omit<Core, 'redis' | 'cluster' | 'redisPrefix'>>(
  async (app, options) => {
    const { config, logger } = options;
    const redis = config.redisUrl
      ? new Redis(config.redisUrl, {
          lazyConnect: true,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          connectTimeout: config.deadlines.redis.connectTimeoutMs,
          commandTimeout: config.deadlines.redis.commandTimeoutMs,
          retryStrategy: (times) => Math.min(times * 200, 2000),
        })
      : null;
    if (redis) {
      watchRedis(redis);
      redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'redis unavailable'));
      app.addHook('onClose', () => redis.disconnect());
      // A process of a cluster starts only with Redis there; once running, /readyz reports an outage.
      await withDeadline(redis.connect(), config.deadlines.redis.connectTimeoutMs + 1000, () => new Error('connect timed out')).catch((err: unknown) => {
        redis.disconnect();
        throw new Error(`cluster mode (REDIS_URL): Redis did not answer, a process cannot join the cluster without it: ${err instanceof Error ? err.message : String(err)}`);
      });
    }
    app.decorate('core', { ...options, redis, cluster: redis !== null, redisPrefix: `${config.images.queuePrefix}:` });
  },
  { name: 'core' },
);
