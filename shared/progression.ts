/**
 * Progression tables: the daily and weekly care streaks, quest templates, and achievements.
 * Progress comes from recorded events (care, finished games, purchases, growth, six hours of
 * good care); the server evaluates them, the client shows them. Days are the player's local
 * game days (game time with the player's UTC offset; game time is real time in production).
 */
import { STAGE_ADULT, type ItemId } from './balance.js';
import type { MinigameKind } from './minigames.js';

/** What progress is made of. `key` makes recording idempotent (a replay counts once). */
export type ProgressEvent =
  | { kind: 'care'; key: string; action: 'feed' | 'play' | 'clean' | 'heal' }
  | { kind: 'game'; key: string; game: MinigameKind; score: number; coins: number }
  | { kind: 'purchase'; key: string }
  | { kind: 'adopt'; key: string }
  | { kind: 'stage'; key: string; stage: number; adultForm: number }
  | { kind: 'good_care'; key: string }
  /** A day counted in the daily streak (recorded by the streak rules, not by callers). */
  | { kind: 'streak_day'; key: string; streak: number };

/** What a player is told about as it happens (the room's "progress" message; toasts in the Mini App). */
export type ProgressNotice =
  | { kind: 'streak'; days: number; rewardCoins: number; frozen: boolean; freezeGranted: boolean }
  | { kind: 'weekly_streak'; weeks: number; rewardCoins: number }
  | { kind: 'quest_completed'; questId: string; templateId: string; rewardCoins: number }
  | { kind: 'achievement'; achievementId: string; rewardCoins: number }
  /** A friend the player invited adopted their first pet (docs/ECONOMY.md, "Referrals"). */
  | { kind: 'referral'; friendName: string; rewardCoins: number };

// ---------------------------------------------------------------------------------------
// Streaks

/** Coins for the n-th day of a daily streak (n ≥ 1): 10, 15, 20, … up to 50. */
export function dailyStreakReward(day: number): number {
  return Math.min(10 + 5 * (day - 1), 50);
}

/** Every this many streak days also grant a streak freeze. */
export const STREAK_FREEZE_EVERY_DAYS = 7;
/** The item that saves one missed day (used automatically when exactly one day is missed). */
export const STREAK_FREEZE_ITEM: ItemId = 'streak_freeze';
/** A week counts in the weekly streak once the pet got care on this many of its days. */
export const WEEKLY_STREAK_MIN_DAYS = 4;
/** Coins for the n-th week of a weekly streak: 60, 80, … up to 150. */
export function weeklyStreakReward(week: number): number {
  return Math.min(60 + 20 * (week - 1), 150);
}

/** Weeks start on Monday: day 0 (1970-01-01) was a Thursday. */
export function weekOfDay(day: number): number {
  return Math.floor((day + 3) / 7);
}

// ---------------------------------------------------------------------------------------
// Quests

type QuestPeriod = 'daily' | 'weekly';

interface QuestTemplate {
  readonly id: string;
  readonly period: QuestPeriod;
  readonly target: number;
  readonly rewardCoins: number;
  /** How much an event advances the quest (0: not at all). */
  readonly advance: (event: ProgressEvent) => number;
}

const careOf = (action?: string) => (e: ProgressEvent) => (e.kind === 'care' && (action === undefined || e.action === action) ? 1 : 0);

const QUEST_TEMPLATES: readonly QuestTemplate[] = [
  { id: 'feed_3', period: 'daily', target: 3, rewardCoins: 15, advance: careOf('feed') },
  { id: 'play_2', period: 'daily', target: 2, rewardCoins: 15, advance: careOf('play') },
  { id: 'clean_1', period: 'daily', target: 1, rewardCoins: 10, advance: careOf('clean') },
  { id: 'care_5', period: 'daily', target: 5, rewardCoins: 20, advance: careOf() },
  { id: 'game_1', period: 'daily', target: 1, rewardCoins: 15, advance: (e) => (e.kind === 'game' ? 1 : 0) },
  { id: 'treats_50', period: 'daily', target: 1, rewardCoins: 25, advance: (e) => (e.kind === 'game' && e.game === 'treats' && e.score >= 50 ? 1 : 0) },
  { id: 'good_care_6h', period: 'daily', target: 1, rewardCoins: 30, advance: (e) => (e.kind === 'good_care' ? 1 : 0) },
  { id: 'care_30', period: 'weekly', target: 30, rewardCoins: 80, advance: careOf() },
  { id: 'games_7', period: 'weekly', target: 7, rewardCoins: 80, advance: (e) => (e.kind === 'game' ? 1 : 0) },
  { id: 'coins_200', period: 'weekly', target: 200, rewardCoins: 100, advance: (e) => (e.kind === 'game' ? e.coins : 0) },
  { id: 'care_days_5', period: 'weekly', target: 5, rewardCoins: 120, advance: (e) => (e.kind === 'streak_day' ? 1 : 0) },
  { id: 'grow_1', period: 'weekly', target: 1, rewardCoins: 100, advance: (e) => (e.kind === 'stage' ? 1 : 0) },
];

/** Quests offered per period. */
const QUESTS_PER_PERIOD: Readonly<Record<QuestPeriod, number>> = { daily: 3, weekly: 2 };

export function questTemplate(id: string): QuestTemplate | undefined {
  return QUEST_TEMPLATES.find((t) => t.id === id);
}

/** FNV-1a over a string, for deterministic picks. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The quests of a player's period: a deterministic pick from the period's templates. */
export function questsFor(playerId: string, period: QuestPeriod, periodKey: number): QuestTemplate[] {
  return QUEST_TEMPLATES.filter((t) => t.period === period)
    .map((t) => ({ t, rank: hash(`${playerId}:${period}:${periodKey}:${t.id}`) }))
    .sort((a, b) => a.rank - b.rank)
    .slice(0, QUESTS_PER_PERIOD[period])
    .map((x) => x.t);
}

// ---------------------------------------------------------------------------------------
// Achievements

/** Running totals of a player, kept with every recorded event. */
export interface ProgressStats {
  pets: number;
  careTotal: number;
  gamesFinished: number;
  bestTreatsScore: number;
  coinsEarned: number;
  purchases: number;
  maxStage: number;
  radiantAdults: number;
  dailyBest: number;
  skins: number;
}

interface AchievementDef {
  readonly id: string;
  readonly rewardCoins: number;
  readonly rewardItems?: Readonly<Partial<Record<ItemId, number>>>;
  /** Progress towards it: [current, target]. Unlocked when current ≥ target. */
  readonly progress: (stats: ProgressStats) => readonly [number, number];
}

export const ACHIEVEMENTS: readonly AchievementDef[] = [
  { id: 'first_pet', rewardCoins: 20, progress: (s) => [s.pets, 1] },
  { id: 'first_care', rewardCoins: 10, progress: (s) => [s.careTotal, 1] },
  { id: 'first_game', rewardCoins: 10, progress: (s) => [s.gamesFinished, 1] },
  { id: 'hatched', rewardCoins: 25, progress: (s) => [Math.min(s.maxStage, 1), 1] },
  { id: 'adult', rewardCoins: 150, progress: (s) => [Math.min(s.maxStage, STAGE_ADULT), STAGE_ADULT] },
  { id: 'radiant', rewardCoins: 300, rewardItems: { streak_freeze: 1 }, progress: (s) => [s.radiantAdults, 1] },
  { id: 'streak_7', rewardCoins: 100, rewardItems: { streak_freeze: 1 }, progress: (s) => [Math.min(s.dailyBest, 7), 7] },
  { id: 'streak_30', rewardCoins: 500, progress: (s) => [Math.min(s.dailyBest, 30), 30] },
  { id: 'first_purchase', rewardCoins: 20, progress: (s) => [Math.min(s.purchases, 1), 1] },
  { id: 'coins_1000', rewardCoins: 100, progress: (s) => [Math.min(s.coinsEarned, 1000), 1000] },
  { id: 'care_100', rewardCoins: 100, progress: (s) => [Math.min(s.careTotal, 100), 100] },
  { id: 'treats_80', rewardCoins: 50, progress: (s) => [Math.min(s.bestTreatsScore, 80), 80] },
  { id: 'collector', rewardCoins: 200, progress: (s) => [Math.min(s.skins, 3), 3] },
];

export function achievement(id: string): AchievementDef | undefined {
  return ACHIEVEMENTS.find((a) => a.id === id);
}
