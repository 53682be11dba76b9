/**
 * The player's local day: which day daily caps, quests, streaks and care offsets count in,
 * and when it starts and ends, given the player's UTC offset and its changes.
 *
 * The offset comes from the client (the device's time zone), so it must not let anyone
 * replay a day. The rule:
 *
 * - Days are numbered by the game clock shifted by the offset in force:
 *   `floor((clock + offset) / 86400)`, and a day starts at a local midnight.
 * - A changed offset never applies at once (except before the player has anything that
 *   counts per day, see `planUtcOffsetChange`). It waits until the current day ends, and
 *   the current day then ends at the first midnight of the NEW offset that is at least 24
 *   hours after the day began, is later than the request, and starts a later day number. The
 *   current day is stretched (24 to 50 hours); it is never shortened.
 * - Moving east can skip day numbers (the new offset's calendar is ahead): they are never
 *   played, and `skippedDays` counts them so that a streak does not count them as missed.
 *
 * Invariants (property-tested in test/shared/local-day.test.ts):
 * - `localDay` never decreases as the clock moves forward, whatever changes are planned;
 * - every day lasts at least 24 hours of game time: any 24 hours hold at most one day start,
 *   so no 24 hours give more than two days' caps, as for a player who never moves;
 * - a change takes effect at a midnight of the new offset, which is inside quiet hours
 *   (22:00–07:00): a pet that sleeps by the owner's local night is never woken by it;
 * - changes take effect at day starts, so at most once per 24 hours.
 *
 * Times are game clock seconds (see `PetStats.clock` in sim/rules.ts); offsets are minutes.
 */

export const DAY_S = 86400;

export interface UtcOffsetSchedule {
  /** The offset in force, in minutes (local time = UTC + offset). */
  utcOffsetMinutes: number;
  /** The offset that replaces it at `changesAt`; null when no change is pending. */
  nextUtcOffsetMinutes: number | null;
  /** Game clock (s) at which `nextUtcOffsetMinutes` takes effect: a local midnight of it. */
  changesAt: number | null;
  /** While a change is pending: the day that lasts until `changesAt` (the current one when it was planned). */
  lastDay: number | null;
  /** Day numbers skipped by changes that took effect (eastward moves), in total. */
  skippedDays: number;
}

/** A player who never changed their offset. */
export function fixedSchedule(utcOffsetMinutes: number): UtcOffsetSchedule {
  return { utcOffsetMinutes, nextUtcOffsetMinutes: null, changesAt: null, lastDay: null, skippedDays: 0 };
}

/** Whether a change is planned and has not taken effect at `clock`. */
function pendingAt(s: UtcOffsetSchedule, clock: number): s is UtcOffsetSchedule & { nextUtcOffsetMinutes: number; changesAt: number; lastDay: number } {
  return s.nextUtcOffsetMinutes !== null && s.changesAt !== null && s.lastDay !== null && clock < s.changesAt;
}

/** The schedule as of `clock`: a planned change that is due has taken effect. */
export function scheduleAt(s: UtcOffsetSchedule, clock: number): UtcOffsetSchedule {
  if (s.nextUtcOffsetMinutes === null || s.changesAt === null || s.lastDay === null || clock < s.changesAt) return s;
  const firstDay = Math.round((s.changesAt + s.nextUtcOffsetMinutes * 60) / DAY_S);
  return fixedScheduleWith(s.nextUtcOffsetMinutes, s.skippedDays + Math.max(0, firstDay - s.lastDay - 1));
}

function fixedScheduleWith(utcOffsetMinutes: number, skippedDays: number): UtcOffsetSchedule {
  return { ...fixedSchedule(utcOffsetMinutes), skippedDays };
}

/** The offset in force at `clock` (minutes). */
export function utcOffsetAt(s: UtcOffsetSchedule, clock: number): number {
  return scheduleAt(s, clock).utcOffsetMinutes;
}

/** The player's local day number at `clock`. */
export function localDay(s: UtcOffsetSchedule, clock: number): number {
  const current = scheduleAt(s, clock);
  const day = Math.floor((clock + current.utcOffsetMinutes * 60) / DAY_S);
  // A pending change stretches the current day until it takes effect.
  return pendingAt(current, clock) ? Math.min(day, current.lastDay) : day;
}

/**
 * The day's position in the sequence of days the player actually had: the day number less
 * the numbers skipped by eastward moves. Consecutive days have consecutive ordinals (the
 * streak rules compare these).
 */
export function dayOrdinal(s: UtcOffsetSchedule, clock: number): number {
  return localDay(s, clock) - scheduleAt(s, clock).skippedDays;
}

/** Game clock at which the day of `clock` ends (the next day starts). */
export function dayEndsAt(s: UtcOffsetSchedule, clock: number): number {
  const current = scheduleAt(s, clock);
  if (pendingAt(current, clock)) return current.changesAt;
  return (localDay(current, clock) + 1) * DAY_S - current.utcOffsetMinutes * 60;
}

/**
 * Game clock at which a day that has not started yet starts, as far as is known at `clock`
 * (a later change may move it; the Mini App uses it for countdowns). Days skipped by a
 * change start and end at the change.
 */
export function dayStartsAt(s: UtcOffsetSchedule, clock: number, day: number): number {
  const current = scheduleAt(s, clock);
  if (pendingAt(current, clock)) {
    if (day <= current.lastDay) return day * DAY_S - current.utcOffsetMinutes * 60;
    return Math.max(current.changesAt, day * DAY_S - current.nextUtcOffsetMinutes * 60);
  }
  return day * DAY_S - current.utcOffsetMinutes * 60;
}

/**
 * The schedule after the player asks for `utcOffsetMinutes` at `clock`.
 *
 * - `immediate` (the player has nothing that counts per day yet: the Mini App's first start)
 *   puts the offset in force at once.
 * - Asking for the offset in force (none planned) or for the planned one changes nothing.
 * - Otherwise the change is planned for the end of the current day (see the rule above). A
 *   new request before that replaces the planned one; asking for the offset in force
 *   cancels it, unless the day already ran past its natural end, in which case it ends at
 *   that offset's next midnight.
 */
export function planUtcOffsetChange(s: UtcOffsetSchedule, clock: number, utcOffsetMinutes: number, immediate = false): UtcOffsetSchedule {
  const current = scheduleAt(s, clock);
  if (immediate) return fixedScheduleWith(utcOffsetMinutes, current.skippedDays);
  const pending = pendingAt(current, clock);
  if (pending ? current.nextUtcOffsetMinutes === utcOffsetMinutes : current.utcOffsetMinutes === utcOffsetMinutes) return current;
  const day = localDay(current, clock);
  const dayStart = day * DAY_S - current.utcOffsetMinutes * 60;
  const naturalEnd = dayStart + DAY_S;
  const next = utcOffsetMinutes * 60;
  const earliest = Math.max(naturalEnd, clock);
  let changesAt = Math.ceil((earliest + next) / DAY_S) * DAY_S - next;
  // Strictly after now: a request that lands exactly on a midnight of the new offset must not
  // end today at the moment of asking (the next midnight does).
  if (changesAt <= clock) changesAt += DAY_S;
  if (Math.round((changesAt + next) / DAY_S) <= day) changesAt = (day + 1) * DAY_S - next;
  if (utcOffsetMinutes === current.utcOffsetMinutes && changesAt === naturalEnd) return fixedScheduleWith(utcOffsetMinutes, current.skippedDays);
  return { utcOffsetMinutes: current.utcOffsetMinutes, nextUtcOffsetMinutes: utcOffsetMinutes, changesAt, lastDay: day, skippedDays: current.skippedDays };
}
