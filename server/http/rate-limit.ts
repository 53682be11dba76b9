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
import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppError } from '../../shared/errors.js';
import type { RateLimitConfig } from '../config.js';
import type { Metrics } from '../metrics.js';

/**
 * A preHandler or onRequest hook: calls `done()` when the request is within its budget, else
 * `done(RATE_LIMITED)`. Callback style on purpose: counted in this process, a request within
 * budget costs a map lookup and no promise.
 */
type LimitHook = (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => void;

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
  /** UI event batches (POST /api/v1/analytics/events). */
  analytics: LimitHook;
  /** Prepared share messages (POST /api/v1/pets/:petId/share/prepared). */
  sharePrepared: LimitHook;
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

/** Keys kept by an in-process counter (the oldest windows go first). */
const LOCAL_KEYS = 20_000;

/** Players are keyed by id (a UUID, never an address); a request without one by its address. */
const playerKey = (request: FastifyRequest): string => request.player?.id ?? normalizeIP(request.ip);
const ipKey = (request: FastifyRequest): string => normalizeIP(request.ip);

/**
 * Fixed windows counted in this process: a window starts with a key's first request and every
 * request counts, refused ones too (as the Redis store counts). At most `capacity` keys; the
 * oldest window is dropped first.
 */
export class LocalWindows {
  private readonly windows = new Map<string, { count: number; resetAtMs: number }>();

  constructor(
    private readonly windowMs: number,
    private readonly capacity = LOCAL_KEYS,
  ) {}

  /** Counts one request of `key` at `nowMs`: the count in its window and the seconds left of it. */
  hit(key: string, nowMs: number): { count: number; ttlSeconds: number } {
    let window = this.windows.get(key);
    if (!window || window.resetAtMs <= nowMs) {
      if (window) this.windows.delete(key);
      window = { count: 0, resetAtMs: nowMs + this.windowMs };
      this.windows.set(key, window);
      if (this.windows.size > this.capacity) {
        const oldest = this.windows.keys().next();
        if (!oldest.done) this.windows.delete(oldest.value);
      }
    }
    window.count += 1;
    return { count: window.count, ttlSeconds: Math.ceil((window.resetAtMs - nowMs) / 1000) };
  }
}

export async function createRateLimits(
  app: FastifyInstance,
  options: {
    config: RateLimitConfig;
    /** UI event batches per player per window (analytics; 0: no limit). */
    analyticsBatches: number;
    redisUrl: string | null;
    logger: Logger;
    metrics: Metrics;
    /** Requests not counted (forwarded by another process, which counted them already). */
    exempt?: (request: FastifyRequest) => boolean;
    /** A signed-in player reached a per-player limit (once per window and limit): the anti-fraud review counts it. */
    onPlayerLimited?: (playerId: string, limit: string) => void;
  },
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
  const store = async (spec: LimitSpec, shared: Redis): Promise<Check> => {
    let check: Check | undefined;
    await app.register(async (scope) => {
      await scope.register(fastifyRateLimit, {
        global: false,
        max: spec.max,
        timeWindow: spec.windowSeconds * 1000,
        ban: 1,
        ...(spec.key === 'player' ? { keyGenerator: playerKey } : {}),
        redis: shared,
        nameSpace: `${config.redisPrefix}${spec.name}:`,
        skipOnError: false,
      });
      check = scope.createRateLimit();
    });
    return check!;
  };

  const limit = async (spec: LimitSpec, onFirstRefusal: (key: string, retryAfterSeconds: number) => void): Promise<LimitHook> => {
    if (spec.max === 0) return (_request, _reply, done) => done();
    const local = new LocalWindows(spec.windowSeconds * 1000);
    const shared = redis ? await store(spec, redis) : null;
    const keyOf = spec.key === 'player' ? playerKey : ipKey;
    const refuse = (request: FastifyRequest, key: string, ttlSeconds: number, first: boolean): Error => {
      const retryAfterSeconds = Math.max(1, ttlSeconds);
      metrics.rateLimited.inc({ limit: spec.name });
      if (first) {
        onFirstRefusal(key, retryAfterSeconds);
        if (spec.key === 'player' && request.player) {
          try {
            options.onPlayerLimited?.(request.player.id, spec.name);
          } catch (err) {
            logger.warn({ err, limit: spec.name }, 'rate limits: the limited-player hook failed');
          }
        }
      }
      return new AppError('RATE_LIMITED', `Too many requests; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
    };
    const countHere = (request: FastifyRequest, done: (err?: Error) => void): void => {
      const key = keyOf(request);
      const { count, ttlSeconds } = local.hit(key, performance.now());
      if (count <= spec.max) done();
      else done(refuse(request, key, ttlSeconds, count === spec.max + 1));
    };
    return (request, _reply, done) => {
      if (options.exempt?.(request)) {
        done();
        return;
      }
      if (!shared) {
        countHere(request, done);
        return;
      }
      if (redis!.status !== 'ready') {
        fellBack(new Error(`redis connection is ${redis!.status}`));
        countHere(request, done);
        return;
      }
      shared(request).then(
        (result) => {
          if (result.isAllowed || !result.isExceeded) done();
          else done(refuse(request, result.key, result.ttlInSeconds, !result.isBanned));
        },
        (err: unknown) => {
          fellBack(err);
          countHere(request, done);
        },
      );
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
    analytics: perPlayer('analytics', options.analyticsBatches),
    sharePrepared: perPlayer('share-prepared', config.sharePrepared),
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
    analytics: await limit(specs.analytics, reached(specs.analytics)),
    sharePrepared: await limit(specs.sharePrepared, reached(specs.sharePrepared)),
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
