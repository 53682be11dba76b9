/**
 * The bag: my coins (with the way to the shop) and every item with its count, grouped like
 * the shop (food, care, boosters, skins), with what each is for. Counts update live while the
 * sheet is open (from the room state of my own home). The skins are the pet's wardrobe: a
 * skin I hold can be worn by the pet on show, and taken off again.
 */
import { ITEM_IDS, ITEMS, skinOfItem, type ItemDef, type ItemId } from '../../../../shared/balance.js';
import { iconSvg } from '../../art/icons.js';
import { itemImage } from '../../art/item-art.js';
import { t } from '../../i18n.js';
import { Modal } from '../../kit/modal.js';
import { h, setText } from '../../kit/dom.js';
import { actionFor, effectChips, sectionOf, SHOP_SECTIONS, type ShopSection, type Wearer } from '../shop/shop-panel.js';
import './bag.css';

export interface Holdings {
  coins: number;
  items: Record<ItemId, number>;
}

interface Row {
  el: HTMLElement;
  count: HTMLElement;
  use: HTMLElement;
  wear: HTMLButtonElement | null;
}

/** What a bag row says an item is for: its effect on the meters, or what it is. */
function usage(itemId: ItemId): HTMLElement {
  const def: ItemDef = ITEMS[itemId];
  if (def.kind === 'booster') return h('span', { class: 'bag-item-use', text: t('shop.about.streak_freeze') });
  if (def.kind === 'skin') return h('span', { class: 'bag-item-use', text: skinUsage(itemId) });
  const action = actionFor(def.kind) ?? 'feed';
  return h('span', { class: 'bag-item-use shop-effects', attrs: { title: t('bag.usedBy', { action: t(`care.${action}`) }) } }, effectChips(itemId));
}

function skinUsage(itemId: ItemId): string {
  const def: ItemDef = ITEMS[itemId];
  return t('bag.skin', { rarity: t(`rarity.${def.rarity ?? 'common'}`) });
}

export class BagPanel {
  private readonly modal = new Modal('bag', 'bag-close');
  private readonly coins: HTMLElement;
  private readonly rows: Record<ItemId, Row>;
  private shopListener: ((section?: ShopSection) => void) | null = null;
  private wearListener: ((skin: string) => void) | null = null;
  private collectionListener: (() => void) | null = null;
  private holdings: Holdings | null = null;
  private wearer: Wearer | null = null;
  /** The skin being put on (or 'default' being taken off) until the server answers. */
  private changing: string | null = null;

  constructor() {
    this.coins = h('span', { class: 'bag-coins-value', testid: 'bag-coins', text: '0' });
    const coinsCard = h('div', { class: 'bag-coins' }, [
      itemImage('coin', 40),
      h('div', { class: 'bag-coins-text' }, [h('span', { class: 'bag-coins-label', text: t('coins.label') }), this.coins]),
      h(
        'button',
        { class: 'bag-shop', testid: 'bag-shop', attrs: { type: 'button' }, on: { click: () => this.shopListener?.() } },
        [iconSvg('plus', 14), h('span', { text: t('bag.shop') })],
      ),
    ]);
    this.rows = Object.fromEntries(ITEM_IDS.map((itemId) => [itemId, this.row(itemId)])) as Record<ItemId, Row>;
    const groups = SHOP_SECTIONS.filter((section) => section !== 'stars').map((section) => {
      const ids = ITEM_IDS.filter((itemId) => sectionOf(ITEMS[itemId].kind) === section);
      // The skins group opens the collection book: every coat, and how to get the ones I lack.
      const book =
        section === 'skins'
          ? h('button', { class: 'bag-collection', testid: 'collection-open', attrs: { type: 'button' }, on: { click: () => this.collectionListener?.() } }, [
              iconSvg('palette', 14),
              h('span', { text: t('collection.open') }),
            ])
          : null;
      return h('section', { class: 'bag-group', attrs: { 'data-section': section } }, [
        h('div', { class: 'bag-group-head' }, [h('h3', { class: 'bag-group-title', text: t(`shop.tab.${section}`) }), book]),
        h(
          'ul',
          { class: 'stack-list bag-list' },
          ids.map((itemId) => this.rows[itemId].el),
        ),
      ]);
    });
    this.modal.body.append(coinsCard, ...groups);
  }

  get el(): HTMLElement {
    return this.modal.el;
  }

  get open(): boolean {
    return this.modal.open;
  }

  onClose(listener: () => void): void {
    this.modal.onClose(listener);
  }

  /** The bag's Shop button. */
  onShop(listener: (section?: ShopSection) => void): void {
    this.shopListener = listener;
  }

  /** The skins group's Collection book button. */
  onCollection(listener: () => void): void {
    this.collectionListener = listener;
  }

  /** A skin's Wear / Take off button: `skin` is the skin it puts on ('default' takes it off). */
  onWear(listener: (skin: string) => void): void {
    this.wearListener = listener;
  }

  private row(itemId: ItemId): Row {
    const count = h('span', { class: 'bag-count' });
    const use = usage(itemId);
    const skin = skinOfItem(itemId);
    const wear = skin
      ? h('button', {
          class: 'bag-wear',
          testid: `bag-wear-${itemId}`,
          attrs: { type: 'button', hidden: '' },
          on: {
            click: () => {
              if (this.changing !== null || !this.wearer) return;
              this.wearListener?.(this.wearer.skin === skin ? 'default' : skin);
            },
          },
        })
      : null;
    const el = h('li', { class: 'bag-item', testid: `bag-item-${itemId}`, attrs: { 'data-item': itemId, 'data-kind': ITEMS[itemId].kind } }, [
      itemImage(itemId, 44),
      h('div', { class: 'bag-item-text' }, [h('span', { class: 'bag-item-name', text: t(`item.${itemId}`) }), use]),
      count,
      ...(wear ? [wear] : []),
    ]);
    return { el, count, use, wear };
  }

  show(): void {
    this.modal.show(t('bag.title'));
  }

  close(): void {
    this.modal.close();
  }

  render(holdings: Holdings): void {
    this.holdings = holdings;
    setText(this.coins, String(holdings.coins));
    for (const itemId of ITEM_IDS) {
      const quantity = holdings.items[itemId] ?? 0;
      const row = this.rows[itemId];
      setText(row.count, t('bag.count', { count: quantity }));
      row.el.classList.toggle('empty', quantity <= 0);
    }
    this.renderWardrobe();
  }

  /** My pet on show and what it wears, or null while visiting a friend (nothing to dress). */
  setWearer(wearer: Wearer | null): void {
    if (wearer?.petName === this.wearer?.petName && wearer?.skin === this.wearer?.skin) return;
    this.wearer = wearer;
    this.renderWardrobe();
  }

  /** A skin is being put on or taken off (null once the server answered). */
  setChanging(skin: string | null): void {
    this.changing = skin;
    this.renderWardrobe();
  }

  private renderWardrobe(): void {
    for (const itemId of ITEM_IDS) {
      const row = this.rows[itemId];
      const skin = skinOfItem(itemId);
      if (!row.wear || !skin) continue;
      const owned = (this.holdings?.items[itemId] ?? 0) > 0;
      const worn = owned && this.wearer?.skin === skin;
      const showButton = owned && this.wearer !== null;
      row.el.classList.toggle('worn', worn);
      // An owned skin is one of a kind: the button says what it does instead of a count.
      row.count.hidden = showButton;
      row.wear.hidden = !showButton;
      row.wear.disabled = this.changing !== null;
      row.wear.classList.toggle('busy', this.changing === (worn ? 'default' : skin));
      row.wear.classList.toggle('take-off', worn);
      setText(row.wear, worn ? t('bag.takeOff') : t('bag.wear'));
      row.wear.setAttribute('aria-label', `${t(`item.${itemId}`)}: ${worn ? t('bag.takeOff') : t('bag.wear')}`);
      setText(row.use, worn && this.wearer ? t('bag.wornBy', { name: this.wearer.petName }) : skinUsage(itemId));
    }
  }
}
