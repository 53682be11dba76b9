/**
 * The shop catalog: what is sold for coins (prices per stage of the player's most grown pet),
 * what is sold for Telegram Stars, and the price experiment. The server prices every purchase
 * from these tables; the client shows them. Promotions (time-windowed discounts) live in the
 * database, not here. See docs/ECONOMY.md for how to change them.
 */
import { ITEMS, STAGES, type ItemDef, type ItemId, type ItemKind } from './balance.js';

/** Coin prices, one per stage (egg, baby, child, teen, adult): grown pets eat more. */
type StagePrices = readonly [number, number, number, number, number];

export interface ShopItemDef {
  readonly itemId: ItemId;
  readonly coins: StagePrices;
  /** At most this many in one purchase (skins: 1, and only if not owned). */
  readonly maxPerPurchase: number;
}

const flat = (price: number): StagePrices => [price, price, price, price, price];

/** Items sold for coins, in shop order. */
export const SHOP_ITEMS: readonly ShopItemDef[] = [
  { itemId: 'kibble', coins: [4, 5, 6, 7, 8], maxPerPurchase: 50 },
  { itemId: 'berries', coins: [5, 6, 7, 8, 9], maxPerPurchase: 50 },
  { itemId: 'fish', coins: [9, 11, 13, 15, 17], maxPerPurchase: 50 },
  { itemId: 'steak', coins: [16, 18, 22, 26, 30], maxPerPurchase: 50 },
  { itemId: 'cake', coins: [10, 12, 14, 16, 18], maxPerPurchase: 50 },
  { itemId: 'soap', coins: flat(6), maxPerPurchase: 50 },
  { itemId: 'bubble_bath', coins: flat(15), maxPerPurchase: 50 },
  { itemId: 'ball', coins: flat(8), maxPerPurchase: 50 },
  { itemId: 'plush', coins: flat(24), maxPerPurchase: 20 },
  { itemId: 'medicine', coins: [18, 20, 22, 25, 28], maxPerPurchase: 20 },
  { itemId: 'vitamins', coins: [28, 30, 34, 38, 42], maxPerPurchase: 20 },
  { itemId: 'streak_freeze', coins: flat(60), maxPerPurchase: 5 },
  { itemId: 'skin_sakura', coins: flat(400), maxPerPurchase: 1 },
  { itemId: 'skin_midnight', coins: flat(900), maxPerPurchase: 1 },
  // Seasonal (shared/seasons.ts): listed and sold only while their season runs.
  { itemId: 'skin_maple', coins: flat(450), maxPerPurchase: 1 },
  { itemId: 'skin_frost', coins: flat(650), maxPerPurchase: 1 },
  { itemId: 'cocoa', coins: [8, 9, 10, 11, 12], maxPerPurchase: 50 },
  { itemId: 'skin_meadow', coins: flat(450), maxPerPurchase: 1 },
];

export function shopItem(itemId: string): ShopItemDef | undefined {
  return SHOP_ITEMS.find((i) => i.itemId === itemId);
}

/** Non-stackable items: owned once. */
export function isUnique(itemId: ItemId): boolean {
  return ITEMS[itemId].kind === 'skin';
}

export interface StarsProductDef {
  readonly productId: string;
  /** Price in Telegram Stars (currency XTR). */
  readonly stars: number;
  /** What a paid order grants. */
  readonly grants: { readonly coins?: number; readonly items?: Readonly<Partial<Record<ItemId, number>>> };
  /** The invoice Telegram shows (title up to 32 characters, description up to 255). */
  readonly invoice: { readonly en: InvoiceText; readonly ru: InvoiceText };
}

interface InvoiceText {
  readonly title: string;
  readonly description: string;
}

/** Products sold for Telegram Stars, in shop order. */
export const STARS_PRODUCTS: readonly StarsProductDef[] = [
  {
    productId: 'coins_250',
    stars: 15,
    grants: { coins: 250 },
    invoice: {
      en: { title: 'Pouch of 250 coins', description: '250 coins for treats, toys and care in Telepets.' },
      ru: { title: 'Мешочек: 250 монет', description: '250 монет на угощения, игрушки и уход в Telepets.' },
    },
  },
  {
    productId: 'coins_700',
    stars: 35,
    grants: { coins: 700 },
    invoice: {
      en: { title: 'Chest of 700 coins', description: '700 coins for treats, toys and care in Telepets.' },
      ru: { title: 'Сундучок: 700 монет', description: '700 монет на угощения, игрушки и уход в Telepets.' },
    },
  },
  {
    productId: 'coins_2000',
    stars: 90,
    grants: { coins: 2000 },
    invoice: {
      en: { title: 'Treasure of 2000 coins', description: '2000 coins: enough for a rare coat and a full pantry.' },
      ru: { title: 'Клад: 2000 монет', description: '2000 монет: хватит на редкую шубку и полную кладовую.' },
    },
  },
  {
    productId: 'care_bundle',
    stars: 40,
    grants: { coins: 100, items: { steak: 5, bubble_bath: 3, plush: 2, vitamins: 2 } },
    invoice: {
      en: { title: 'Care bundle', description: '5 steaks, 3 bubble baths, 2 plush toys, 2 vitamins and 100 coins.' },
      ru: { title: 'Набор заботы', description: '5 стейков, 3 пены для ванны, 2 плюшевые игрушки, 2 витамина и 100 монет.' },
    },
  },
  {
    productId: 'skin_golden',
    stars: 150,
    grants: { items: { skin_golden: 1 } },
    invoice: {
      en: { title: 'Golden coat', description: 'A legendary golden coat for your pet, with sparkles.' },
      ru: { title: 'Золотая шубка', description: 'Легендарная золотая шубка для питомца, с блёстками.' },
    },
  },
];

export function starsProduct(productId: string): StarsProductDef | undefined {
  return STARS_PRODUCTS.find((p) => p.productId === productId);
}

interface PriceVariant {
  readonly id: string;
  /** Share of players, out of the variants' total weight. */
  readonly weight: number;
  /** Price multiplier per item kind (absent: 1). */
  readonly multipliers: Readonly<Partial<Record<ItemKind, number>>>;
}

/**
 * The running price experiment. Each player lands in one variant, by a hash of the experiment
 * id and the player id, so the same player always sees the same prices; every purchase and
 * Stars order records the variant.
 */
export const PRICE_EXPERIMENT: { readonly id: string; readonly variants: readonly PriceVariant[] } = {
  id: 'food-price-2026-11',
  variants: [
    { id: 'control', weight: 50, multipliers: {} },
    { id: 'food-minus-10', weight: 50, multipliers: { food: 0.9 } },
  ],
};

/** FNV-1a, 32 bits: a stable, dependency-free hash for bucketing. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

export function priceVariantFor(playerId: string, experiment = PRICE_EXPERIMENT): PriceVariant {
  const total = experiment.variants.reduce((sum, v) => sum + v.weight, 0);
  let bucket = fnv1a(`${experiment.id}:${playerId}`) % total;
  for (const variant of experiment.variants) {
    if (bucket < variant.weight) return variant;
    bucket -= variant.weight;
  }
  return experiment.variants[0] as PriceVariant;
}

export interface Discount {
  readonly promotionId: string;
  readonly percent: number;
}

export interface Price {
  /** The stage price after the experiment's multiplier. */
  readonly base: number;
  /** What one costs now (after the best promotion). */
  readonly unit: number;
  readonly discount: Discount | null;
}

/** The coin price of one `item` for a player at `stage`, with the best of `discounts`. */
export function priceOf(item: ShopItemDef, stage: number, variant: PriceVariant, discounts: readonly Discount[] = []): Price {
  const stagePrice = item.coins[Math.min(Math.max(stage, 0), STAGES.length - 1)] as number;
  const def: ItemDef = ITEMS[item.itemId];
  const base = Math.max(1, Math.round(stagePrice * (variant.multipliers[def.kind] ?? 1)));
  let best: Discount | null = null;
  for (const d of discounts) if (!best || d.percent > best.percent) best = d;
  const unit = best ? Math.max(1, Math.round((base * (100 - best.percent)) / 100)) : base;
  return { base, unit, discount: best };
}
