/**
 * The composition root: assembles a process from Fastify plugins (server/plugins/): core
 * (configuration, logger, metrics, clock, Redis), database, the owner bus, the services
 * and sims, the rooms, the routes and the cluster-wide jobs. Each plugin declares what it
 * needs and closes what it opened (in reverse order), so the same parts make one process on
 * one machine or one process of a cluster. Tests call `buildApp`; only `main.ts` listens on
 * the configured port for real.
 */
import type { AddressInfo } from 'node:net';
import type { Server as ColyseusServer } from '@colyseus/core';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { OwnerBus } from './bus/owner-bus.js';
import { newProcessId } from './cluster/process-id.js';
import type { Config } from './config.js';
import type { Db } from './db/database.js';
import { clientErrorHandler, frameworkErrors } from './http/errors.js';
import type { ImagePipeline } from './images/pipeline.js';
import { createLogger } from './logger.js';
import { createMetrics, type Metrics } from './metrics.js';
import { busPlugin } from './plugins/bus.js';
import { colyseusPlugin } from './plugins/colyseus.js';
import { corePlugin } from './plugins/core.js';
import { databasePlugin } from './plugins/database.js';
import { eventsPlugin, type EventLog } from './plugins/events.js';
import { jobsPlugin } from './plugins/jobs.js';
import { roomsPlugin } from './plugins/rooms.js';
import { DEV_BOT_API_PREFIX, routesPlugin } from './plugins/routes.js';
import { servicesPlugin } from './plugins/services.js';
import type { LedgerRepository } from './repositories/ledger-repository.js';
import type { RoomRegistry } from './rooms/room-registry.js';
import type { ImageService } from './services/image-service.js';
import type { InventoryService } from './services/inventory-service.js';
import type { MinigameService } from './services/minigame-service.js';
import type { PetService } from './services/pet-service.js';
import type { AnalyticsService } from './services/analytics-service.js';
import type { ProgressService } from './services/progress-service.js';
import type { LeaderboardService } from './services/leaderboard-service.js';
import type { ShopService } from './services/shop-service.js';
import type { CollectionService } from './services/collection-service.js';
import type { StarsService } from './services/stars-service.js';
import type { NotificationService } from './notifications/notification-service.js';
import { createTelegramSender } from './notifications/telegram-sender.js';
import { createTelegramBot, type TelegramBot } from './telegram/bot.js';
import type { DevBotApi } from './telegram/dev-bot-api.js';
import type { MinigameHost } from './sim-host/minigame-host.js';
import type { SimHost } from './sim-host/sim-host.js';

/** Largest HTTP request body accepted. */
const MAX_BODY_BYTES = 16 * 1024;

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
  /** Leaderboards (ADR 0015): reads, and `setExcluded` / `refreshVisibility` for moderation and bans. */
  leaderboards: LeaderboardService;
  notifications: NotificationService;
  /** Analytics: UI events, daily aggregates, the export (docs/events.md). */
  analytics: AnalyticsService;
  /** The event log and its relay (docs/events.md). */
  eventLog: EventLog;
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
  /** This process's name in the cluster. */
  processId: string;
  /** The collection book and set rewards (ADR 0017). */
  collection: CollectionService;
  /** Starts ticking and listening; resolves with the bound port. */
  start(): Promise<number>;
  /** Graceful shutdown: rooms disposed, every loaded pet flushed, connections closed. */
  stop(): Promise<void>;
}

export async function buildApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const logger = overrides.logger ?? createLogger(config);
  const clock = overrides.now ?? Date.now;
  const processId = newProcessId();
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
    clientErrorHandler,
  });
  try {
    await http.register(corePlugin, { config, logger, metrics: createMetrics(), clock, processId });
    await http.register(databasePlugin);
    await http.register(eventsPlugin);
    await http.register(busPlugin);
    await http.register(colyseusPlugin);
    await http.register(servicesPlugin);
    await http.register(roomsPlugin);
    await http.register(routesPlugin, { isShuttingDown: () => shuttingDown });
    await http.register(jobsPlugin);
    await http.after();
  } catch (err) {
    // Whatever was opened before the failing part (the database, Redis) is closed again.
    await http.close().catch(() => undefined);
    throw err;
  }
  return assemble(http, { logger, clock, processId, setShuttingDown: () => (shuttingDown = true) });
}

/** The `App` face of a built Fastify instance: its parts, start() and stop(). */
function assemble(http: FastifyInstance, ctx: { logger: Logger; clock: () => number; processId: string; setShuttingDown: () => void }): App {
  const { config, metrics } = http.core;
  const { logger, processId } = ctx;
  const s = http.services;
  const { telegram } = s;
  const { gameServer } = http.colyseus;
  if (config.telegram.reconcileIntervalSeconds > 0) {
    http.jobs.add({
      name: 'stars_reconcile',
      intervalMs: config.telegram.reconcileIntervalSeconds * 1000,
      ready: () => telegram.bot?.ready === true,
      run: () => s.stars.reconcile(),
    });
  }
  if (config.analytics.jobIntervalSeconds > 0) {
    http.jobs.add({ name: 'analytics_daily', intervalMs: config.analytics.jobIntervalSeconds * 1000, run: () => s.analytics.runJob() });
  }
  let stopping: Promise<void> | null = null;

  return {
    config,
    http,
    gameServer,
    sim: s.sim,
    bus: http.bus,
    games: s.games,
    minigames: s.minigames,
    images: s.images,
    pipeline: s.pipeline,
    pets: s.pets,
    rooms: http.rooms.registry,
    shop: s.shop,
    stars: s.stars,
    progress: s.progress,
    leaderboards: s.leaderboards,
    notifications: s.notifications,
    analytics: s.analytics,
    telegram: () => telegram.bot,
    devBotApi: telegram.devBotApi,
    ledger: s.ledger,
    inventory: s.inventory,
    db: http.db,
    eventLog: http.eventLog,
    metrics,
    logger,
    botToken: telegram.botToken,
    devSignIn: telegram.devSignIn,
    processId,
    collection: s.collection,
    async start() {
      // Which mode this process runs in, before anything else happens (docs/security.md).
      logger.info(
        { mode: config.mode, database: http.db.dialect, cluster: http.colyseus.cluster !== null, devSignIn: telegram.devSignIn, fakeBotApi: telegram.devBotApi !== null },
        `telepets mode ${config.mode}`,
      );
      // onReady: the sim ticks, image work and cluster-wide jobs start.
      await http.ready();
      await gameServer.listen(config.port, config.host).catch((err: unknown) => {
        if (!http.colyseus.cluster) throw err;
        throw new Error(`cluster mode (REDIS_URL): the matchmaker could not start, is Redis reachable? ${err instanceof Error ? err.message : String(err)}`);
      });
      http.rooms.listening = true;
      const address = http.server.address() as AddressInfo;
      const local = `http://${config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host}:${address.port}`;
      const { devBotApi, webhookSecret } = telegram;
      if (devBotApi && webhookSecret) devBotApi.setWebhookTarget(`${local}/telegram/webhook`, webhookSecret);
      const bot = createTelegramBot({
        token: telegram.botToken,
        apiRoot: devBotApi ? `${local}${DEV_BOT_API_PREFIX}` : config.telegram.apiRoot,
        timeoutSeconds: config.telegram.apiTimeoutSeconds,
        publicUrl: config.telegram.publicUrl ?? `http://localhost:${address.port}`,
        botUsername: config.telegram.botUsername,
        miniAppName: config.telegram.miniAppName,
        stars: s.stars,
        notifications: s.notifications,
        logger: logger.child({ component: 'bot' }),
        metrics,
      });
      telegram.bot = bot;
      telegram.notifier = createTelegramSender({
        token: telegram.botToken,
        apiRoot: devBotApi ? `${local}${DEV_BOT_API_PREFIX}` : config.telegram.apiRoot,
        timeoutSeconds: config.telegram.apiTimeoutSeconds,
        link: { publicUrl: config.telegram.publicUrl ?? `http://localhost:${address.port}`, botUsername: config.telegram.botUsername, miniAppName: config.telegram.miniAppName },
      });
      void bot.init().then(async () => {
        if (devBotApi || !bot.ready || !config.telegram.publicUrl || !webhookSecret) return;
        await bot.setWebhook(`${config.telegram.publicUrl}/telegram/webhook`, webhookSecret).catch((err: unknown) => logger.error({ err }, 'setWebhook failed'));
      });
      // Logs name the process by `processId`; room listings, leases and the inspector by Colyseus's id.
      logger.info(
        { port: address.port, database: http.db.dialect, cluster: http.colyseus.cluster !== null, processId, colyseusProcessId: http.colyseus.processId, devSignIn: telegram.devSignIn },
        'telepets listening',
      );
      return address.port;
    },
    stop() {
      stopping ??= (async () => {
        ctx.setShuttingDown();
        // preClose: jobs stop, rooms are disposed (flushing their pets); then every plugin
        // closes what it opened, in reverse: services (sim flushed), bus, database, Redis.
        await http.close();
        logger.info('telepets stopped');
      })();
      return stopping;
    },
  };
}
