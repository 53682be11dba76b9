import type { Room } from '@colyseus/core';

/**
 * The home rooms alive in this process, for the admin inspector. Colyseus's matchmaker keeps
 * its own list, but only as a process-global; this one belongs to the app instance.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, Room & { owner: string }>();

  register(room: Room & { owner: string }): void {
    this.rooms.set(room.roomId, room);
  }

  unregister(room: Room): void {
    this.rooms.delete(room.roomId);
  }

  get(roomId: string): (Room & { owner: string }) | undefined {
    return this.rooms.get(roomId);
  }

  all(): Array<Room & { owner: string }> {
    return [...this.rooms.values()];
  }
}
