/**
 * The composition root: builds the whole server (database, services, sim host, Fastify,
 * Colyseus on the same http.Server) from a configuration. Tests call `buildApp`; only
 * `main.ts` listens on the configured port for real.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { Server as ColyseusServer } from '@colyseus/core';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ErrorResponseSchema } from '../shared/dto.js';
import { ROOM_HOME, ROOM_TICKET_TTL_S } from '../shared/protocol.js';
import { createAdminAuth } from './auth/admin-auth.js';
import { newProcessId } from './cluster/process-id.js';
import { LocalOwnerBus, RedisOwnerBus, type OwnerBus } from './bus/owner-bus.js';
import { reactToOwnerEvents } from './bus/reactions.js';
import { LocalRoomTickets, RedisRoomTickets, type RoomTicketStore } from './auth/room-tickets.js';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/database.js';
import { migrateToLatest } from './db/migrator.js';
import { frameworkErrors, registerErrorHandling } from './http/errors.js';
import { staticFiles } from './http/static-files.js';
import type { HttpDeps } from './http/http-deps.js';
import { createRateLimits } from './http/rate-limit.js';
import { adminRoutes } from './http/routes/admin.js';
import { apiV1Routes } from './http/routes/api-v1.js';
import { imageRoutes } from './http/routes/images.js';
import { createImagePipeline, type ImagePipeline } from './images/pipeline.js';
import { watchRedis } from './util/redis-health.js';
import { opsRoutes } from './http/routes/ops.js';
import { shopRoutes } from './http/routes/shop.js';
import { starsRoutes } from './http/routes/stars.js';
import { progressRoutes } from './http/routes/progress.js';
import { telegramRoutes } from './http/routes/telegram.js';
import { colyseusLogger, createLogger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { FriendsRepository } from './repositories/friends-repository.js';
import { InventoryRepository } from './repositories/inventory-repository.js';
import { JobRunsRepository } from './repositories/job-runs-repository.js';
import { LedgerRepository } from './repositories/ledger-repository.js';
import { ShopRepository } from './repositories/shop-repository.js';
import { StarsRepository } from './repositories/stars-repository.js';
import { MinigamesRepository } from './repositories/minigames-repository.js';
import { PetEventsRepository } from './repositories/pet-events-repository.js';
import { PetsRepository } from './repositories/pets-repository.js';
import { PlayersRepository } from './repositories/players-repository.js';
import { createGuardedTransport } from './rooms/guarded-transport.js';
import { createHomeRoom } from './rooms/HomeRoom.js';
import { RoomRegistry } from './rooms/room-registry.js';
import { FriendService } from './services/friend-service.js';
import { ImageService } from './services/image-service.js';
import { InventoryService } from './services/inventory-service.js';
import { MinigameService } from './services/minigame-service.js';
import { PetService } from './services/pet-service.js';
import { PlayerService } from './services/player-service.js';
import { ProgressService } from './services/progress-service.js';
import { ShopService } from './services/shop-service.js';
import { isItemId, skinOfItem } from '../shared/balance.js';
import { StarsService } from './services/stars-service.js';
import { createTelegramBot, type TelegramBot } from './telegram/bot.js';
import { loadDevBotApi, type DevBotApi } from './telegram/dev-bot-api.js';
import { MinigameHost } from './sim-host/minigame-host.js';
import { SimHost } from './sim-host/sim-host.js';

/** Largest WebSocket frame accepted; bigger frames close the socket (room messages are far smaller). */
const MAX_WS_PAYLOAD_BYTES = 64 * 1024;
/** Largest HTTP request body accepted. */
const MAX_BODY_BYTES = 16 * 1024;
/** Where the dev-mode Bot API stand-in is mounted. */
const DEV_BOT_API_PREFIX = '/dev/bot-api';

interface AppOverrides {
  logger?: Logger;
  /** The app's wall clock (epoch ms), read by every part of it; default `Date.now` (tests pin it). */
  now?: () => number;
}

export interface App {
  config: Config;
  http: FastifyInstance;
  gameServer: ColyseusServer;
  sim: SimHost;
  /** Owner events: local, or over Redis in cluster mode. */
  bus: OwnerBus;
  games: MinigameHost;
  minigames: MinigameService;
  images: ImageService;
  pipeline: ImagePipeline;
  pets: PetService;
  /** The home rooms of this process. */
  rooms: RoomRegistry;
  shop: ShopService;
  stars: StarsService;
  progress: ProgressService;
  /** The bot, once `start()` created it. */
  telegram: () => TelegramBot | null;
  /** Dev mode only: the fake Bot API (from dev/) mounted at /dev/bot-api. */
  devBotApi: DevBotApi | null;
  ledger: LedgerRepository;
  inventory: InventoryService;
  db: Db;
  metrics: Metrics;
  logger: Logger;
  /** The token initData is signed with: the real bot token, or the dev token in dev sign-in mode. */
  botToken: string;
  devSignIn: boolean;
  /** Starts ticking and listening; resolves with the bound port. */
  start(): Promise<number>;
  /** Graceful shutdown: rooms disposed, every loaded pet flushed, connections closed. */
  stop(): Promise<void>;
}

/** A random token in Telegram's bot token shape, used to sign and check dev initData. */
function makeDevBotToken(): string {
  return `${randomInt(100_000_000, 999_999_999)}:${randomBytes(24).toString('base64url')}`;
}

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config);
  const metrics = createMetrics();
  const db = openDatabase(config.database, config.deadlines.database);
  try {
    await db.withoutDeadlines(migrateToLatest);
  } catch (err) {
    await db.close();
    throw err;
  }

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
    redis.connect().catch((err: unknown) => logger.warn({ err }, 'redis connect failed; /readyz reports it'));
  }

  const devSignIn = config.telegram.botToken === null;
  const botToken = config.telegram.botToken ?? makeDevBotToken();
  if (devSignIn) logger.warn('TELEGRAM_BOT_TOKEN is not set: dev sign-in is enabled (POST /api/v1/dev/init-data)');
  if (config.admin.password !== null && config.admin.jwtSecret === null) {
    logger.warn('JWT_SECRET is not set: admin tokens use a random per-process secret');
  }

  // The one wall clock (epoch ms) of the app: everything below reads it, never Date.now.
  const clock = overrides.now ?? Date.now;
  const processId = newProcessId();
  const bus: OwnerBus = config.redisUrl
    ? new RedisOwnerBus({ redisUrl: config.redisUrl, prefix: `${config.images.queuePrefix}:`, processId, deadlines: config.deadlines.redis, logger: logger.child({ component: 'bus' }), metrics })
    : new LocalOwnerBus({ logger: logger.child({ component: 'bus' }), metrics });
  const playersRepo = new PlayersRepository(db.kysely);
  const friendsRepo = new FriendsRepository(db.kysely);
  const petsRepo = new PetsRepository(db.kysely, db.dialect, db.batch);
  const inventoryRepo = new InventoryRepository(db.kysely);
  const ledgerRepo = new LedgerRepository(db.kysely, db.dialect);
  const jobRuns = new JobRunsRepository(db.kysely);
  const jobHolder = `${hostname()}:${process.pid}`;
  const minigamesRepo = new MinigamesRepository(db.kysely, ledgerRepo);
  const sim = new SimHost(config.sim, {
    pets: petsRepo,
    events: new PetEventsRepository(db.kysely),
    logger: logger.child({ component: 'sim' }),
    metrics,
    bus,
    now: clock,
  });
  const gameHost = new MinigameHost({ logger: logger.child({ component: 'minigames' }), now: clock });
  const players = new PlayerService({
    players: playersRepo,
    friends: friendsRepo,
    logger,
    botToken,
    initDataMaxAgeSeconds: config.telegram.initDataMaxAgeSeconds,
    applyUtcOffset: async (playerId, offset) => {
      await petsRepo.setOwnerUtcOffset(playerId, offset);
      await sim.setOwnerUtcOffset(playerId, offset);
    },
    clock: () => sim.clock,
    clockToEpochMs: (clock) => ((clock - config.sim.clockOffsetSeconds) / config.sim.timeScale) * 1000,
    now: clock,
  });
  const friends = new FriendService({ friends: friendsRepo, players: playersRepo, now: clock });
  const inventory = new InventoryService({ inventory: inventoryRepo, ledger: ledgerRepo, bus, now: clock });
  const progress = new ProgressService({
    db: db.kysely,
    dialect: db.dialect,
    ledger: ledgerRepo,
    inventory,
    logger: logger.child({ component: 'progress' }),
    clock: () => sim.clock,
    timeScale: config.sim.timeScale,
    clockOffsetSeconds: config.sim.clockOffsetSeconds,
    bus,
    now: clock,
  });
  const pets = new PetService({ pets: petsRepo, friends, inventory, sim, progress, bus, now: clock });
  const starsLogger = logger.child({ component: 'stars' });
  let telegramBot: TelegramBot | null = null;
  const stars = new StarsService({
    db: db.kysely,
    dialect: db.dialect,
    stars: new StarsRepository(db.kysely, db.dialect),
    ledger: ledgerRepo,
    inventory,
    logger: starsLogger,
    api: () => telegramBot?.api() ?? null,
    onReconciled: (report) => metrics.starsReconciliationDifferences.set(report.differences.length),
    progress,
    onItemsRevoked: async (playerId, items) => {
      for (const itemId of Object.keys(items)) {
        const skin = isItemId(itemId) ? skinOfItem(itemId) : undefined;
        if (skin) await pets.skinRevoked(playerId, skin);
      }
    },
    now: clock,
  });
  // Dev mode has no Telegram: a fake Bot API on this server stands in for it (invoices, the
  // payment sheet, webhook deliveries), so Stars purchases work end to end locally. It lives
  // in dev/ and is loaded only here, only in dev mode.
  const devBotApi = devSignIn ? await loadDevBotApi({ token: botToken, logger, now: clock }) : null;
  const webhookSecret = config.telegram.webhookSecret ?? (devSignIn ? randomBytes(24).toString('base64url') : null);
  if (!devSignIn && config.telegram.webhookSecret === null) {
    logger.warn('TELEGRAM_WEBHOOK_SECRET is not set: POST /telegram/webhook refuses every update (no payments)');
  }
  const shop = new ShopService({ db: db.kysely, shop: new ShopRepository(db.kysely, db.dialect), ledger: ledgerRepo, inventory, progress, now: clock });
  const minigames = new MinigameService({ repo: minigamesRepo, host: gameHost, sim, inventory, logger, progress, localDay: (id) => players.localDay(id), bus, now: clock });
  const pipeline = createImagePipeline(config, db, bus, logger, clock);
  const images = new ImageService({
    images: pipeline.images,
    pets: petsRepo,
    queue: pipeline.queue,
    bus,
    sim,
    friends,
    logger: logger.child({ component: 'images' }),
    options: {
      preset: config.images.preset,
      jobAttempts: config.images.jobAttempts,
      jobBackoffMs: config.images.jobBackoffMs,
      jobTimeoutMs: config.images.jobTimeoutMs,
      pregenShare: config.images.pregenShare,
      maxInFlightPerPlayer: config.images.maxInFlightPerPlayer,
      dailyBudgetPerPlayer: config.images.dailyBudgetPerPlayer,
    },
    now: clock,
  });
  reactToOwnerEvents(bus, { images, progress });
  const abandoned = await minigamesRepo.abandonRunning(clock());
  if (abandoned > 0) logger.warn({ abandoned }, 'minigame sessions left running by a previous process were abandoned without pay');
  const admin = createAdminAuth({ ...config.admin, now: clock });
  const rooms = new RoomRegistry(clock);
  // Tickets live where every process can redeem them: Redis in a cluster, memory otherwise.
  const tickets: RoomTicketStore = redis
    ? new RedisRoomTickets(redis, ROOM_TICKET_TTL_S, `${config.images.queuePrefix}:room-ticket:`)
    : new LocalRoomTickets(ROOM_TICKET_TTL_S, clock);
  let shuttingDown = false;

  const httpLogger: FastifyBaseLogger = logger;
  const http = Fastify({
    loggerInstance: httpLogger,
    // Request logs would be one line per meter poll; metrics cover traffic, errors are logged.
    logController: new LogController({ disableRequestLogging: true }),
    // No pino child per request: with request logging off it would only cost an allocation
    // on every call. Errors are logged with the route and the error itself.
    childLoggerFactory: (logger) => logger,
    bodyLimit: MAX_BODY_BYTES,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false } },
    return503OnClosing: true,
    ...(config.trustProxy ? { trustProxy: config.trustProxy } : {}),
    frameworkErrors,
  });
  const rateLimits = await createRateLimits(http, {
    config: config.rateLimit,
    redisUrl: config.redisUrl,
    logger: logger.child({ component: 'rate-limit' }),
    metrics,
  });

  const deps: HttpDeps = {
    config,
    devBotToken: devSignIn ? botToken : null,
    now: clock,
    db,
    redis,
    players,
    pets,
    friends,
    inventory,
    minigames,
    images,
    shop,
    stars,
    progress,
    telegram: {
      bot: () => telegramBot,
      webhookSecret,
      devPaymentsPath: devBotApi ? `${DEV_BOT_API_PREFIX}/_dev/invoices` : null,
    },
    admin,
    sim,
    rooms,
    tickets,
    metrics,
    rateLimits,
    isShuttingDown: () => shuttingDown,
  };

  http.addHook('onResponse', (request, reply, done) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });

  await http.register(fastifySwagger, {
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
  await http.register(fastifySwaggerUi, { routePrefix: '/docs' });
  http.addSchema(ErrorResponseSchema);
  registerErrorHandling(http);

  await http.register(apiV1Routes(deps), { prefix: '/api/v1' });
  await http.register(imageRoutes(deps), { prefix: '/api/v1' });
  await http.register(shopRoutes(deps), { prefix: '/api/v1' });
  await http.register(starsRoutes(deps), { prefix: '/api/v1' });
  await http.register(progressRoutes(deps), { prefix: '/api/v1' });
  await http.register(telegramRoutes(deps));
  if (devBotApi) await http.register(devBotApi.plugin(), { prefix: DEV_BOT_API_PREFIX });
  await http.register(adminRoutes(deps), { prefix: '/admin' });
  await http.register(opsRoutes(deps));
  http.get('/openapi.json', { schema: { hide: true } }, () => http.swagger());

  await http.register(staticFiles({ root: config.clientDistDir }));

  const transport = createGuardedTransport({ server: http.server, maxPayload: MAX_WS_PAYLOAD_BYTES }, logger.child({ component: 'rooms' }), () =>
    metrics.roomJoinsRefused.inc({ code: 'NO_SEAT' }),
  );
  const gameServer = new ColyseusServer({
    transport,
    gracefullyShutdown: false,
    greet: false,
    logger: colyseusLogger(logger),
  });
  gameServer
    .define(
      ROOM_HOME,
      createHomeRoom({ players, friends, pets, inventory, minigames, gameHost, images, sim, bus, metrics, logger: logger.child({ component: 'rooms' }), rooms, tickets }),
    )
    .filterBy(['ownerId']);

  let started = false;
  let stopping: Promise<void> | null = null;
  let reconcileTimer: NodeJS.Timeout | undefined;

  return {
    config,
    http,
    gameServer,
    sim,
    bus,
    games: gameHost,
    minigames,
    images,
    pipeline,
    pets,
    rooms,
    shop,
    stars,
    progress,
    telegram: () => telegramBot,
    devBotApi,
    ledger: ledgerRepo,
    inventory,
    db,
    metrics,
    logger,
    botToken,
    devSignIn,
    async start() {
      await http.ready();
      sim.start();
      if (config.images.workersInProcess) pipeline.startWorker();
      images.start();
      // Jobs of the in-process queue die with the process; a Bull job may never have been
      // added (Redis down at the time). Re-adding is idempotent by job id.
      const resumed = await images.resumeUnfinished().catch((err: unknown) => {
        logger.warn({ err }, 'could not re-queue unfinished images');
        return 0;
      });
      if (resumed > 0) logger.info({ resumed }, 'images left unfinished were queued again');
      await gameServer.listen(config.port, config.host);
      started = true;
      const address = http.server.address() as AddressInfo;
      const local = `http://${config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host}:${address.port}`;
      if (devBotApi && webhookSecret) devBotApi.setWebhookTarget(`${local}/telegram/webhook`, webhookSecret);
      const bot = createTelegramBot({
        token: botToken,
        apiRoot: devBotApi ? `${local}${DEV_BOT_API_PREFIX}` : config.telegram.apiRoot,
        timeoutSeconds: config.telegram.apiTimeoutSeconds,
        publicUrl: config.telegram.publicUrl ?? `http://localhost:${address.port}`,
        botUsername: config.telegram.botUsername,
        miniAppName: config.telegram.miniAppName,
        stars,
        logger: logger.child({ component: 'bot' }),
        metrics,
      });
      telegramBot = bot;
      void bot.init().then(async () => {
        if (devBotApi || !bot.ready || !config.telegram.publicUrl || !webhookSecret) return;
        await bot.setWebhook(`${config.telegram.publicUrl}/telegram/webhook`, webhookSecret).catch((err: unknown) => logger.error({ err }, 'setWebhook failed'));
      });
      if (config.telegram.reconcileIntervalSeconds > 0) {
        const intervalMs = config.telegram.reconcileIntervalSeconds * 1000;
        reconcileTimer = setInterval(() => {
          if (!bot.ready) return;
          // Every process ticks; the one whose claim lands runs this round (a tenth of slack for drifting timers).
          jobRuns
            .claim('stars_reconcile', jobHolder, clock(), intervalMs * 0.9)
            .then((mine) => (mine ? stars.reconcile() : undefined))
            .catch((err: unknown) => starsLogger.error({ err }, 'stars reconciliation failed'));
        }, intervalMs);
        reconcileTimer.unref();
      }
      logger.info({ port: address.port, database: db.dialect, redis: redis !== null, devSignIn }, 'telepets listening');
      return address.port;
    },
    stop() {
      stopping ??= (async () => {
        shuttingDown = true;
        clearInterval(reconcileTimer);
        telegramBot?.stop();
        if (started) {
          // Disposes every room (each flushes its owner's pets) and closes the sockets.
          await gameServer.gracefullyShutdown(false).catch((err: unknown) => logger.error({ err }, 'colyseus shutdown failed'));
        }
        gameHost.stopAll();
        await minigames.settled();
        images.stop();
        await pipeline.close();
        await sim.stop();
        await http.close();
        await bus.close();
        await devBotApi?.close();
        if (redis) redis.disconnect();
        rateLimits.close();
        await db.close();
        logger.info('telepets stopped');
      })();
      return stopping;
    },
  };
}
