/**
 * The pet rules as pure functions over one pet's stats. Between two events every quantity
 * changes linearly (care meters decay at a rate fixed by the stage, health drifts at a rate
 * fixed by which meters are critical or good), so the state at any later time can be computed
 * exactly by jumping from event to event. `advance` does that; the world tick uses the same
 * functions for pets whose next event falls inside a tick and a plain linear update for all
 * others, which is why ticking and advancing agree.
 */
import {
  CRITICAL_THRESHOLD,
  DECAY_PER_HOUR,
  GOOD_THRESHOLD,
  GROWTH_MIN_HEALTH,
  HEALTH_GAIN_PER_HOUR,
  HEALTH_LOSS_PER_HOUR_PER_CRITICAL,
  METER_MAX,
  STAGE_ADULT,
  STAGE_DECAY_MULTIPLIER,
  STAGE_DURATION_S,
} from '../shared/balance.js';

/** One pet's simulated values. Meters are 0–100; times are game seconds. */
export interface PetStats {
  /** Index into `STAGES`; never decreases. */
  stage: number;
  hunger: number;
  mood: number;
  cleanliness: number;
  health: number;
  /** Set when health reaches 0; only `heal` clears it. A sick pet does not grow or recover. */
  sick: boolean;
  /** Game seconds since birth. */
  ageSeconds: number;
  /** Healthy game seconds spent in the current stage; growth happens at `STAGE_DURATION_S`. */
  stageSeconds: number;
}

/** A fact produced while time passes, `atSeconds` after the start of the advance. */
export type LifeEvent =
  | { kind: 'stage'; atSeconds: number; from: number; to: number }
  | { kind: 'sick'; atSeconds: number };

/** Values closer than this to a threshold they are moving towards are snapped onto it. */
const SNAP_EPSILON = 1e-9;
/** More segments than any real interval needs (each threshold is crossed at most a few times). */
const MAX_SEGMENTS = 512;

const SECONDS_PER_HOUR = 3600;

function buildDecayTable(meter: keyof typeof DECAY_PER_HOUR): Float64Array {
  const table = new Float64Array(STAGE_DECAY_MULTIPLIER.length);
  for (let s = 0; s < table.length; s++) {
    table[s] = (DECAY_PER_HOUR[meter] * (STAGE_DECAY_MULTIPLIER[s] ?? 1)) / SECONDS_PER_HOUR;
  }
  return table;
}

/** Care meter decay per game second at a stage multiplier of 1. */
export const BASE_DECAY_PER_S = {
  hunger: DECAY_PER_HOUR.hunger / SECONDS_PER_HOUR,
  mood: DECAY_PER_HOUR.mood / SECONDS_PER_HOUR,
  cleanliness: DECAY_PER_HOUR.cleanliness / SECONDS_PER_HOUR,
} as const;

/** Care meter decay per game second, indexed by stage. */
export const HUNGER_DECAY_PER_S = buildDecayTable('hunger');
export const MOOD_DECAY_PER_S = buildDecayTable('mood');
export const CLEANLINESS_DECAY_PER_S = buildDecayTable('cleanliness');

const HEALTH_LOSS_PER_S_PER_CRITICAL = HEALTH_LOSS_PER_HOUR_PER_CRITICAL / SECONDS_PER_HOUR;
const HEALTH_GAIN_PER_S = HEALTH_GAIN_PER_HOUR / SECONDS_PER_HOUR;

export function stageDurationSeconds(stage: number): number {
  return STAGE_DURATION_S[stage] ?? Infinity;
}

/**
 * Number of critical care meters. A decaying meter exactly at the threshold counts as
 * critical, because it is below the threshold for the whole interval that follows.
 */
export function criticalCount(s: PetStats): number {
  return (
    (s.hunger <= CRITICAL_THRESHOLD ? 1 : 0) +
    (s.mood <= CRITICAL_THRESHOLD ? 1 : 0) +
    (s.cleanliness <= CRITICAL_THRESHOLD ? 1 : 0)
  );
}

/** All care meters good. A decaying meter exactly at the threshold is no longer good. */
export function allGood(s: PetStats): boolean {
  return s.hunger > GOOD_THRESHOLD && s.mood > GOOD_THRESHOLD && s.cleanliness > GOOD_THRESHOLD;
}

/** Health change per game second for the interval starting at `s`. */
export function healthRatePerSecond(s: PetStats): number {
  if (s.sick) return 0;
  const critical = criticalCount(s);
  if (critical > 0) return -HEALTH_LOSS_PER_S_PER_CRITICAL * critical;
  if (s.health < METER_MAX && allGood(s)) return HEALTH_GAIN_PER_S;
  return 0;
}

/** Whether the pet accumulates growth time in the interval starting at `s`. */
export function isGrowing(s: PetStats, healthRate: number): boolean {
  if (s.sick || s.stage >= STAGE_ADULT) return false;
  return s.health > GROWTH_MIN_HEALTH || (s.health === GROWTH_MIN_HEALTH && healthRate >= 0);
}

function meterEventSeconds(value: number, ratePerS: number): number {
  if (ratePerS <= 0) return Infinity;
  if (value > GOOD_THRESHOLD) return (value - GOOD_THRESHOLD) / ratePerS;
  if (value > CRITICAL_THRESHOLD) return (value - CRITICAL_THRESHOLD) / ratePerS;
  return Infinity;
}

/**
 * Game seconds from `s` until the next event that changes a rate: a care meter leaving
 * "good" or becoming critical, health reaching 0, 100 or the growth minimum, or growth.
 * Infinity when nothing will ever change on its own.
 */
export function secondsToNextEvent(s: PetStats, healthRate: number, growing: boolean): number {
  let t = meterEventSeconds(s.hunger, HUNGER_DECAY_PER_S[s.stage] ?? 0);
  t = Math.min(t, meterEventSeconds(s.mood, MOOD_DECAY_PER_S[s.stage] ?? 0));
  t = Math.min(t, meterEventSeconds(s.cleanliness, CLEANLINESS_DECAY_PER_S[s.stage] ?? 0));
  const tracksGrowthHealth = s.stage < STAGE_ADULT;
  if (healthRate < 0) {
    if (tracksGrowthHealth && s.health > GROWTH_MIN_HEALTH) t = Math.min(t, (s.health - GROWTH_MIN_HEALTH) / -healthRate);
    t = Math.min(t, s.health / -healthRate);
  } else if (healthRate > 0) {
    if (tracksGrowthHealth && s.health < GROWTH_MIN_HEALTH) t = Math.min(t, (GROWTH_MIN_HEALTH - s.health) / healthRate);
    t = Math.min(t, (METER_MAX - s.health) / healthRate);
  }
  if (growing) t = Math.min(t, Math.max(0, stageDurationSeconds(s.stage) - s.stageSeconds));
  return t;
}

function decayMeter(value: number, ratePerS: number, dt: number): number {
  const next = value - ratePerS * dt;
  if (next <= 0) return 0;
  if (value > GOOD_THRESHOLD && next - GOOD_THRESHOLD < SNAP_EPSILON && next - GOOD_THRESHOLD > -SNAP_EPSILON) return GOOD_THRESHOLD;
  if (value > CRITICAL_THRESHOLD && next - CRITICAL_THRESHOLD < SNAP_EPSILON && next - CRITICAL_THRESHOLD > -SNAP_EPSILON) {
    return CRITICAL_THRESHOLD;
  }
  return next;
}

function driftHealthValue(value: number, ratePerS: number, dt: number): number {
  if (ratePerS === 0) return value;
  let next = value + ratePerS * dt;
  if (Math.abs(next - GROWTH_MIN_HEALTH) < SNAP_EPSILON) next = GROWTH_MIN_HEALTH;
  if (next <= SNAP_EPSILON) return 0;
  if (next >= METER_MAX - SNAP_EPSILON) return METER_MAX;
  return next;
}

/** Restores invariants of stats that came from outside (a database row, a test). */
export function normalizeStats(s: PetStats): void {
  s.stage = Math.min(Math.max(Math.trunc(s.stage), 0), STAGE_ADULT);
  s.hunger = clampMeter(s.hunger);
  s.mood = clampMeter(s.mood);
  s.cleanliness = clampMeter(s.cleanliness);
  s.health = clampMeter(s.health);
  if (s.health <= 0) {
    s.health = 0;
    s.sick = true;
  }
  if (!(s.ageSeconds >= 0)) s.ageSeconds = 0;
  if (!(s.stageSeconds >= 0)) s.stageSeconds = 0;
}

export function clampMeter(value: number): number {
  if (!(value > 0)) return 0;
  return value > METER_MAX ? METER_MAX : value;
}

/**
 * Applies what happens at the current instant without time passing: sickness at health 0 and
 * growth once enough healthy time is banked. Returns the events it produced.
 */
function settle(s: PetStats, atSeconds: number, events: LifeEvent[] | undefined): void {
  if (!s.sick && s.health <= 0) {
    s.health = 0;
    s.sick = true;
    events?.push({ kind: 'sick', atSeconds });
  }
  while (s.stage < STAGE_ADULT && s.stageSeconds >= stageDurationSeconds(s.stage) - SNAP_EPSILON) {
    // Banked time alone is not enough: the pet must be healthy enough right now to grow.
    if (!isGrowing(s, healthRatePerSecond(s))) break;
    const from = s.stage;
    s.stage += 1;
    s.stageSeconds = 0;
    events?.push({ kind: 'stage', atSeconds, from, to: s.stage });
  }
}

/**
 * Advances `s` in place by `dtSeconds` of game time, exactly, by jumping from event to event.
 * Meters stay within [0, 100], the stage never decreases, a pet is never removed. Events
 * that happen inside the interval are appended to `events` when given.
 */
export function advance(s: PetStats, dtSeconds: number, events?: LifeEvent[]): PetStats {
  let remaining = dtSeconds > 0 ? dtSeconds : 0;
  let elapsed = 0;
  settle(s, 0, events);
  for (let segment = 0; remaining > 0 && segment < MAX_SEGMENTS; segment++) {
    const healthRate = healthRatePerSecond(s);
    const growing = isGrowing(s, healthRate);
    const untilEvent = secondsToNextEvent(s, healthRate, growing);
    const step = untilEvent < remaining ? untilEvent : remaining;
    stepLinear(s, step, healthRate, growing);
    remaining -= step;
    elapsed += step;
    settle(s, elapsed, events);
  }
  if (remaining > 0) {
    // Unreachable with sane balance numbers; keeps time moving rather than looping forever.
    const healthRate = healthRatePerSecond(s);
    stepLinear(s, remaining, healthRate, isGrowing(s, healthRate));
    settle(s, dtSeconds, events);
  }
  return s;
}

/** Moves every quantity linearly by `dt`: valid only when no event falls inside `dt`. */
export function stepLinear(s: PetStats, dt: number, healthRate: number, growing: boolean): void {
  if (dt <= 0) return;
  s.hunger = decayMeter(s.hunger, HUNGER_DECAY_PER_S[s.stage] ?? 0, dt);
  s.mood = decayMeter(s.mood, MOOD_DECAY_PER_S[s.stage] ?? 0, dt);
  s.cleanliness = decayMeter(s.cleanliness, CLEANLINESS_DECAY_PER_S[s.stage] ?? 0, dt);
  s.health = driftHealthValue(s.health, healthRate, dt);
  s.ageSeconds += dt;
  if (growing) s.stageSeconds += dt;
}

/** Game seconds until the pet grows at its current pace, or null when it is not growing. */
export function secondsToNextStage(s: PetStats): number | null {
  if (s.stage >= STAGE_ADULT) return null;
  if (!isGrowing(s, healthRatePerSecond(s))) return null;
  return Math.max(0, stageDurationSeconds(s.stage) - s.stageSeconds);
}

export function cloneStats(s: PetStats): PetStats {
  return { ...s };
}
