/**
 * The pet world: a bitECS 0.4 world whose components are structure-of-arrays typed arrays
 * owned by the world (never module globals), plus the event agenda and a seeded RNG.
 *
 * Per pet the world stores the current care meters and, for the segment until the pet's
 * next event, a decay factor (stage × sleep × sickness multiplier), and the values at the
 * segment's start of everything else that moves linearly (health, growth bank, care-mistake
 * and streak timers). The tick decays every pet linearly and handles the few pets whose next
 * event falls inside the tick exactly; see `systems/`.
 */
import { addComponent, addEntity, createWorld, hasComponent, removeEntity, type World } from 'bitecs';
import { CARE_ACTIONS, type CareAction } from '../shared/balance.js';
import { createRng, type Rng } from './rng.js';
import { createEventHeap, heapFilter, heapPush, type EventHeap } from './scheduler.js';
import {
  clampMeter,
  emptyStats,
  normalizeStats,
  secondsToNextEvent,
  segmentOf,
  settleNow,
  type LifeEvent,
  type PetStats,
} from './rules.js';

export const CARE_ACTION_COUNT = CARE_ACTIONS.length;

/** Bits of `Quality.running`: which linear timers run in the current segment. */
const RUN_HUNGER_CRITICAL = 1;
const RUN_MOOD_CRITICAL = 2;
const RUN_CLEANLINESS_CRITICAL = 4;
const RUN_GOOD_CARE = 8;

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
      /** Index into `ADULT_FORMS`. */
      adultForm: new Uint8Array(capacity),
    },
    Growth: {
      /** Healthy seconds banked in the current stage at `Segment.anchorTime`. */
      anchorSeconds: new Float64Array(capacity),
      /** Whether the bank grows during the current segment. */
      growing: new Uint8Array(capacity),
    },
    Quality: {
      mistakes: new Uint32Array(capacity),
      bonus: new Uint32Array(capacity),
      /** Timer values at `Segment.anchorTime`; they run when their `running` bit is set. */
      hungerCritical: new Float64Array(capacity),
      moodCritical: new Float64Array(capacity),
      cleanlinessCritical: new Float64Array(capacity),
      goodCare: new Float64Array(capacity),
      running: new Uint8Array(capacity),
    },
    Sleep: {
      utcOffsetMinutes: new Int16Array(capacity),
      /** The owner's next offset and the game clock it takes effect at (Infinity: none). */
      nextUtcOffsetMinutes: new Int16Array(capacity),
      utcOffsetChangesAt: new Float64Array(capacity),
      /** Game clock until which the pet stays awake through quiet hours. */
      awakeUntil: new Float64Array(capacity),
    },
    Segment: {
      /** World time at which the current segment (constant rates) started. */
      anchorTime: new Float64Array(capacity),
      /**
       * Multiplier on the base decay rates used by the bulk decay loop: the segment's factor,
       * or 0 while the pet is frozen for the rest of a tick and for ids that are not live
       * pets. One number per id keeps the loop to one extra load per pet and lets it scan the
       * id range directly instead of a query's id list.
       */
      decayFactor: new Float64Array(capacity),
      /** The segment's decay factor (stage × sleep × sickness), kept while frozen. */
      segmentFactor: new Float64Array(capacity),
      /** Health change per game second until `nextEventAt`. */
      healthRate: new Float64Array(capacity),
      /** World time of the next event; Infinity when none. */
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

type PetComponents = ReturnType<typeof createComponents>;

/** A fact the host should know about, produced by a tick. */
interface WorldEvent {
  eid: number;
  event: LifeEvent;
}

interface TickStats {
  dtSeconds: number;
  dueEvents: number;
  pets: number;
}

interface PetWorldContext {
  /** Game seconds since the world was created (or `startTime`). */
  time: number;
  /** The game clock (see `PetStats.clock`) at world time 0: clock = clockAtZero + time. */
  clockAtZero: number;
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

interface PetWorldOptions {
  /** Initial component capacity; grows as needed. */
  capacity?: number;
  seed?: number;
  startTime?: number;
  /** The game clock at world time 0 (default 0). */
  clockAtZero?: number;
}

export function createPetWorld(options: PetWorldOptions = {}): PetWorld {
  const capacity = Math.max(16, options.capacity ?? 1024);
  return createWorld<PetWorldContext>({
    time: options.startTime ?? 0,
    clockAtZero: options.clockAtZero ?? 0,
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

/** The game clock at the world's current time. */
function worldClock(world: PetWorld): number {
  return world.clockAtZero + world.time;
}

type NumberArray = Float64Array | Uint32Array | Uint8Array | Int16Array;

function grown<T extends NumberArray>(arr: T, length: number): T {
  const next = new (arr.constructor as new (n: number) => T)(length);
  next.set(arr);
  return next;
}

function growArrays(store: Record<string, unknown>, factor: number): void {
  for (const key of Object.keys(store)) {
    const arr = store[key];
    if (arr instanceof Float64Array || arr instanceof Uint32Array || arr instanceof Uint8Array || arr instanceof Int16Array) {
      store[key] = grown(arr, arr.length * factor);
    }
  }
}

function ensureCapacity(world: PetWorld, eid: number): void {
  if (eid < world.capacity) return;
  let factor = 2;
  while (eid >= world.capacity * factor) factor *= 2;
  const c = world.components;
  for (const store of [c.Meters, c.Life, c.Growth, c.Quality, c.Sleep, c.Segment, c.Care]) growArrays(store, factor);
  world.capacity *= factor;
}

/** Extra per-pet data that is not part of the rules' stats. */
interface PetExtras {
  /** Game seconds until each action is ready, by action name; missing means ready. */
  cooldownSeconds?: Partial<Record<CareAction, number>>;
  counts?: Partial<Record<CareAction, number>>;
  overfeeds?: number;
}

/** Adds a pet with `stats` (its `clock` is ignored: the world's clock applies) and returns its entity id. */
export function addPet(world: PetWorld, stats: PetStats, extras: PetExtras = {}): number {
  const eid = addEntity(world);
  ensureCapacity(world, eid);
  if (eid > world.maxEid) world.maxEid = eid;
  const c = world.components;
  for (const component of [c.Pet, c.Meters, c.Life, c.Growth, c.Quality, c.Sleep, c.Segment, c.Care]) {
    addComponent(world, eid, component);
  }
  for (let a = 0; a < CARE_ACTION_COUNT; a++) {
    const action = CARE_ACTIONS[a] as CareAction;
    c.Care.readyAt[eid * CARE_ACTION_COUNT + a] = world.time + Math.max(0, extras.cooldownSeconds?.[action] ?? 0);
    c.Care.counts[eid * CARE_ACTION_COUNT + a] = extras.counts?.[action] ?? 0;
  }
  c.Care.overfeeds[eid] = extras.overfeeds ?? 0;
  const settled: LifeEvent[] = [];
  const start = { ...stats, clock: worldClock(world) };
  normalizeStats(start);
  settleNow(start, settled);
  writeStats(world, eid, start);
  for (const event of settled) world.events.push({ eid, event });
  return eid;
}

export function removePet(world: PetWorld, eid: number): void {
  const { Segment } = world.components;
  Segment.nextEventAt[eid] = Infinity;
  // The bulk decay loop scans every id; a zero factor makes a free id inert.
  Segment.decayFactor[eid] = 0;
  Segment.segmentFactor[eid] = 0;
  removeEntity(world, eid);
}

export function isPet(world: PetWorld, eid: number): boolean {
  return hasComponent(world, eid, world.components.Pet);
}

/** Reads a pet's stats as of the current world time into `out`. */
export function readStats(world: PetWorld, eid: number, out: PetStats = emptyStats()): PetStats {
  const { Meters, Life, Growth, Quality, Sleep, Segment } = world.components;
  const since = world.time - (Segment.anchorTime[eid] as number);
  const running = Quality.running[eid] as number;
  out.stage = Life.stage[eid] as number;
  out.sick = Life.sick[eid] === 1;
  out.hunger = Meters.hunger[eid] as number;
  out.mood = Meters.mood[eid] as number;
  out.cleanliness = Meters.cleanliness[eid] as number;
  out.health = clampMeter((Meters.health[eid] as number) + (Segment.healthRate[eid] as number) * since);
  out.ageSeconds = world.time - (Life.bornAt[eid] as number);
  out.stageSeconds = (Growth.anchorSeconds[eid] as number) + (Growth.growing[eid] === 1 ? since : 0);
  out.clock = worldClock(world);
  out.utcOffsetMinutes = Sleep.utcOffsetMinutes[eid] as number;
  out.nextUtcOffsetMinutes = Sleep.nextUtcOffsetMinutes[eid] as number;
  out.utcOffsetChangesAt = Sleep.utcOffsetChangesAt[eid] as number;
  out.awakeUntil = Sleep.awakeUntil[eid] as number;
  out.careMistakes = Quality.mistakes[eid] as number;
  out.careBonus = Quality.bonus[eid] as number;
  out.hungerCriticalSeconds = (Quality.hungerCritical[eid] as number) + (running & RUN_HUNGER_CRITICAL ? since : 0);
  out.moodCriticalSeconds = (Quality.moodCritical[eid] as number) + (running & RUN_MOOD_CRITICAL ? since : 0);
  out.cleanlinessCriticalSeconds =
    (Quality.cleanlinessCritical[eid] as number) + (running & RUN_CLEANLINESS_CRITICAL ? since : 0);
  out.goodCareSeconds = (Quality.goodCare[eid] as number) + (running & RUN_GOOD_CARE ? since : 0);
  out.adultForm = Life.adultForm[eid] as number;
  return out;
}

/**
 * Stores `stats` as the pet's state at world time `at` (its `clock` must match) and starts a
 * new segment from there. `frozen` keeps the pet from decaying for the rest of the current
 * tick (see `processDueEvents`).
 */
export function writeStats(world: PetWorld, eid: number, stats: PetStats, at: number = world.time, frozen = false): void {
  normalizeStats(stats);
  const { Meters, Life, Growth, Quality, Sleep, Segment } = world.components;
  const seg = segmentOf(stats);
  Meters.hunger[eid] = stats.hunger;
  Meters.mood[eid] = stats.mood;
  Meters.cleanliness[eid] = stats.cleanliness;
  Meters.health[eid] = stats.health;
  Life.stage[eid] = stats.stage;
  Life.sick[eid] = stats.sick ? 1 : 0;
  Life.bornAt[eid] = at - stats.ageSeconds;
  Life.adultForm[eid] = stats.adultForm;
  Growth.anchorSeconds[eid] = stats.stageSeconds;
  Growth.growing[eid] = seg.growing ? 1 : 0;
  Quality.mistakes[eid] = stats.careMistakes;
  Quality.bonus[eid] = stats.careBonus;
  Quality.hungerCritical[eid] = stats.hungerCriticalSeconds;
  Quality.moodCritical[eid] = stats.moodCriticalSeconds;
  Quality.cleanlinessCritical[eid] = stats.cleanlinessCriticalSeconds;
  Quality.goodCare[eid] = stats.goodCareSeconds;
  Quality.running[eid] = seg.criticalMask | (seg.goodCare ? RUN_GOOD_CARE : 0);
  Sleep.utcOffsetMinutes[eid] = stats.utcOffsetMinutes;
  Sleep.nextUtcOffsetMinutes[eid] = stats.nextUtcOffsetMinutes;
  Sleep.utcOffsetChangesAt[eid] = stats.utcOffsetChangesAt;
  Sleep.awakeUntil[eid] = stats.awakeUntil;
  Segment.anchorTime[eid] = at;
  Segment.healthRate[eid] = seg.healthRate;
  Segment.segmentFactor[eid] = seg.factor;
  Segment.decayFactor[eid] = frozen ? 0 : seg.factor;
  const next = at + secondsToNextEvent(stats, seg);
  Segment.nextEventAt[eid] = next;
  if (next !== Infinity) heapPush(world.agenda, next, eid);
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
