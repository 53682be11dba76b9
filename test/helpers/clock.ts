/**
 * Test clocks. A suite that passes on Tuesday passes on every day of the year: the apps the
 * tests start, the initData they sign and the rows they write read one of these clocks, never
 * today's date.
 */

/**
 * Where test clocks start: Wednesday 17 June 2026, 12:00:00 UTC. Noon, so a game clock at
 * this instant is at noon UTC too (pets of UTC+0 players are awake for hours); mid-week and
 * mid-month, so a test that moves a day or two crosses no week, month or year boundary. Tests
 * that care about the weekday move their clock to the weekday they need.
 */
export const TEST_START_MS = Date.UTC(2026, 5, 17, 12, 0, 0);

/**
 * A clock (epoch ms) that starts at `startMs` and moves forward at real speed, from the
 * process's monotonic clock (`performance.now()`), so servers tick, rounds end and timeouts
 * expire as they would, on the same dates whatever day the suite runs. Tests that need another
 * weekday or hour move their own game clock or pass a clock of their own.
 */
export function testClock(startMs = TEST_START_MS): () => number {
  const origin = performance.now();
  return () => Math.floor(startMs + (performance.now() - origin));
}

/** Whole seconds of a clock (for `auth_date`, Telegram's `date` fields). */
export const epochSeconds = (ms: number): number => Math.floor(ms / 1000);
