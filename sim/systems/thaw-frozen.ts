import { isPet, type PetWorld } from '../world.js';

/** Gives the pets handled exactly this tick their decay back for the next ticks. */
export function thawFrozen(world: PetWorld): void {
  const { Segment } = world.components;
  for (const eid of world.frozen) {
    if (isPet(world, eid)) Segment.decayFactor[eid] = Segment.segmentFactor[eid] as number;
  }
  world.frozen.length = 0;
}
