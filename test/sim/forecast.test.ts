import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CRITICAL_THRESHOLD, STAGE_ADULT } from '../../shared/balance.js';
import { advance, emptyStats, forecast, stageDurationSeconds, type LifeEvent, type PetStats } from '../../sim/index.js';

/** Noon UTC on a fixed day. */
const NOON = 20_000 * 86400 + 12 * 3600;
const DAY = 86400;

const pet = (over: Partial<PetStats> = {}): PetStats => ({ ...emptyStats(), stage: 2, hunger: 80, mood: 80, cleanliness: 80, health: 100, clock: NOON, ...over });

const critical = (s: PetStats) => s.hunger <= CRITICAL_THRESHOLD || s.mood <= CRITICAL_THRESHOLD || s.cleanliness <= CRITICAL_THRESHOLD;

describe('forecast (when to tell an absent owner)', () => {
  it('names the moment a meter turns critical and the pet falls sick, as advance() lives them', () => {
    const s = pet({ stage: 1, stageSeconds: 0 });
    const f = forecast(s, 7 * DAY);
    assert.ok(f.criticalInS !== null && f.criticalInS > 0);
    assert.ok(f.sickInS !== null && f.sickInS > f.criticalInS);
    // Just before each moment it has not happened; at the moment it has.
    assert.equal(critical(advance({ ...s }, f.criticalInS - 1)), false);
    assert.equal(critical(advance({ ...s }, f.criticalInS)), true);
    assert.equal(advance({ ...s }, f.sickInS - 1).sick, false);
    assert.equal(advance({ ...s }, f.sickInS).sick, true);
  });

  it('names the moment a well-kept pet grows up', () => {
    const s = pet({ stage: 0, hunger: 100, mood: 100, cleanliness: 100, stageSeconds: stageDurationSeconds(0) - 600 });
    const f = forecast(s, DAY);
    assert.equal(f.growsInS, 600);
    assert.equal(advance({ ...s }, 600).stage, 1);
  });

  it('reports what already holds as 0 and what will not happen within the horizon as null', () => {
    const sick = pet({ health: 0, sick: true, hunger: 10 });
    assert.deepEqual(forecast(sick, DAY), { criticalInS: 0, sickInS: 0, growsInS: null });
    const adult = pet({ stage: STAGE_ADULT });
    assert.equal(forecast(adult, DAY).growsInS, null);
    assert.deepEqual(forecast(pet(), 60), { criticalInS: null, sickInS: null, growsInS: null });
  });

  it('does not change the stats it is given', () => {
    const s = pet();
    const copy = { ...s };
    forecast(s, 3 * DAY);
    assert.deepEqual(s, copy);
  });

  it('agrees with advance() on the first stage, sick and critical events (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          stage: fc.integer({ min: 0, max: STAGE_ADULT }),
          hunger: fc.double({ min: 0, max: 100, noNaN: true }),
          mood: fc.double({ min: 0, max: 100, noNaN: true }),
          cleanliness: fc.double({ min: 0, max: 100, noNaN: true }),
          health: fc.double({ min: 1, max: 100, noNaN: true }),
          hourOfDay: fc.integer({ min: 0, max: 23 }),
          stageFraction: fc.double({ min: 0, max: 0.99, noNaN: true }),
        }),
        (r) => {
          const duration = stageDurationSeconds(r.stage);
          const stageSeconds = Number.isFinite(duration) ? duration * r.stageFraction : 0;
          const s = pet({ stage: r.stage, stageSeconds, hunger: r.hunger, mood: r.mood, cleanliness: r.cleanliness, health: r.health, clock: 20_000 * DAY + r.hourOfDay * 3600 });
          const f = forecast(s, 4 * DAY);
          const events: LifeEvent[] = [];
          advance({ ...s }, 4 * DAY, events);
          const firstOf = (kind: LifeEvent['kind']) => events.find((e) => e.kind === kind)?.atSeconds ?? null;
          assert.equal(f.sickInS, firstOf('sick'));
          assert.equal(f.growsInS, firstOf('stage'));
          if (f.criticalInS !== null && f.criticalInS > 0) {
            assert.equal(critical(advance({ ...s }, f.criticalInS)), true);
            assert.equal(critical(advance({ ...s }, f.criticalInS * 0.999)), false);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
