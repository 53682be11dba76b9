import { heapPeekTime, heapPop, heapPush } from '../scheduler.js';
import { advance, type LifeEvent } from '../rules.js';
import { emptyStats, readStats, startSegment, type PetWorld } from '../world.js';

const scratch = emptyStats();
const lifeEvents: LifeEvent[] = [];
const deferred: number[] = [];
const frozenThisTick = new Set<number>();

/**
 * Pets whose next event falls inside (time, time + dt] are advanced exactly over the whole
 * tick here and frozen (decay factor 0) so the bulk decay leaves them alone this tick.
 * Returns how many pets were handled.
 */
export function processDueEvents(world: PetWorld, dtSeconds: number): number {
  const { agenda, components } = world;
  const { Meters, Life, Segment } = components;
  const nextEventAt = Segment.nextEventAt;
  const end = world.time + dtSeconds;
  let handled = 0;
  deferred.length = 0;
  frozenThisTick.clear();
  while (agenda.size > 0 && heapPeekTime(agenda) <= end) {
    const time = heapPeekTime(agenda);
    const eid = heapPop(agenda);
    if (nextEventAt[eid] !== time) continue;
    if (frozenThisTick.has(eid)) {
      // Already advanced over this whole tick; its new event belongs to the next one.
      deferred.push(eid);
      continue;
    }
    readStats(world, eid, scratch);
    lifeEvents.length = 0;
    advance(scratch, dtSeconds, lifeEvents);
    Meters.hunger[eid] = scratch.hunger;
    Meters.mood[eid] = scratch.mood;
    Meters.cleanliness[eid] = scratch.cleanliness;
    Life.stage[eid] = scratch.stage;
    Life.sick[eid] = scratch.sick ? 1 : 0;
    startSegment(world, eid, scratch, end, true);
    world.frozen.push(eid);
    frozenThisTick.add(eid);
    for (const event of lifeEvents) world.events.push({ eid, event });
    handled++;
  }
  for (const eid of deferred) heapPush(agenda, nextEventAt[eid] as number, eid);
  return handled;
}
