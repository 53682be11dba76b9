/**
 * The Colyseus server on the Fastify server's http.Server. One process: Colyseus's local
 * presence and an indexed local driver (rooms/local-driver.ts). Cluster mode (REDIS_URL):
 * `@colyseus/redis-presence` for messages between processes and `@colyseus/redis-driver` for
 * the room listings, with homes found through the home directory
 * (server/cluster/home-directory.ts), rooms created on the process that owns the player's
 * pets, and `PUBLIC_ADDRESS` in every listing so clients open their WebSocket at the process
 * that holds the room.
 */
import { matchMaker, Server as ColyseusServer, type Presence } from '@colyseus/core';
import fp from 'fastify-plugin';
import { ROOM_HOME } from '../../shared/protocol.js';
import { WatchedRedisDriver, WatchedRedisPresence } from '../cluster/colyseus-redis.js';
import { HOME_TOKEN_OPTION, HomeDirectory, HomeDriver } from '../cluster/home-directory.js';
import { DEFAULT_OWNER_LEASE_TTL_MS, RedisOwnerLeases, type OwnerLeaseStore } from '../cluster/owner-lease.js';
import { colyseusLogger } from '../logger.js';
import { createGuardedTransport } from '../rooms/guarded-transport.js';
import { IndexedLocalDriver } from '../rooms/local-driver.js';
import { redisOptionsFromUrl } from '../util/redis-options.js';

/** Largest WebSocket frame accepted; bigger frames close the socket (room messages are far smaller). */
const MAX_WS_PAYLOAD_BYTES = 64 * 1024;
/** A home's directory key outlives its process by this much (renewed every third of it). */
export const HOME_KEY_TTL_MS = 15_000;
/** How long a join waits for a home another process is creating. */
const HOME_WAIT_MS = 10_000;

export interface Cluster {
  /** The owner leases (who simulates whose pets) and the home directory; null in one process. */
  leases: OwnerLeaseStore;
  homes: HomeDirectory;
  presence: Presence;
  driver: HomeDriver;
}

export interface Colyseus {
  gameServer: ColyseusServer;
  /** Colyseus's name for this process: room listings, IPC channels, owner leases. */
  processId: string;
  cluster: Cluster | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    colyseus: Colyseus;
  }
}

export const colyseusPlugin = fp(
  async (app) => {
    const { config, logger, metrics, redis, redisPrefix } = app.core;
    const log = logger.child({ component: 'rooms' });
    const transport = createGuardedTransport({ server: app.server, maxPayload: MAX_WS_PAYLOAD_BYTES }, log, () => metrics.roomJoinsRefused.inc({ code: 'NO_SEAT' }));
    const common = { transport, gracefullyShutdown: false, greet: false, logger: colyseusLogger(logger) } as const;
    if (!config.redisUrl || !redis) {
      // Listings indexed by room and owner: a join is a lookup, not a scan of every home.
      const gameServer = new ColyseusServer({ ...common, driver: new IndexedLocalDriver() });
      app.decorate('colyseus', { gameServer, processId: matchMaker.processId, cluster: null });
      return;
    }
    if (!config.publicAddress) {
      log.warn('PUBLIC_ADDRESS is not set: clients open their WebSocket where they matchmade, which only reaches the right process when there is one (docs/scaling.md)');
    }
    const { connectTimeoutMs, commandTimeoutMs } = config.deadlines.redis;
    // Every command has a deadline (subscriptions too: a process that cannot reach Redis does not
    // start). Keys (process stats, create locks) are under this cluster's prefix; channels are
    // named by unique process and room ids.
    const presence = new WatchedRedisPresence(
      redisOptionsFromUrl(config.redisUrl, { connectTimeout: connectTimeoutMs, commandTimeout: commandTimeoutMs, maxRetriesPerRequest: 1, keyPrefix: redisPrefix }),
      log,
    );
    // The listings of this cluster live under its prefix, apart from any other on the same Redis.
    const inner = new WatchedRedisDriver(
      redisOptionsFromUrl(config.redisUrl, { connectTimeout: connectTimeoutMs, commandTimeout: commandTimeoutMs, maxRetriesPerRequest: 1, keyPrefix: redisPrefix }),
      log,
    );
    const homes = new HomeDirectory({ redis, prefix: redisPrefix, ttlMs: HOME_KEY_TTL_MS });
    const driver = new HomeDriver({
      inner,
      homes,
      create: (ownerId, token) => matchMaker.createRoom(ROOM_HOME, { ownerId, [HOME_TOKEN_OPTION]: token }),
      waitMs: HOME_WAIT_MS,
    });
    let leases: OwnerLeaseStore | null = null;
    const gameServer = new ColyseusServer({
      ...common,
      presence,
      driver,
      ...(config.publicAddress ? { publicAddress: config.publicAddress } : {}),
      // A home is made where its owner's pets already live (a REST call loaded them), else here.
      selectProcessIdToCreateRoom: async (roomName, options) => {
        const ownerId = (options as Record<string, unknown>).ownerId;
        if (roomName === ROOM_HOME && typeof ownerId === 'string' && leases) {
          const holder = await leases.holder(ownerId).catch(() => null);
          if (holder) return holder;
        }
        return matchMaker.processId;
      },
    });
    leases = new RedisOwnerLeases({ redis, prefix: redisPrefix, processId: matchMaker.processId, ttlMs: DEFAULT_OWNER_LEASE_TTL_MS, timeoutMs: commandTimeoutMs });
    app.decorate('colyseus', { gameServer, processId: matchMaker.processId, cluster: { leases, homes, presence, driver } });
  },
  { name: 'colyseus', dependencies: ['core'] },
);
