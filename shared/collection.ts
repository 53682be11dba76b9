/**
 * The collection book: every skin in the catalog, by rarity and by season, and the sets a
 * player completes by owning all of a set's skins. Each set pays a one-time coin reward
 * (POST /api/v1/collection/sets/:setId/claim, once per player through the ledger). The
 * classic set is listed here; each season is a set of its own skins, made from the seasons
 * table, so a new season brings its set with it.
 */
import { ITEMS, ITEM_IDS, RARITIES, type ItemDef, type ItemId, type Rarity } from './balance.js';
import { SEASONS, seasonOfItem, seasonStatus, type SeasonDef } from './seasons.js';
import { SHOP_ITEMS, STARS_PRODUCTS } from './shop.js';

export interface CollectionSetDef {
  /** Stable id (stored in claims, in the claim URL, i18n `collection.set.<id>` for fixed sets). */
  readonly id: string;
  /** The season of a seasonal set (its name comes from `season.<id>`), null otherwise. */
  readonly seasonId: string | null;
  readonly items: readonly ItemId[];
  readonly rewardCoins: number;
}

/** A skin's item, its rarity and its season (null: sold all year or for Stars). */
export interface SkinEntry {
  readonly itemId: ItemId;
  readonly skin: string;
  readonly rarity: Rarity;
  readonly seasonId: string | null;
}

/** Every skin in the catalog, in catalog order. */
export const SKIN_ITEMS: readonly SkinEntry[] = ITEM_IDS.flatMap((itemId) => {
  const def: ItemDef = ITEMS[itemId];
  if (def.kind !== 'skin' || !def.skin) return [];
  return [{ itemId, skin: def.skin, rarity: def.rarity ?? 'common', seasonId: seasonOfItem(itemId)?.id ?? null }];
});

const isSkin = (itemId: ItemId): boolean => ITEMS[itemId].kind === 'skin';

/** The set of a season: its skins (a season without skins has no set). */
export function seasonSet(season: SeasonDef): CollectionSetDef | null {
  const items = season.items.filter(isSkin);
  return items.length === 0 ? null : { id: `season-${season.id}`, seasonId: season.id, items, rewardCoins: season.setRewardCoins };
}

/** Every set, fixed ones first, then one per season with skins, oldest first. */
export const COLLECTION_SETS: readonly CollectionSetDef[] = [
  { id: 'classic', seasonId: null, items: ['skin_sakura', 'skin_midnight', 'skin_golden'], rewardCoins: 300 },
  ...SEASONS.flatMap((s) => seasonSet(s) ?? []),
];

export function collectionSet(id: string): CollectionSetDef | undefined {
  return COLLECTION_SETS.find((s) => s.id === id);
}

/**
 * How a skin is had now: in the shop for coins, for Telegram Stars, in its season (running
 * until `endsAt`, coming from `startsAt`, or gone), or not at all.
 */
export type SkinSource =
  | { kind: 'shop' }
  | { kind: 'stars'; productId: string; stars: number }
  | { kind: 'season_now'; seasonId: string; endsAt: string }
  | { kind: 'season_upcoming'; seasonId: string; startsAt: string }
  | { kind: 'season_past'; seasonId: string }
  | { kind: 'unavailable' };

export function skinSource(itemId: ItemId, nowMs: number): SkinSource {
  const season = seasonOfItem(itemId);
  if (season) {
    const status = seasonStatus(season, nowMs);
    if (status === 'current') return { kind: 'season_now', seasonId: season.id, endsAt: season.endsAt };
    if (status === 'upcoming') return { kind: 'season_upcoming', seasonId: season.id, startsAt: season.startsAt };
    return { kind: 'season_past', seasonId: season.id };
  }
  if (SHOP_ITEMS.some((i) => i.itemId === itemId)) return { kind: 'shop' };
  const product = STARS_PRODUCTS.find((p) => (p.grants.items?.[itemId] ?? 0) > 0);
  if (product) return { kind: 'stars', productId: product.productId, stars: product.stars };
  return { kind: 'unavailable' };
}

/** Rarity order for the book: the rarest last. */
export const BOOK_RARITIES: readonly Rarity[] = RARITIES;

/**
 * What is wrong with the sets (empty: nothing): ids unique, items real skins, at least one
 * each, rewards positive. The unit test runs it.
 */
export function collectionSetProblems(sets: readonly CollectionSetDef[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const set of sets) {
    if (!/^[a-z0-9-]{1,64}$/.test(set.id)) problems.push(`${set.id}: id must be lower-case letters, digits and dashes`);
    if (ids.has(set.id)) problems.push(`${set.id}: duplicate id`);
    ids.add(set.id);
    if (set.items.length === 0) problems.push(`${set.id}: has no skins`);
    for (const item of set.items) if (!Object.hasOwn(ITEMS, item) || !isSkin(item)) problems.push(`${set.id}: ${item} is not a skin`);
    if (!Number.isSafeInteger(set.rewardCoins) || set.rewardCoins < 1) problems.push(`${set.id}: rewardCoins must be a positive whole number`);
  }
  return problems;
}
