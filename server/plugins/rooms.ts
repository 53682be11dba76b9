/**
 * Realtime play: Colyseus on the Fastify server's http.Server, the home room, room tickets
 * (Redis in cluster mode, so any process redeems them) and the registry of this process's
 * rooms. On close, every room is disposed first: each flushes its owner's pets.
 */
import { Server as ColyseusServer } from '@colyseus/core';
import fp from 'fastify-plugin';
import { ROOM_HOME, ROOM_TICKET_TTL_S } from '../../shared/protocol.js';
import { LocalRoomTickets, RedisRoomTickets, type RoomTicketStore } from '../auth/room-tickets.js';
import { colyseusLogger } from '../logger.js';
import { createGuardedTransport } from '../rooms/guarded-transport.js';
import { createHomeRoom } from '../rooms/HomeRoom.js';
import { RoomRegistry } from '../rooms/room-registry.js';

/** Largest WebSocket frame accepted; bigger frames close the socket (room messages are far smaller). */
const MAX_WS_PAYLOAD_BYTES = 64 * 1024;

export interface Rooms {
  gameServer: ColyseusServer;
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
    const log = logger.child({ component: 'rooms' });
    const registry = new RoomRegistry(clock);
    // Tickets live where every process can redeem them: Redis in a cluster, memory otherwise.
    const tickets: RoomTicketStore = redis ? new RedisRoomTickets(redis, ROOM_TICKET_TTL_S, `${redisPrefix}room-ticket:`) : new LocalRoomTickets(ROOM_TICKET_TTL_S, clock);
    const transport = createGuardedTransport({ server: app.server, maxPayload: MAX_WS_PAYLOAD_BYTES }, log, () => metrics.roomJoinsRefused.inc({ code: 'NO_SEAT' }));
    const gameServer = new ColyseusServer({ transport, gracefullyShutdown: false, greet: false, logger: colyseusLogger(logger) });
    gameServer
      .define(
        ROOM_HOME,
        createHomeRoom({ players, friends, pets, inventory, minigames, gameHost: games, images, sim, bus: app.bus, metrics, logger: log, rooms: registry, tickets }),
      )
      .filterBy(['ownerId']);
    const rooms: Rooms = { gameServer, registry, tickets, listening: false };
    app.decorate('rooms', rooms);
    // Before the HTTP server closes: disposes every room (each flushes its owner's pets) and
    // closes the sockets, while the services are still up.
    app.addHook('preClose', async () => {
      if (!rooms.listening) return;
      await gameServer.gracefullyShutdown(false).catch((err: unknown) => logger.error({ err }, 'colyseus shutdown failed'));
    });
  },
  { name: 'rooms', dependencies: ['core', 'bus', 'services'] },
);
