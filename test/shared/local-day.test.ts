import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  DAY_S,
  dayEndsAt,
  dayOrdinal,
  dayStartsAt,
  fixedSchedule,
  localDay,
  planUtcOffsetChange,
  scheduleAt,
  utcOffsetAt,
  type UtcOffsetSchedule,
} from '../../shared/local-day.js';
import { inQuietHours, localTimeOfDay } from '../../sim/index.js';

const HOUR = 3600;
/** 2031-03-12 00:00 UTC, a fixed game clock. */
const T0 = Date.UTC(2031, 2, 12) / 1000;
const offsetArb = fc.integer({ min: -48, max: 56 }).map((q) => q * 15);

describe('shared/local-day', () => {
  it('keeps a fixed offset’s calendar days', () => {
    const s = fixedSchedule(180);
    assert.equal(localDay(s, T0 + 20 * HOUR), T0 / DAY_S);
    assert.equal(localDay(s, T0 + 21 * HOUR), T0 / DAY_S + 1, '21:00 UTC is midnight at UTC+3');
    assert.equal(dayEndsAt(s, T0 + 20 * HOUR), T0 + 21 * HOUR);
  });

  it('stretches the day to the new offset’s midnight, east and west', () => {
    const day = T0 / DAY_S;
    // At 20:00 UTC, UTC+0 → UTC+14: today ends at the first UTC+14 midnight 24 h after it began.
    const east = planUtcOffsetChange(fixedSchedule(0), T0 + 20 * HOUR, 840);
    assert.equal(east.changesAt, T0 + DAY_S + 10 * HOUR, '10:00 UTC tomorrow is midnight at UTC+14');
    assert.equal(localDay(east, T0 + DAY_S + 9 * HOUR), day, 'still today');
    assert.equal(localDay(east, T0 + DAY_S + 10 * HOUR), day + 2, 'day + 1 never happens at UTC+14');
    assert.equal(dayOrdinal(east, T0 + DAY_S + 10 * HOUR), dayOrdinal(east, T0) + 1, 'but the days follow each other');
    // UTC+3 → UTC-12 at 20:00 UTC: the next UTC-12 midnight after UTC+3's is 12:00 UTC tomorrow.
    const west = planUtcOffsetChange(fixedSchedule(180), T0 + 20 * HOUR, -720);
    assert.equal(west.changesAt, T0 + DAY_S + 12 * HOUR);
    assert.equal(localDay(west, T0 + DAY_S + 11 * HOUR), day, 'today (23:00 at UTC+3 when asked) lasts until then');
    assert.equal(localDay(west, T0 + DAY_S + 12 * HOUR), day + 1);
    assert.equal(utcOffsetAt(west, T0 + DAY_S + 12 * HOUR), -720);
  });

  it('cancels a planned change when the offset in force is asked for again', () => {
    const planned = planUtcOffsetChange(fixedSchedule(0), T0 + 8 * HOUR, -300);
    assert.deepEqual(planUtcOffsetChange(planned, T0 + 9 * HOUR, 0), fixedSchedule(0));
  });

  it('never ends today at the moment of asking, even on a midnight of the new offset', () => {
    // Found by the property below: a day stretched past 24 h by a planned change, and a new
    // request landing exactly on a midnight of the offset it asks for.
    let s = fixedSchedule(0);
    s = planUtcOffsetChange(s, T0 + 7.42 * HOUR, 15);
    const day = localDay(s, T0 + 7.42 * HOUR);
    const at = T0 + DAY_S + 9.25 * HOUR; // 00:00 at UTC-9:15, 33.25 h into the stretched day
    assert.equal(localDay(s, at), day);
    const asked = planUtcOffsetChange(s, at, -555);
    assert.equal(localDay(asked, at), day, 'still today');
    assert.ok(asked.changesAt !== null && asked.changesAt > at);
    assert.equal(localTimeOfDay(asked.changesAt, -555), 0, 'at the next midnight of the new offset');
  });

  it('puts the first offset in force at once when asked to', () => {
    assert.deepEqual(planUtcOffsetChange(fixedSchedule(0), T0 + 23 * HOUR, 840, true), fixedSchedule(840));
  });

  /**
   * A player who changes their offset at any moments, any number of times: the days they
   * get, found exactly by walking from day end to day end.
   */
  it('never shortens a day, never goes back, and never wakes a sleeper (property)', () => {
    const steps = fc.array(fc.record({ waitS: fc.integer({ min: 0, max: 40 * HOUR }), offset: offsetArb }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(offsetArb, fc.integer({ min: 0, max: DAY_S - 1 }), steps, (initial, startS, plan) => {
        let s: UtcOffsetSchedule = fixedSchedule(initial);
        let clock = T0 + startS;
        let day = localDay(s, clock);
        let ordinal = dayOrdinal(s, clock);
        let dayStart = day * DAY_S - initial * 60;
        const walk = (until: number) => {
          for (let end = dayEndsAt(s, clock); end <= until; end = dayEndsAt(s, clock)) {
            const before = utcOffsetAt(s, end - 1e-3);
            clock = end;
            const next = localDay(s, clock);
            assert.ok(next > day, `day ${next} after ${day}`);
            assert.equal(dayOrdinal(s, clock), ordinal + 1, 'days follow each other');
            assert.ok(clock - dayStart >= DAY_S, `a day of ${(clock - dayStart) / HOUR} h`);
            const offset = utcOffsetAt(s, clock);
            if (offset !== before) {
              assert.equal(localTimeOfDay(clock, offset), 0, 'a change takes effect at a local midnight');
              assert.ok(inQuietHours(0));
            }
            assert.equal(localDay(s, clock - 1e-3), day, 'the day before lasted until its end');
            day = next;
            ordinal += 1;
            dayStart = clock;
          }
          clock = until;
          assert.equal(localDay(s, clock), day);
        };
        for (const step of plan) {
          walk(clock + step.waitS);
          s = planUtcOffsetChange(s, clock, step.offset);
          assert.equal(localDay(s, clock), day, 'asking never changes today');
          assert.equal(utcOffsetAt(s, clock), utcOffsetAt(scheduleAt(s, clock), clock));
          if (s.changesAt !== null) {
            assert.ok(s.changesAt >= clock && s.changesAt >= dayStart + DAY_S);
            assert.ok(s.changesAt - Math.max(clock, dayStart + DAY_S) <= 26 * HOUR, 'at the first fitting midnight');
            assert.equal(dayStartsAt(s, clock, day + 1), dayStartsAt(s, clock, localDay(s, s.changesAt)));
          }
        }
        walk(clock + 3 * DAY_S);
      }),
      { numRuns: 3000 },
    );
  });
});
