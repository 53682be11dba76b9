/**
 * Image status changes, from whichever process made them (a server, a separate worker) to
 * the owner's home room: published on the owner bus as `image` events.
 */
import type { OwnerBus } from '../bus/owner-bus.js';
import type { ImageStatus } from '../db/schema.js';

export interface ImageEvent {
  imageId: string;
  petId: string;
  ownerId: string;
  stage: number;
  variant: number;
  skin: string;
  status: ImageStatus;
  provider: string | null;
  reason: string | null;
}

/** Announces a status change to the pet's owner. */
export function publishImageEvent(bus: OwnerBus, event: ImageEvent): void {
  bus.publish(event.ownerId, { kind: 'image', image: event });
}
