/**
 * The mapping between a stored pet row and the simulation's values, both ways, in one place:
 * a row's stats, cooldowns and care counts as the world loads them, the loaded pet's facts
 * the world does not hold (`PetMeta`), and the record (`PetRecord`) a snapshot or a care
 * writes back.
 */
import { CARE_ACTIONS, isSpecies, type CareAction, type Species } from '../../shared/balance.js';
import type { PetStats, PetUtcOffset } from '../../sim/index.js';
import type { PetRecord, PetRow } from '../repositories/pets-repository.js';

/**
 * How wall-clock time maps to the game clock (see `PetStats.clock`): real seconds since the
 * epoch times `SIM_TIME_SCALE`, plus `SIM_CLOCK_OFFSET_S` (0 in production; demos and tests
 * shift the time of day with it).
 */
export interface GameClock {
  timeScale: number;
  offsetSeconds: number;
}

export function gameClockAt(epochMs: number, clock: GameClock): number {
  return (epochMs / 1000) * clock.timeScale + clock.offsetSeconds;
}

/** The wall-clock time (epoch ms) at which the game clock reads `gameClock`: the inverse of `gameClockAt`. */
export function epochMsAt(gameClock: number, clock: GameClock): number {
  return ((gameClock - clock.offsetSeconds) / clock.timeScale) * 1000;
}

/** What the sim host keeps of a loaded pet besides its values in the world. */
export interface PetMeta {
  id: string;
  ownerId: string;
  name: string;
  species: Species;
  skin: string;
  bornAt: number;
  eid: number;
  /**
   * The stored snapshot time when the pet was loaded. A pet created or saved after the last
   * tick is "ahead" of the world by less than a tick; its snapshots must never claim an
   * older time than the one already stored, or the guarded write would skip them.
   */
  snapshotFloor: number;
}

/** The loaded pet's facts from its row, as entity `eid` of the world. */
export function metaFromRow(row: PetRow, eid: number): PetMeta {
  return {
    id: row.id,
    ownerId: row.owner_id,
    name: row.name,
    species: isSpecies(row.species) ? row.species : 'cat',
    skin: row.skin,
    bornAt: row.born_at,
    eid,
    snapshotFloor: row.last_snapshot_at,
  };
}

/** The simulated values of a stored pet, as of its `last_snapshot_at`. */
export function statsFromRow(row: PetRow, clock: GameClock): PetStats {
  return {
    stage: row.stage,
    hunger: row.hunger,
    mood: row.mood,
    cleanliness: row.cleanliness,
    health: row.health,
    sick: row.sick === 1,
    ageSeconds: row.age_seconds,
    stageSeconds: row.stage_seconds,
    clock: gameClockAt(row.last_snapshot_at, clock),
    utcOffsetMinutes: row.utc_offset_minutes,
    nextUtcOffsetMinutes: row.next_utc_offset_minutes ?? row.utc_offset_minutes,
    utcOffsetChangesAt: row.utc_offset_changes_at ?? Infinity,
    awakeUntil: row.awake_until,
    careMistakes: row.care_mistakes,
    careBonus: row.care_bonus,
    hungerCriticalSeconds: row.hunger_critical_s,
    moodCriticalSeconds: row.mood_critical_s,
    cleanlinessCriticalSeconds: row.cleanliness_critical_s,
    goodCareSeconds: row.good_care_s,
    adultForm: row.adult_form,
  };
}

/** A pet's offset columns for `offset` (a planned change is stored as null when there is none). */
export function petOffsetColumns(offset: PetUtcOffset): Pick<PetRow, 'utc_offset_minutes' | 'next_utc_offset_minutes' | 'utc_offset_changes_at'> {
  const pending = Number.isFinite(offset.changesAt);
  return {
    utc_offset_minutes: offset.utcOffsetMinutes,
    next_utc_offset_minutes: pending ? offset.nextUtcOffsetMinutes : null,
    utc_offset_changes_at: pending ? offset.changesAt : null,
  };
}

/**
 * Game seconds of cooldown left per action, `elapsedGameSeconds` after the snapshot; 0 when
 * ready. A malformed stored value counts as no cooldown.
 */
export function cooldownsFromRow(row: PetRow, elapsedGameSeconds: number): Record<CareAction, number> {
  let stored: Record<string, unknown> = {};
  try {
    const value: unknown = JSON.parse(row.cooldowns);
    if (typeof value === 'object' && value !== null) stored = value as Record<string, unknown>;
  } catch {
    // keep the empty object
  }
  const left = {} as Record<CareAction, number>;
  for (const action of CARE_ACTIONS) {
    const v = stored[action];
    const remaining = typeof v === 'number' && Number.isFinite(v) ? v - elapsedGameSeconds : 0;
    left[action] = remaining > 0 ? remaining : 0;
  }
  return left;
}

/** How many times each care action was done, from the row's counters. */
export function countsFromRow(row: PetRow): Record<CareAction, number> {
  return { feed: row.feed_count, play: row.play_count, clean: row.clean_count, heal: row.heal_count };
}

/**
 * The stored form of a loaded pet's values as of wall-clock `atMs` (the world's time): never
 * older than the snapshot it was loaded from.
 */
export function recordOf(
  meta: PetMeta,
  stats: PetStats,
  cooldownsLeft: Record<CareAction, number>,
  counts: Record<CareAction, number>,
  overfeeds: number,
  atMs: number,
): PetRecord {
  const cooldowns: Partial<Record<CareAction, number>> = {};
  for (const action of CARE_ACTIONS) if (cooldownsLeft[action] > 0) cooldowns[action] = cooldownsLeft[action];
  return {
    id: meta.id,
    stage: stats.stage,
    hunger: stats.hunger,
    mood: stats.mood,
    cleanliness: stats.cleanliness,
    health: stats.health,
    sick: stats.sick ? 1 : 0,
    age_seconds: stats.ageSeconds,
    stage_seconds: stats.stageSeconds,
    feed_count: counts.feed,
    play_count: counts.play,
    clean_count: counts.clean,
    heal_count: counts.heal,
    overfeed_count: overfeeds,
    cooldowns: JSON.stringify(cooldowns),
    care_mistakes: stats.careMistakes,
    care_bonus: stats.careBonus,
    hunger_critical_s: stats.hungerCriticalSeconds,
    mood_critical_s: stats.moodCriticalSeconds,
    cleanliness_critical_s: stats.cleanlinessCriticalSeconds,
    good_care_s: stats.goodCareSeconds,
    adult_form: stats.adultForm,
    awake_until: stats.awakeUntil,
    last_snapshot_at: Math.max(atMs, meta.snapshotFloor),
  };
}
