/**
 * Analytics (docs/events.md, "Analytics"): the UI events the Mini App sends in batches, and
 * the daily aggregates the admin endpoint serves. Every field of a UI event is an enum: no
 * names, no ids, nothing typed, nothing about other players.
 */
import { Type, type Static } from 'typebox';
import { CARE_ACTIONS } from './balance.js';
import { ERRORS } from './errors.js';
import { MINIGAME_KINDS } from './minigames.js';

/** At most this many events in one batch. */
export const ANALYTICS_MAX_BATCH = 50;
/** Largest request body of a batch, in bytes (50 of the longest events fit in under 3 KB). */
export const ANALYTICS_BODY_LIMIT_BYTES = 8 * 1024;
/** Longest range of days the admin endpoint serves at once. */
export const ANALYTICS_MAX_RANGE_DAYS = 92;

export const UI_EVENT_TYPES = ['screen_view', 'action_tap', 'shop_opened', 'minigame_started', 'share_tapped', 'error_shown'] as const;
export type UiEventType = (typeof UI_EVENT_TYPES)[number];

/**
 * Screens and sheets; `friend_home` is a friend's home (which friend is not recorded). The
 * shop's view is its own event, `shop_opened`.
 */
export const UI_SCREENS = ['home', 'friend_home', 'create', 'bag', 'progress', 'friends', 'games'] as const;
export type UiScreen = (typeof UI_SCREENS)[number];

/** The main actions on the home: the care buttons and waking the pet. */
export const UI_ACTIONS = [...CARE_ACTIONS, 'wake'] as const;
export type UiAction = (typeof UI_ACTIONS)[number];

/** Codes an error toast can show: the registry's, `NETWORK` (the client's own), else `UNKNOWN`. */
export const UI_ERROR_CODES = [...(Object.keys(ERRORS) as Array<keyof typeof ERRORS>), 'NETWORK', 'UNKNOWN'] as const;
export type UiErrorCode = (typeof UI_ERROR_CODES)[number];

const strict = { additionalProperties: false } as const;

export const UiEventSchema = Type.Union(
  [
    Type.Object({ type: Type.Literal('screen_view'), screen: Type.Enum(UI_SCREENS) }, strict),
    Type.Object({ type: Type.Literal('action_tap'), action: Type.Enum(UI_ACTIONS) }, strict),
    Type.Object({ type: Type.Literal('shop_opened') }, strict),
    Type.Object({ type: Type.Literal('minigame_started'), game: Type.Enum(MINIGAME_KINDS) }, strict),
    Type.Object({ type: Type.Literal('share_tapped') }, strict),
    Type.Object({ type: Type.Literal('error_shown'), code: Type.Enum(UI_ERROR_CODES) }, strict),
  ],
  { description: 'One UI event; every field is an enum' },
);
export type UiEvent = Static<typeof UiEventSchema>;

export const UiEventBatchSchema = Type.Object(
  { events: Type.Array(UiEventSchema, { minItems: 1, maxItems: ANALYTICS_MAX_BATCH }) },
  strict,
);
export type UiEventBatch = Static<typeof UiEventBatchSchema>;

export const UiEventBatchResultSchema = Type.Object({ accepted: Type.Integer({ minimum: 0, maximum: ANALYTICS_MAX_BATCH }) });

/** A UTC day, YYYY-MM-DD. */
const DaySchema = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', minLength: 10, maxLength: 10, description: 'A UTC day, YYYY-MM-DD' });

export const AnalyticsDailyQuerySchema = Type.Object({ from: DaySchema, to: DaySchema }, strict);
export type AnalyticsDailyQuery = Static<typeof AnalyticsDailyQuerySchema>;

const Count = Type.Integer({ minimum: 0 });
const Amounts = Type.Record(Type.String(), Type.Integer(), { description: 'coins by ledger reason' });

const CohortReturnSchema = Type.Object({
  cohort: Type.Integer({ minimum: 0, description: 'Players new on this day' }),
  returned: Type.Integer({ minimum: 0, description: 'Of them, players active on the day N days later' }),
});

export const AnalyticsDaySchema = Type.Object({
  day: DaySchema,
  computedAt: Type.String({ format: 'date-time' }),
  final: Type.Boolean({ description: 'Computed after every window it depends on (up to day+7) had ended; until then later runs recompute it' }),
  dau: Count,
  wau: Type.Integer({ minimum: 0, description: 'Players active on this day or the 6 before it' }),
  newPlayers: Count,
  returns: Type.Object({ d1: CohortReturnSchema, d7: CohortReturnSchema }),
  funnel: Type.Object(
    { newPlayers: Count, adopted: Count, cared: Count, playedMinigame: Count, purchased: Count },
    { description: 'Players new on this day who, within their first 7 days, did the step and every step before it' },
  ),
  stars: Type.Object({ payments: Count, payers: Count, gross: Count, refunded: Count, net: Type.Integer() }),
  coins: Type.Object({ earned: Count, spent: Count, faucets: Amounts, sinks: Amounts }),
  priceExperiment: Type.Record(
    Type.String(),
    Type.Object({ shopViewers: Count, buyers: Count, convertedViewers: Count, purchases: Count, coins: Count }),
    { description: 'By price variant: players who opened the shop, who bought, who did both; purchases and their coins' },
  ),
  ui: Type.Record(Type.String(), Type.Integer(), { description: 'UI events by type' }),
});
export type AnalyticsDayDto = Static<typeof AnalyticsDaySchema>;

export const AnalyticsDailySchema = Type.Object({
  days: Type.Array(AnalyticsDaySchema),
  missing: Type.Array(DaySchema, { description: 'Days of the range not computed (yet)' }),
});
export type AnalyticsDailyDto = Static<typeof AnalyticsDailySchema>;

/** A UTC day's start (epoch ms) from YYYY-MM-DD, or null when it is no calendar date. */
export function utcDayStart(day: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, date);
  return formatUtcDay(ms) === day ? ms : null;
}

/** The UTC day (YYYY-MM-DD) of an instant (epoch ms). */
export function formatUtcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
