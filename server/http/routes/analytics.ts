/**
 * Analytics routes: the Mini App's UI event batches under /api/v1 (player scope), and the
 * daily aggregates under /admin (admin token; like every /admin route, not on the public port).
 */
import type { FastifyInstance } from 'fastify';
import {
  ANALYTICS_BODY_LIMIT_BYTES,
  ANALYTICS_MAX_BATCH,
  ANALYTICS_MAX_RANGE_DAYS,
  AnalyticsDailyQuerySchema,
  AnalyticsDailySchema,
  UiEventBatchResultSchema,
  UiEventBatchSchema,
  utcDayStart,
} from '../../../shared/analytics.js';
import { AppError } from '../../../shared/errors.js';
import { DAY_MS } from '../../services/analytics-service.js';
import { requirePlayer } from '../auth.js';
import type { HttpDeps } from '../http-deps.js';
import { adminScope, errors, PLAYER_SECURITY, playerScope } from '../route-kit.js';

export function analyticsRoutes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const api = playerScope(root, deps);

    api.post(
      '/analytics/events',
      {
        bodyLimit: ANALYTICS_BODY_LIMIT_BYTES,
        schema: {
          tags: ['analytics'],
          summary: `Record a batch of my UI events (1-${ANALYTICS_MAX_BATCH}; every field an enum)`,
          description:
            `Stored under a keyed hash of the player, never an id. A body over ${ANALYTICS_BODY_LIMIT_BYTES} bytes → 413; ` +
            'an unknown type or value → 400 and nothing stored. Batches per player are limited (RATE_LIMIT_ANALYTICS_MAX per window).',
          security: PLAYER_SECURITY,
          body: UiEventBatchSchema,
          response: { 202: UiEventBatchResultSchema, ...errors(400, 401, 413) },
        },
        preHandler: deps.rateLimits.analytics,
      },
      async (request, reply) => {
        const accepted = await deps.analytics.record(requirePlayer(request).id, request.body.events);
        return reply.code(202).send({ accepted });
      },
    );
  };
}

export function adminAnalyticsRoutes(deps: HttpDeps) {
  return async (root: FastifyInstance): Promise<void> => {
    const api = adminScope(root, deps);

    api.get(
      '/analytics/daily',
      {
        schema: {
          tags: ['admin'],
          summary: `Daily aggregates of UTC days from \`from\` to \`to\` (both included, at most ${ANALYTICS_MAX_RANGE_DAYS} days)`,
          description: 'Days are computed by the analytics job after they end (docs/events.md, "Analytics"); `missing` lists days of the range not computed yet.',
          security: [{ adminBearer: [] }],
          querystring: AnalyticsDailyQuerySchema,
          response: { 200: AnalyticsDailySchema, ...errors(400, 401, 403) },
        },
      },
      async (request) => {
        const { from, to } = request.query;
        const start = utcDayStart(from);
        const end = utcDayStart(to);
        if (start === null) throw new AppError('VALIDATION_FAILED', `from is not a calendar date: ${from}`);
        if (end === null) throw new AppError('VALIDATION_FAILED', `to is not a calendar date: ${to}`);
        if (end < start) throw new AppError('VALIDATION_FAILED', 'to is before from');
        const days = (end - start) / DAY_MS + 1;
        if (days > ANALYTICS_MAX_RANGE_DAYS) throw new AppError('VALIDATION_FAILED', `at most ${ANALYTICS_MAX_RANGE_DAYS} days at once (asked for ${days})`);
        return deps.analytics.daily(from, to);
      },
    );
  };
}
