/** Liveness, readiness and Prometheus metrics. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { pingRedis } from '../../util/redis-health.js';
import type { HttpDeps } from '../http-deps.js';

/** `error` says why a check failed (not connected and the last connection error, or which call timed out). */
const Check = Type.Object({ ok: Type.Boolean(), error: Type.Optional(Type.String()) });
const Ready = Type.Object({
  status: Type.Enum(['ready', 'not_ready']),
  // queue: the image queue's own Redis connection (Bull), when it runs on Redis.
  checks: Type.Object({ database: Check, redis: Type.Optional(Check), queue: Type.Optional(Check) }),
});

/** Each check's deadline. */
const CHECK_TIMEOUT_MS = 2000;

async function probe(fn: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
  try {
    await fn();
    return { ok: true };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

export function opsRoutes(deps: HttpDeps) {
  return async (app: FastifyInstance): Promise<void> => {
    app.get(
      '/healthz',
      { schema: { tags: ['ops'], summary: 'The process is alive', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
      () => ({ status: 'ok' as const }),
    );

    app.get(
      '/readyz',
      {
        schema: {
          tags: ['ops'],
          summary: 'Ready to serve: 503 while the database, a configured Redis or the image queue does not answer, or while shutting down; each failed check says why',
          response: { 200: Ready, 503: Ready },
        },
      },
      async (_request, reply) => {
        const redisClient = deps.redis;
        const [database, redis, queue] = await Promise.all([
          probe(() => deps.db.ping(CHECK_TIMEOUT_MS)),
          redisClient ? probe(() => pingRedis(redisClient, CHECK_TIMEOUT_MS)) : Promise.resolve(undefined),
          deps.images.queueIsExternal ? probe(() => deps.images.pingQueue(CHECK_TIMEOUT_MS)) : Promise.resolve(undefined),
        ]);
        const ok = database.ok && (redis?.ok ?? true) && (queue?.ok ?? true) && !deps.isShuttingDown();
        return reply.code(ok ? 200 : 503).send({
          status: ok ? 'ready' : 'not_ready',
          checks: { database, ...(redis ? { redis } : {}), ...(queue ? { queue } : {}) },
        });
      },
    );

    app.get(
      '/metrics',
      { schema: { tags: ['ops'], summary: 'Prometheus metrics', produces: ['text/plain'] } },
      async (_request, reply) => {
        const body = await deps.metrics.registry.metrics();
        return reply.header('content-type', deps.metrics.registry.contentType).send(body);
      },
    );
  };
}
