/**
 * The leaderboards: which boards there are, which periods each has, and which week a moment
 * belongs to. Weeks are the game's own (`weekOfDay` in progression.ts: Monday to Sunday) on
 * the UTC game day, the same for every player (a player's quests use their local day; a board
 * everyone shares cannot). See docs/adr/0015-leaderboards.md.
 */
import { MINIGAME_KINDS, type MinigameKind } from './minigames.js';
import { weekOfDay } from './progression.js';

export const LEADERBOARD_IDS = ['streak', ...MINIGAME_KINDS.map((k) => `game_${k}` as const), 'achievements', 'pet_age'] as const;
export type LeaderboardId = (typeof LEADERBOARD_IDS)[number];

export const LEADERBOARD_PERIODS = ['weekly', 'all'] as const;
export type LeaderboardPeriod = (typeof LEADERBOARD_PERIODS)[number];

export const LEADERBOARD_SCOPES = ['global', 'friends'] as const;
export type LeaderboardScope = (typeof LEADERBOARD_SCOPES)[number];

/** The `period_key` of all-time scores (weeks are numbered from 1970 and are all above 0 by now). */
export const ALL_TIME_KEY = 0;

/** Largest page, and how deep a page may start (deeper pages scan the index that far). */
export const LEADERBOARD_PAGE_MAX = 100;
export const LEADERBOARD_OFFSET_MAX = 10_000;

export interface LeaderboardDef {
  id: LeaderboardId;
  /** What the score counts (i18n key `leaders.unit.<unit>`). */
  unit: 'days' | 'points' | 'achievements';
  periods: readonly LeaderboardPeriod[];
  /** The minigame of a `game_*` board. */
  game?: MinigameKind;
}

/**
 * - `streak`: the best daily care streak reached (in the week, or ever);
 * - `game_<kind>`: the best score of a finished round that was not suspicious;
 * - `achievements`: achievements unlocked, all-time only (a weekly count would rank new players first);
 * - `pet_age`: the age in days of the player's oldest pet, all-time only (pets never die, so
 *   it only grows: a week would rank exactly as all-time does).
 */
export const LEADERBOARDS: readonly LeaderboardDef[] = [
  { id: 'streak', unit: 'days', periods: ['weekly', 'all'] },
  ...MINIGAME_KINDS.map((game) => ({ id: `game_${game}` as const, unit: 'points' as const, periods: ['weekly', 'all'] as const, game })),
  { id: 'achievements', unit: 'achievements', periods: ['all'] },
  { id: 'pet_age', unit: 'days', periods: ['all'] },
];

export function leaderboardDef(id: LeaderboardId): LeaderboardDef {
  const def = LEADERBOARDS.find((b) => b.id === id);
  if (!def) throw new Error(`unknown leaderboard ${id}`);
  return def;
}

export function isLeaderboardId(value: unknown): value is LeaderboardId {
  return typeof value === 'string' && (LEADERBOARD_IDS as readonly string[]).includes(value);
}

/** The UTC game day of a game clock value (seconds). */
export function utcGameDay(gameClock: number): number {
  return Math.floor(gameClock / 86400);
}

/** The week of the weekly boards at a game clock value (seconds): the game's week of the UTC game day. */
export function leaderboardWeek(gameClock: number): number {
  return weekOfDay(utcGameDay(gameClock));
}
