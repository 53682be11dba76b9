/**
 * The pet world: a bitECS 0.4 world whose components are structure-of-arrays typed arrays
 * owned by the world (never module globals), plus the event agenda and a seeded RNG.
 *
 * Per pet the world stores the current care meters and, for the segment until the pet's
 * next event, a decay factor (the stage's multiplier on the decay rates), health at the
 * segment's start and its rate. The tick decays every pet linearly and handles the few pets
 * whose next event falls inside the tick exactly; see `systems/`.
 */
import { addComponent, addEntity, createWorld, hasComponent, removeEntity, type World } from 'bitecs';
import { CARE_ACTIONS, STAGE_DECAY_MULTIPLIER } from '../shared/balance.js';
import { createRng, type Rng } from './rng.js';
import { createEventHeap, heapFilter, heapPush, type EventHeap } from './scheduler.js';
import {
  clampMeter,
  healthRatePerSecond,
  isGrowing,
  normalizeStats,
  secondsToNextEvent,
  type LifeEvent,
  type PetStats,
} from './rules.js';

export const CARE_ACTION_COUNT = CARE_ACTIONS.length;

function createComponents(capacity: number) {
  return {
    /** Tag: the entity is a pet. */
    Pet: {},
    Meters: {
      /** Care meters as of `world.time`, decayed by every tick. */
      hunger: new Float64Array(capacity),
      mood: new Float64Array(capacity),
      cleanliness: new Float64Array(capacity),
      /**
       * Health as of `Segment.anchorTime`. Health is linear within a segment and most pets'
       * health does not move at all, so it is evaluated on read (`readStats`) instead of
       * being touched by every tick.
       */
      health: new Float64Array(capacity),
    },
    Life: {
      stage: new Uint8Array(capacity),
      sick: new Uint8Array(capacity),
      /** World time (game seconds) at which the pet's age was zero. */
      bornAt: new Float64Array(capacity),
    },
    Growth: {
      /** Healthy seconds banked in the current stage at `Segment.anchorTime`. */
      anchorSeconds: new Float64Array(capacity),
      /** Whether the bank grows during the current segment. */
      growing: new Uint8Array(capacity),
    },
    Segment: {
      /** World time at which the current segment (constant rates) started. */
      anchorTime: new Float64Array(capacity),
      /**
       * Multiplier on the base decay rates of the care meters: the stage's multiplier, or 0
       * while the pet is frozen for the rest of a tick and for ids that are not live pets.
       * One number per id keeps the decay loop to one extra load per pet, and lets it scan
       * the id range directly instead of going through a query's id list (1.5× faster).
       */
      decayFactor: new Float64Array(capacity),
      /** Health change per game second until `nextEventAt`. */
      healthRate: new Float64Array(capacity),
      /** World time of the next rate-changing event; Infinity when none. */
      nextEventAt: new Float64Array(capacity),
    },
    Care: {
      /** World time at which each action (index in `CARE_ACTIONS`) is ready, per pet: eid * count + action. */
      readyAt: new Float64Array(capacity * CARE_ACTION_COUNT),
      /** Times each action was used, same layout. */
      counts: new Uint32Array(capacity * CARE_ACTION_COUNT),
      overfeeds: new Uint32Array(capacity),
    },
  };
}

export type PetComponents = ReturnType<typeof createComponents>;

/** A fact the host should know about, produced by a tick. */
export interface WorldEvent {
  eid: number;
  event: LifeEvent;
}

export interface TickStats {
  dtSeconds: number;
  dueEvents: number;
  pets: number;
}

export interface PetWorldContext {
  /** Game seconds since the world was created (or `startTime`). */
  time: number;
  capacity: number;
  /** Highest entity id ever handed out; bulk systems scan ids 0..maxEid. */
  maxEid: number;
  components: PetComponents;
  agenda: EventHeap;
  /** Pets handled exactly during the current tick; thawed at its end. */
  frozen: number[];
  /** Events since the host last drained them. */
  events: WorldEvent[];
  rng: Rng;
  lastTick: TickStats;
}

export type PetWorld = World<PetWorldContext>;

export interface PetWorldOptions {
  /** Initial component capacity; grows as needed. */
  capacity?: number;
  seed?: number;
  startTime?: number;
}

export function createPetWorld(options: PetWorldOptions = {}): PetWorld {
  const capacity = Math.max(16, options.capacity ?? 1024);
  return createWorld<PetWorldContext>({
    time: options.startTime ?? 0,
    capacity,
    maxEid: 0,
    components: createComponents(capacity),
    agenda: createEventHeap(),
    frozen: [],
    events: [],
    rng: createRng(options.seed ?? 1),
    lastTick: { dtSeconds: 0, dueEvents: 0, pets: 0 },
  });
}

function copyInto<T extends Float64Array | Uint32Array | Uint8Array>(target: T, source: ArrayLike<number>): T {
  target.set(source);
  return target;
}

function growArrays(store: Record<string, unknown>, factor: number): void {
  for (const key of Object.keys(store)) {
    const arr = store[key];
    if (arr instanceof Float64Array) store[key] = copyInto(new Float64Array(arr.length * factor), arr);
    else if (arr instanceof Uint32Array) store[key] = copyInto(new Uint32Array(arr.length * factor), arr);
    else if (arr instanceof Uint8Array) store[key] = copyInto(new Uint8Array(arr.length * factor), arr);
  }
}

function ensureCapacity(world: PetWorld, eid: number): void {
  if (eid < world.capacity) return;
  let factor = 2;
  while (eid >= world.capacity * factor) factor *= 2;
  const c = world.components;
  growArrays(c.Meters, factor);
  growArrays(c.Life, factor);
  growArrays(c.Growth, factor);
  growArrays(c.Segment, factor);
  growArrays(c.Care, factor);
  world.capacity *= factor;
}

/** Extra per-pet data that is not part of the rules' stats. */
export interface PetExtras {
  /** Game seconds until each action is ready, by action name; missing means ready. */
  cooldownSeconds?: Partial<Record<(typeof CARE_ACTIONS)[number], number>>;
  counts?: Partial<Record<(typeof CARE_ACTIONS)[number], number>>;
  overfeeds?: number;
}

/** Adds a pet with `stats` as of the current world time and returns its entity id. */
export function addPet(world: PetWorld, stats: PetStats, extras: PetExtras = {}): number {
  const eid = addEntity(world);
  ensureCapacity(world, eid);
  if (eid > world.maxEid) world.maxEid = eid;
  const c = world.components;
  addComponent(world, eid, c.Pet);
  addComponent(world, eid, c.Meters);
  addComponent(world, eid, c.Life);
  addComponent(world, eid, c.Growth);
  addComponent(world, eid, c.Segment);
  addComponent(world, eid, c.Care);
  for (let a = 0; a < CARE_ACTION_COUNT; a++) {
    const action = CARE_ACTIONS[a] as (typeof CARE_ACTIONS)[number];
    c.Care.readyAt[eid * CARE_ACTION_COUNT + a] = world.time + Math.max(0, extras.cooldownSeconds?.[action] ?? 0);
    c.Care.counts[eid * CARE_ACTION_COUNT + a] = extras.counts?.[action] ?? 0;
  }
  c.Care.overfeeds[eid] = extras.overfeeds ?? 0;
  writeStats(world, eid, stats);
  return eid;
}

export function removePet(world: PetWorld, eid: number): void {
  const { Segment } = world.components;
  Segment.nextEventAt[eid] = Infinity;
  // The bulk decay loop scans every id; a zero factor makes a free id inert.
  Segment.decayFactor[eid] = 0;
  removeEntity(world, eid);
}

export function isPet(world: PetWorld, eid: number): boolean {
  return hasComponent(world, eid, world.components.Pet);
}

/** Reads a pet's stats as of the current world time into `out`. */
export function readStats(world: PetWorld, eid: number, out: PetStats = emptyStats()): PetStats {
  const { Meters, Life, Growth, Segment } = world.components;
  const sinceAnchor = world.time - (Segment.anchorTime[eid] as number);
  out.stage = Life.stage[eid] as number;
  out.sick = Life.sick[eid] === 1;
  out.hunger = Meters.hunger[eid] as number;
  out.mood = Meters.mood[eid] as number;
  out.cleanliness = Meters.cleanliness[eid] as number;
  out.health = clampMeter((Meters.health[eid] as number) + (Segment.healthRate[eid] as number) * sinceAnchor);
  out.ageSeconds = world.time - (Life.bornAt[eid] as number);
  out.stageSeconds = (Growth.anchorSeconds[eid] as number) + (Growth.growing[eid] === 1 ? sinceAnchor : 0);
  return out;
}

export function emptyStats(): PetStats {
  return { stage: 0, hunger: 0, mood: 0, cleanliness: 0, health: 0, sick: false, ageSeconds: 0, stageSeconds: 0 };
}

/** Stores `stats` as the pet's state at world time `at` and starts a new segment from there. */
export function writeStats(world: PetWorld, eid: number, stats: PetStats, at: number = world.time): void {
  normalizeStats(stats);
  const { Meters, Life } = world.components;
  Meters.hunger[eid] = stats.hunger;
  Meters.mood[eid] = stats.mood;
  Meters.cleanliness[eid] = stats.cleanliness;
  Life.stage[eid] = stats.stage;
  Life.sick[eid] = stats.sick ? 1 : 0;
  Life.bornAt[eid] = at - stats.ageSeconds;
  startSegment(world, eid, stats, at);
}

/**
 * Starts the segment of constant rates that begins at `at` with `stats` and schedules its
 * end. A pet frozen for the rest of a tick does not decay; `thawFrozen` restores it.
 */
export function startSegment(world: PetWorld, eid: number, stats: PetStats, at: number, frozen = false): void {
  const { Growth, Segment, Meters } = world.components;
  const healthRate = healthRatePerSecond(stats);
  const growing = isGrowing(stats, healthRate);
  Segment.anchorTime[eid] = at;
  Meters.health[eid] = stats.health;
  Growth.anchorSeconds[eid] = stats.stageSeconds;
  Growth.growing[eid] = growing ? 1 : 0;
  Segment.healthRate[eid] = healthRate;
  const next = at + secondsToNextEvent(stats, healthRate, growing);
  Segment.nextEventAt[eid] = next;
  if (next !== Infinity) heapPush(world.agenda, next, eid);
  Segment.decayFactor[eid] = frozen ? 0 : stageDecayMultiplier(stats.stage);
}

export function stageDecayMultiplier(stage: number): number {
  return STAGE_DECAY_MULTIPLIER[stage] ?? 1;
}

/**
 * Drops stale agenda entries once they outnumber live pets; care actions reschedule pets
 * and leave old entries behind.
 */
export function compactAgenda(world: PetWorld, livePets: number): void {
  if (world.agenda.size <= 2 * livePets + 1024) return;
  const next = world.components.Segment.nextEventAt;
  heapFilter(world.agenda, (time, eid) => next[eid] === time && isPet(world, eid));
}

export type { PetStats };
