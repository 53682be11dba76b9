import { query } from 'bitecs';
import { decayStats } from './systems/decay-stats.js';
import { processDueEvents } from './systems/process-due-events.js';
import { thawFrozen } from './systems/thaw-frozen.js';
import { compactAgenda, type PetWorld } from './world.js';

/**
 * One simulation step of `dtSeconds` game seconds for every pet in the world: exact
 * handling of pets with an event inside the step (growth, sickness, a meter crossing a
 * threshold, health reaching a bound), linear decay of the care meters for all others.
 * Health moves linearly within a segment and is evaluated on read from its anchor.
 * Afterwards `world.time` has advanced by `dt`.
 */
export function tickWorld(world: PetWorld, dtSeconds: number): void {
  if (!(dtSeconds > 0)) return;
  const dueEvents = processDueEvents(world, dtSeconds);
  decayStats(world, dtSeconds);
  world.time += dtSeconds;
  thawFrozen(world);
  const pets = query(world, [world.components.Pet]).length;
  compactAgenda(world, pets);
  world.lastTick = { dtSeconds, dueEvents, pets };
}
