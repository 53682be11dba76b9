/**
 * The admin room inspector's view of the rooms: this process's from its registry and sim, or
 * in a cluster every process's, asked over Colyseus's presence (each process answers for its
 * own rooms on `adm:<processId>`; processes come from Colyseus's per-process stats).
 */
import { matchMaker, requestFromIPC, subscribeIPC, type Presence } from '@colyseus/core';
import type { AdminRoomDetailDto, AdminRoomDto } from '../../shared/dto.js';
import type { SimHost } from '../sim-host/sim-host.js';
import type { HomeAuth } from './HomeRoom.js';
import type { SyncedHomeSchema } from './home-state.js';
import type { RoomRegistry } from './room-registry.js';

export interface RoomInspector {
  list(): Promise<{ items: AdminRoomDto[]; unreachable: string[] }>;
  /** Null when no room of that id lives anywhere. */
  detail(roomId: string): Promise<AdminRoomDetailDto | null>;
}

/** How long another process may take to describe its rooms. */
const ASK_TIMEOUT_MS = 1500;

/** This process's rooms. */
export class LocalRoomInspector implements RoomInspector {
  constructor(
    private readonly registry: RoomRegistry,
    private readonly sim: SimHost,
    private readonly processId: () => string,
  ) {}

  rooms(): AdminRoomDto[] {
    return this.registry.all().map((room) => {
      const state = room.state as SyncedHomeSchema;
      return {
        roomId: room.roomId,
        processId: this.processId(),
        ownerId: room.owner,
        clients: room.clients.length,
        spectators: state.spectators,
        ownerOnline: state.ownerOnline,
        pets: [...state.pets.values()].map((p) => ({ id: p.id, name: p.name, stage: p.stage })),
      };
    });
  }

  room(roomId: string): AdminRoomDetailDto | null {
    const room = this.registry.get(roomId);
    if (!room) return null;
    const state = room.state as SyncedHomeSchema;
    const tick = this.sim.lastTick;
    return {
      roomId: room.roomId,
      processId: this.processId(),
      ownerId: room.owner,
      clients: room.clients.map((c) => {
        const auth = c.userData as HomeAuth | undefined;
        return { sessionId: c.sessionId, playerId: auth?.playerId ?? '', role: auth?.role ?? 'unknown' };
      }),
      state: state.toJSON(),
      sim: [...state.pets.keys()].flatMap((petId) => {
        const inspected = this.sim.inspect(petId);
        return inspected ? [{ petId, ...inspected }] : [];
      }),
      lastTick: {
        at: tick.at > 0 ? new Date(tick.at).toISOString() : null,
        durationMs: tick.durationMs,
        dtGameSeconds: tick.dtGameSeconds,
        loadedPets: tick.loadedPets,
        dueEvents: tick.dueEvents,
      },
    };
  }

  list() {
    return Promise.resolve({ items: this.rooms(), unreachable: [] });
  }

  detail(roomId: string) {
    return Promise.resolve(this.room(roomId));
  }
}

const channelOf = (processId: string) => `adm:${processId}`;

/** Every process's rooms. */
export class ClusterRoomInspector implements RoomInspector {
  private constructor(
    private readonly local: LocalRoomInspector,
    private readonly presence: Presence,
    private readonly processId: string,
  ) {}

  /** Starts answering other processes' questions about this process's rooms. */
  static async create(local: LocalRoomInspector, presence: Presence, processId: string): Promise<ClusterRoomInspector> {
    await subscribeIPC(presence, channelOf(processId), (method: string, args: unknown[]) => {
      if (method === 'list') return local.rooms();
      if (method === 'detail' && typeof args[0] === 'string') return local.room(args[0]);
      throw new Error(`unknown inspector question ${method}`);
    });
    return new ClusterRoomInspector(local, presence, processId);
  }

  async list() {
    const processes = (await matchMaker.stats.fetchAll()).map((p) => p.processId);
    const items: AdminRoomDto[] = [];
    const unreachable: string[] = [];
    await Promise.all(
      processes.map(async (processId) => {
        if (processId === this.processId) {
          items.push(...this.local.rooms());
          return;
        }
        try {
          items.push(...(await requestFromIPC<AdminRoomDto[]>(this.presence, channelOf(processId), 'list', [], ASK_TIMEOUT_MS)));
        } catch {
          unreachable.push(processId);
        }
      }),
    );
    return { items: items.sort((a, b) => a.processId.localeCompare(b.processId) || a.roomId.localeCompare(b.roomId)), unreachable };
  }

  async detail(roomId: string) {
    const listing = await matchMaker.getRoomById(roomId);
    if (!listing) return null;
    if (listing.processId === this.processId) return this.local.room(roomId);
    return requestFromIPC<AdminRoomDetailDto | null>(this.presence, channelOf(listing.processId), 'detail', [roomId], ASK_TIMEOUT_MS);
  }
}
