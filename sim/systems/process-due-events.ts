import { heapPeekTime, heapPop, heapPush } from '../scheduler.js';
import { DUE_EPSILON_S, advance, emptyStats, type LifeEvent } from '../rules.js';
import { readStats, writeStats, type PetWorld } from '../world.js';

const scratch = emptyStats();
const lifeEvents: LifeEvent[] = [];
const deferred: number[] = [];

/**
 * Pets whose next event falls inside (time, time + dt + DUE_EPSILON_S] are advanced exactly over the whole
 * tick here and frozen (decay factor 0) so the bulk decay leaves them alone this tick.
 * Returns how many pets were handled. Only scratch buffers live at module level; all state
 * is on the world.
 */
export function processDueEvents(world: PetWorld, dtSeconds: number): number {
  const { agenda, components } = world;
  const { Segment } = components;
  const nextEventAt = Segment.nextEventAt;
  const end = world.time + dtSeconds;
  const dueBy = end + DUE_EPSILON_S;
  const frozenBefore = world.frozen.length;
  let handled = 0;
  deferred.length = 0;
  while (agenda.size > 0 && heapPeekTime(agenda) <= dueBy) {
    const time = heapPeekTime(agenda);
    const eid = heapPop(agenda);
    if (nextEventAt[eid] !== time) continue;
    // A live pet always has a positive segment factor; 0 here means it was advanced over
    // this whole tick already and its new event belongs to the next tick.
    if (Segment.decayFactor[eid] === 0 && world.frozen.indexOf(eid, frozenBefore) >= 0) {
      deferred.push(eid);
      continue;
    }
    readStats(world, eid, scratch);
    lifeEvents.length = 0;
    advance(scratch, dtSeconds, lifeEvents);
    writeStats(world, eid, scratch, end, true);
    world.frozen.push(eid);
    for (const event of lifeEvents) world.events.push({ eid, event });
    handled++;
  }
  for (const eid of deferred) heapPush(agenda, nextEventAt[eid] as number, eid);
  return handled;
}
