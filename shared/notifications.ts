/**
 * Bot notifications (docs/events.md, "Notifications"): what the bot may tell a player who is
 * away, grouped into the switches a player sees in the Mini App and in /notify.
 */
import { Type, type Static } from 'typebox';

/** Every notification the bot sends, each under one switch. */
export const NOTIFICATION_KINDS = {
  /** A care meter of a pet became critical. */
  pet_critical: 'care',
  /** A pet fell sick. */
  pet_sick: 'care',
  /** A pet is about to grow into its next stage. */
  pet_grows: 'growth',
  /** The daily streak breaks at the end of today unless the player cares today. */
  streak: 'streak',
  /** A friend visited (at most once a day). */
  friend_visit: 'friends',
  /** A Stars payment was refunded. */
  refund: 'payments',
  /** A Stars payment could not be matched to an order (support will sort it out). */
  payment_problem: 'payments',
  /** A friend the player invited adopted their first pet: the referral reward was paid. */
  friend_referral: 'friends',
} as const;

export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
export type NotificationSwitch = (typeof NOTIFICATION_KINDS)[NotificationKind];

/** The switches, in the order the settings show them. */
export const NOTIFICATION_SWITCHES = ['care', 'growth', 'streak', 'friends', 'payments'] as const satisfies readonly NotificationSwitch[];

export const isNotificationKind = (value: string): value is NotificationKind => Object.hasOwn(NOTIFICATION_KINDS, value);

/** Local quiet hours for notifications (seconds after local midnight): none from 22:00 to 08:00. */
export const NOTIFY_QUIET_START_S = 22 * 3600;
export const NOTIFY_QUIET_END_S = 8 * 3600;
/** A daily streak reminder goes out at this local time of the day it would break. */
export const STREAK_REMINDER_AT_S = 19 * 3600;
/** A pet's "about to grow up" note goes out this long (game seconds) before it grows. */
export const GROWS_NOTICE_LEAD_S = 3600;
/** Nothing about a pet within this long (game seconds) of the owner leaving: they just saw it. */
export const NOTIFY_MIN_AWAY_S = 1800;

const SwitchesSchema = Type.Object(
  {
    care: Type.Boolean(),
    growth: Type.Boolean(),
    streak: Type.Boolean(),
    friends: Type.Boolean(),
    payments: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const NotificationSettingsSchema = Type.Object(
  {
    /** Telegram lets the bot write to the player (allows_write_to_pm, or /start in the bot). */
    allowed: Type.Boolean(),
    /** The player blocked the bot (a send was refused with 403); /start in the bot clears it. */
    unreachable: Type.Boolean(),
    /** All off (/stop in the bot, or the master switch). */
    muted: Type.Boolean(),
    switches: SwitchesSchema,
    /** At most this many a local day (NOTIFY_DAILY_MAX). */
    dailyMax: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type NotificationSettingsDto = Static<typeof NotificationSettingsSchema>;

/** A change of settings: the master switch and any of the switches. */
export const NotificationSettingsPatchSchema = Type.Object(
  {
    muted: Type.Optional(Type.Boolean()),
    switches: Type.Optional(Type.Partial(SwitchesSchema, { additionalProperties: false })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type NotificationSettingsPatch = Static<typeof NotificationSettingsPatchSchema>;
