/**
 * The HTTP API: request limits, OpenAPI, the routes of every area, the dev Bot API in dev
 * mode, and the built Mini App. Routes get their dependencies as one `HttpDeps` object.
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createForwarding } from '../cluster/forward.js';
import { OwnerElsewhere } from '../cluster/owner-lease.js';
import { ErrorResponseSchema } from '../../shared/dto.js';
import { registerErrorHandling, sentErrorCode } from '../http/errors.js';
import type { HttpDeps } from '../http/http-deps.js';
import { createRateLimits } from '../http/rate-limit.js';
import { adminRoutes } from '../http/routes/admin.js';
import { adminDashboardRoutes } from '../http/routes/admin-dashboard.js';
import { adminPlayerRoutes } from '../http/routes/admin-players.js';
import { adminPromotionRoutes } from '../http/routes/admin-promotions.js';
import { adminModerationRoutes } from '../http/routes/admin-moderation.js';
import { reportRoutes } from '../http/routes/reports.js';
import { adminAnalyticsRoutes, analyticsRoutes } from '../http/routes/analytics.js';
import { apiV1Routes } from '../http/routes/api-v1.js';
import { imageRoutes } from '../http/routes/images.js';
import { opsRoutes } from '../http/routes/ops.js';
import { notificationRoutes } from '../http/routes/notifications.js';
import { progressRoutes } from '../http/routes/progress.js';
import { leaderboardRoutes } from '../http/routes/leaderboards.js';
import { collectionRoutes } from '../http/routes/collection.js';
import { albumRoutes } from '../http/routes/album.js';
import { shopRoutes } from '../http/routes/shop.js';
import { starsRoutes } from '../http/routes/stars.js';
import { telegramRoutes } from '../http/routes/telegram.js';
import { staticFiles } from '../http/static-files.js';
import { sharePageRoutes, shareRoutes } from '../http/routes/share.js';
import { ClusterRoomInspector, LocalRoomInspector, type RoomInspector } from '../rooms/room-inspector.js';
import { DashboardService } from '../services/dashboard-service.js';
import { RecentCounter } from '../util/recent-counter.js';

/** How long the owner's process may take to answer a forwarded REST call. */
const FORWARD_TIMEOUT_MS = 5_000;

/** Where the dev-mode Bot API stand-in is mounted. */
export const DEV_BOT_API_PREFIX = '/dev/bot-api';

export const routesPlugin = fp<{ isShuttingDown: () => boolean }>(
  async (app, options) => {
    const { config, logger, metrics, clock, redis } = app.core;
    const s = app.services;
    const { cluster, processId } = app.colyseus;
    const forwarding = cluster
      ? await createForwarding(app, { presence: cluster.presence, processId, timeoutMs: FORWARD_TIMEOUT_MS, logger: logger.child({ component: 'forward' }), metrics }).catch(
          (err: unknown) => {
            throw new Error(`cluster mode (REDIS_URL): Redis did not answer, a process cannot join the cluster without it: ${err instanceof Error ? err.message : String(err)}`);
          },
        )
      : null;
    const localRooms = new LocalRoomInspector(app.rooms.registry, s.sim, () => processId);
    const roomInspector: RoomInspector = cluster ? await ClusterRoomInspector.create(localRooms, cluster.presence, processId) : localRooms;
    const rateLimits = await createRateLimits(app, {
      config: config.rateLimit,
      analyticsBatches: config.analytics.batchesPerWindow,
      redisUrl: config.redisUrl,
      logger: logger.child({ component: 'rate-limit' }),
      metrics,
      onPlayerLimited: (playerId, limit) => s.fraud.observeRateLimited(playerId, limit),
      ...(forwarding ? { exempt: (request: FastifyRequest) => forwarding.isForwarded(request) } : {}),
    });
    app.addHook('onClose', () => rateLimits.close());

    const deps: HttpDeps = {
      config,
      devBotToken: s.telegram.devSignIn ? s.telegram.botToken : null,
      now: clock,
      db: app.db,
      redis,
      players: s.players,
      pets: s.pets,
      friends: s.friends,
      inventory: s.inventory,
      minigames: s.minigames,
      images: s.images,
      shop: s.shop,
      stars: s.stars,
      progress: s.progress,
      leaderboards: s.leaderboards,
      notifications: s.notifications,
      analytics: s.analytics,
      telegram: {
        bot: () => s.telegram.bot,
        webhookSecret: s.telegram.webhookSecret,
        devPaymentsPath: s.telegram.devBotApi ? `${DEV_BOT_API_PREFIX}/_dev/invoices` : null,
      },
      admin: s.admin,
      adminRepo: s.adminRepo,
      bans: s.bans,
      promotions: s.adminPromotions,
      adminPlayers: s.adminPlayers,
      moderation: s.moderation,
      fraud: s.fraud,
      sim: s.sim,
      rooms: app.rooms.registry,
      roomInspector,
      tickets: app.rooms.tickets,
      metrics,
      rateLimits,
      isShuttingDown: options.isShuttingDown,
      collection: s.collection,
      cards: s.cards,
    };

    // The dashboard's recent 5xx count (this process).
    const serverErrors = new RecentCounter(clock);
    app.addHook('onResponse', (request, reply, done) => {
      if (reply.statusCode >= 500) serverErrors.add();
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.httpDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, reply.elapsedTime / 1000);
      // Answers not made by the error handler (a route's own 4xx, a plugin's) count under their status.
      if (reply.statusCode >= 400) metrics.httpErrors.inc({ route, code: sentErrorCode(reply) ?? `HTTP_${reply.statusCode}` });
      done();
    });

    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Telepets API',
          version: '1.0.0',
          description:
            'REST API of the Telepets Mini App. Players authenticate with `Authorization: tma <initData>`; ' +
            'admins with `Authorization: Bearer <token>` from POST /admin/login. Errors are always ' +
            '`{"error":{"code","message"}}`. Realtime play goes through the Colyseus room `home` on the same port.',
        },
        components: {
          securitySchemes: {
            telegramInitData: {
              type: 'apiKey',
              in: 'header',
              name: 'Authorization',
              description: 'The raw Telegram Mini App initData, as `tma <initData>`',
            },
            adminBearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          },
        },
      },
    });
    await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
    app.addSchema(ErrorResponseSchema);
    registerErrorHandling(
      app,
      forwarding
        ? {
            // Before anything was written (OwnerElsewhere comes from loading the owner), and only once.
            forwardTo: (err, request) => (err instanceof OwnerElsewhere && !forwarding.isForwarded(request) ? err.heldBy : null),
            forward: (request, reply, owner) => forwarding.forward(request, reply, owner),
          }
        : {},
    );

    await app.register(apiV1Routes(deps), { prefix: '/api/v1' });
    await app.register(imageRoutes(deps), { prefix: '/api/v1' });
    await app.register(shopRoutes(deps), { prefix: '/api/v1' });
    await app.register(starsRoutes(deps), { prefix: '/api/v1' });
    await app.register(progressRoutes(deps), { prefix: '/api/v1' });
    await app.register(leaderboardRoutes(deps), { prefix: '/api/v1' });
    await app.register(notificationRoutes(deps), { prefix: '/api/v1' });
    await app.register(analyticsRoutes(deps), { prefix: '/api/v1' });
    await app.register(reportRoutes(deps), { prefix: '/api/v1' });
    await app.register(collectionRoutes(deps), { prefix: '/api/v1' });
    await app.register(albumRoutes(deps), { prefix: '/api/v1' });
    await app.register(telegramRoutes(deps));
    if (s.telegram.devBotApi) await app.register(s.telegram.devBotApi.plugin(), { prefix: DEV_BOT_API_PREFIX });
    await app.register(adminRoutes(deps), { prefix: '/admin' });
    const dashboard = new DashboardService({
      db: app.db,
      sim: s.sim,
      images: s.images,
      roomInspector,
      metrics,
      now: clock,
      processId: () => processId,
      cluster: cluster !== null,
      tickHz: config.sim.tickHz,
      serverErrors,
    });
    await app.register(adminDashboardRoutes(deps, dashboard), { prefix: '/admin' });
    await app.register(adminAnalyticsRoutes(deps), { prefix: '/admin' });
    await app.register(adminPlayerRoutes(deps), { prefix: '/admin' });
    await app.register(adminPromotionRoutes(deps), { prefix: '/admin' });
    await app.register(adminModerationRoutes(deps), { prefix: '/admin' });
    await app.register(opsRoutes(deps));
    app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
    await app.register(shareRoutes(deps), { prefix: '/api/v1' });
    await app.register(sharePageRoutes(deps));

    await app.register(staticFiles({ root: config.clientDistDir }));
  },
  { name: 'routes', dependencies: ['core', 'database', 'colyseus', 'services', 'rooms'] },
);
