/**
 * Request limits, counted by @fastify/rate-limit's stores: in Redis when `REDIS_URL` is set
 * (one atomic Lua INCR per check, so every process shares the counters), in this process
 * otherwise. Each limit is a fixed window that starts at a key's first request; refused
 * requests count too, so hammering a closed door does not open it sooner.
 *
 * When Redis cannot answer, a check is counted in this process instead. Limits then hold per
 * process (N processes allow N times the budget, and counts made on Redis are out of reach)
 * rather than failing open, which would switch the admin login's brute-force protection off
 * with Redis, or failing closed, which would take the game down with it.
 *
 * A limit refuses with RATE_LIMITED through the one error handler: 429, `Retry-After` and
 * `retryAfterSeconds` in the error body, like the image budget's refusals.
 */
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppError } from '../../shared/errors.js';
import type { RateLimitConfig } from '../config.js';
import type { Metrics } from '../metrics.js';

/** A preHandler or onRequest hook: resolves when the request is within its budget, else throws RATE_LIMITED. */
export type LimitHook = (request: FastifyRequest) => Promise<void>;

export interface RateLimits {
  /** Every authenticated /api/v1 request, keyed by the player (runs after authentication). */
  api: LimitHook;
  /** Unauthenticated /api/v1 requests, keyed by the client IP. */
  publicApi: LimitHook;
  /** POST /admin/login attempts, keyed by the client IP; the first refusal is logged as a lockout. */
  adminLogin: LimitHook;
  purchases: LimitHook;
  invoices: LimitHook;
  friendAdds: LimitHook;
  /** Picture regenerations and re-runs, one budget. */
  imageRequests: LimitHook;
  close(): void;
}

type Check = ReturnType<FastifyInstance['createRateLimit']>;
type Key = 'player' | 'ip';

interface LimitSpec {
  /** Metric label and Redis key segment. */
  name: string;
  max: number;
  windowSeconds: number;
  key: Key;
}

/** Keys kept by an in-process store (least recently used go first). */
const LOCAL_KEYS = 20_000;

/** Players are keyed by id (a UUID, never an address); a request without one by its address. */
const playerKey = (request: FastifyRequest): string => request.player?.id ?? request.ip;

export async function createRateLimits(
  app: FastifyInstance,
  options: { config: RateLimitConfig; redisUrl: string | null; logger: Logger; metrics: Metrics },
): Promise<RateLimits> {
  const { config, logger, metrics } = options;
  const redis = options.redisUrl ? await connect(options.redisUrl) : null;
  let redisDown = false;
  redis?.on('ready', () => {
    if (!redisDown) return;
    redisDown = false;
    logger.info('rate limits: redis is back, counting there again');
  });

  /**
   * One store of one limit, in a plugin context of its own: `createRateLimit()` of a context
   * counts under that context's `nameSpace`, so each limit's Redis keys read
   * `<prefix><limit>:<player id or address>`. `ban: 1` makes `isBanned` mean "refused before
   * in this window": the one request that is exceeded but not banned is the first refusal.
   */
  const store = async (spec: LimitSpec, shared: Redis | null): Promise<Check> => {
    let check: Check | undefined;
    await app.register(async (scope) => {
      await scope.register(fastifyRateLimit, {
        global: false,
        max: spec.max,
        timeWindow: spec.windowSeconds * 1000,
        ban: 1,
        ...(spec.key === 'player' ? { keyGenerator: playerKey } : {}),
        ...(shared ? { redis: shared, nameSpace: `${config.redisPrefix}${spec.name}:`, skipOnError: false } : { cache: LOCAL_KEYS }),
      });
      check = scope.createRateLimit();
    });
    return check!;
  };

  const limit = async (spec: LimitSpec, onFirstRefusal: (key: string, retryAfterSeconds: number) => void): Promise<LimitHook> => {
    if (spec.max === 0) return async () => undefined;
    const local = await store(spec, null);
    const shared = redis ? await store(spec, redis) : null;
    const count = async (request: FastifyRequest) => {
      if (shared && redis!.status === 'ready') {
        try {
          return await shared(request);
        } catch (err) {
          fellBack(err);
        }
      } else if (shared) {
        fellBack(new Error(`redis connection is ${redis!.status}`));
      }
      return local(request);
    };
    return async (request) => {
      const result = await count(request);
      if (result.isAllowed || !result.isExceeded) return;
      const retryAfterSeconds = Math.max(1, result.ttlInSeconds);
      metrics.rateLimited.inc({ limit: spec.name });
      if (!result.isBanned) onFirstRefusal(result.key, retryAfterSeconds);
      throw new AppError('RATE_LIMITED', `Too many requests; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
    };
  };

  const fellBack = (err: unknown): void => {
    metrics.rateLimitLocalFallbacks.inc();
    if (redisDown) return;
    redisDown = true;
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'rate limits: redis unavailable, counting in this process');
  };

  const reached = (spec: LimitSpec) => (key: string, retryAfterSeconds: number) =>
    logger.warn({ limit: spec.name, key, max: spec.max, windowSeconds: spec.windowSeconds, retryAfterSeconds }, 'rate limit reached');

  const perPlayer = (name: string, max: number): LimitSpec => ({ name, max, windowSeconds: config.windowSeconds, key: 'player' });
  const specs = {
    api: perPlayer('api', config.apiPerPlayer),
    publicApi: { name: 'public-api', max: config.publicApiPerIp, windowSeconds: config.windowSeconds, key: 'ip' },
    adminLogin: { name: 'admin-login', max: config.adminLogin, windowSeconds: config.adminLoginWindowSeconds, key: 'ip' },
    purchases: perPlayer('purchases', config.purchases),
    invoices: perPlayer('invoices', config.invoices),
    friendAdds: perPlayer('friend-adds', config.friendAdds),
    imageRequests: perPlayer('image-requests', config.imageRequests),
  } satisfies Record<string, LimitSpec>;

  return {
    api: await limit(specs.api, reached(specs.api)),
    publicApi: await limit(specs.publicApi, reached(specs.publicApi)),
    adminLogin: await limit(specs.adminLogin, (ip, retryAfterSeconds) => {
      metrics.adminLoginLockouts.inc();
      logger.warn({ ip, attempts: specs.adminLogin.max + 1, windowSeconds: specs.adminLogin.windowSeconds, retryAfterSeconds }, 'admin login locked out');
    }),
    purchases: await limit(specs.purchases, reached(specs.purchases)),
    invoices: await limit(specs.invoices, reached(specs.invoices)),
    friendAdds: await limit(specs.friendAdds, reached(specs.friendAdds)),
    imageRequests: await limit(specs.imageRequests, reached(specs.imageRequests)),
    close() {
      redis?.disconnect();
    },
  };

  /**
   * The limits' own Redis connection: a check never waits for it (no offline queue, short
   * command timeout) but counts in this process instead. The first connection is awaited
   * briefly, so a server that starts next to a healthy Redis counts there from its first request.
   */
  async function connect(url: string): Promise<Redis> {
    const client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      connectTimeout: 1000,
      commandTimeout: 500,
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(times * 200, 2000),
    });
    // Reported once per outage by the first check that falls back; ioredis needs a listener.
    client.on('error', () => undefined);
    await client.connect().catch(() => undefined);
    return client;
  }
}
