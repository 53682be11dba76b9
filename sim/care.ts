/**
 * Care actions: what feed, play, clean and heal do to a pet (feed by the food given), with
 * per-action cooldowns, the cost of overfeeding, quiet hours (a sleeping pet only accepts
 * medicine), waking a pet, and minigame rewards. Applied between ticks at the current world
 * time. Items are checked and consumed by the server; the sim only needs to know which food.
 */
import {
  CARE_ACTIONS,
  CARE_EFFECTS,
  CARE_WHILE_ASLEEP,
  ITEMS,
  OVERFEED_PENALTY,
  OVERFEED_THRESHOLD,
  WAKE_DURATION_S,
  WAKE_MOOD_COST,
  type CareAction,
  type ItemDef,
  type ItemId,
  type Meter,
  type MeterDelta,
} from '../shared/balance.js';
import { clampMeter, emptyStats, isAsleep, settleNow, type LifeEvent, type PetStats } from './rules.js';
import { CARE_ACTION_COUNT, readStats, writeStats, type PetWorld } from './world.js';

type AppliedDelta = Partial<Record<Meter, number>>;

interface CareOutcome {
  /** Meter changes actually applied (after clamping), in points. */
  delta: AppliedDelta;
  overfed: boolean;
}

export type CareResult =
  | ({ ok: true; action: CareAction; cooldownSeconds: number } & CareOutcome)
  | { ok: false; code: 'CARE_COOLDOWN'; retryInSeconds: number }
  | { ok: false; code: 'PET_ASLEEP' };

const METERS: readonly Meter[] = ['hunger', 'mood', 'cleanliness', 'health'];

function applyDeltas(stats: PetStats, changes: readonly MeterDelta[]): AppliedDelta {
  const before: Record<Meter, number> = {
    hunger: stats.hunger,
    mood: stats.mood,
    cleanliness: stats.cleanliness,
    health: stats.health,
  };
  for (const change of changes) {
    for (const meter of METERS) {
      const d = change[meter];
      if (d !== undefined) stats[meter] = clampMeter(stats[meter] + d);
    }
  }
  const delta: AppliedDelta = {};
  for (const meter of METERS) {
    const d = stats[meter] - before[meter];
    if (d !== 0) delta[meter] = d;
  }
  return delta;
}

/** What an item adds: a food's whole effect, or another item's bonus on top of its action. */
function itemDelta(item: ItemId): MeterDelta {
  const def: ItemDef = ITEMS[item];
  return def.delta ?? {};
}

/**
 * Applies `action` to `stats` in place (no cooldown or sleep logic) and returns what changed.
 * `item` is the food for `feed`; for other actions an item may add a bonus (bubble bath, plush).
 */
export function applyCareToStats(stats: PetStats, action: CareAction, item?: ItemId): CareOutcome {
  const overfed = action === 'feed' && stats.hunger > OVERFEED_THRESHOLD;
  const changes: MeterDelta[] =
    action === 'feed' ? [itemDelta(item ?? 'kibble')] : [CARE_EFFECTS[action].delta, ...(item === undefined ? [] : [itemDelta(item)])];
  if (overfed) changes.push(OVERFEED_PENALTY);
  const delta = applyDeltas(stats, changes);
  if (action === 'heal') stats.sick = false;
  settleNow(stats);
  return { delta, overfed };
}

const scratch = emptyStats();
const settled: LifeEvent[] = [];

/** Stores stats changed between ticks, passing on anything that settling them caused. */
function store(world: PetWorld, eid: number, stats: PetStats): void {
  settled.length = 0;
  settleNow(stats, settled);
  writeStats(world, eid, stats);
  for (const event of settled) world.events.push({ eid, event });
}

/** Why `action` would be refused right now (sleep or cooldown), or null; `stats` holds the pet's values. */
function refusal(world: PetWorld, eid: number, action: CareAction, stats: PetStats): CareResult | null {
  if (isAsleep(stats) && !CARE_WHILE_ASLEEP.includes(action)) return { ok: false, code: 'PET_ASLEEP' };
  const left = cooldownRemaining(world, eid, action);
  return left > 0 ? { ok: false, code: 'CARE_COOLDOWN', retryInSeconds: left } : null;
}

/** Applies a care action to a pet in the world, honouring quiet hours and the action's cooldown. */
export function applyCare(world: PetWorld, eid: number, action: CareAction, item?: ItemId): CareResult {
  readStats(world, eid, scratch);
  return refusal(world, eid, action, scratch) ?? commitCare(world, eid, action, item);
}

/**
 * What `applyCare` would do now, without changing the world: the result, and in `out` the
 * pet's values after it (its care counts and cooldowns are the caller's to add). The server
 * stores that outcome with the item it uses before `commitCare` makes it live.
 */
export function previewCare(world: PetWorld, eid: number, action: CareAction, item: ItemId | undefined, out: PetStats): CareResult {
  readStats(world, eid, out);
  const refused = refusal(world, eid, action, out);
  if (refused) return refused;
  const outcome = applyCareToStats(out, action, item);
  return { ok: true, action, cooldownSeconds: CARE_EFFECTS[action].cooldownS, ...outcome };
}

/**
 * Applies a care action that was already decided (by `previewCare`), without checking sleep
 * or the cooldown again: once its item is spent, a care happens even if quiet hours began in
 * the moment between the decision and now.
 */
export function commitCare(world: PetWorld, eid: number, action: CareAction, item?: ItemId): CareResult & { ok: true } {
  const slot = eid * CARE_ACTION_COUNT + CARE_ACTIONS.indexOf(action);
  const { Care } = world.components;
  readStats(world, eid, scratch);
  const outcome = applyCareToStats(scratch, action, item);
  store(world, eid, scratch);
  const cooldownSeconds = CARE_EFFECTS[action].cooldownS;
  Care.readyAt[slot] = world.time + cooldownSeconds;
  Care.counts[slot] = (Care.counts[slot] as number) + 1;
  if (outcome.overfed) Care.overfeeds[eid] = (Care.overfeeds[eid] as number) + 1;
  return { ok: true, action, cooldownSeconds, ...outcome };
}

type WakeResult = { ok: true; delta: AppliedDelta; awakeForSeconds: number } | { ok: false; code: 'NOT_ASLEEP' };

/** Wakes `stats` in place: awake for `WAKE_DURATION_S`, at a cost in mood. */
export function wakeStats(stats: PetStats): WakeResult {
  if (!isAsleep(stats)) return { ok: false, code: 'NOT_ASLEEP' };
  const delta = applyDeltas(stats, [{ mood: -WAKE_MOOD_COST }]);
  stats.awakeUntil = stats.clock + WAKE_DURATION_S;
  settleNow(stats);
  return { ok: true, delta, awakeForSeconds: WAKE_DURATION_S };
}

export function wakePet(world: PetWorld, eid: number): WakeResult {
  readStats(world, eid, scratch);
  const result = wakeStats(scratch);
  if (result.ok) store(world, eid, scratch);
  return result;
}

/** Adds a minigame's reward: meter points and care-quality offsets. Returns what changed. */
function rewardStats(stats: PetStats, delta: MeterDelta, careBonus: number): AppliedDelta {
  const applied = applyDeltas(stats, [delta]);
  stats.careBonus += Math.max(0, Math.trunc(careBonus));
  settleNow(stats);
  return applied;
}

export function rewardPet(world: PetWorld, eid: number, delta: MeterDelta, careBonus: number): AppliedDelta {
  readStats(world, eid, scratch);
  const applied = rewardStats(scratch, delta, careBonus);
  store(world, eid, scratch);
  return applied;
}

/** The owner's UTC offset as a pet keeps it: the one in force and a change to come. */
export interface PetUtcOffset {
  utcOffsetMinutes: number;
  /** The offset from `changesAt` on; equal to `utcOffsetMinutes` when no change is pending. */
  nextUtcOffsetMinutes: number;
  /** Game clock of the change; Infinity when none is pending. */
  changesAt: number;
}

/**
 * Gives a pet its owner's UTC offset (quiet hours follow the owner's local time). A pending
 * change takes effect exactly at its time, in the tick or the catch-up that reaches it.
 */
export function setUtcOffset(world: PetWorld, eid: number, offset: PetUtcOffset): void {
  readStats(world, eid, scratch);
  if (
    scratch.utcOffsetMinutes === offset.utcOffsetMinutes &&
    scratch.nextUtcOffsetMinutes === offset.nextUtcOffsetMinutes &&
    scratch.utcOffsetChangesAt === offset.changesAt
  ) {
    return;
  }
  scratch.utcOffsetMinutes = offset.utcOffsetMinutes;
  scratch.nextUtcOffsetMinutes = offset.nextUtcOffsetMinutes;
  scratch.utcOffsetChangesAt = offset.changesAt;
  store(world, eid, scratch);
}

/** Game seconds until `action` is ready on the pet; 0 when ready. */
export function cooldownRemaining(world: PetWorld, eid: number, action: CareAction): number {
  const readyAt = world.components.Care.readyAt[eid * CARE_ACTION_COUNT + CARE_ACTIONS.indexOf(action)] as number;
  return readyAt > world.time ? readyAt - world.time : 0;
}

export function careCount(world: PetWorld, eid: number, action: CareAction): number {
  return world.components.Care.counts[eid * CARE_ACTION_COUNT + CARE_ACTIONS.indexOf(action)] as number;
}
