import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CARE_ACTIONS, CARE_MISTAKE_GRACE_S, GOOD_CARE_STREAK_S, ITEM_IDS, ITEMS, STAGE_ADULT, type ItemId } from '../../shared/balance.js';
import {
  addPet,
  advance,
  applyCare,
  applyCareToStats,
  createPetWorld,
  emptyStats,
  normalizeStats,
  readStats,
  tickWorld,
  wakePet,
  wakeStats,
  type PetStats,
} from '../../sim/index.js';

const meter = fc.double({ min: 0, max: 100, noNaN: true });
const FOODS = ITEM_IDS.filter((id) => ITEMS[id].kind === 'food');

/** Random pets at realistic game clocks (around 2026) in every time zone. */
const statsArb: fc.Arbitrary<PetStats> = fc
  .record({
    stage: fc.integer({ min: 0, max: STAGE_ADULT }),
    hunger: meter,
    mood: meter,
    cleanliness: meter,
    health: meter,
    sick: fc.boolean(),
    ageSeconds: fc.double({ min: 0, max: 1e7, noNaN: true }),
    stageSeconds: fc.double({ min: 0, max: 3e5, noNaN: true }),
    clock: fc.double({ min: 1.7e9, max: 2e9, noNaN: true }),
    utcOffsetMinutes: fc.integer({ min: -48, max: 56 }).map((q) => q * 15),
    awakeIn: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 7200, noNaN: true })),
    // An owner's time zone change some hours ahead, at a midnight of the new offset.
    offsetChange: fc.option(fc.record({ offset: fc.integer({ min: -48, max: 56 }).map((q) => q * 15), inDays: fc.integer({ min: 0, max: 2 }) })),
    careMistakes: fc.integer({ min: 0, max: 20 }),
    careBonus: fc.integer({ min: 0, max: 10 }),
    hungerCriticalSeconds: fc.double({ min: 0, max: CARE_MISTAKE_GRACE_S, noNaN: true }),
    moodCriticalSeconds: fc.double({ min: 0, max: CARE_MISTAKE_GRACE_S, noNaN: true }),
    cleanlinessCriticalSeconds: fc.double({ min: 0, max: CARE_MISTAKE_GRACE_S, noNaN: true }),
    goodCareSeconds: fc.double({ min: 0, max: GOOD_CARE_STREAK_S, noNaN: true }),
  })
  .map(({ awakeIn, offsetChange, ...s }) => {
    const stats: PetStats = { ...emptyStats(), ...s, awakeUntil: awakeIn > 0 ? s.clock + awakeIn : 0 };
    if (offsetChange) {
      const next = offsetChange.offset * 60;
      stats.nextUtcOffsetMinutes = offsetChange.offset;
      stats.utcOffsetChangesAt = (Math.ceil((s.clock + next) / 86400) + offsetChange.inDays) * 86400 - next;
    }
    normalizeStats(stats);
    return stats;
  });

const CLOSE_KEYS = [
  'hunger',
  'mood',
  'cleanliness',
  'health',
  'ageSeconds',
  'stageSeconds',
  'hungerCriticalSeconds',
  'moodCriticalSeconds',
  'cleanlinessCriticalSeconds',
  'goodCareSeconds',
] as const;
const EQUAL_KEYS = ['stage', 'sick', 'careMistakes', 'careBonus', 'adultForm', 'utcOffsetMinutes'] as const;

function inRange(s: PetStats): void {
  for (const k of ['hunger', 'mood', 'cleanliness', 'health'] as const) {
    assert.ok(s[k] >= 0 && s[k] <= 100, `${k} out of range: ${s[k]}`);
  }
}

function close(a: PetStats, b: PetStats, tolerance = 1e-3): void {
  for (const k of EQUAL_KEYS) assert.equal(a[k], b[k], `${k}: tick ${a[k]} vs advance ${b[k]}`);
  for (const k of CLOSE_KEYS) assert.ok(Math.abs(a[k] - b[k]) <= tolerance, `${k}: tick ${a[k]} vs advance ${b[k]}`);
}

function worldWith(start: PetStats) {
  const world = createPetWorld({ clockAtZero: start.clock });
  const eid = addPet(world, { ...start });
  return { world, eid };
}

describe('tick ≡ advance (property)', () => {
  it('many small ticks equal one advance over the same time, within 1e-3, with the same counts', () => {
    fc.assert(
      fc.property(statsArb, fc.array(fc.double({ min: 0.01, max: 7200, noNaN: true }), { minLength: 1, maxLength: 400 }), (start, steps) => {
        const { world, eid } = worldWith(start);
        const expected = { ...start };
        let total = 0;
        let lastStage = readStats(world, eid).stage;
        for (const dt of steps) {
          tickWorld(world, dt);
          total += dt;
          const now = readStats(world, eid);
          inRange(now);
          assert.ok(now.stage >= lastStage, 'stage went backwards');
          lastStage = now.stage;
        }
        advance(expected, total);
        inRange(expected);
        close(readStats(world, eid), expected);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 300) },
    );
  });

  it('agrees with advance when care, waking and time gaps are interleaved', () => {
    const actionArb = fc.oneof(
      fc.record({ kind: fc.constant('wait' as const), dt: fc.double({ min: 0.5, max: 20000, noNaN: true }) }),
      fc.record({ kind: fc.constant('care' as const), action: fc.constantFrom(...CARE_ACTIONS), food: fc.constantFrom(...FOODS) }),
      fc.record({ kind: fc.constant('wake' as const) }),
    );
    fc.assert(
      fc.property(statsArb, fc.array(actionArb, { minLength: 1, maxLength: 60 }), (start, script) => {
        const { world, eid } = worldWith(start);
        const expected = { ...start };
        // Adding a pet settles what is due at once (e.g. a timer at its end); so does this.
        advance(expected, 0);
        for (const step of script) {
          if (step.kind === 'wait') {
            // The world ticks in 1-game-minute steps plus a remainder; advance jumps at once.
            let left = step.dt;
            while (left > 0) {
              const dt = Math.min(60, left);
              tickWorld(world, dt);
              left -= dt;
            }
            advance(expected, step.dt);
          } else if (step.kind === 'care') {
            const item: ItemId | undefined = step.action === 'feed' ? step.food : undefined;
            if (applyCare(world, eid, step.action, item).ok) applyCareToStats(expected, step.action, item);
          } else if (wakePet(world, eid).ok) {
            assert.equal(wakeStats(expected).ok, true);
          }
          inRange(readStats(world, eid));
        }
        close(readStats(world, eid), expected);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 200) },
    );
  });

  it('never moves a stage backwards over random advances', () => {
    fc.assert(
      fc.property(statsArb, fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 30 }), (start, gaps) => {
        const s = { ...start };
        let stage = s.stage;
        let mistakes = s.careMistakes;
        for (const gap of gaps) {
          advance(s, gap);
          assert.ok(s.stage >= stage);
          assert.ok(s.careMistakes >= mistakes);
          stage = s.stage;
          mistakes = s.careMistakes;
          inRange(s);
        }
      }),
    );
  });
});
