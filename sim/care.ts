/**
 * Care actions: what feed, play, clean and heal do to a pet, with per-action cooldowns and
 * the cost of overfeeding. Applied between ticks at the current world time.
 */
import {
  CARE_ACTIONS,
  CARE_EFFECTS,
  OVERFEED_PENALTY,
  OVERFEED_THRESHOLD,
  type CareAction,
  type Meter,
} from '../shared/balance.js';
import { clampMeter, type PetStats } from './rules.js';
import { CARE_ACTION_COUNT, emptyStats, readStats, writeStats, type PetWorld } from './world.js';

export type MeterDelta = Partial<Record<Meter, number>>;

export interface CareOutcome {
  /** Meter changes actually applied (after clamping), in points. */
  delta: MeterDelta;
  overfed: boolean;
}

export type CareResult =
  | ({ ok: true; action: CareAction; cooldownSeconds: number } & CareOutcome)
  | { ok: false; code: 'CARE_COOLDOWN'; retryInSeconds: number };

const METERS: readonly Meter[] = ['hunger', 'mood', 'cleanliness', 'health'];

/** Applies `action` to `stats` in place (no cooldown logic) and returns what changed. */
export function applyCareToStats(stats: PetStats, action: CareAction): CareOutcome {
  const before: Record<Meter, number> = {
    hunger: stats.hunger,
    mood: stats.mood,
    cleanliness: stats.cleanliness,
    health: stats.health,
  };
  const overfed = action === 'feed' && stats.hunger > OVERFEED_THRESHOLD;
  const changes: MeterDelta[] = [CARE_EFFECTS[action].delta];
  if (overfed) changes.push(OVERFEED_PENALTY);
  for (const change of changes) {
    for (const meter of METERS) {
      const d = change[meter];
      if (d !== undefined) stats[meter] = clampMeter(stats[meter] + d);
    }
  }
  if (action === 'heal') stats.sick = false;
  if (stats.health <= 0) {
    stats.health = 0;
    stats.sick = true;
  }
  const delta: MeterDelta = {};
  for (const meter of METERS) {
    const d = stats[meter] - before[meter];
    if (d !== 0) delta[meter] = d;
  }
  return { delta, overfed };
}

const scratch = emptyStats();

/** Applies a care action to a pet in the world, honouring the action's cooldown. */
export function applyCare(world: PetWorld, eid: number, action: CareAction): CareResult {
  const a = CARE_ACTIONS.indexOf(action);
  const slot = eid * CARE_ACTION_COUNT + a;
  const { Care } = world.components;
  const readyAt = Care.readyAt[slot] as number;
  if (world.time < readyAt) return { ok: false, code: 'CARE_COOLDOWN', retryInSeconds: readyAt - world.time };
  readStats(world, eid, scratch);
  const outcome = applyCareToStats(scratch, action);
  writeStats(world, eid, scratch);
  const cooldownSeconds = CARE_EFFECTS[action].cooldownS;
  Care.readyAt[slot] = world.time + cooldownSeconds;
  Care.counts[slot] = (Care.counts[slot] as number) + 1;
  if (outcome.overfed) Care.overfeeds[eid] = (Care.overfeeds[eid] as number) + 1;
  return { ok: true, action, cooldownSeconds, ...outcome };
}

/** Game seconds until `action` is ready on the pet; 0 when ready. */
export function cooldownRemaining(world: PetWorld, eid: number, action: CareAction): number {
  const readyAt = world.components.Care.readyAt[eid * CARE_ACTION_COUNT + CARE_ACTIONS.indexOf(action)] as number;
  return readyAt > world.time ? readyAt - world.time : 0;
}

export function careCount(world: PetWorld, eid: number, action: CareAction): number {
  return world.components.Care.counts[eid * CARE_ACTION_COUNT + CARE_ACTIONS.indexOf(action)] as number;
}
