/**
 * The central sim tick (`tickWorld`: due events, decay, health drift, growth) over a large
 * loaded population, against the cheapest possible decay: a bare Float32Array loop over the
 * same three meters, same pet count, same number of iterations, in the same run.
 *
 *   npm run bench:sim -- --pets=100000,1000000 --rounds=30 --ticksPerRound=20
 *
 * Each round runs `ticksPerRound` world ticks, as many bare Float32 passes and as many bare
 * Float64 passes (the sim's own element type, reported for attribution only), in an order
 * that rotates per round, timing every pass; the figures are medians over all measured
 * passes after the warm-up rounds. `ratio` is world tick time / bare Float32 time per size.
 * The world is populated with a realistic mix (see `randomStats`) and garbage-collected
 * before measuring; the host's event drain follows every tick, outside the timing.
 */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { query } from 'bitecs';
import { CARE_METERS, STAGE_ADULT, STAGE_DURATION_S, STAGE_DECAY_MULTIPLIER, DECAY_PER_HOUR } from '../shared/balance.js';
import { addPet, createPetWorld, emptyStats, tickWorld, type PetStats, type PetWorld } from '../sim/index.js';
import { createRng, type Rng } from '../sim/rng.js';
import { emit, log, median, nowMs, parseFlags, parseNumberList, percentile, phase, rssMiB, round, runBench } from './lib.js';

const flags = parseFlags({ pets: '100000,1000000', rounds: 30, warmupRounds: 5, ticksPerRound: 20, seed: 42 });
const DT_SECONDS = 1;
const RATIO_TARGET = 1.5;
const TICK_MS_TARGET_1M = 5;

/** Stage mix of a live population: eggs hatch in 5 minutes, so few pets are eggs at any time. */
const STAGE_WEIGHTS = [0.01, 0.24, 0.3, 0.25, 0.2];

function pickStage(rng: Rng): number {
  let r = rng.next();
  for (let s = 0; s < STAGE_WEIGHTS.length; s++) {
    r -= STAGE_WEIGHTS[s] as number;
    if (r < 0) return s;
  }
  return STAGE_ADULT;
}

const uniform = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.next();

/**
 * Stats of one pet of a realistic population: most cared for (all meters good, health full
 * or recovering), some neglected (one or more meters low, a few critical so health falls),
 * a few sick.
 */
function randomStats(rng: Rng): PetStats {
  const stage = pickStage(rng);
  const stageDuration = STAGE_DURATION_S[stage] ?? Infinity;
  const stageSeconds = Number.isFinite(stageDuration) ? uniform(rng, 0, stageDuration) : 0;
  let before = 0;
  for (let s = 0; s < stage; s++) before += STAGE_DURATION_S[s] ?? 0;
  const ageSeconds = before + stageSeconds + (stage === STAGE_ADULT ? uniform(rng, 0, 30 * 86400) : uniform(rng, 0, 3600));
  const kind = rng.next();
  if (kind < 0.75) {
    return {
      ...emptyStats(),
      utcOffsetMinutes: 15 * (rng.int(105) - 48),
      stage,
      hunger: uniform(rng, 51, 100),
      mood: uniform(rng, 51, 100),
      cleanliness: uniform(rng, 51, 100),
      // Cared-for pets sit at full health; a few are still recovering from a bad spell.
      health: rng.next() < 0.9 ? 100 : uniform(rng, 60, 99.5),
      sick: false,
      ageSeconds,
      stageSeconds,
    };
  }
  if (kind < 0.96) {
    const meters = [uniform(rng, 20, 100), uniform(rng, 20, 100), uniform(rng, 20, 100)];
    // At least one meter not good; about a third of these pets have one critical meter.
    meters[rng.int(3)] = rng.next() < 0.35 ? uniform(rng, 1, 20) : uniform(rng, 21, 50);
    return {
      ...emptyStats(),
      utcOffsetMinutes: 15 * (rng.int(105) - 48),
      stage,
      hunger: meters[0] as number,
      mood: meters[1] as number,
      cleanliness: meters[2] as number,
      health: uniform(rng, 30, 100),
      sick: false,
      ageSeconds,
      stageSeconds,
    };
  }
  return {
    ...emptyStats(),
    utcOffsetMinutes: 15 * (rng.int(105) - 48),
    stage,
    hunger: uniform(rng, 0, 40),
    mood: uniform(rng, 0, 40),
    cleanliness: uniform(rng, 0, 40),
    health: 0,
    sick: true,
    ageSeconds,
    stageSeconds,
  };
}

/** Decay per game second of each care meter at a child's pace (multiplier 1). */
const BARE_RATES = CARE_METERS.map((m) => (DECAY_PER_HOUR[m] * (STAGE_DECAY_MULTIPLIER[2] ?? 1)) / 3600);

// Arrays passed in, not captured, like the sim's systems (docs/design.md, style rules). Two copies of the same
// loop so each stays monomorphic: the Float32 one is the target's baseline; the Float64 one
// (the sim's own element type) shows how much of the gap is element width alone.
function bareDecay32(
  hunger: Float32Array,
  mood: Float32Array,
  cleanliness: Float32Array,
  hungerRate: number,
  moodRate: number,
  cleanlinessRate: number,
  dt: number,
): void {
  for (let i = 0, n = hunger.length; i < n; i++) {
    const h = (hunger[i] as number) - hungerRate * dt;
    hunger[i] = h > 0 ? h : 0;
    const m = (mood[i] as number) - moodRate * dt;
    mood[i] = m > 0 ? m : 0;
    const c = (cleanliness[i] as number) - cleanlinessRate * dt;
    cleanliness[i] = c > 0 ? c : 0;
  }
}

function bareDecay64(
  hunger: Float64Array,
  mood: Float64Array,
  cleanliness: Float64Array,
  hungerRate: number,
  moodRate: number,
  cleanlinessRate: number,
  dt: number,
): void {
  for (let i = 0, n = hunger.length; i < n; i++) {
    const h = (hunger[i] as number) - hungerRate * dt;
    hunger[i] = h > 0 ? h : 0;
    const m = (mood[i] as number) - moodRate * dt;
    mood[i] = m > 0 ? m : 0;
    const c = (cleanliness[i] as number) - cleanlinessRate * dt;
    cleanliness[i] = c > 0 ? c : 0;
  }
}

function checksum(...arrays: Array<Float32Array | Float64Array>): number {
  let sum = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) sum += a[i] as number;
  return sum;
}

interface SizeResult {
  pets: number;
  populateMs: number;
  tickMsMedian: number;
  tickMsP99: number;
  nsPerPet: number;
  bareTickMsMedian: number;
  bareNsPerPet: number;
  ratio: number;
  bareF64NsPerPet: number;
  ratioVsBareF64: number;
  driftingShare: number;
  sickShare: number;
  dueEventsPerTick: number;
  dueEventsPerTickMax: number;
  agendaSize: number;
  bareChecksum: number;
  target: string;
  met: boolean;
}

/** A full collection, so garbage from populating does not land inside measured ticks. */
const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  return typeof gc === 'function' ? (gc as () => void) : () => undefined;
})();

function populate(pets: number, seed: number): { world: PetWorld; ms: number } {
  const rng = createRng(seed);
  const started = nowMs();
  // A realistic game clock (Nov 2026, scale 1) and owners in every time zone, so about a
  // third of the population is in its quiet hours and the sleep transitions are on the agenda.
  const world = createPetWorld({ capacity: pets, seed, startTime: 10 * 86400, clockAtZero: 1_795_600_000 - 10 * 86400 });
  for (let i = 0; i < pets; i++) addPet(world, randomStats(rng));
  return { world, ms: nowMs() - started };
}

/** Pets whose health is moving in their current segment (non-zero health rate). */
function countDrifting(world: PetWorld): number {
  const rate = world.components.Segment.healthRate;
  let n = 0;
  for (const eid of query(world, [world.components.Pet])) if (rate[eid] !== 0) n++;
  return n;
}

type Phase = 'world' | 'bare32' | 'bare64';
const PHASES: readonly Phase[] = ['world', 'bare32', 'bare64'];

function runSize(pets: number): SizeResult {
  log(`populating ${pets} pets`);
  const { world, ms: populateMs } = populate(pets, flags.seed);
  const c = world.components;
  const drifting = countDrifting(world);
  let sick = 0;
  for (let eid = 0; eid < world.capacity; eid++) sick += c.Life.sick[eid] as number;
  log(`populated in ${round(populateMs, 0)} ms; drifting ${drifting}, sick ${sick}, agenda ${world.agenda.size}, rss ${round(rssMiB(), 0)} MiB`);

  // The baselines start from the same meter values (narrowed to float32 for the first).
  const eids = query(world, [c.Pet]);
  const n = eids.length;
  const h32 = new Float32Array(n);
  const m32 = new Float32Array(n);
  const c32 = new Float32Array(n);
  const h64 = new Float64Array(n);
  const m64 = new Float64Array(n);
  const c64 = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const eid = eids[k] as number;
    h32[k] = h64[k] = c.Meters.hunger[eid] as number;
    m32[k] = m64[k] = c.Meters.mood[eid] as number;
    c32[k] = c64[k] = c.Meters.cleanliness[eid] as number;
  }
  const [hr, mr, cr] = BARE_RATES as [number, number, number];
  collectGarbage();

  const times: Record<Phase, number[]> = { world: [], bare32: [], bare64: [] };
  const due: number[] = [];
  const totalRounds = flags.warmupRounds + flags.rounds;
  for (let r = 0; r < totalRounds; r++) {
    const measured = r >= flags.warmupRounds;
    // Rotate the order so no phase always runs right after another one's cache footprint.
    for (let p = 0; p < PHASES.length; p++) {
      const phase = PHASES[(p + r) % PHASES.length] as Phase;
      for (let t = 0; t < flags.ticksPerRound; t++) {
        const started = nowMs();
        if (phase === 'world') tickWorld(world, DT_SECONDS);
        else if (phase === 'bare32') bareDecay32(h32, m32, c32, hr, mr, cr, DT_SECONDS);
        else bareDecay64(h64, m64, c64, hr, mr, cr, DT_SECONDS);
        const elapsed = nowMs() - started;
        if (phase === 'world') {
          // The host drains events after every tick; so does the bench (outside the timing).
          world.events.length = 0;
          if (measured) due.push(world.lastTick.dueEvents);
        }
        if (measured) times[phase].push(elapsed);
      }
    }
    if (r === flags.warmupRounds - 1) log('warm-up done');
    if (measured && (r - flags.warmupRounds) % 10 === 9) {
      log(
        `round ${r - flags.warmupRounds + 1}/${flags.rounds}: tick median ${round(median(times.world), 3)} ms, ` +
          `bare f32 ${round(median(times.bare32), 3)} ms, bare f64 ${round(median(times.bare64), 3)} ms`,
      );
    }
  }

  const tickMs = median(times.world);
  const bareMs = median(times.bare32);
  const bare64Ms = median(times.bare64);
  const ratio = tickMs / bareMs;
  const driftingEnd = countDrifting(world);
  const checkTickTarget = pets >= 1_000_000;
  const met = ratio <= RATIO_TARGET && (!checkTickTarget || tickMs <= TICK_MS_TARGET_1M);
  return {
    pets,
    populateMs: round(populateMs, 0),
    tickMsMedian: round(tickMs, 4),
    tickMsP99: round(percentile(times.world, 0.99), 4),
    nsPerPet: round((tickMs * 1e6) / pets, 3),
    bareTickMsMedian: round(bareMs, 4),
    bareNsPerPet: round((bareMs * 1e6) / pets, 3),
    ratio: round(ratio, 3),
    bareF64NsPerPet: round((bare64Ms * 1e6) / pets, 3),
    ratioVsBareF64: round(tickMs / bare64Ms, 3),
    driftingShare: round(driftingEnd / pets, 4),
    sickShare: round(sick / pets, 4),
    dueEventsPerTick: round(due.reduce((a, b) => a + b, 0) / Math.max(1, due.length), 2),
    dueEventsPerTickMax: Math.max(0, ...due),
    agendaSize: world.agenda.size,
    bareChecksum: round(checksum(h32, m32, c32) + checksum(h64, m64, c64), 1),
    target: checkTickTarget ? `ratio <= ${RATIO_TARGET} and tickMsMedian <= ${TICK_MS_TARGET_1M}` : `ratio <= ${RATIO_TARGET}`,
    met,
  };
}

function main(): void {
  const sizes = parseNumberList(flags.pets);
  log(`sim bench: sizes ${sizes.join(', ')}, dt ${DT_SECONDS} game s, ${flags.warmupRounds}+${flags.rounds} rounds x ${flags.ticksPerRound} ticks`);
  const results: SizeResult[] = [];
  for (const pets of sizes) {
    phase(`${pets} pets`);
    const r = runSize(pets);
    log(
      `${pets} pets: tick ${r.tickMsMedian} ms (${r.nsPerPet} ns/pet), bare f32 ${r.bareNsPerPet} ns/pet, ` +
        `bare f64 ${r.bareF64NsPerPet} ns/pet, ratio ${r.ratio} (vs f64 ${r.ratioVsBareF64}), met ${r.met}`,
    );
    results.push(r);
  }
  emit({
    bench: 'sim',
    dtSeconds: DT_SECONDS,
    baseline: 'bare Float32Array decay loop over the same 3 meters, same pet count and pass count (ratio); bareF64 is the same loop on Float64Array, for attribution only',
    sizes: results,
    ratio: Math.max(...results.map((r) => r.ratio)),
    target: `ratio <= ${RATIO_TARGET} at every size; tickMsMedian <= ${TICK_MS_TARGET_1M} at 1M pets`,
    met: results.every((r) => r.met),
  });
}

runBench('sim', main);
