/**
 * The pet rules as pure functions over one pet's stats. Between two events every quantity
 * changes linearly (care meters decay at a rate fixed by the stage, sleep and sickness;
 * health drifts at a rate fixed by which meters are critical or good; the care-quality
 * timers run or stand still), so the state at any later time can be computed exactly by
 * jumping from event to event. `advance` does that; the world tick uses the same functions
 * for pets whose next event falls inside a tick and a plain linear update for all others,
 * which is why ticking and advancing agree.
 */
import {
  ADULT_FORM_NONE,
  CARE_MISTAKE_GRACE_S,
  CRITICAL_THRESHOLD,
  DECAY_PER_HOUR,
  GOOD_CARE_STREAK_S,
  GOOD_THRESHOLD,
  GROWTH_MIN_HEALTH,
  HEALTH_GAIN_PER_HOUR,
  HEALTH_LOSS_PER_HOUR_PER_CRITICAL,
  METER_MAX,
  SICK_DECAY_MULTIPLIER,
  SLEEP_DECAY_MULTIPLIER,
  SLEEP_END_S,
  SLEEP_START_S,
  STAGE_ADULT,
  STAGE_DECAY_MULTIPLIER,
  STAGE_DURATION_S,
  CARE_METERS,
  adultFormFor,
  type CareMeter,
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
  /**
   * The game clock these stats refer to: game seconds since the Unix epoch (real time times
   * `SIM_TIME_SCALE`). Only the time of day matters (quiet hours).
   */
  clock: number;
  /** The owner's offset from UTC in minutes (local time = UTC + offset). */
  utcOffsetMinutes: number;
  /**
   * The offset that replaces `utcOffsetMinutes` at `utcOffsetChangesAt` (the owner changed
   * time zone; see shared/local-day.ts). Quiet hours switch exactly then.
   */
  nextUtcOffsetMinutes: number;
  /** Game clock at which `nextUtcOffsetMinutes` takes effect; Infinity when no change is pending. */
  utcOffsetChangesAt: number;
  /** Game clock until which a woken pet stays awake through quiet hours. */
  awakeUntil: number;
  /** Care mistakes counted so far. */
  careMistakes: number;
  /** Mistakes offset by good care streaks and good minigame results. */
  careBonus: number;
  /** Awake seconds each care meter has spent critical in its current grace period. */
  hungerCriticalSeconds: number;
  moodCriticalSeconds: number;
  cleanlinessCriticalSeconds: number;
  /** Seconds of unbroken good care towards the next streak offset. */
  goodCareSeconds: number;
  /** Index into `ADULT_FORMS`; decided when the pet becomes adult. */
  adultForm: number;
}

/** A fact produced while time passes, `atSeconds` after the start of the advance. */
export type LifeEvent =
  | { kind: 'stage'; atSeconds: number; from: number; to: number }
  | { kind: 'sick'; atSeconds: number }
  | { kind: 'mistake'; atSeconds: number; meter: CareMeterIndex }
  | { kind: 'bonus'; atSeconds: number }
  | { kind: 'sleep'; atSeconds: number; asleep: boolean };

/** 0 hunger, 1 mood, 2 cleanliness. */
type CareMeterIndex = 0 | 1 | 2;

/** Values closer than this to a threshold they are moving towards are snapped onto it. */
const SNAP_EPSILON = 1e-9;
/**
 * Timers (growth bank, mistake and streak timers) this close to completion count as
 * complete. The world's clock is a sum of tick lengths and may stop a hair short of an
 * event that `advance` reaches exactly; see `DUE_EPSILON_S`.
 */
const TIMER_EPSILON_S = 1e-6;
/** The world handles events up to this long after a tick's end within that tick. */
export const DUE_EPSILON_S = 1e-7;
/** More segments than any real interval needs; see `advance`. */
const MAX_SEGMENTS = 100_000;

const SECONDS_PER_HOUR = 3600;
const SECONDS_PER_DAY = 86400;

/** Care meter decay per game second at a multiplier of 1. */
export const BASE_DECAY_PER_S = {
  hunger: DECAY_PER_HOUR.hunger / SECONDS_PER_HOUR,
  mood: DECAY_PER_HOUR.mood / SECONDS_PER_HOUR,
  cleanliness: DECAY_PER_HOUR.cleanliness / SECONDS_PER_HOUR,
} as const;

const HEALTH_LOSS_PER_S_PER_CRITICAL = HEALTH_LOSS_PER_HOUR_PER_CRITICAL / SECONDS_PER_HOUR;
const HEALTH_GAIN_PER_S = HEALTH_GAIN_PER_HOUR / SECONDS_PER_HOUR;

export function stageDurationSeconds(stage: number): number {
  return STAGE_DURATION_S[stage] ?? Infinity;
}

/**
 * Clocks are ~2e9 game seconds, where a double resolves about 2.4e-7 s: a time of day this
 * close to a quiet-hours boundary is taken as being on it, so the segment that ends at a
 * boundary never leaves a sliver of a segment that time cannot step across.
 */
const BOUNDARY_EPSILON_S = 1e-4;

function snapToBoundary(t: number, boundary: number): number {
  return t > boundary - BOUNDARY_EPSILON_S && t < boundary + BOUNDARY_EPSILON_S ? boundary : t;
}

/** Seconds after local midnight for a game clock and UTC offset. */
export function localTimeOfDay(clock: number, utcOffsetMinutes: number): number {
  let t = (clock + utcOffsetMinutes * 60) % SECONDS_PER_DAY;
  if (t < 0) t += SECONDS_PER_DAY;
  t = snapToBoundary(snapToBoundary(t, SLEEP_START_S), SLEEP_END_S);
  if (t > SECONDS_PER_DAY - BOUNDARY_EPSILON_S) t = 0;
  return t;
}

/** Whether a local time of day falls in quiet hours (a window that crosses midnight). */
export function inQuietHours(timeOfDay: number): boolean {
  return SLEEP_START_S > SLEEP_END_S
    ? timeOfDay >= SLEEP_START_S || timeOfDay < SLEEP_END_S
    : timeOfDay >= SLEEP_START_S && timeOfDay < SLEEP_END_S;
}

/** Asleep: in quiet hours and not woken. */
export function isAsleep(s: PetStats): boolean {
  return s.clock >= s.awakeUntil - BOUNDARY_EPSILON_S && inQuietHours(localTimeOfDay(s.clock, s.utcOffsetMinutes));
}

/** Seconds until the local time of day next equals `target` (0 excluded: a full day). */
function secondsUntilTimeOfDay(timeOfDay: number, target: number): number {
  const d = target - timeOfDay;
  return d > 0 ? d : d + SECONDS_PER_DAY;
}

/**
 * Seconds until `isAsleep` may change: quiet hours start or end, a wake-up runs out, or the
 * owner's UTC offset changes.
 */
function secondsToSleepChange(s: PetStats): number {
  const tod = localTimeOfDay(s.clock, s.utcOffsetMinutes);
  let t = secondsUntilTimeOfDay(tod, inQuietHours(tod) ? SLEEP_END_S : SLEEP_START_S);
  const woken = s.awakeUntil - s.clock;
  if (woken > BOUNDARY_EPSILON_S && woken < t) t = woken;
  const switches = s.utcOffsetChangesAt - s.clock;
  if (switches > 0 && switches < t) t = switches;
  return t;
}

/** Puts a due UTC offset change in force (it takes effect at `utcOffsetChangesAt`). */
function settleUtcOffset(s: PetStats): void {
  if (s.clock < s.utcOffsetChangesAt - BOUNDARY_EPSILON_S) return;
  s.utcOffsetMinutes = s.nextUtcOffsetMinutes;
  s.utcOffsetChangesAt = Infinity;
}

/**
 * Multiplier on the base decay rates: the stage's, slower asleep, faster sick. One number
 * per pet, which is what the bulk decay loop multiplies by.
 */
function decayFactor(s: PetStats, asleep: boolean): number {
  return (STAGE_DECAY_MULTIPLIER[s.stage] ?? 1) * (asleep ? SLEEP_DECAY_MULTIPLIER : 1) * (s.sick ? SICK_DECAY_MULTIPLIER : 1);
}

/**
 * Number of critical care meters. A decaying meter exactly at the threshold counts as
 * critical, because it is below the threshold for the whole interval that follows.
 */
function criticalCount(s: PetStats): number {
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

/**
 * The care meter whose mistake timer is furthest along (the one to hint about) and the game
 * seconds it has run; no meter and 0 while none is running.
 */
export function mostCriticalMeter(s: PetStats): { meter: CareMeter | null; seconds: number } {
  let meter: CareMeter | null = null;
  let seconds = 0;
  for (let i = 0; i < CARE_METERS.length; i++) {
    const value = s[CRITICAL_KEYS[i as CareMeterIndex]];
    if (value > seconds) {
      meter = CARE_METERS[i] ?? null;
      seconds = value;
    }
  }
  return { meter, seconds };
}

/** Good care accumulates towards a streak offset: all meters good and not sick. */
function isGoodCare(s: PetStats): boolean {
  return !s.sick && allGood(s);
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

/** The rates that hold from `s` until its next event. */
interface Segment {
  asleep: boolean;
  /** Multiplier on `BASE_DECAY_PER_S`. */
  factor: number;
  healthRate: number;
  growing: boolean;
  /** Which care meters' mistake timers run (bit 0 hunger, 1 mood, 2 cleanliness). */
  criticalMask: number;
  goodCare: boolean;
}

export function segmentOf(s: PetStats): Segment {
  const asleep = isAsleep(s);
  const healthRate = healthRatePerSecond(s);
  let criticalMask = 0;
  if (!asleep) {
    if (s.hunger <= CRITICAL_THRESHOLD) criticalMask |= 1;
    if (s.mood <= CRITICAL_THRESHOLD) criticalMask |= 2;
    if (s.cleanliness <= CRITICAL_THRESHOLD) criticalMask |= 4;
  }
  return {
    asleep,
    factor: decayFactor(s, asleep),
    healthRate,
    growing: isGrowing(s, healthRate),
    criticalMask,
    goodCare: isGoodCare(s),
  };
}

function meterEventSeconds(value: number, ratePerS: number): number {
  if (ratePerS <= 0) return Infinity;
  if (value > GOOD_THRESHOLD) return (value - GOOD_THRESHOLD) / ratePerS;
  if (value > CRITICAL_THRESHOLD) return (value - CRITICAL_THRESHOLD) / ratePerS;
  return Infinity;
}

/**
 * Game seconds from `s` until the next event that changes a rate or a count: a care meter
 * leaving "good" or becoming critical, health reaching 0, 100 or the growth minimum,
 * growth, a mistake or streak timer completing, quiet hours starting or ending. Never
 * Infinity for long: quiet hours come every day.
 */
export function secondsToNextEvent(s: PetStats, seg: Segment): number {
  let t = meterEventSeconds(s.hunger, BASE_DECAY_PER_S.hunger * seg.factor);
  t = Math.min(t, meterEventSeconds(s.mood, BASE_DECAY_PER_S.mood * seg.factor));
  t = Math.min(t, meterEventSeconds(s.cleanliness, BASE_DECAY_PER_S.cleanliness * seg.factor));
  const tracksGrowthHealth = s.stage < STAGE_ADULT;
  const hr = seg.healthRate;
  if (hr < 0) {
    if (tracksGrowthHealth && s.health > GROWTH_MIN_HEALTH) t = Math.min(t, (s.health - GROWTH_MIN_HEALTH) / -hr);
    t = Math.min(t, s.health / -hr);
  } else if (hr > 0) {
    if (tracksGrowthHealth && s.health < GROWTH_MIN_HEALTH) t = Math.min(t, (GROWTH_MIN_HEALTH - s.health) / hr);
    t = Math.min(t, (METER_MAX - s.health) / hr);
  }
  if (seg.growing) t = Math.min(t, Math.max(0, stageDurationSeconds(s.stage) - s.stageSeconds));
  if (seg.criticalMask & 1) t = Math.min(t, CARE_MISTAKE_GRACE_S - s.hungerCriticalSeconds);
  if (seg.criticalMask & 2) t = Math.min(t, CARE_MISTAKE_GRACE_S - s.moodCriticalSeconds);
  if (seg.criticalMask & 4) t = Math.min(t, CARE_MISTAKE_GRACE_S - s.cleanlinessCriticalSeconds);
  if (seg.goodCare) t = Math.min(t, GOOD_CARE_STREAK_S - s.goodCareSeconds);
  t = Math.min(t, secondsToSleepChange(s));
  return t > 0 ? t : 0;
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

/** Moves every quantity linearly by `dt` with the rates of `seg`: valid only up to its next event. */
function stepLinear(s: PetStats, dt: number, seg: Segment): void {
  if (dt <= 0) return;
  s.hunger = decayMeter(s.hunger, BASE_DECAY_PER_S.hunger * seg.factor, dt);
  s.mood = decayMeter(s.mood, BASE_DECAY_PER_S.mood * seg.factor, dt);
  s.cleanliness = decayMeter(s.cleanliness, BASE_DECAY_PER_S.cleanliness * seg.factor, dt);
  s.health = driftHealthValue(s.health, seg.healthRate, dt);
  s.ageSeconds += dt;
  s.clock += dt;
  if (seg.growing) s.stageSeconds += dt;
  if (seg.criticalMask & 1) s.hungerCriticalSeconds += dt;
  if (seg.criticalMask & 2) s.moodCriticalSeconds += dt;
  if (seg.criticalMask & 4) s.cleanlinessCriticalSeconds += dt;
  if (seg.goodCare) s.goodCareSeconds += dt;
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
  s.ageSeconds = nonNegative(s.ageSeconds);
  s.stageSeconds = nonNegative(s.stageSeconds);
  s.careMistakes = Math.trunc(nonNegative(s.careMistakes));
  s.careBonus = Math.trunc(nonNegative(s.careBonus));
  s.hungerCriticalSeconds = Math.min(nonNegative(s.hungerCriticalSeconds), CARE_MISTAKE_GRACE_S);
  s.moodCriticalSeconds = Math.min(nonNegative(s.moodCriticalSeconds), CARE_MISTAKE_GRACE_S);
  s.cleanlinessCriticalSeconds = Math.min(nonNegative(s.cleanlinessCriticalSeconds), CARE_MISTAKE_GRACE_S);
  s.goodCareSeconds = Math.min(nonNegative(s.goodCareSeconds), GOOD_CARE_STREAK_S);
  if (!Number.isFinite(s.clock)) s.clock = 0;
  if (!Number.isFinite(s.awakeUntil)) s.awakeUntil = 0;
  s.utcOffsetMinutes = Number.isFinite(s.utcOffsetMinutes) ? Math.max(-720, Math.min(840, Math.trunc(s.utcOffsetMinutes))) : 0;
  if (!(s.utcOffsetChangesAt >= 0) || !Number.isFinite(s.nextUtcOffsetMinutes)) {
    s.utcOffsetChangesAt = Infinity;
    s.nextUtcOffsetMinutes = s.utcOffsetMinutes;
  } else {
    s.nextUtcOffsetMinutes = Math.max(-720, Math.min(840, Math.trunc(s.nextUtcOffsetMinutes)));
  }
  if (s.stage < STAGE_ADULT) s.adultForm = ADULT_FORM_NONE;
  else if (!(s.adultForm >= 1 && s.adultForm <= 3)) s.adultForm = adultFormFor(s.careMistakes, s.careBonus);
}

const nonNegative = (v: number) => (v > 0 ? v : 0);

export function clampMeter(value: number): number {
  if (!(value > 0)) return 0;
  return value > METER_MAX ? METER_MAX : value;
}

/**
 * Applies what happens at the current instant without time passing: sickness at health 0,
 * completed mistake and streak timers, broken streaks, and growth once enough healthy time
 * is banked. `wasAsleep` (the state just before) lets it report falling asleep or waking.
 */
function settle(s: PetStats, atSeconds: number, events: LifeEvent[] | undefined, wasAsleep: boolean | null): void {
  settleUtcOffset(s);
  if (!s.sick && s.health <= 0) {
    s.health = 0;
    s.sick = true;
    events?.push({ kind: 'sick', atSeconds });
  }
  settleMistake(s, 0, atSeconds, events);
  settleMistake(s, 1, atSeconds, events);
  settleMistake(s, 2, atSeconds, events);
  if (!isGoodCare(s)) s.goodCareSeconds = 0;
  else if (s.goodCareSeconds >= GOOD_CARE_STREAK_S - TIMER_EPSILON_S) {
    s.goodCareSeconds = 0;
    s.careBonus += 1;
    events?.push({ kind: 'bonus', atSeconds });
  }
  while (s.stage < STAGE_ADULT && s.stageSeconds >= stageDurationSeconds(s.stage) - TIMER_EPSILON_S) {
    // Banked time alone is not enough: the pet must be healthy enough right now to grow.
    if (!isGrowing(s, healthRatePerSecond(s))) break;
    const from = s.stage;
    s.stage += 1;
    s.stageSeconds = 0;
    if (s.stage === STAGE_ADULT) s.adultForm = adultFormFor(s.careMistakes, s.careBonus);
    events?.push({ kind: 'stage', atSeconds, from, to: s.stage });
  }
  if (wasAsleep !== null && events) {
    const asleep = isAsleep(s);
    if (asleep !== wasAsleep) events.push({ kind: 'sleep', atSeconds, asleep });
  }
}

const CRITICAL_KEYS = ['hungerCriticalSeconds', 'moodCriticalSeconds', 'cleanlinessCriticalSeconds'] as const;
const METER_KEYS = ['hunger', 'mood', 'cleanliness'] as const;

function settleMistake(s: PetStats, meter: CareMeterIndex, atSeconds: number, events: LifeEvent[] | undefined): void {
  const key = CRITICAL_KEYS[meter];
  // A meter that is not critical starts its next episode from zero.
  if (s[METER_KEYS[meter]] > CRITICAL_THRESHOLD) {
    s[key] = 0;
    return;
  }
  if (s[key] >= CARE_MISTAKE_GRACE_S - TIMER_EPSILON_S) {
    s[key] = 0;
    s.careMistakes += 1;
    events?.push({ kind: 'mistake', atSeconds, meter });
  }
}

/** Applies the instantaneous rules to stats that just changed (after care, on load). */
export function settleNow(s: PetStats, events?: LifeEvent[]): void {
  settle(s, 0, events, null);
}

/**
 * Advances `s` in place by `dtSeconds` of game time, exactly, by jumping from event to event.
 * Meters stay within [0, 100], the stage never decreases, a pet is never removed. Events
 * that happen inside the interval are appended to `events` when given. Every game day has a
 * handful of events (quiet hours, mistake and streak timers), so a long absence costs a few
 * segments per day.
 */
export function advance(s: PetStats, dtSeconds: number, events?: LifeEvent[]): PetStats {
  let remaining = dtSeconds > 0 ? dtSeconds : 0;
  let elapsed = 0;
  settle(s, 0, events, null);
  for (let segment = 0; remaining > 0 && segment < MAX_SEGMENTS; segment++) {
    const seg = segmentOf(s);
    const untilEvent = secondsToNextEvent(s, seg);
    const step = untilEvent < remaining ? untilEvent : remaining;
    stepLinear(s, step, seg);
    remaining -= step;
    elapsed += step;
    settle(s, elapsed, events, seg.asleep);
  }
  if (remaining > 0) {
    // Unreachable with sane balance numbers; keeps time moving rather than looping forever.
    stepLinear(s, remaining, segmentOf(s));
    settle(s, dtSeconds, events, null);
  }
  return s;
}

/** When things happen to a pet left alone: game seconds from now, null when not within the horizon. */
export interface Forecast {
  /** A care meter is critical (0 when one already is). */
  criticalInS: number | null;
  /** It falls sick (0 when it already is). */
  sickInS: number | null;
  /** It grows into its next stage. */
  growsInS: number | null;
}

/**
 * What happens to a pet nobody cares for over the next `horizonS` game seconds, from the same
 * event-to-event steps as `advance` (every threshold crossing is a step boundary, so the times
 * are exact). `s` is not changed. This is how the server knows in advance when to tell an
 * absent owner, without polling pets.
 */
export function forecast(s: PetStats, horizonS: number): Forecast {
  const p: PetStats = { ...s };
  const events: LifeEvent[] = [];
  settle(p, 0, events, null);
  const out: Forecast = { criticalInS: criticalCount(p) > 0 ? 0 : null, sickInS: p.sick ? 0 : null, growsInS: null };
  let elapsed = 0;
  for (let segment = 0; elapsed < horizonS && segment < MAX_SEGMENTS; segment++) {
    if (out.criticalInS !== null && out.sickInS !== null && (out.growsInS !== null || p.stage >= STAGE_ADULT)) break;
    const seg = segmentOf(p);
    const step = Math.min(secondsToNextEvent(p, seg), horizonS - elapsed);
    stepLinear(p, step, seg);
    elapsed += step;
    events.length = 0;
    settle(p, elapsed, events, seg.asleep);
    if (out.criticalInS === null && criticalCount(p) > 0) out.criticalInS = elapsed;
    for (const event of events) {
      if (event.kind === 'sick' && out.sickInS === null) out.sickInS = elapsed;
      if (event.kind === 'stage' && out.growsInS === null) out.growsInS = elapsed;
    }
  }
  return out;
}

/** Game seconds until the pet grows at its current pace, or null when it is not growing. */
export function secondsToNextStage(s: PetStats): number | null {
  if (s.stage >= STAGE_ADULT) return null;
  if (!isGrowing(s, healthRatePerSecond(s))) return null;
  return Math.max(0, stageDurationSeconds(s.stage) - s.stageSeconds);
}

export function emptyStats(): PetStats {
  return {
    stage: 0,
    hunger: 0,
    mood: 0,
    cleanliness: 0,
    health: 0,
    sick: false,
    ageSeconds: 0,
    stageSeconds: 0,
    clock: 0,
    utcOffsetMinutes: 0,
    nextUtcOffsetMinutes: 0,
    utcOffsetChangesAt: Infinity,
    awakeUntil: 0,
    careMistakes: 0,
    careBonus: 0,
    hungerCriticalSeconds: 0,
    moodCriticalSeconds: 0,
    cleanlinessCriticalSeconds: 0,
    goodCareSeconds: 0,
    adultForm: ADULT_FORM_NONE,
  };
}
