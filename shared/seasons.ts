/**
 * Seasons: time windows in which seasonal items are sold. Each season is a half-open UTC
 * interval [startsAt, endsAt): the exact start instant is in the season, the exact end instant
 * is not. An item listed here is sold only while its season runs (the server refuses it
 * outside with 409 NOT_IN_SEASON, by its own clock) and appears in the shop only then; the
 * collection book shows it as coming, running or gone. Adding the next season is one row here
 * (docs/ECONOMY.md, "Seasons and the collection book").
 */
import { ITEMS, type ItemId } from './balance.js';

export interface SeasonDef {
  /** Stable id: i18n `season.<id>`, set id `season-<id>`, stored in claims. */
  readonly id: string;
  /** UTC ISO instant: the first millisecond of the season. */
  readonly startsAt: string;
  /** UTC ISO instant: the first millisecond after the season. */
  readonly endsAt: string;
  /** Items sold only in this season (skins and others), each in one season only. */
  readonly items: readonly ItemId[];
  /** Coins for collecting all of this season's skins (its collection set), once per player. */
  readonly setRewardCoins: number;
}

/** Every season, oldest first; they may leave gaps but never overlap. */
export const SEASONS: readonly SeasonDef[] = [
  { id: 'autumn-2026', startsAt: '2026-09-01T00:00:00.000Z', endsAt: '2026-12-01T00:00:00.000Z', items: ['skin_maple'], setRewardCoins: 150 },
  { id: 'winter-2026', startsAt: '2026-12-01T00:00:00.000Z', endsAt: '2027-03-01T00:00:00.000Z', items: ['skin_frost', 'cocoa'], setRewardCoins: 200 },
  { id: 'spring-2027', startsAt: '2027-03-01T00:00:00.000Z', endsAt: '2027-06-01T00:00:00.000Z', items: ['skin_meadow'], setRewardCoins: 150 },
];

export type SeasonStatus = 'past' | 'current' | 'upcoming';

/** Epoch ms of a season's start and end. */
export function seasonWindow(season: SeasonDef): { startMs: number; endMs: number } {
  return { startMs: Date.parse(season.startsAt), endMs: Date.parse(season.endsAt) };
}

/** Where `nowMs` stands against `season`: start inclusive, end exclusive. */
export function seasonStatus(season: SeasonDef, nowMs: number): SeasonStatus {
  const { startMs, endMs } = seasonWindow(season);
  if (nowMs < startMs) return 'upcoming';
  return nowMs < endMs ? 'current' : 'past';
}

export function seasonById(id: string): SeasonDef | undefined {
  return SEASONS.find((s) => s.id === id);
}

/** The season running at `nowMs`, if any. */
export function currentSeason(nowMs: number, seasons: readonly SeasonDef[] = SEASONS): SeasonDef | undefined {
  return seasons.find((s) => seasonStatus(s, nowMs) === 'current');
}

/** The season an item belongs to (undefined: not seasonal, sold all year). */
export function seasonOfItem(itemId: string, seasons: readonly SeasonDef[] = SEASONS): SeasonDef | undefined {
  return seasons.find((s) => (s.items as readonly string[]).includes(itemId));
}

/** Whether an item may be sold at `nowMs`: not seasonal, or its season runs. */
export function onSaleAt(itemId: string, nowMs: number, seasons: readonly SeasonDef[] = SEASONS): boolean {
  const season = seasonOfItem(itemId, seasons);
  return !season || seasonStatus(season, nowMs) === 'current';
}

/**
 * What is wrong with a seasons table (empty: nothing): ids unique and lower-case, instants
 * exact UTC ISO strings, start before end, oldest first without overlaps, items real and in one
 * season each, rewards positive whole coins. The unit test runs it on `SEASONS`.
 */
export function seasonTableProblems(seasons: readonly SeasonDef[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const items = new Set<string>();
  let lastEnd = -Infinity;
  for (const s of seasons) {
    if (!/^[a-z0-9-]{1,40}$/.test(s.id)) problems.push(`${s.id}: id must be lower-case letters, digits and dashes`);
    if (ids.has(s.id)) problems.push(`${s.id}: duplicate id`);
    ids.add(s.id);
    for (const at of [s.startsAt, s.endsAt]) {
      const ms = Date.parse(at);
      if (!Number.isFinite(ms) || new Date(ms).toISOString() !== at) problems.push(`${s.id}: ${at} is not a UTC ISO instant like 2027-03-01T00:00:00.000Z`);
    }
    const { startMs, endMs } = seasonWindow(s);
    if (!(startMs < endMs)) problems.push(`${s.id}: starts at or after its end`);
    if (startMs < lastEnd) problems.push(`${s.id}: overlaps the season before it (or the table is not oldest first)`);
    lastEnd = endMs;
    if (s.items.length === 0) problems.push(`${s.id}: sells nothing`);
    for (const item of s.items) {
      if (!Object.hasOwn(ITEMS, item)) problems.push(`${s.id}: ${item} is not an item`);
      if (items.has(item)) problems.push(`${s.id}: ${item} is in two seasons`);
      items.add(item);
    }
    if (!Number.isSafeInteger(s.setRewardCoins) || s.setRewardCoins < 1) problems.push(`${s.id}: setRewardCoins must be a positive whole number`);
  }
  return problems;
}
