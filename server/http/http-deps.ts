import type { Redis } from 'ioredis';
import type { AdminAuth } from '../auth/admin-auth.js';
import type { AdminRepository } from '../repositories/admin-repository.js';
import type { BanService } from '../services/ban-service.js';
import type { AdminPromotionsService } from '../services/admin-promotions-service.js';
import type { AdminPlayersService } from '../services/admin-players-service.js';
import type { FraudService } from '../services/fraud-service.js';
import type { ModerationService } from '../services/moderation-service.js';
import type { AnalyticsService } from '../services/analytics-service.js';
import type { RoomTicketStore } from '../auth/room-tickets.js';
import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { Metrics } from '../metrics.js';
import type { RateLimits } from './rate-limit.js';
import type { RoomInspector } from '../rooms/room-inspector.js';
import type { RoomRegistry } from '../rooms/room-registry.js';
import type { FriendService } from '../services/friend-service.js';
import type { ImageService } from '../services/image-service.js';
import type { InventoryService } from '../services/inventory-service.js';
import type { MinigameService } from '../services/minigame-service.js';
import type { PetService } from '../services/pet-service.js';
import type { PlayerService } from '../services/player-service.js';
import type { NotificationService } from '../notifications/notification-service.js';
import type { ProgressService } from '../services/progress-service.js';
import type { LeaderboardService } from '../services/leaderboard-service.js';
import type { ShopService } from '../services/shop-service.js';
import type { StarsService } from '../services/stars-service.js';
import type { TelegramBot } from '../telegram/bot.js';
import type { CollectionService } from '../services/collection-service.js';
import type { SimHost } from '../sim-host/sim-host.js';
import type { CardService } from '../services/card-service.js';

/** Everything the HTTP layer calls, passed in by the composition root. */
export interface HttpDeps {
  config: Config;
  /** The bot token used to sign dev initData; null when a real bot token is configured. */
  devBotToken: string | null;
  /** The app's wall clock (epoch ms): what dev sign-in stamps as `auth_date`. */
  now: () => number;
  db: Db;
  redis: Redis | null;
  players: PlayerService;
  pets: PetService;
  friends: FriendService;
  inventory: InventoryService;
  minigames: MinigameService;
  images: ImageService;
  shop: ShopService;
  stars: StarsService;
  progress: ProgressService;
  leaderboards: LeaderboardService;
  notifications: NotificationService;
  analytics: AnalyticsService;
  telegram: {
    /** The bot once created (null before start). */
    bot: () => TelegramBot | null;
    webhookSecret: string | null;
    /** Dev mode: where the fake Bot API's payment endpoints are mounted. */
    devPaymentsPath: string | null;
  };
  admin: AdminAuth;
  /** Admin accounts and the audit log. */
  adminRepo: AdminRepository;
  bans: BanService;
  /** Promotions as the admin panel edits them. */
  promotions: AdminPromotionsService;
  /** The admin panel on players. */
  adminPlayers: AdminPlayersService;
  /** Reports, the moderation queue, hidden pictures. */
  moderation: ModerationService;
  /** The anti-fraud review. */
  fraud: FraudService;
  sim: SimHost;
  rooms: RoomRegistry;
  /** The admin inspector's rooms: this process's, or the whole cluster's. */
  roomInspector: RoomInspector;
  tickets: RoomTicketStore;
  metrics: Metrics;
  /** Request limits, as route hooks. */
  rateLimits: RateLimits;
  isShuttingDown: () => boolean;
  /** The collection book and set rewards (ADR 0017). */
  collection: CollectionService;
  /** Share cards, share links and the public share page (ADR 0018). */
  cards: CardService;
}
