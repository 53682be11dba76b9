/**
 * The game: repositories, the sim host and the minigame host, the services, the image
 * pipeline, the reactions to owner events, admin sign-in and the Telegram side (the bot is
 * created once the server listens; in dev mode the fake Bot API stands in for Telegram).
 */
import { randomBytes, randomInt } from 'node:crypto';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { isItemId, skinOfItem } from '../../shared/balance.js';
import { createAdminAuth, type AdminAuth } from '../auth/admin-auth.js';
import { analyticsHashKey, playerHasher } from '../analytics/player-hash.js';
import { reactToOwnerEvents } from '../bus/reactions.js';
import { progressionConsumer } from '../events/progression-consumer.js';
import { createImagePipeline, type ImagePipeline } from '../images/pipeline.js';
import { AnalyticsRepository } from '../repositories/analytics-repository.js';
import { FriendsRepository } from '../repositories/friends-repository.js';
import { InventoryRepository } from '../repositories/inventory-repository.js';
import { JobRunsRepository } from '../repositories/job-runs-repository.js';
import { LedgerRepository } from '../repositories/ledger-repository.js';
import { MinigamesRepository } from '../repositories/minigames-repository.js';
import { PetEventsRepository } from '../repositories/pet-events-repository.js';
import { PetsRepository } from '../repositories/pets-repository.js';
import { PlayersRepository } from '../repositories/players-repository.js';
import { ShopRepository } from '../repositories/shop-repository.js';
import { StarsRepository } from '../repositories/stars-repository.js';
import { AnalyticsService } from '../services/analytics-service.js';
import { FriendService } from '../services/friend-service.js';
import { ImageService } from '../services/image-service.js';
import { InventoryService } from '../services/inventory-service.js';
import { MinigameService } from '../services/minigame-service.js';
import { PetService } from '../services/pet-service.js';
import { PlayerService } from '../services/player-service.js';
import { ProgressService } from '../services/progress-service.js';
import { LeaderboardService } from '../services/leaderboard-service.js';
import { ShopService } from '../services/shop-service.js';
import { CollectionService } from '../services/collection-service.js';
import { StarsService } from '../services/stars-service.js';
import { MinigameHost } from '../sim-host/minigame-host.js';
import { SimHost } from '../sim-host/sim-host.js';
import { loadDevBotApi, type DevBotApi } from '../telegram/dev-bot-api.js';
import type { TelegramBot } from '../telegram/bot.js';
import { NotificationService, type NotificationSender } from '../notifications/notification-service.js';
import { LocalSendGate, RedisSendGate } from '../notifications/send-gate.js';
import { epochMsAt } from '../sim-host/pet-rows.js';
import { NotificationsRepository } from '../repositories/notifications-repository.js';
import { AdminRepository } from '../repositories/admin-repository.js';
import { BanService } from '../services/ban-service.js';
import { PromotionsRepository } from '../repositories/promotions-repository.js';
import { AdminPromotionsService } from '../services/admin-promotions-service.js';
import { AdminPlayersRepository } from '../repositories/admin-players-repository.js';
import { AdminPlayersService } from '../services/admin-players-service.js';
import { ModerationRepository } from '../repositories/moderation-repository.js';
import { FraudRepository } from '../repositories/fraud-repository.js';
import { ModerationService } from '../services/moderation-service.js';
import { FraudService } from '../services/fraud-service.js';
import { pickLanguage, translate } from '../../shared/i18n.js';
import { ReferralsRepository } from '../repositories/referrals-repository.js';
import { ReferralService } from '../services/referral-service.js';
import { CardService } from '../services/card-service.js';
import { ShareCodesRepository } from '../repositories/share-codes-repository.js';

export interface Services {
  sim: SimHost;
  games: MinigameHost;
  players: PlayerService;
  friends: FriendService;
  inventory: InventoryService;
  progress: ProgressService;
  leaderboards: LeaderboardService;
  notifications: NotificationService;
  analytics: AnalyticsService;
  pets: PetService;
  stars: StarsService;
  shop: ShopService;
  minigames: MinigameService;
  pipeline: ImagePipeline;
  images: ImageService;
  ledger: LedgerRepository;
  jobRuns: JobRunsRepository;
  admin: AdminAuth;
  /** Admin accounts and the audit log. */
  adminRepo: AdminRepository;
  bans: BanService;
  /** Promotions edited from the admin panel. */
  adminPromotions: AdminPromotionsService;
  /** The admin panel on players: search, pages, coins, renames. */
  adminPlayers: AdminPlayersService;
  moderation: ModerationService;
  fraud: FraudService;
  /** The collection book and set rewards (ADR 0017). */
  collection: CollectionService;
  telegram: {
    /** The token initData is signed with: the real bot token, or a random one in dev sign-in mode. */
    botToken: string;
    devSignIn: boolean;
    /** Dev mode only: the fake Bot API (from dev/), mounted by the routes plugin. */
    devBotApi: DevBotApi | null;
    /** The X-Telegram-Bot-Api-Secret-Token updates must carry; null refuses every update. */
    webhookSecret: string | null;
    /** The bot, once the server listens (app.ts start()). */
    bot: TelegramBot | null;
    /** What sends notifications, made with the bot. */
    notifier: NotificationSender | null;
  };
  /** Referral rewards (docs/ECONOMY.md, "Referrals"). */
  referrals: ReferralService;
  /** Share cards, share links and the public share page (ADR 0018). */
  cards: CardService;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

/** A random token in Telegram's bot token shape, used to sign and check dev initData. */
function makeDevBotToken(): string {
  return `${randomInt(100_000_000, 999_999_999)}:${randomBytes(24).toString('base64url')}`;
}

/** The dev token of the cluster: the first process to start makes it, the others read it. */
async function sharedDevBotToken(redis: Redis, key: string): Promise<string> {
  await redis.set(key, makeDevBotToken(), 'NX');
  const token = await redis.get(key);
  if (token === null) throw new Error('the cluster dev bot token vanished from Redis');
  return token;
}

export const servicesPlugin = fp(
  async (app) => {
    const { config, logger, metrics, clock, redis, redisPrefix } = app.core;
    const { db, bus } = app;

    // Production never has dev sign-in, whatever else is set (its config also requires the token).
    const devSignIn = config.mode !== 'production' && config.telegram.botToken === null;
    if (config.mode === 'production' && config.telegram.botToken === null) throw new Error('production mode without TELEGRAM_BOT_TOKEN');
    // Dev sign-in in a cluster: every process signs and checks initData with the same token.
    const botToken = config.telegram.botToken ?? (redis ? await sharedDevBotToken(redis, `${redisPrefix}dev-bot-token`) : makeDevBotToken());
    if (devSignIn) logger.warn('TELEGRAM_BOT_TOKEN is not set: dev sign-in is enabled (POST /api/v1/dev/init-data)');
    if (config.admin.jwtSecret === null) {
      logger.warn('JWT_SECRET is not set: admin tokens use a random per-process secret');
    }

    const playersRepo = new PlayersRepository(db.kysely);
    const friendsRepo = new FriendsRepository(db.kysely);
    const petsRepo = new PetsRepository(db.kysely, db.dialect, db.batch);
    const inventoryRepo = new InventoryRepository(db.kysely);
    const ledger = new LedgerRepository(db.kysely, db.dialect, metrics);
    const minigamesRepo = new MinigamesRepository(db.kysely, ledger);
    const sim = new SimHost(config.sim, {
      pets: petsRepo,
      events: new PetEventsRepository(db.kysely),
      logger: logger.child({ component: 'sim' }),
      metrics,
      bus,
      // Cluster mode: one process at a time simulates an owner's pets (a lease in Redis).
      ...(app.colyseus.cluster ? { leases: app.colyseus.cluster.leases } : {}),
      now: clock,
    });
    const games = new MinigameHost({ logger: logger.child({ component: 'minigames' }), now: clock });
    const referralsRepo = new ReferralsRepository(db.kysely, db.dialect);
    const referrals = new ReferralService({ repo: referralsRepo, ledger, bus, logger: logger.child({ component: 'referrals' }), now: clock });
    const players = new PlayerService({
      players: playersRepo,
      friends: friendsRepo,
      referrals,
      logger,
      botToken,
      initDataMaxAgeSeconds: config.telegram.initDataMaxAgeSeconds,
      applyUtcOffset: async (playerId, offset) => {
        await petsRepo.setOwnerUtcOffset(playerId, offset);
        // Heard by the process simulating the player's pets, this one or another.
        bus.publish(playerId, { kind: 'utc_offset', ...offset, changesAt: Number.isFinite(offset.changesAt) ? offset.changesAt : null });
      },
      clock: () => sim.clock,
      clockToEpochMs: (gameClock) => epochMsAt(gameClock, sim.gameClock),
      now: clock,
    });
    const friends = new FriendService({ friends: friendsRepo, players: playersRepo, now: clock });
    const inventory = new InventoryService({ inventory: inventoryRepo, ledger, bus, now: clock });
    const progress = new ProgressService({
      db: db.kysely,
      dialect: db.dialect,
      ledger,
      inventory,
      logger: logger.child({ component: 'progress' }),
      clock: () => sim.clock,
      timeScale: config.sim.timeScale,
      clockOffsetSeconds: config.sim.clockOffsetSeconds,
      bus,
      now: clock,
    });
    const pets = new PetService({ pets: petsRepo, friends, inventory, sim, bus, referrals, now: clock });
    const telegram: Services['telegram'] = {
      botToken,
      devSignIn,
      // Dev mode has no Telegram: a fake Bot API on this server stands in for it (invoices, the
      // payment sheet, webhook deliveries), so Stars purchases work end to end locally. It lives
      // in dev/ and is loaded only here, only in dev mode.
      devBotApi: devSignIn ? await loadDevBotApi({ token: botToken, logger, now: clock }, config.mode) : null,
      webhookSecret: config.telegram.webhookSecret ?? (devSignIn ? randomBytes(24).toString('base64url') : null),
      bot: null,
      notifier: null,
    };
    if (!devSignIn && config.telegram.webhookSecret === null) {
      logger.warn('TELEGRAM_WEBHOOK_SECRET is not set: POST /telegram/webhook refuses every update (no payments)');
    }
    const stars = new StarsService({
      db: db.kysely,
      dialect: db.dialect,
      stars: new StarsRepository(db.kysely, db.dialect),
      ledger,
      inventory,
      logger: logger.child({ component: 'stars' }),
      api: () => telegram.bot?.api() ?? null,
      onReconciled: (report) => {
        metrics.starsReconciliationDifferences.set(report.differences.length);
        fraud.observeReconciliation(report.differences);
      },
      onItemsRevoked: async (playerId, items) => {
        for (const itemId of Object.keys(items)) {
          const skin = isItemId(itemId) ? skinOfItem(itemId) : undefined;
          if (skin) await pets.skinRevoked(playerId, skin);
        }
      },
      now: clock,
    });
    const shop = new ShopService({ db: db.kysely, shop: new ShopRepository(db.kysely, db.dialect), ledger, inventory, now: clock });
    const minigames = new MinigameService({ repo: minigamesRepo, host: games, sim, inventory, logger, localDay: (id) => players.localDay(id), bus, now: clock });
    const pipeline = createImagePipeline(config, db, bus, logger, metrics, clock);
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
    const gateOptions = { ratePerSecond: config.notify.ratePerSecond, perChatMs: 1000 };
    const notifications = new NotificationService({
      repo: new NotificationsRepository(db.kysely),
      config: config.notify,
      now: clock,
      gameClock: { timeScale: config.sim.timeScale, offsetSeconds: config.sim.clockOffsetSeconds },
      // Telegram's limits hold for the bot, whichever process sends: shared through Redis in a cluster.
      gate: redis ? new RedisSendGate(redis, redisPrefix, gateOptions) : new LocalSendGate(gateOptions),
      sender: () => (telegram.bot?.ready ? telegram.notifier : null),
      livePets: (ownerId) => sim.ownerPets(ownerId),
      pet: (petId) => petsRepo.findById(petId),
      streakAtRisk: (playerId) => progress.streakAtRisk(playerId),
      playerIdByTelegramId: async (telegramId) => (await playersRepo.findByTelegramId(telegramId))?.id,
      playerName: async (playerId) => (await playersRepo.findById(playerId))?.first_name,
      holder: app.core.processId,
      logger: logger.child({ component: 'notifications' }),
      metrics,
    });
    players.onAllowsWriteToPm = (playerId) => notifications.allowedByTelegram(playerId);
    const hashKey = analyticsHashKey(config);
    if (hashKey.source === 'bot-token') logger.info('ANALYTICS_HASH_KEY is not set: analytics hashes use a key derived from the bot token (a new token changes them)');
    const analytics = new AnalyticsService({
      repo: new AnalyticsRepository(db.kysely, db.dialect),
      batchRepo: new AnalyticsRepository(db.batch, db.dialect),
      hash: playerHasher(hashKey.key),
      exportDir: config.analytics.exportDir,
      logger: logger.child({ component: 'analytics' }),
      now: clock,
    });
    const adminRepo = new AdminRepository(db.kysely);
    const admin = createAdminAuth({ ...config.admin, accounts: adminRepo, now: clock });
    const adminPromotions = new AdminPromotionsService({
      db: db.kysely,
      dialect: db.dialect,
      promotions: new PromotionsRepository(db.kysely),
      shop,
      presence: app.colyseus.cluster?.presence ?? null,
      logger: logger.child({ component: 'promotions' }),
      now: clock,
    });
    await adminPromotions.start();
    const adminPlayers = new AdminPlayersService({
      db: db.kysely,
      repo: new AdminPlayersRepository(db.kysely, db.dialect),
      ledger,
      pets,
      petsRepo,
      inventory,
      images,
      logger: logger.child({ component: 'admin-players' }),
      now: clock,
      setLeaderboardExcluded: (playerId, excluded, trx) => leaderboards.setExcluded(playerId, excluded, trx),
    });
    // Streaks, rounds, achievements and adoptions move the leaderboards from the event log.
    const leaderboards = new LeaderboardService({
      db: db.kysely,
      dialect: db.dialect,
      logger: logger.child({ component: 'leaderboards' }),
      clock: () => sim.clock,
      timeScale: config.sim.timeScale,
      clockOffsetSeconds: config.sim.clockOffsetSeconds,
      now: clock,
    });
    const bans = new BanService({
      db: db.kysely,
      presence: app.colyseus.cluster?.presence ?? null,
      // A banned player leaves every board in the ban's transaction (and comes back with the unban).
      inBanTransaction: (trx, playerId) => leaderboards.refreshVisibility(playerId, trx),
      logger: logger.child({ component: 'bans' }),
      now: clock,
    });
    await bans.start();
    const moderation = new ModerationService({
      db: db.kysely,
      repo: new ModerationRepository(db.kysely),
      images,
      imagesRepo: pipeline.images,
      pets: petsRepo,
      friends,
      logger: logger.child({ component: 'moderation' }),
      now: clock,
    });
    pets.onNameRejected = (playerId, text, context) => moderation.nameRejected(playerId, text, context);
    const fraud = new FraudService({
      db: db.kysely,
      repo: new FraudRepository(db.kysely),
      bans,
      refreshLeaderboards: (trx, playerId) => leaderboards.refreshVisibility(playerId, trx),
      referrals: referralsRepo,
      // A warning goes straight to the player's chat (not through the notification rules: it is not a game reminder).
      warn: async (playerId) => {
        const sender = telegram.bot?.ready ? telegram.notifier : null;
        const player = await playersRepo.findById(playerId);
        if (!sender || !player) return false;
        const lang = pickLanguage(player.language_code);
        await sender.send({ chatId: player.telegram_id, text: translate(lang, 'bot.fraudWarning'), button: { label: translate(lang, 'bot.open'), startParam: null } });
        return true;
      },
      logger: logger.child({ component: 'fraud' }),
      now: clock,
    });
    players.onUtcOffsetChange = (playerId, from, to) => fraud.observeUtcOffsetChange(playerId, from, to);
    minigames.onSuspicious = (playerId, evidence) => fraud.observeMinigame(playerId, evidence);
    referrals.signals = {
      recorded: (inviterId, referredId) => fraud.observeReferral(inviterId, referredId),
      decided: (outcome) => fraud.observeReferralDecided(outcome),
    };
    stars.onFraudSignal = (signal) =>
      signal.kind === 'refund' ? fraud.observeRefund(signal.playerId, signal.chargeId) : fraud.observePaymentMismatch(signal.playerId, signal.evidence);
    reactToOwnerEvents(bus, { images, progress });
    app.eventLog.relay.add(notifications.consumer());
    // Care, adoptions, rounds and purchases move progression from the event log.
    app.eventLog.relay.add(progressionConsumer(progress));
    app.eventLog.relay.add(leaderboards.consumer());
    const abandoned = await minigamesRepo.abandonRunning(clock());
    if (abandoned > 0) logger.warn({ abandoned }, 'minigame sessions left running by a previous process were abandoned without pay');

    const cards = new CardService({
      pets: petsRepo,
      players: playersRepo,
      images: pipeline.images,
      imageService: images,
      shareCodes: new ShareCodesRepository(db.kysely),
      sim,
      botApi: () => telegram.bot?.api() ?? null,
      logger: logger.child({ component: 'cards' }),
      options: {
        ...config.cards,
        botUsername: config.telegram.botUsername,
        miniAppName: config.telegram.miniAppName,
        apiTimeoutSeconds: config.telegram.apiTimeoutSeconds,
      },
      now: clock,
    });

    app.addHook('onClose', () => cards.close());

    app.decorate('services', {
      sim,
      games,
      players,
      friends,
      inventory,
      progress,
      leaderboards,
      notifications,
      analytics,
      pets,
      stars,
      shop,
      minigames,
      pipeline,
      images,
      ledger,
      jobRuns: new JobRunsRepository(db.kysely),
      admin,
      adminRepo,
      bans,
      adminPromotions,
      adminPlayers,
      moderation,
      fraud,
      collection: new CollectionService({ db: db.kysely, dialect: db.dialect, ledger, inventory, now: clock }),
      telegram,
      referrals,
      cards,
    });

    app.addHook('onReady', async () => {
      // ADMIN_PASSWORD makes the account `admin` once (several processes may race: one wins).
      if (await admin.bootstrap()) logger.info('admin account "admin" created from ADMIN_PASSWORD');
      sim.start();
      if (config.images.workersInProcess) pipeline.startWorker();
      images.start();
      notifications.start();
      // Jobs of the in-process queue die with the process; a Bull job may never have been
      // added (Redis down at the time). Re-adding is idempotent by job id.
      const resumed = await images.resumeUnfinished().catch((err: unknown) => {
        logger.warn({ err }, 'could not re-queue unfinished images');
        return 0;
      });
      if (resumed > 0) logger.info({ resumed }, 'images left unfinished were queued again');
    });
    // After the rooms are gone (they flush their owners' pets): rounds paid, pictures and the
    // sim stopped, every loaded pet written.
    app.addHook('onClose', async () => {
      telegram.bot?.stop();
      await notifications.stop();
      games.stopAll();
      await minigames.settled();
      await fraud.settled();
      await moderation.settled();
      images.stop();
      await pipeline.close();
      await sim.stop();
      await telegram.devBotApi?.close();
    });
  },
  { name: 'services', dependencies: ['core', 'database', 'bus', 'colyseus', 'events'] },
);
