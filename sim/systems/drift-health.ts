import { query } from 'bitecs';
import { METER_MAX } from '../../shared/balance.js';
import type { PetWorld } from '../world.js';

/**
 * Moves health by its segment rate for the pets whose health is changing. The segment ends
 * before health could leave [0, 100], so clamping only guards against rounding.
 */
export function driftHealth(world: PetWorld, dtSeconds: number): void {
  const { Meters, Segment, Drifting } = world.components;
  driftLoop(query(world, [Drifting]), Meters.health, Segment.healthRate, dtSeconds);
}

function driftLoop(eids: ArrayLike<number>, health: Float64Array, rate: Float64Array, dt: number): void {
  for (let k = 0, n = eids.length; k < n; k++) {
    const eid = eids[k] as number;
    const h = (health[eid] as number) + (rate[eid] as number) * dt;
    health[eid] = h < 0 ? 0 : h > METER_MAX ? METER_MAX : h;
  }
}
