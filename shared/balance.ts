/**
 * Balance tables: every rate, threshold and duration of the pet rules lives here so that the
 * simulation, the server, the client and the docs read the same numbers. Times are game
 * seconds (real seconds multiplied by `SIM_TIME_SCALE`); meters are 0–100 with 100 best.
 */

/** Life stages in growth order; a stage's index is its numeric id in the simulation. */
export const STAGES = ['egg', 'baby', 'child', 'teen', 'adult'] as const;
export type StageName = (typeof STAGES)[number];
export const STAGE_EGG = 0;
export const STAGE_ADULT = STAGES.length - 1;

export const SPECIES = ['cat', 'dog', 'fox', 'bunny'] as const;
export type Species = (typeof SPECIES)[number];

export const CARE_ACTIONS = ['feed', 'play', 'clean', 'heal'] as const;
export type CareAction = (typeof CARE_ACTIONS)[number];

/** Adult forms, decided by care quality when a teen grows up; index 0 is "not adult yet". */
export const ADULT_FORMS = ['none', 'radiant', 'ordinary', 'scruffy'] as const;
export type AdultForm = (typeof ADULT_FORMS)[number];
export const ADULT_FORM_NONE = 0;

/** The three care meters that decay on their own; health follows them. */
export const CARE_METERS = ['hunger', 'mood', 'cleanliness'] as const;
export type CareMeter = (typeof CARE_METERS)[number];
export type Meter = CareMeter | 'health';

export const METER_MAX = 100;

/** A care meter at or below this value is critical: health falls while any meter is. */
export const CRITICAL_THRESHOLD = 20;
/** A care meter strictly above this value is good: health recovers while all three are. */
export const GOOD_THRESHOLD = 50;

/** Care meter decay in points per game hour at a stage multiplier of 1. */
export const DECAY_PER_HOUR: Readonly<Record<CareMeter, number>> = {
  hunger: 6,
  mood: 5,
  cleanliness: 4,
};

/** Multiplier on `DECAY_PER_HOUR` per stage: eggs barely need anything, babies need most. */
export const STAGE_DECAY_MULTIPLIER: readonly number[] = [0.25, 1.25, 1, 0.9, 0.8];

/** Care meters decay this much slower while the pet sleeps (multiplier). */
export const SLEEP_DECAY_MULTIPLIER = 0.35;
/** Care meters decay this much faster while the pet is sick (multiplier). */
export const SICK_DECAY_MULTIPLIER = 1.5;

/**
 * Quiet hours in the owner's local time (UTC offset from the Mini App), as seconds after
 * local midnight: pets sleep from 22:00 to 07:00. Times are game time: at SIM_TIME_SCALE 60
 * a game day passes in 24 real minutes.
 */
export const SLEEP_START_S = 22 * 3600;
export const SLEEP_END_S = 7 * 3600;
/** Waking a sleeping pet keeps it awake this long (game seconds) and costs mood. */
export const WAKE_DURATION_S = 2 * 3600;
export const WAKE_MOOD_COST = 10;
/** The only care a sleeping pet accepts. */
export const CARE_WHILE_ASLEEP: readonly CareAction[] = ['heal'];

/**
 * A care mistake is counted for every full grace period a care meter stays critical while the
 * pet is awake (Tamagotchi-style): neglect overnight is forgiven, neglect by day is not.
 */
export const CARE_MISTAKE_GRACE_S = 3600;
/** Every this many game seconds of unbroken good care (all meters good, awake or asleep, not sick) offsets one mistake. */
export const GOOD_CARE_STREAK_S = 6 * 3600;
/**
 * Adult form from net mistakes (mistakes minus offsets) when a teen grows up: at most
 * `RADIANT_MAX_NET` → radiant, at most `ORDINARY_MAX_NET` → ordinary, more → scruffy.
 */
const RADIANT_MAX_NET_MISTAKES = 2;
const ORDINARY_MAX_NET_MISTAKES = 8;

export function adultFormFor(careMistakes: number, careBonus: number): number {
  const net = careMistakes - careBonus;
  if (net <= RADIANT_MAX_NET_MISTAKES) return 1;
  if (net <= ORDINARY_MAX_NET_MISTAKES) return 2;
  return 3;
}

/** Health lost per game hour for each care meter that is critical. */
export const HEALTH_LOSS_PER_HOUR_PER_CRITICAL = 5;
/** Health regained per game hour while all care meters are good and the pet is not sick. */
export const HEALTH_GAIN_PER_HOUR = 3;

/**
 * Game seconds of healthy time a pet must spend in each stage before it grows; the adult
 * stage is final. Healthy means not sick and health at or above `GROWTH_MIN_HEALTH`.
 */
export const STAGE_DURATION_S: readonly number[] = [5 * 60, 6 * 3600, 24 * 3600, 3 * 24 * 3600, Infinity];
export const GROWTH_MIN_HEALTH = 40;

/** Meters of a newly created pet. */
export const NEW_PET_METERS: Readonly<Record<Meter, number>> = {
  hunger: 60,
  mood: 70,
  cleanliness: 80,
  health: 100,
};

export type MeterDelta = Readonly<Partial<Record<Meter, number>>>;

interface CareEffect {
  /** Meter changes in points, applied then clamped to 0–100 (feed adds its food's effect). */
  readonly delta: MeterDelta;
  /** Game seconds before the same action may be used again on the same pet. */
  readonly cooldownS: number;
}

/** What each care action does on top of its item. `heal` also cures sickness. */
export const CARE_EFFECTS: Readonly<Record<CareAction, CareEffect>> = {
  feed: { delta: {}, cooldownS: 60 },
  play: { delta: { mood: 22, hunger: -4, cleanliness: -6 }, cooldownS: 45 },
  clean: { delta: { cleanliness: 35, mood: -2 }, cooldownS: 90 },
  heal: { delta: { health: 35, mood: -4 }, cooldownS: 300 },
};

/**
 * Item kinds. The four care kinds are consumed by their care action; boosters are used by
 * other rules (a streak freeze saves a missed day); skins are cosmetics a pet can wear.
 */
export const ITEM_KINDS = ['food', 'soap', 'toy', 'medicine', 'booster', 'skin'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];

export interface ItemDef {
  readonly kind: ItemKind;
  /**
   * Food: what eating it does (feed has no effect of its own). Soap, toys and medicine: a
   * bonus on top of their action's effect.
   */
  readonly delta?: MeterDelta;
  /** Skins: the look it gives (the image pipeline's skin id). */
  readonly skin?: string;
  /** Skins: rarity class shown in the shop and gallery. */
  readonly rarity?: Rarity;
}

export const RARITIES = ['common', 'rare', 'epic', 'legendary'] as const;
export type Rarity = (typeof RARITIES)[number];

/** Every item a player can own. Each care action consumes one item of its kind. */
export const ITEMS = {
  kibble: { kind: 'food', delta: { hunger: 25, mood: 2 } },
  berries: { kind: 'food', delta: { hunger: 12, mood: 8 } },
  fish: { kind: 'food', delta: { hunger: 35, mood: 6 } },
  steak: { kind: 'food', delta: { hunger: 45, mood: 4, cleanliness: -4 } },
  cake: { kind: 'food', delta: { hunger: 15, mood: 15, health: -3 } },
  soap: { kind: 'soap' },
  bubble_bath: { kind: 'soap', delta: { cleanliness: 15, mood: 6 } },
  ball: { kind: 'toy' },
  plush: { kind: 'toy', delta: { mood: 10 } },
  medicine: { kind: 'medicine' },
  vitamins: { kind: 'medicine', delta: { health: 15 } },
  streak_freeze: { kind: 'booster' },
  skin_sakura: { kind: 'skin', skin: 'sakura', rarity: 'rare' },
  skin_midnight: { kind: 'skin', skin: 'midnight', rarity: 'epic' },
  skin_golden: { kind: 'skin', skin: 'golden', rarity: 'legendary' },
  // Seasonal (shared/seasons.ts): sold only while their season runs.
  skin_maple: { kind: 'skin', skin: 'maple', rarity: 'rare' },
  skin_frost: { kind: 'skin', skin: 'frost', rarity: 'epic' },
  cocoa: { kind: 'food', delta: { hunger: 14, mood: 14 } },
  skin_meadow: { kind: 'skin', skin: 'meadow', rarity: 'rare' },
} as const satisfies Record<string, ItemDef>;
export type ItemId = keyof typeof ITEMS;
export const ITEM_IDS = Object.keys(ITEMS) as ItemId[];

/** The skin id a skin item gives, or undefined for other items. */
export function skinOfItem(itemId: ItemId): string | undefined {
  const def: ItemDef = ITEMS[itemId];
  return def.skin;
}

/** The skin item that gives `skin`, if any. */
export function itemOfSkin(skin: string): ItemId | undefined {
  return ITEM_IDS.find((id) => skinOfItem(id) === skin);
}

/** The item kind each care action consumes. */
export const ACTION_ITEM_KIND: Readonly<Record<CareAction, ItemKind>> = {
  feed: 'food',
  play: 'toy',
  clean: 'soap',
  heal: 'medicine',
};

/** The item used when a care action names none (feed defaults to the plainest food). */
export const DEFAULT_ACTION_ITEM: Readonly<Record<CareAction, ItemId>> = {
  feed: 'kibble',
  play: 'ball',
  clean: 'soap',
  heal: 'medicine',
};

/** Granted once with every adopted pet. */
export const STARTER_PACK: Readonly<Partial<Record<ItemId, number>>> = {
  kibble: 12,
  fish: 4,
  cake: 2,
  soap: 6,
  ball: 8,
  medicine: 2,
};

export function isItemId(value: unknown): value is ItemId {
  return typeof value === 'string' && Object.hasOwn(ITEMS, value);
}

/** Feeding a pet whose hunger is already above this overfeeds it. */
export const OVERFEED_THRESHOLD = 90;
/** What overfeeding costs on top of the normal feed effect. */
export const OVERFEED_PENALTY: Readonly<Partial<Record<Meter, number>>> = { health: -6, mood: -8 };

export const MAX_PETS_PER_PLAYER = 3;
export const PET_NAME_MAX_LENGTH = 32;

export function stageName(stage: number): StageName {
  return STAGES[Math.min(Math.max(stage, 0), STAGE_ADULT)] ?? 'egg';
}

export function isSpecies(value: unknown): value is Species {
  return typeof value === 'string' && (SPECIES as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------
// Referrals (docs/ECONOMY.md, "Referrals"; ADR 0019)

/**
 * Coins paid once when a player who arrived through another player's share or invite link
 * (`ref_<inviteCode>`) adopts their first pet: to the inviter and to the new player.
 */
export const REFERRAL_REWARD = { inviterCoins: 100, referredCoins: 50 } as const;

/**
 * At most `rewards` referrals of one inviter are paid to the inviter in any `windowDays` days
 * (wall-clock days, a sliding window ending at the adoption; not game time). Over it the
 * friendship is still made and the new player still paid, the inviter gets nothing and the
 * anti-fraud review gets a `referral_cap` flag.
 */
export const REFERRAL_CAP = { rewards: 5, windowDays: 7 } as const;
