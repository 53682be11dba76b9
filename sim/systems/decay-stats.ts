import { query } from 'bitecs';
import { DECAY_BY_MODE, type PetWorld } from '../world.js';

/**
 * Decays the three care meters of every pet linearly by `dt`, at the rates of its mode.
 * Frozen pets (mode 0) have zero rates. No event falls inside `dt` for a non-frozen pet, so
 * the only boundary to respect is 0.
 */
export function decayStats(world: PetWorld, dtSeconds: number): void {
  const { Meters, Segment } = world.components;
  decayLoop(
    query(world, [world.components.Pet]),
    Segment.mode,
    Meters.hunger,
    Meters.mood,
    Meters.cleanliness,
    DECAY_BY_MODE.hunger,
    DECAY_BY_MODE.mood,
    DECAY_BY_MODE.cleanliness,
    dtSeconds,
  );
}

// Arrays are parameters, not captured, so V8 keeps the loop monomorphic and fast.
function decayLoop(
  eids: ArrayLike<number>,
  mode: Uint8Array,
  hunger: Float64Array,
  mood: Float64Array,
  cleanliness: Float64Array,
  hungerRate: Float64Array,
  moodRate: Float64Array,
  cleanlinessRate: Float64Array,
  dt: number,
): void {
  for (let k = 0, n = eids.length; k < n; k++) {
    const eid = eids[k] as number;
    const m = mode[eid] as number;
    const h = (hunger[eid] as number) - (hungerRate[m] as number) * dt;
    hunger[eid] = h > 0 ? h : 0;
    const o = (mood[eid] as number) - (moodRate[m] as number) * dt;
    mood[eid] = o > 0 ? o : 0;
    const c = (cleanliness[eid] as number) - (cleanlinessRate[m] as number) * dt;
    cleanliness[eid] = c > 0 ? c : 0;
  }
}
