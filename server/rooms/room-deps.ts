import type { Logger } from 'pino';
import type { RoomTicketStore } from '../auth/room-tickets.js';
import type { OwnerBus } from '../bus/owner-bus.js';
import type { HomeDirectory } from '../cluster/home-directory.js';
import type { Metrics } from '../metrics.js';
import type { FriendService } from '../services/friend-service.js';
import type { ImageService } from '../services/image-service.js';
import type { InventoryService } from '../services/inventory-service.js';
import type { MinigameService } from '../services/minigame-service.js';
import type { MinigameHost } from '../sim-host/minigame-host.js';
import type { PetService } from '../services/pet-service.js';
import type { PlayerService } from '../services/player-service.js';
import type { SimHost } from '../sim-host/sim-host.js';
import type { RoomRegistry } from './room-registry.js';

/** What a home room needs from the app (passed in by the composition root). */
/** Who is in the app, for bot notifications (the notification service). */
export interface OwnerPresence {
  ownerArrived(ownerId: string): Promise<void>;
  ownerLeft(ownerId: string): Promise<void>;
  friendVisited(ownerId: string, visitorId: string): Promise<void>;
}

export interface RoomDeps {
  players: PlayerService;
  friends: FriendService;
  pets: PetService;
  inventory: InventoryService;
  minigames: MinigameService;
  gameHost: MinigameHost;
  images: ImageService;
  sim: SimHost;
  /** The owner's events from any process (coins, progress, pictures, rounds over). */
  bus: OwnerBus;
  /** Owners arriving and leaving, friends visiting: what bot notifications need to know. */
  presence: OwnerPresence;
  metrics: Metrics;
  logger: Logger;
  rooms: RoomRegistry;
  tickets: RoomTicketStore;
  /** Cluster mode: one home per owner across processes; null in one process. */
  homes: HomeDirectory | null;
  /** How long creating a home waits for another (dead) process's lease on the owner (ms). */
  leaseWaitMs: number;
  /** True once the process is shutting down: no new homes then (players go to another process). */
  closing: () => boolean;
}
