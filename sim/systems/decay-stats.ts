import { BASE_DECAY_PER_S } from '../rules.js';
import type { PetWorld } from '../world.js';

/**
 * Decays the three care meters of every pet linearly by `dt`, at the base rates times the
 * pet's decay factor (its stage's multiplier). No event falls inside `dt` for a pet with a
 * non-zero factor, so the only boundary to respect is 0.
 *
 * The loop scans entity ids 0..maxEid in order rather than a query's id list: ids that are
 * not live pets, and pets frozen for this tick, have factor 0 and stay unchanged. Sequential
 * typed-array access without the indirection is what keeps this close to a bare loop.
 */
export function decayStats(world: PetWorld, dtSeconds: number): void {
  const { Meters, Segment } = world.components;
  decayLoop(
    world.maxEid + 1,
    Segment.decayFactor,
    Meters.hunger,
    Meters.mood,
    Meters.cleanliness,
    BASE_DECAY_PER_S.hunger * dtSeconds,
    BASE_DECAY_PER_S.mood * dtSeconds,
    BASE_DECAY_PER_S.cleanliness * dtSeconds,
  );
}

// Arrays are parameters, not captured, so V8 keeps the loop monomorphic and fast.
function decayLoop(
  idCount: number,
  factor: Float64Array,
  hunger: Float64Array,
  mood: Float64Array,
  cleanliness: Float64Array,
  dHunger: number,
  dMood: number,
  dCleanliness: number,
): void {
  for (let eid = 0; eid < idCount; eid++) {
    const f = factor[eid] as number;
    const h = (hunger[eid] as number) - dHunger * f;
    hunger[eid] = h > 0 ? h : 0;
    const m = (mood[eid] as number) - dMood * f;
    mood[eid] = m > 0 ? m : 0;
    const c = (cleanliness[eid] as number) - dCleanliness * f;
    cleanliness[eid] = c > 0 ? c : 0;
  }
}
