/** Liveness, readiness and Prometheus metrics. */
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { HttpDeps } from '../http-deps.js';

const Check = Type.Object({ ok: Type.Boolean(), error: Type.Optional(Type.String()) });
const Ready = Type.Object({
  status: Type.Enum(['ready', 'not_ready']),
  checks: Type.Object({ database: Check, redis: Type.Optional(Check) }),
});

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
          summary: 'Ready to serve: 503 while the database or a configured Redis is down, or while shutting down',
          response: { 200: Ready, 503: Ready },
        },
      },
      async (_request, reply) => {
        const [database, redis] = await Promise.all([
          probe(() => deps.db.ping(2000)),
          deps.redis ? probe(() => withTimeout(deps.redis!.ping(), 2000)) : Promise.resolve(undefined),
        ]);
        const ok = database.ok && (redis?.ok ?? true) && !deps.isShuttingDown();
        return reply.code(ok ? 200 : 503).send({
          status: ok ? 'ready' : 'not_ready',
          checks: redis ? { database, redis } : { database },
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

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
