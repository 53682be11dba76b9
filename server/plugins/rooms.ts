/**
 * Realtime play: the home room on the Colyseus server, room tickets (Redis in cluster mode,
 * so any process redeems them) and the registry of this process's rooms. In cluster mode the
 * process keeps its homes' directory keys alive and lets go of a home whose key another
 * process took. On close, every room is disposed first: each flushes its owner's pets.
 */
import { matchMaker } from '@colyseus/core';
import fp from 'fastify-plugin';
import { CLOSE_BANNED, ROOM_HOME, ROOM_TICKET_TTL_S } from '../../shared/protocol.js';
import { LocalRoomTickets, RedisRoomTickets, type RoomTicketStore } from '../auth/room-tickets.js';
import { createHomeRoom } from '../rooms/HomeRoom.js';
import { RoomRegistry } from '../rooms/room-registry.js';
import { withDeadline } from '../util/deadline.js';
import { HOME_KEY_TTL_MS } from './colyseus.js';

/** Colyseus's own shutdown gets this long before the rooms left are closed here (within Fastify's 10 s per hook). */
const COLYSEUS_SHUTDOWN_MS = 5_000;

export interface Rooms {
  registry: RoomRegistry;
  tickets: RoomTicketStore;
  /** Set once the server listens (start()); closing only shuts Colyseus down then. */
  listening: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    rooms: Rooms;
  }
}

export const roomsPlugin = fp(
  async (app) => {
    const { logger, metrics, clock, redis, redisPrefix } = app.core;
    const { players, friends, pets, inventory, minigames, games, images, sim } = app.services;
    const { gameServer, cluster } = app.colyseus;
    const log = logger.child({ component: 'rooms' });
    const registry = new RoomRegistry(clock);
    let closing = false;
    // Tickets live where every process can redeem them: Redis in a cluster, memory otherwise.
    const tickets: RoomTicketStore = redis ? new RedisRoomTickets(redis, ROOM_TICKET_TTL_S, `${redisPrefix}room-ticket:`) : new LocalRoomTickets(ROOM_TICKET_TTL_S, clock);
    gameServer
      .define(
        ROOM_HOME,
        createHomeRoom({
          players,
          friends,
          pets,
          inventory,
          minigames,
          gameHost: games,
          images,
          sim,
          bus: app.bus,
          presence: app.services.notifications,
          metrics,
          logger: log,
          rooms: registry,
          tickets,
          homes: cluster?.homes ?? null,
          // A home made after its owner's process died waits for that process's lease to end.
          leaseWaitMs: cluster ? cluster.leases.ttlMs + 2_000 : 0,
          closing: () => closing,
        }),
      )
      .filterBy(['ownerId']);
    const rooms: Rooms = { registry, tickets, listening: false };
    app.decorate('rooms', rooms);

    // A ban anywhere in the cluster: the player's sign-ins here are read again, their
    // connections here closed, and their home here closed to its visitors.
    app.services.bans.onChange(({ playerId, banned }) => {
      players.forget(playerId);
      if (!banned) return;
      for (const room of registry.all()) {
        for (const client of room.clients) {
          if ((client.userData as { playerId?: string } | undefined)?.playerId === playerId) client.leave(CLOSE_BANNED);
        }
        if (room.owner === playerId) {
          log.info({ ownerId: playerId, roomId: room.roomId }, 'home of a banned player closed');
          void room.disconnect();
        }
      }
    });

    let renewTimer: NodeJS.Timeout | undefined;
    if (cluster) {
      app.addHook('onReady', () => {
        renewTimer = setInterval(() => {
          const homes = registry.all().map((room) => ({ ownerId: room.owner, roomId: room.roomId }));
          cluster.homes
            .renew(homes)
            .then((lost) => {
              for (const ownerId of lost) {
                const room = registry.homeOf(ownerId);
                log.warn({ ownerId, roomId: room?.roomId }, 'home taken over by another process: its clients go there');
                void room?.disconnect();
              }
            })
            .catch((err: unknown) => log.warn({ err }, 'could not renew the home keys'));
        }, HOME_KEY_TTL_MS / 3);
        renewTimer.unref();
        return Promise.resolve();
      });
    }
    // Before the HTTP server closes: disposes every room (each flushes its owner's pets and
    // lets its home key go) and closes the sockets, while the services are still up.
    app.addHook('preClose', async () => {
      closing = true;
      clearInterval(renewTimer);
      if (!rooms.listening) {
        // Never listened: only the Redis connections of presence and driver to close.
        cluster?.presence.shutdown();
        cluster?.driver.shutdown();
        return;
      }
      await withDeadline(gameServer.gracefullyShutdown(false), COLYSEUS_SHUTDOWN_MS, () => new Error('timed out')).catch((err: unknown) =>
        logger.error({ err }, 'colyseus shutdown failed'),
      );
      if (registry.all().length > 0) {
        // Colyseus stopped half way (Redis did not answer, or a home finished creating while it
        // was disposing the others): the rooms are disposed here, each flushing its owner's
        // pets, and the sockets closed.
        log.warn({ rooms: registry.all().length }, 'closing the rooms without the matchmaker');
        await Promise.allSettled(matchMaker.disconnectAll());
        gameServer.transport.shutdown();
        cluster?.presence.shutdown();
        cluster?.driver.shutdown();
      }
    });
  },
  { name: 'rooms', dependencies: ['core', 'bus', 'colyseus', 'services'] },
);
