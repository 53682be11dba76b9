/**
 * Balance tables: every rate, threshold and duration of the pet rules lives here so that the
 * simulation, the server, the client and the docs read the same numbers. Times are game
 * seconds (real seconds multiplied by `SIM_TIME_SCALE`); meters are 0–100 with 100 best.
 */

/** Life stages in growth order; a stage's index is its numeric id in the simulation. */
export const STAGES = ['egg', 'baby', 'child', 'teen', 'adult'] as const;
export type StageName = (typeof STAGES)[number];
export const STAGE_EGG = 0;
export const STAGE_ADULT = STAGES.length - 1;

export const SPECIES = ['cat', 'dog', 'fox', 'bunny'] as const;
export type Species = (typeof SPECIES)[number];

export const CARE_ACTIONS = ['feed', 'play', 'clean', 'heal'] as const;
export type CareAction = (typeof CARE_ACTIONS)[number];

/** The three care meters that decay on their own; health follows them. */
export const CARE_METERS = ['hunger', 'mood', 'cleanliness'] as const;
export type CareMeter = (typeof CARE_METERS)[number];
export type Meter = CareMeter | 'health';

export const METER_MIN = 0;
export const METER_MAX = 100;

/** A care meter at or below this value is critical: health falls while any meter is. */
export const CRITICAL_THRESHOLD = 20;
/** A care meter strictly above this value is good: health recovers while all three are. */
export const GOOD_THRESHOLD = 50;

/** Care meter decay in points per game hour at a stage multiplier of 1. */
export const DECAY_PER_HOUR: Readonly<Record<CareMeter, number>> = {
  hunger: 6,
  mood: 5,
  cleanliness: 4,
};

/** Multiplier on `DECAY_PER_HOUR` per stage: eggs barely need anything, babies need most. */
export const STAGE_DECAY_MULTIPLIER: readonly number[] = [0.25, 1.25, 1, 0.9, 0.8];

/** Health lost per game hour for each care meter that is critical. */
export const HEALTH_LOSS_PER_HOUR_PER_CRITICAL = 5;
/** Health regained per game hour while all care meters are good and the pet is not sick. */
export const HEALTH_GAIN_PER_HOUR = 3;

/**
 * Game seconds of healthy time a pet must spend in each stage before it grows; the adult
 * stage is final. Healthy means not sick and health at or above `GROWTH_MIN_HEALTH`.
 */
export const STAGE_DURATION_S: readonly number[] = [5 * 60, 6 * 3600, 24 * 3600, 3 * 24 * 3600, Infinity];
export const GROWTH_MIN_HEALTH = 40;

/** Meters of a newly created pet. */
export const NEW_PET_METERS: Readonly<Record<Meter, number>> = {
  hunger: 60,
  mood: 70,
  cleanliness: 80,
  health: 100,
};

export interface CareEffect {
  /** Meter changes in points, applied then clamped to 0–100. */
  readonly delta: Readonly<Partial<Record<Meter, number>>>;
  /** Game seconds before the same action may be used again on the same pet. */
  readonly cooldownS: number;
}

/** What each care action does. `heal` also cures sickness. */
export const CARE_EFFECTS: Readonly<Record<CareAction, CareEffect>> = {
  feed: { delta: { hunger: 25, mood: 2 }, cooldownS: 60 },
  play: { delta: { mood: 22, hunger: -4, cleanliness: -6 }, cooldownS: 45 },
  clean: { delta: { cleanliness: 35, mood: -2 }, cooldownS: 90 },
  heal: { delta: { health: 35, mood: -4 }, cooldownS: 300 },
};

/** Feeding a pet whose hunger is already above this overfeeds it. */
export const OVERFEED_THRESHOLD = 90;
/** What overfeeding costs on top of the normal feed effect. */
export const OVERFEED_PENALTY: Readonly<Partial<Record<Meter, number>>> = { health: -6, mood: -8 };

export const MAX_PETS_PER_PLAYER = 3;
export const PET_NAME_MAX_LENGTH = 32;

export function stageName(stage: number): StageName {
  return STAGES[Math.min(Math.max(stage, 0), STAGE_ADULT)] ?? 'egg';
}

export function isCareAction(value: unknown): value is CareAction {
  return typeof value === 'string' && (CARE_ACTIONS as readonly string[]).includes(value);
}

export function isSpecies(value: unknown): value is Species {
  return typeof value === 'string' && (SPECIES as readonly string[]).includes(value);
}
