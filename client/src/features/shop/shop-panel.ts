/**
 * The shop: a full-screen sheet with my balance, tabs (Food, Care, Boosters, Skins, Stars),
 * and a card per item: its art, what it does, the price with any running promotion, how many
 * I own, a quantity stepper and the Buy button (closed with "Not enough coins" when the total
 * is over my balance); a skin I hold says Wear (or Worn) for the pet on show. Stars products
 * carry their ⭐ price and what they grant. A view only:
 * the shop controller fetches, buys and feeds it.
 */
import {
  ACTION_ITEM_KIND,
  CARE_ACTIONS,
  CARE_EFFECTS,
  ITEMS,
  skinOfItem,
  type CareAction,
  type ItemDef,
  type ItemId,
  type ItemKind,
  type Meter,
  type MeterDelta,
  type Rarity,
} from '../../../../shared/balance.js';
import type { BalancesDto, PromotionDto, SeasonDto, ShopDto, ShopItemDto, StarsProductDto } from '../../../../shared/dto.js';
import { iconSvg, type IconName } from '../../art/icons.js';
import { ITEM_COLORS, itemImage, type ArtName } from '../../art/item-art.js';
import { formatDuration, hasKey, t } from '../../i18n.js';
import type { CountUp } from '../../kit/count-up.js';
import { h, setText } from '../../kit/dom.js';
import { signed } from '../../kit/effects.js';
import { coinsPill, sheet, SheetPresence, SheetState } from '../../kit/sheet.js';
import './shop.css';

export const SHOP_SECTIONS = ['food', 'care', 'boosters', 'skins', 'stars'] as const;
export type ShopSection = (typeof SHOP_SECTIONS)[number];

/** How Stars can be paid here: Telegram's sheet, the dev server's imitation, or not at all. */
export type StarsMode = 'telegram' | 'dev' | 'none';

/** Who would wear a skin: my pet on show and its coat (none while visiting a friend). */
export interface Wearer {
  petName: string;
  skin: string;
}

export interface ShopHandlers {
  buy(itemId: ItemId, quantity: number): void;
  buyStars(productId: string): void;
  /** Puts a skin I hold on the pet on show. */
  wear(skin: string): void;
  retry(): void;
  close(): void;
}

const SECTION_OF_KIND: Readonly<Record<ItemKind, ShopSection>> = {
  food: 'food',
  soap: 'care',
  toy: 'care',
  medicine: 'care',
  booster: 'boosters',
  skin: 'skins',
};

const SECTION_ART: Readonly<Record<ShopSection, ArtName>> = {
  food: 'kibble',
  care: 'soap',
  boosters: 'streak_freeze',
  skins: 'skin_sakura',
  stars: 'star',
};

const METER_ICON: Readonly<Record<Meter, IconName>> = { hunger: 'feed', mood: 'play', cleanliness: 'clean', health: 'heal' };
const METER_ORDER: readonly Meter[] = ['hunger', 'mood', 'cleanliness', 'health'];

/** After this long held, a stepper button repeats. */
const REPEAT_DELAY_MS = 380;
const REPEAT_EVERY_MS = 70;

export function sectionOf(kind: ItemKind): ShopSection {
  return SECTION_OF_KIND[kind];
}

/** The care action that uses an item of `kind` (none for boosters and skins). */
export function actionFor(kind: ItemKind): CareAction | null {
  return CARE_ACTIONS.find((a) => ACTION_ITEM_KIND[a] === kind) ?? null;
}

/**
 * What using one does to the meters: a food's own effect; for soap, toys and medicine their
 * action's effect plus the item's bonus.
 */
function itemEffect(itemId: ItemId): MeterDelta {
  const def: ItemDef = ITEMS[itemId];
  const action = actionFor(def.kind);
  const total: Partial<Record<Meter, number>> = {};
  const add = (delta: MeterDelta | undefined): void => {
    for (const meter of METER_ORDER) {
      const d = delta?.[meter];
      if (d) total[meter] = (total[meter] ?? 0) + d;
    }
  };
  if (action && action !== 'feed') add(CARE_EFFECTS[action].delta);
  add(def.delta);
  return total;
}

/** A Stars product's name: "700 coins", the skin it gives, or a bundle. */
export function productTitle(p: StarsProductDto): string {
  const [only] = p.items;
  if (!only) return t('stars.coins', { coins: p.coins });
  if (p.items.length === 1 && p.coins === 0) {
    return only.quantity === 1 ? t(`item.${only.itemId}`) : t('stars.grantsItem', { count: only.quantity, item: t(`item.${only.itemId}`) });
  }
  return t('stars.bundle');
}

/** A Stars product's picture: coins, the item it gives, or a gift box for a bundle. */
export function productArt(p: StarsProductDto): ArtName {
  const [only] = p.items;
  if (!only) return 'coins';
  if (p.items.length === 1 && p.coins === 0) return only.itemId;
  return 'gift';
}

function rarityOf(itemId: ItemId): Rarity | null {
  const def: ItemDef = ITEMS[itemId];
  return def.rarity ?? null;
}

function starPrice(stars: number): HTMLElement {
  return h('span', { class: 'star-price' }, [itemImage('star', 18), h('span', { text: String(stars) })]);
}

/** What one does, as coloured meter chips ("+25 Hunger"), plus "Cures sickness" for medicine. */
export function effectChips(itemId: ItemId): HTMLElement[] {
  const effect = itemEffect(itemId);
  const chips = METER_ORDER.filter((m) => (effect[m] ?? 0) !== 0).map((meter) => {
    const value = effect[meter] ?? 0;
    return h('span', { class: `effect-chip meter-${meter}${value < 0 ? ' down' : ''}` }, [
      iconSvg(METER_ICON[meter], 13),
      `${signed(value)} ${t(`meter.${meter}`)}`,
    ]);
  });
  if (ITEMS[itemId].kind === 'medicine') chips.push(h('span', { class: 'effect-chip meter-health' }, [iconSvg('heal', 13), t('shop.cures')]));
  return chips;
}

/** What a card says it does, under its name. */
function description(itemId: ItemId): HTMLElement {
  const kind = ITEMS[itemId].kind;
  if (kind === 'booster') return h('p', { class: 'shop-about', text: t('shop.about.streak_freeze') });
  if (kind === 'skin') return h('p', { class: 'shop-about', text: t('shop.skinHint') });
  return h('div', { class: 'shop-effects' }, effectChips(itemId));
}

/** A button that repeats `step` while held (stepper ±). */
function repeatable(button: HTMLButtonElement, step: () => void): void {
  let timer = 0;
  let repeated = false;
  const stop = (): void => {
    clearTimeout(timer);
    timer = 0;
  };
  const tick = (): void => {
    if (button.disabled) return stop();
    repeated = true;
    step();
    timer = window.setTimeout(tick, REPEAT_EVERY_MS);
  };
  button.addEventListener('pointerdown', () => {
    repeated = false;
    stop();
    timer = window.setTimeout(tick, REPEAT_DELAY_MS);
  });
  for (const type of ['pointerup', 'pointerleave', 'pointercancel'] as const) button.addEventListener(type, stop);
  button.addEventListener('click', () => {
    // A hold already stepped; its release is not one more step.
    if (repeated) {
      repeated = false;
      return;
    }
    step();
  });
}

interface ItemCard {
  dto: ShopItemDto;
  el: HTMLElement;
  qty: number;
  qtyValue: HTMLElement;
  stepper: HTMLElement;
  minus: HTMLButtonElement;
  plus: HTMLButtonElement;
  buy: HTMLButtonElement;
  buyLabel: HTMLElement;
  buyTotal: HTMLElement;
  buyWas: HTMLElement;
  owned: HTMLElement;
  promo: HTMLElement;
  promoText: HTMLElement;
  endsAt: number | null;
  busy: boolean;
}

interface StarsCard {
  dto: StarsProductDto;
  el: HTMLElement;
  button: HTMLButtonElement;
  busy: boolean;
}

/** A skin sold only for Stars, in the skins tab: points at its offer, or dresses the pet once held. */
interface StarsSkinCard {
  product: StarsProductDto;
  itemId: ItemId;
  el: HTMLElement;
  button: HTMLButtonElement;
  owned: boolean;
}

export class ShopPanel {
  readonly el: HTMLElement;
  private readonly balance: HTMLElement;
  private readonly coins: CountUp;
  private readonly debtNote: HTMLElement;
  private readonly debtText: HTMLElement;
  private readonly tabs: Record<ShopSection, HTMLButtonElement>;
  private readonly sections: Record<ShopSection, HTMLElement>;
  private readonly sale: HTMLElement;
  private readonly saleText: HTMLElement;
  private readonly state: SheetState;
  private readonly scroller: HTMLElement;
  private readonly starsHint: HTMLElement;
  private items = new Map<ItemId, ItemCard>();
  private stars = new Map<string, StarsCard>();
  private starsSkins = new Map<ItemId, StarsSkinCard>();
  private promotions: PromotionDto[] = [];
  private section: ShopSection = 'food';
  private balances: BalancesDto = { coins: 0, debt: 0 };
  private wearer: Wearer | null = null;
  private starsMode: StarsMode = 'none';
  private starsBusy = false;
  private readonly presence: SheetPresence;
  private expiredListener: (() => void) | null = null;
  /** Promotions whose end already asked for fresh prices (once each: clocks can disagree). */
  private readonly expired = new Set<string>();
  /** The running season (the banner), and the device clock minus the server's at the answer. */
  private season: SeasonDto | null = null;
  private skewMs = 0;
  private readonly seasonBanner: HTMLElement;
  private readonly seasonArt: HTMLElement;
  private readonly seasonTitle: HTMLElement;
  private readonly seasonText: HTMLElement;

  constructor(private readonly handlers: ShopHandlers) {
    ({ el: this.balance, coins: this.coins } = coinsPill('shop-balance', '', 26));
    this.balance.dataset.debt = '0';
    this.debtText = h('strong', { class: 'shop-debt-title' });
    this.debtNote = h('div', { class: 'shop-debt', testid: 'shop-debt', attrs: { hidden: '', role: 'note' } }, [
      this.debtText,
      h('span', { text: t('shop.debtHint') }),
    ]);

    this.tabs = Object.fromEntries(
      SHOP_SECTIONS.map((section) => [
        section,
        h(
          'button',
          {
            class: `shop-tab tab-${section}`,
            testid: `shop-tab-${section}`,
            attrs: { type: 'button', role: 'tab', 'aria-selected': 'false', 'data-section': section },
            on: { click: () => this.showSection(section) },
          },
          [itemImage(SECTION_ART[section], 28), h('span', { class: 'shop-tab-label', text: t(`shop.tab.${section}`) })],
        ),
      ]),
    ) as Record<ShopSection, HTMLButtonElement>;

    const sections: Partial<Record<ShopSection, HTMLElement>> = {};
    for (const section of SHOP_SECTIONS) {
      sections[section] = h('ul', {
        class: 'stack-list shop-list',
        testid: `shop-section-${section}`,
        attrs: { role: 'tabpanel', 'data-section': section, hidden: '' },
      });
    }
    this.sections = sections as Record<ShopSection, HTMLElement>;

    this.saleText = h('span');
    this.sale = h('div', { class: 'shop-sale', testid: 'shop-sale', attrs: { hidden: '' } }, [iconSvg('clock', 16), this.saleText]);
    this.starsHint = h('p', { class: 'stars-hint', testid: 'stars-hint', attrs: { hidden: '' } });
    this.seasonArt = h('span', { class: 'shop-season-art' });
    this.seasonTitle = h('strong', { class: 'shop-season-title' });
    this.seasonText = h('span', { class: 'shop-season-ends', testid: 'shop-season-ends' });
    this.seasonBanner = h(
      'button',
      {
        class: 'shop-season',
        testid: 'shop-season',
        attrs: { type: 'button', hidden: '' },
        on: { click: () => this.showSection('skins') },
      },
      [this.seasonArt, h('span', { class: 'shop-season-text' }, [this.seasonTitle, this.seasonText])],
    );
    this.state = new SheetState('shop-state', () => handlers.retry());

    this.scroller = h('div', { class: 'sheet-scroll' }, [this.seasonBanner, this.sale, this.state.el, ...SHOP_SECTIONS.map((s) => this.sections[s])]);
    this.el = sheet({ name: 'shop', className: 'shop', title: t('shop.title'), closeLabel: t('shop.close'), onClose: () => handlers.close(), trailing: this.balance }, [
      this.debtNote,
      h('nav', { class: 'shop-tabs', attrs: { role: 'tablist', 'aria-label': t('shop.title') } }, SHOP_SECTIONS.map((s) => this.tabs[s])),
      this.scroller,
    ]);
    this.setLoading();
    this.showSection('food');
    this.presence = new SheetPresence(this.el, () => this.tick());
  }

  get open(): boolean {
    return this.presence.open;
  }

  get coinsShown(): number {
    return this.balances.coins;
  }

  /** Called when a promotion on show ends (its prices are stale: fetch the shop again). */
  onPromotionExpired(listener: () => void): void {
    this.expiredListener = listener;
  }

  show(section?: ShopSection): void {
    if (section) this.showSection(section);
    this.presence.show();
    this.tick();
  }

  hide(): void {
    this.presence.hide();
  }

  showSection(section: ShopSection): void {
    this.section = section;
    for (const s of SHOP_SECTIONS) {
      const active = s === section;
      this.tabs[s].classList.toggle('active', active);
      this.tabs[s].setAttribute('aria-selected', String(active));
      this.sections[s].hidden = !active;
    }
    this.el.dataset.section = section;
    this.scroller.scrollTop = 0;
    this.renderSale();
  }

  setLoading(): void {
    this.el.dataset.state = this.items.size > 0 ? 'ready' : 'loading';
    if (this.items.size > 0) return;
    this.state.loading(t('shop.loading'));
  }

  setFailed(): void {
    if (this.items.size > 0) return;
    this.el.dataset.state = 'error';
    this.state.failed(t('shop.failed'));
  }

  /** Renders a fresh catalog (prices, promotions, owned counts, balances). */
  setData(dto: ShopDto): void {
    this.promotions = dto.promotions;
    this.setSeason(dto.season, dto.serverTime);
    const quantities = new Map([...this.items].map(([id, card]) => [id, card.qty]));
    const busy = new Set([...this.items].filter(([, card]) => card.busy).map(([id]) => id));
    this.items = new Map();
    this.stars = new Map();
    this.starsSkins = new Map();
    const lists: Record<ShopSection, HTMLElement[]> = { food: [], care: [], boosters: [], skins: [], stars: [] };
    for (const item of dto.items) {
      const card = this.itemCard(item, quantities.get(item.itemId) ?? 1);
      card.busy = busy.has(item.itemId);
      this.items.set(item.itemId, card);
      lists[sectionOf(item.kind)].push(card.el);
    }
    // Skins sold only for Stars still belong in the skins tab: a card pointing at the offer.
    for (const product of dto.starsProducts) {
      const [only] = product.items;
      if (only && product.items.length === 1 && ITEMS[only.itemId].kind === 'skin' && !this.items.has(only.itemId)) {
        const card = this.starsSkinCard(product, only.itemId);
        this.starsSkins.set(only.itemId, card);
        lists.skins.push(card.el);
      }
    }
    const bestValue = bestCoinsPerStar(dto.starsProducts);
    const baseRate = baseCoinsPerStar(dto.starsProducts);
    for (const product of dto.starsProducts) {
      const bonus = product.items.length === 0 && baseRate > 0 ? Math.round((product.coins / product.stars / baseRate - 1) * 100) : 0;
      const card = this.starsCard(product, product.productId === bestValue, bonus);
      this.stars.set(product.productId, card);
      lists.stars.push(card.el);
    }
    const intro = h('li', { class: 'stars-intro' }, [
      itemImage('star', 40),
      h('div', { class: 'stars-intro-text' }, [h('strong', { text: t('stars.title') }), h('span', { text: t('stars.intro') })]),
    ]);
    for (const section of SHOP_SECTIONS) {
      this.sections[section].replaceChildren(...(section === 'stars' ? [intro, this.starsHint, ...lists.stars] : lists[section]));
    }
    this.state.hide();
    this.el.dataset.state = 'ready';
    this.setBalances(dto.balances);
    this.renderStars();
    this.renderSale();
    this.tick();
  }

  /** My coins (and debt when known): live from the room, a purchase, or the catalog. */
  setBalances(balances: { coins: number; debt?: number }): void {
    this.balances = { coins: balances.coins, debt: balances.debt ?? this.balances.debt };
    this.coins.set(this.balances.coins);
    this.balance.dataset.coins = String(this.balances.coins);
    this.balance.dataset.debt = String(this.balances.debt);
    this.debtNote.hidden = this.balances.debt <= 0;
    setText(this.debtText, t('shop.debt', { debt: this.balances.debt }));
    for (const card of this.items.values()) this.renderItem(card);
  }

  /** My pet on show and its coat: an owned skin's button puts it on (null: nobody to dress). */
  setWearer(wearer: Wearer | null): void {
    if (wearer?.petName === this.wearer?.petName && wearer?.skin === this.wearer?.skin) return;
    this.wearer = wearer;
    for (const card of this.items.values()) if (card.dto.kind === 'skin') this.renderItem(card);
    for (const card of this.starsSkins.values()) this.renderStarsSkin(card);
  }

  /** How many of each item I hold (the room's live inventory or a purchase's answer). */
  setOwned(items: Partial<Record<ItemId, number>>): void {
    for (const card of this.items.values()) {
      const owned = items[card.dto.itemId] ?? 0;
      if (owned === card.dto.owned) continue;
      card.dto = { ...card.dto, owned };
      this.renderItem(card);
    }
    for (const card of this.starsSkins.values()) {
      if (card.owned || (items[card.itemId] ?? 0) <= 0) continue;
      card.owned = true;
      this.renderStarsSkin(card);
    }
    for (const card of this.stars.values()) {
      const unique = card.dto.items.some((i) => ITEMS[i.itemId].kind === 'skin' && (items[i.itemId] ?? 0) > 0);
      if (unique && !card.dto.owned) {
        card.dto = { ...card.dto, owned: true };
        this.renderStarsCard(card);
      }
    }
  }

  setBusy(itemId: ItemId, busy: boolean): void {
    const card = this.items.get(itemId);
    if (!card) return;
    card.busy = busy;
    this.renderItem(card);
  }

  /** Back to one after a purchase. */
  resetQuantity(itemId: ItemId): void {
    const card = this.items.get(itemId);
    if (!card) return;
    card.qty = 1;
    this.renderItem(card);
  }

  setStarsMode(mode: StarsMode): void {
    this.starsMode = mode;
    this.renderStars();
  }

  /** One Stars payment at a time: every Stars button waits while one runs. */
  setStarsBusy(productId: string | null): void {
    this.starsBusy = productId !== null;
    for (const card of this.stars.values()) card.busy = card.dto.productId === productId;
    this.renderStars();
  }

  /** Counts promotions down; a promotion that ended asks for fresh prices. */
  tick(): void {
    const now = Date.now();
    let expired = false;
    for (const card of this.items.values()) {
      if (card.endsAt === null) continue;
      const left = (card.endsAt - now) / 1000;
      const promotionId = card.dto.promotionId ?? '';
      if (left <= 0 && !this.expired.has(promotionId)) {
        this.expired.add(promotionId);
        expired = true;
      }
      const time = formatDuration(Math.max(1, Math.ceil(left)));
      setText(card.promoText, time);
      card.promo.title = t('shop.saleEnds', { time });
    }
    this.renderSale();
    if (this.renderSeason() && this.open) expired = true;
    if (expired && this.open) this.expiredListener?.();
  }

  // ---- season banner ---------------------------------------------------------------------

  private setSeason(season: SeasonDto | null, serverTime: string): void {
    this.season = season;
    this.skewMs = Date.now() - Date.parse(serverTime);
    this.seasonBanner.hidden = season === null;
    if (!season) return;
    const key = `season.${season.id}`;
    const name = hasKey(key) ? t(key) : season.id;
    this.seasonBanner.dataset.season = season.id;
    this.seasonBanner.dataset.endsAt = season.endsAt;
    setText(this.seasonTitle, t('shop.season.title', { season: name }));
    const skin = season.items.find((id) => ITEMS[id].kind === 'skin') ?? season.items[0];
    this.seasonArt.replaceChildren(...(skin ? [itemImage(skin, 40)] : []));
    this.renderSeason();
  }

  /** Counts the season down by the server's clock; true once when it has ended (the shop is stale). */
  private renderSeason(): boolean {
    if (!this.season) return false;
    const left = (Date.parse(this.season.endsAt) - (Date.now() - this.skewMs)) / 1000;
    setText(this.seasonText, t('shop.season.ends', { time: formatDuration(Math.max(1, Math.ceil(left))) }));
    if (left > 0 || this.expired.has(`season:${this.season.id}`)) return false;
    this.expired.add(`season:${this.season.id}`);
    return true;
  }

  // ---- item cards ------------------------------------------------------------------------

  private itemCard(dto: ShopItemDto, qty: number): ItemCard {
    const { itemId } = dto;
    const rarity = rarityOf(itemId);
    const promotion = dto.promotionId ? this.promotions.find((p) => p.id === dto.promotionId) : undefined;
    const endsAt = promotion ? Date.parse(promotion.endsAt) : NaN;
    const owned = h('span', { class: 'shop-owned', testid: `shop-owned-${itemId}` });
    const promoText = h('span');
    const promo = h('span', { class: 'shop-promo', testid: `shop-promo-${itemId}`, attrs: { hidden: '' } }, [iconSvg('clock', 13), promoText]);
    const qtyValue = h('span', { class: 'stepper-value', attrs: { 'aria-live': 'polite' } });
    const minus = h('button', {
      class: 'stepper-button',
      testid: `shop-qty-${itemId}-minus`,
      text: '−',
      attrs: { type: 'button', 'aria-label': t('shop.less') },
    });
    const plus = h('button', {
      class: 'stepper-button',
      testid: `shop-qty-${itemId}-plus`,
      text: '+',
      attrs: { type: 'button', 'aria-label': t('shop.more') },
    });
    const stepper = h('div', { class: 'stepper', testid: `shop-qty-${itemId}`, attrs: { role: 'group', 'aria-label': t('shop.quantity') } }, [
      minus,
      qtyValue,
      plus,
    ]);
    const buyLabel = h('span', { class: 'buy-label' });
    const buyWas = h('s', { class: 'buy-was' });
    const buyTotal = h('span', { class: 'price-value' });
    const buy = h(
      'button',
      {
        class: 'shop-buy',
        testid: `shop-buy-${itemId}`,
        attrs: { type: 'button' },
        on: {
          click: () => {
            const skin = skinOfItem(itemId);
            if (buy.dataset.reason === 'wear' && skin) this.handlers.wear(skin);
            else this.handlers.buy(itemId, card.qty);
          },
        },
      },
      [buyLabel, h('span', { class: 'buy-price' }, [buyWas, itemImage('coin', 18), buyTotal])],
    );
    const art = h('div', { class: 'shop-art', attrs: { style: `--tint: ${ITEM_COLORS[itemId]}` } }, [
      itemImage(itemId, rarity ? 60 : 52),
      dto.discountPercent > 0 ? h('span', { class: 'shop-badge', text: `−${dto.discountPercent}%` }) : null,
    ]);
    const nameRow = h('div', { class: 'shop-name-row' }, [
      h('span', { class: 'shop-name', text: t(`item.${itemId}`) }),
      rarity ? h('span', { class: 'rarity-chip', text: t(`rarity.${rarity}`) }) : null,
      dto.seasonId ? h('span', { class: 'season-chip', testid: `shop-seasonal-${itemId}`, text: t('shop.seasonal') }) : null,
    ]);
    const el = h(
      'li',
      {
        class: dto.seasonId ? 'shop-card seasonal' : 'shop-card',
        testid: `shop-item-${itemId}`,
        attrs: { 'data-item': itemId, 'data-kind': dto.kind, ...(rarity ? { 'data-rarity': rarity } : {}) },
      },
      [
        h('div', { class: 'shop-card-main' }, [art, h('div', { class: 'shop-info' }, [nameRow, description(itemId), h('div', { class: 'shop-meta' }, [owned, promo])])]),
        h('div', { class: 'shop-actions' }, [stepper, buy]),
      ],
    );
    const card: ItemCard = {
      dto,
      el,
      qty: Math.max(1, Math.min(qty, dto.maxPerPurchase)),
      qtyValue,
      stepper,
      minus,
      plus,
      buy,
      buyLabel,
      buyTotal,
      buyWas,
      owned,
      promo,
      promoText,
      endsAt: Number.isFinite(endsAt) ? endsAt : null,
      busy: false,
    };
    repeatable(minus, () => this.step(card, -1));
    repeatable(plus, () => this.step(card, 1));
    this.renderItem(card);
    return card;
  }

  private step(card: ItemCard, by: number): void {
    const next = Math.max(1, Math.min(card.dto.maxPerPurchase, card.qty + by));
    if (next === card.qty) return;
    card.qty = next;
    this.renderItem(card);
  }

  private renderItem(card: ItemCard): void {
    const { dto, qty } = card;
    const unique = dto.kind === 'skin';
    const ownedUnique = unique && dto.owned > 0;
    const total = dto.unitPrice * qty;
    const affordable = total <= this.balances.coins;
    card.el.dataset.price = String(dto.unitPrice);
    card.el.dataset.owned = String(dto.owned);
    card.el.classList.toggle('owned', ownedUnique);
    // A skin's Buy button says "Owned": no count for one-of-a-kind items.
    setText(card.owned, unique ? '' : t('shop.owned', { count: dto.owned }));
    card.owned.hidden = unique;
    card.owned.classList.toggle('none', !unique && dto.owned === 0);
    card.promo.hidden = card.endsAt === null || ownedUnique;

    // Skins come one at a time: no stepper.
    card.stepper.hidden = unique || dto.maxPerPurchase <= 1;
    card.stepper.dataset.qty = String(qty);
    card.stepper.dataset.max = String(dto.maxPerPurchase);
    setText(card.qtyValue, String(qty));
    card.minus.disabled = qty <= 1 || card.busy;
    card.plus.disabled = qty >= dto.maxPerPurchase || card.busy;

    setText(card.buyTotal, String(total));
    setText(card.buyWas, dto.basePrice > dto.unitPrice ? String(dto.basePrice * qty) : '');
    card.buyWas.hidden = dto.basePrice <= dto.unitPrice;
    // A skin I hold: Wear for the pet on show, Worn when it has it on, Owned with nobody to dress.
    const ownedReason = !this.wearer ? 'owned' : this.wearer.skin === skinOfItem(dto.itemId) ? 'worn' : 'wear';
    const reason = ownedUnique ? ownedReason : card.busy ? 'busy' : affordable ? '' : 'funds';
    card.buy.disabled = reason !== '' && reason !== 'wear';
    card.buy.dataset.total = String(total);
    card.buy.dataset.reason = reason;
    card.buy.classList.toggle('short', reason === 'funds');
    card.buy.classList.toggle('done', reason === 'owned' || reason === 'worn');
    card.buy.classList.toggle('wear', reason === 'wear');
    const label: Record<typeof reason, string> = {
      owned: t('shop.ownedSkin'),
      worn: t('shop.worn'),
      wear: t('bag.wear'),
      busy: t('shop.buying'),
      funds: t('shop.notEnough'),
      '': t('shop.buy'),
    };
    setText(card.buyLabel, label[reason]);
    card.buy.setAttribute(
      'aria-label',
      ownedUnique
        ? `${t(`item.${dto.itemId}`)}: ${label[reason]}`
        : `${t('shop.buy')} ${qty} × ${t(`item.${dto.itemId}`)}, ${total} ${t('coins.label')}${reason === 'funds' ? ` (${t('shop.notEnough')})` : ''}`,
    );
  }

  // ---- Stars -----------------------------------------------------------------------------

  private starsCard(dto: StarsProductDto, best: boolean, bonusPercent: number): StarsCard {
    const bundle = (dto.coins > 0 ? 1 : 0) + dto.items.length > 1;
    // A coin pack's title says what it gives; a bundle lists its contents.
    const grants =
      dto.items.length === 0
        ? bonusPercent > 0
          ? h('div', { class: 'stars-grants' }, [h('span', { class: 'grant-chip bonus', text: t('stars.bonus', { percent: bonusPercent }) })])
          : null
        : h('div', { class: 'stars-grants' }, [
            dto.coins > 0 ? h('span', { class: 'grant-chip' }, [itemImage('coin', 16), t('stars.grantsCoins', { coins: dto.coins })]) : null,
            ...dto.items.map((i) =>
              h('span', { class: 'grant-chip' }, [itemImage(i.itemId, 16), t('stars.grantsItem', { count: i.quantity, item: t(`item.${i.itemId}`) })]),
            ),
          ]);
    const button = h('button', {
      class: 'stars-buy',
      testid: `stars-buy-${dto.productId}`,
      attrs: { type: 'button' },
      on: { click: () => this.handlers.buyStars(dto.productId) },
    });
    const art = productArt(dto);
    const rarity = art !== 'coins' && art !== 'gift' ? rarityOf(art as ItemId) : null;
    const el = h(
      'li',
      {
        class: `shop-card stars-card${best ? ' best' : ''}`,
        testid: `stars-product-${dto.productId}`,
        attrs: { 'data-product': dto.productId, 'data-stars': String(dto.stars), ...(rarity ? { 'data-rarity': rarity } : {}) },
      },
      [
        best ? h('span', { class: 'best-ribbon', text: t('stars.bestValue') }) : null,
        h('div', { class: 'shop-card-main' }, [
          h('div', { class: 'shop-art', attrs: { style: `--tint: ${ITEM_COLORS[art]}` } }, [itemImage(art, 56)]),
          h('div', { class: 'shop-info' }, [
            h('div', { class: 'shop-name-row' }, [
              h('span', { class: 'shop-name', text: productTitle(dto) }),
              rarity ? h('span', { class: 'rarity-chip', text: t(`rarity.${rarity}`) }) : null,
            ]),
            grants,
          ]),
          bundle ? null : button,
        ]),
        // A bundle's contents need the card's width; its button goes below them.
        bundle ? h('div', { class: 'shop-actions end' }, [button]) : null,
      ],
    );
    const card: StarsCard = { dto, el, button, busy: false };
    this.renderStarsCard(card);
    return card;
  }

  /** A Stars-only skin in the skins tab: its price and a button that opens the Stars tab on it; Wear once held. */
  private starsSkinCard(product: StarsProductDto, itemId: ItemId): StarsSkinCard {
    const rarity = rarityOf(itemId);
    const skin = skinOfItem(itemId);
    const button = h('button', {
      testid: `shop-see-stars-${product.productId}`,
      attrs: { type: 'button' },
      on: {
        click: () => {
          if (button.dataset.reason === 'wear' && skin) this.handlers.wear(skin);
          else if (button.dataset.reason === '') this.focusProduct(product.productId);
        },
      },
    });
    const el = h(
      'li',
      {
        class: 'shop-card stars-skin',
        testid: `shop-item-${itemId}`,
        attrs: { 'data-item': itemId, 'data-kind': 'skin', ...(rarity ? { 'data-rarity': rarity } : {}) },
      },
      [
        h('div', { class: 'shop-card-main' }, [
          h('div', { class: 'shop-art', attrs: { style: `--tint: ${ITEM_COLORS[itemId]}` } }, [itemImage(itemId, 60)]),
          h('div', { class: 'shop-info' }, [
            h('div', { class: 'shop-name-row' }, [
              h('span', { class: 'shop-name', text: t(`item.${itemId}`) }),
              rarity ? h('span', { class: 'rarity-chip', text: t(`rarity.${rarity}`) }) : null,
            ]),
            h('p', { class: 'shop-about', text: t('shop.starsOnly') }),
          ]),
        ]),
        h('div', { class: 'shop-actions end' }, [button]),
      ],
    );
    const card: StarsSkinCard = { product, itemId, el, button, owned: product.owned };
    this.renderStarsSkin(card);
    return card;
  }

  private renderStarsSkin(card: StarsSkinCard): void {
    const { button, product } = card;
    const reason = !card.owned ? '' : !this.wearer ? 'owned' : this.wearer.skin === skinOfItem(card.itemId) ? 'worn' : 'wear';
    card.el.dataset.owned = card.owned ? '1' : '0';
    button.dataset.reason = reason;
    button.className = `stars-buy${reason === 'owned' || reason === 'worn' ? ' done' : ''}`;
    button.disabled = reason === 'owned' || reason === 'worn';
    const label = reason === 'owned' ? t('shop.ownedSkin') : reason === 'worn' ? t('shop.worn') : reason === 'wear' ? t('bag.wear') : null;
    if (label) button.replaceChildren(label);
    else button.replaceChildren(starPrice(product.stars), h('span', { class: 'see-stars', text: t('shop.seeStars') }));
    button.setAttribute('aria-label', label ? `${t(`item.${card.itemId}`)}: ${label}` : `${t('shop.seeStars')}: ${t('stars.price', { stars: product.stars })}`);
  }

  private focusProduct(productId: string): void {
    this.showSection('stars');
    const card = this.stars.get(productId);
    if (!card) return;
    card.el.scrollIntoView({ block: 'center' });
    card.el.classList.remove('flash');
    void card.el.offsetWidth;
    card.el.classList.add('flash');
  }

  private renderStars(): void {
    this.starsHint.hidden = this.starsMode !== 'none';
    setText(this.starsHint, t('stars.outside'));
    for (const card of this.stars.values()) this.renderStarsCard(card);
  }

  private renderStarsCard(card: StarsCard): void {
    const { dto } = card;
    card.el.dataset.owned = String(dto.owned);
    card.el.classList.toggle('owned', dto.owned);
    card.button.disabled = dto.owned || this.starsMode === 'none' || this.starsBusy;
    card.button.classList.toggle('busy', card.busy);
    card.button.classList.toggle('done', dto.owned);
    card.button.dataset.reason = dto.owned ? 'owned' : this.starsMode === 'none' ? 'outside' : this.starsBusy ? 'busy' : '';
    if (dto.owned) card.button.replaceChildren(t('shop.ownedSkin'));
    else if (card.busy) card.button.replaceChildren(h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }), starPrice(dto.stars));
    else card.button.replaceChildren(starPrice(dto.stars));
    card.button.setAttribute('aria-label', `${productTitle(dto)}: ${dto.owned ? t('shop.ownedSkin') : t('stars.price', { stars: dto.stars })}`);
    card.button.title = this.starsMode === 'none' && !dto.owned ? t('stars.outside') : '';
  }

  // ---- sale banner -----------------------------------------------------------------------

  private renderSale(): void {
    const now = Date.now();
    let best = 0;
    let endsAt = Infinity;
    for (const card of this.items.values()) {
      if (sectionOf(card.dto.kind) !== this.section || card.endsAt === null || card.dto.discountPercent <= 0) continue;
      if (card.dto.kind === 'skin' && card.dto.owned > 0) continue;
      best = Math.max(best, card.dto.discountPercent);
      endsAt = Math.min(endsAt, card.endsAt);
    }
    this.sale.hidden = best <= 0;
    if (best > 0) setText(this.saleText, t('shop.saleBanner', { percent: best, time: formatDuration(Math.max(1, Math.ceil((endsAt - now) / 1000))) }));
  }
}

/** Coins per Star of the smallest coin pack: the others show their bonus over it. */
function baseCoinsPerStar(products: readonly StarsProductDto[]): number {
  const coinPacks = products.filter((p) => p.items.length === 0 && p.coins > 0);
  if (coinPacks.length < 2) return 0;
  const smallest = coinPacks.reduce((a, b) => (b.stars < a.stars ? b : a));
  return smallest.coins / smallest.stars;
}

/** The coins-only product with the most coins per Star (worth a "Best value" ribbon). */
function bestCoinsPerStar(products: readonly StarsProductDto[]): string | null {
  const coinPacks = products.filter((p) => p.items.length === 0 && p.coins > 0);
  if (coinPacks.length < 2) return null;
  const best = coinPacks.reduce((a, b) => (b.coins / b.stars > a.coins / a.stars ? b : a));
  return best.productId;
}
