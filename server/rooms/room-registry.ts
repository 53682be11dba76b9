import type { Room } from '@colyseus/core';

type HomeRoomLike = Room & { owner: string };

/**
 * The home rooms alive in this process, by id and by owner, for the admin inspector and for
 * the rule of one home per owner. Colyseus's matchmaker keeps its own list, but only as a
 * process-global; this one belongs to the app instance. Also remembers players cut off for
 * flooding until they may join again.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, HomeRoomLike>();
  private readonly byOwner = new Map<string, HomeRoomLike>();
  private readonly penalties = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Makes `room` the home of `ownerId`, unless another live room already is: synchronous, so
   * two rooms created at once for one owner cannot both claim it. Returns the room that holds
   * the claim.
   */
  claimOwner(ownerId: string, room: HomeRoomLike): HomeRoomLike {
    const holder = this.byOwner.get(ownerId);
    if (holder && holder !== room) return holder;
    this.byOwner.set(ownerId, room);
    return room;
  }

  /** The owner's home room in this process, if any. */
  homeOf(ownerId: string): HomeRoomLike | undefined {
    return this.byOwner.get(ownerId);
  }

  register(room: HomeRoomLike): void {
    this.rooms.set(room.roomId, room);
  }

  unregister(room: HomeRoomLike): void {
    this.rooms.delete(room.roomId);
    if (this.byOwner.get(room.owner) === room) this.byOwner.delete(room.owner);
  }

  get(roomId: string): HomeRoomLike | undefined {
    return this.rooms.get(roomId);
  }

  all(): HomeRoomLike[] {
    return [...this.rooms.values()];
  }

  /** Keeps `playerId` out of rooms for `seconds` (they were cut off for flooding). */
  penalize(playerId: string, seconds: number): void {
    const nowMs = this.now();
    for (const [id, until] of this.penalties) if (until <= nowMs) this.penalties.delete(id);
    this.penalties.set(playerId, nowMs + seconds * 1000);
  }

  /** Seconds until `playerId` may join again; 0 when they may now. */
  penaltyLeft(playerId: string): number {
    const until = this.penalties.get(playerId);
    if (until === undefined) return 0;
    const leftMs = until - this.now();
    if (leftMs <= 0) {
      this.penalties.delete(playerId);
      return 0;
    }
    return Math.ceil(leftMs / 1000);
  }
}
