import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CARE_ACTIONS, STAGE_ADULT } from '../../shared/balance.js';
import { addPet, advance, applyCareToStats, applyCare, createPetWorld, readStats, tickWorld, type PetStats } from '../../sim/index.js';

const meter = fc.double({ min: 0, max: 100, noNaN: true });
const statsArb: fc.Arbitrary<PetStats> = fc.record({
  stage: fc.integer({ min: 0, max: STAGE_ADULT }),
  hunger: meter,
  mood: meter,
  cleanliness: meter,
  health: meter,
  sick: fc.boolean(),
  ageSeconds: fc.double({ min: 0, max: 1e7, noNaN: true }),
  stageSeconds: fc.double({ min: 0, max: 3e5, noNaN: true }),
}).map((s) => (s.health === 0 ? { ...s, sick: true } : s));

const KEYS = ['hunger', 'mood', 'cleanliness', 'health', 'ageSeconds', 'stageSeconds'] as const;

function inRange(s: PetStats): void {
  for (const k of ['hunger', 'mood', 'cleanliness', 'health'] as const) {
    assert.ok(s[k] >= 0 && s[k] <= 100, `${k} out of range: ${s[k]}`);
  }
}

function close(a: PetStats, b: PetStats, tolerance = 1e-3): void {
  assert.equal(a.stage, b.stage, 'stage');
  assert.equal(a.sick, b.sick, 'sick');
  for (const k of KEYS) assert.ok(Math.abs(a[k] - b[k]) <= tolerance, `${k}: tick ${a[k]} vs advance ${b[k]}`);
}

describe('tick ≡ advance (property)', () => {
  it('many small ticks equal one advance over the same time, within 1e-3, meters in [0, 100]', () => {
    fc.assert(
      fc.property(statsArb, fc.array(fc.double({ min: 0.01, max: 7200, noNaN: true }), { minLength: 1, maxLength: 400 }), (start, steps) => {
        const world = createPetWorld();
        const eid = addPet(world, { ...start });
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
      { numRuns: 300 },
    );
  });

  it('agrees with advance when care actions are interleaved with time gaps', () => {
    const actionArb = fc.oneof(
      fc.record({ kind: fc.constant('wait' as const), dt: fc.double({ min: 0.5, max: 20000, noNaN: true }) }),
      fc.record({ kind: fc.constant('care' as const), action: fc.constantFrom(...CARE_ACTIONS) }),
    );
    fc.assert(
      fc.property(statsArb, fc.array(actionArb, { minLength: 1, maxLength: 60 }), (start, script) => {
        const world = createPetWorld();
        const eid = addPet(world, { ...start });
        const expected = { ...start };
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
          } else {
            const result = applyCare(world, eid, step.action);
            if (result.ok) applyCareToStats(expected, step.action);
          }
          inRange(readStats(world, eid));
        }
        close(readStats(world, eid), expected);
      }),
      { numRuns: 200 },
    );
  });

  it('never moves a stage backwards over random advances', () => {
    fc.assert(
      fc.property(statsArb, fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 30 }), (start, gaps) => {
        const s = { ...start };
        let stage = s.stage;
        for (const gap of gaps) {
          advance(s, gap);
          assert.ok(s.stage >= stage);
          stage = s.stage;
          inRange(s);
        }
      }),
    );
  });
});
