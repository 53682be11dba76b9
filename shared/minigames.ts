/**
 * Minigame rules: the three clicker-style games, their playfield, spawn and motion
 * parameters, scoring, anti-cheat limits and reward caps. Distances are in field units
 * (the field is 1 wide and `FIELD_HEIGHT` tall, origin top-left, y down); times are real
 * seconds (games are not scaled by SIM_TIME_SCALE: a round is a round).
 */
import type { CareMeter } from './balance.js';

export const MINIGAME_KINDS = ['treats', 'bubbles', 'ball'] as const;
export type MinigameKind = (typeof MINIGAME_KINDS)[number];

/** What a game's moving targets are, by the index the sim stores (`TARGET_TREAT` …). */
export const TARGET_KINDS = ['treat', 'bubble', 'ball'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const FIELD_WIDTH = 1;
export const FIELD_HEIGHT = 1.6;

/** Server ticks per second for game entities. */
export const MINIGAME_TICK_HZ = 20;

interface MinigameDef {
  /** The meter the game's reward raises. */
  meter: CareMeter;
  durationS: number;
  /** A score of at least this is a good result (offsets a care mistake, within the daily cap). */
  goodScore: number;
}

export const MINIGAMES: Readonly<Record<MinigameKind, MinigameDef>> = {
  treats: { meter: 'hunger', durationS: 30, goodScore: 15 },
  bubbles: { meter: 'cleanliness', durationS: 40, goodScore: 15 },
  ball: { meter: 'mood', durationS: 45, goodScore: 20 },
};

/** Catch the treats: treats fall from the top at seeded positions and speeds. */
export const TREATS = {
  spawnEveryMinS: 0.55,
  spawnEveryMaxS: 0.9,
  xMin: 0.1,
  xMax: 0.9,
  speedMin: 0.28,
  speedMax: 0.5,
  radius: 0.07,
} as const;

/** Bubble bath: bubbles rise and grow, and burst at the end of their life. */
export const BUBBLES = {
  spawnEveryMinS: 0.7,
  spawnEveryMaxS: 1.1,
  xMin: 0.12,
  xMax: 0.88,
  riseMin: 0.08,
  riseMax: 0.16,
  radiusStart: 0.03,
  /** Radius growth per second. */
  growthPerS: 0.02,
  lifeS: 3.5,
} as const;

/** Play ball: one ball under gravity; tap it inside the hit zone to kick it up. */
export const BALL = {
  radius: 0.075,
  gravity: 1.2,
  startY: 0.3,
  sideSpeedMin: 0.15,
  sideSpeedMax: 0.35,
  kickSpeedMin: 1.05,
  kickSpeedMax: 1.35,
  /** The hit zone: a band near the bottom. */
  zoneTop: 1.15,
  zoneBottom: 1.45,
  /** Seconds before a dropped ball comes back. */
  respawnDelayS: 0.5,
  /** Points for a hit are the combo (consecutive hits) up to this. */
  maxComboPoints: 5,
} as const;

/** A tap hits a target within this distance of its edge. */
export const TAP_TOLERANCE = 0.06;
/**
 * A tap is checked against where the target was over this window before the server
 * received it (the tap travelled over the network): a fair hit on a moving target counts.
 */
export const TAP_LATENCY_ALLOWANCE_S = 0.25;
/** More taps than this within one second score nothing and count as suspicious. */
export const MAX_TAPS_PER_SECOND = 15;

/** Coins per point, and the caps per game and per (local game) day. */
export const COINS_PER_POINT = 1;
export const MAX_COINS_PER_GAME = 30;
export const MAX_COINS_PER_DAY = 120;
/** Meter points per point of score, capped per game. */
export const METER_POINTS_PER_POINT = 2;
export const MAX_METER_POINTS_PER_GAME = 40;
/** Good results that offset a care mistake, per day. */
export const MAX_CARE_BONUS_PER_DAY = 2;

export function isMinigameKind(value: unknown): value is MinigameKind {
  return typeof value === 'string' && (MINIGAME_KINDS as readonly string[]).includes(value);
}
