import { addComponent } from 'bitecs';
import { isPet, type PetWorld } from '../world.js';

/** Gives the pets handled exactly this tick their new mode and drift for the next ticks. */
export function thawFrozen(world: PetWorld): void {
  const { Life, Segment, Drifting } = world.components;
  for (const eid of world.frozen) {
    if (!isPet(world, eid)) continue;
    Segment.mode[eid] = (Life.stage[eid] as number) + 1;
    if (Segment.healthRate[eid] !== 0) addComponent(world, eid, Drifting);
  }
  world.frozen.length = 0;
}
