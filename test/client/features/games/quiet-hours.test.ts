import assert from 'node:assert/strict';
import { quietHoursEnd } from '../../../../client/src/features/games/quiet-hours.js';

const HOUR_MS = 3_600_000;
/** 23:00 UTC on a fixed day. */
const NIGHT = Date.UTC(2031, 2, 12, 23, 0, 0);

describe('client quiet hours', () => {
  it('ends at 07:00 local', () => {
    assert.equal(quietHoursEnd(NIGHT, 1, 0)?.inSeconds, 8 * 3600);
    assert.equal(quietHoursEnd(NIGHT - 2 * HOUR_MS, 1, 0), null, '21:00 is not quiet');
  });

  it('follows a planned time zone change: a night the change reaches lasts until the new offset’s morning', () => {
    // UTC+0 → UTC-5 from 05:00 UTC (midnight at UTC-5): asleep until 07:00 there, 12:00 UTC.
    const change = { utcOffsetMinutes: -300, atMs: NIGHT + 6 * HOUR_MS };
    assert.equal(quietHoursEnd(NIGHT, 1, 0, 0, change)?.inSeconds, 13 * 3600);
    // After the change, only the new offset counts.
    assert.equal(quietHoursEnd(NIGHT + 7 * HOUR_MS, 1, 0, 0, change)?.inSeconds, 6 * 3600);
    // A change after the morning leaves this night alone.
    assert.equal(quietHoursEnd(NIGHT, 1, 0, 0, { utcOffsetMinutes: 60, atMs: NIGHT + 22 * HOUR_MS })?.inSeconds, 8 * 3600);
  });
});
