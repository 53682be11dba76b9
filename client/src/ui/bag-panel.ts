/**
 * The bag: my coins (with the way to the shop) and every item with its count, grouped like
 * the shop (food, care, boosters, skins), with what each is for. Counts update live while the
 * sheet is open (from the room state of my own home).
 */
import { ITEM_IDS, ITEMS, type ItemDef, type ItemId } from '../../../shared/balance.js';
import { iconSvg } from '../art/icons.js';
import { itemImage } from '../art/item-art.js';
import { t } from '../i18n.js';
import { Modal } from './modal.js';
import { h, setText } from './dom.js';
import { actionFor, effectChips, sectionOf, SHOP_SECTIONS, type ShopSection } from './shop-panel.js';

export interface Holdings {
  coins: number;
  items: Record<ItemId, number>;
}

/** What a bag row says an item is for: its effect on the meters, or what it is. */
function usage(itemId: ItemId): HTMLElement {
  const def: ItemDef = ITEMS[itemId];
  if (def.kind === 'booster') return h('span', { class: 'bag-item-use', text: t('shop.about.streak_freeze') });
  if (def.kind === 'skin') return h('span', { class: 'bag-item-use', text: t('bag.skin', { rarity: t(`rarity.${def.rarity ?? 'common'}`) }) });
  const action = actionFor(def.kind) ?? 'feed';
  return h('span', { class: 'bag-item-use shop-effects', attrs: { title: t('bag.usedBy', { action: t(`care.${action}`) }) } }, effectChips(itemId));
}

export class BagPanel {
  private readonly modal = new Modal('bag', 'bag-close');
  private readonly coins: HTMLElement;
  private readonly rows: Record<ItemId, { el: HTMLElement; count: HTMLElement }>;
  private shopListener: ((section?: ShopSection) => void) | null = null;

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
    this.rows = Object.fromEntries(ITEM_IDS.map((itemId) => [itemId, this.row(itemId)])) as Record<
      ItemId,
      { el: HTMLElement; count: HTMLElement }
    >;
    const groups = SHOP_SECTIONS.filter((section) => section !== 'stars').map((section) => {
      const ids = ITEM_IDS.filter((itemId) => sectionOf(ITEMS[itemId].kind) === section);
      return h('section', { class: 'bag-group', attrs: { 'data-section': section } }, [
        h('h3', { class: 'bag-group-title', text: t(`shop.tab.${section}`) }),
        h(
          'ul',
          { class: 'bag-list' },
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

  private row(itemId: ItemId): { el: HTMLElement; count: HTMLElement } {
    const count = h('span', { class: 'bag-count' });
    const el = h('li', { class: 'bag-item', testid: `bag-item-${itemId}`, attrs: { 'data-item': itemId, 'data-kind': ITEMS[itemId].kind } }, [
      itemImage(itemId, 44),
      h('div', { class: 'bag-item-text' }, [
        h('span', { class: 'bag-item-name', text: t(`item.${itemId}`) }),
        usage(itemId),
      ]),
      count,
    ]);
    return { el, count };
  }

  show(): void {
    this.modal.show(t('bag.title'));
  }

  close(): void {
    this.modal.close();
  }

  render(holdings: Holdings): void {
    setText(this.coins, String(holdings.coins));
    for (const itemId of ITEM_IDS) {
      const quantity = holdings.items[itemId] ?? 0;
      const row = this.rows[itemId];
      setText(row.count, t('bag.count', { count: quantity }));
      row.el.classList.toggle('empty', quantity <= 0);
    }
  }
}
