/**
 * When quiet hours end, from the client's side. The game clock is
 * `realEpochSeconds × timeScale + clockOffsetSeconds` (both from the client config; the
 * offset is zero in production, shifted in demos and tests). The answer is only trusted when
 * it agrees with the pet actually being asleep: in quiet hours by this clock too.
 */
import { SLEEP_END_S, SLEEP_START_S } from '../../../../shared/balance.js';

const DAY_S = 86_400;

interface QuietHoursEnd {
  /** Local end time, "07:00". */
  at: string;
  /** Real seconds until then. */
  inSeconds: number;
}

function inQuietHours(localSeconds: number): boolean {
  return SLEEP_START_S > SLEEP_END_S
    ? localSeconds >= SLEEP_START_S || localSeconds < SLEEP_END_S
    : localSeconds >= SLEEP_START_S && localSeconds < SLEEP_END_S;
}

/** A planned change of my UTC offset (PATCH /me): it takes effect at a midnight of the new offset. */
export interface UtcOffsetChange {
  utcOffsetMinutes: number;
  /** Epoch ms it takes effect. */
  atMs: number;
}

export function quietHoursEnd(
  nowMs: number,
  timeScale: number,
  utcOffsetMinutes: number,
  clockOffsetSeconds = 0,
  change: UtcOffsetChange | null = null,
): QuietHoursEnd | null {
  if (!(timeScale > 0)) return null;
  const offset = change && nowMs >= change.atMs ? change.utcOffsetMinutes : utcOffsetMinutes;
  const clock = (nowMs / 1000) * timeScale + clockOffsetSeconds;
  const local = (((clock + offset * 60) % DAY_S) + DAY_S) % DAY_S;
  if (!inQuietHours(local)) return null;
  let gameSecondsLeft = (SLEEP_END_S - local + DAY_S) % DAY_S;
  // Still asleep when the change comes: it is midnight in the new offset then, so the night goes on until its morning.
  const untilChange = change && nowMs < change.atMs ? ((change.atMs - nowMs) / 1000) * timeScale : Infinity;
  if (gameSecondsLeft > untilChange) gameSecondsLeft = untilChange + SLEEP_END_S;
  const hours = Math.floor(SLEEP_END_S / 3600);
  const minutes = Math.floor((SLEEP_END_S % 3600) / 60);
  return {
    at: `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`,
    inSeconds: gameSecondsLeft / timeScale,
  };
}

/** The device's UTC offset as the server accepts it: whole quarter hours, −12:00..+14:00. */
export function deviceUtcOffsetMinutes(date = new Date()): number {
  const raw = -date.getTimezoneOffset();
  const quarter = Math.round(raw / 15) * 15;
  return Math.min(840, Math.max(-720, quarter));
}
