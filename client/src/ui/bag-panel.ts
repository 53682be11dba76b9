/**
 * The bag: my coins and every item with its count, and which care action uses it. Counts
 * update live while the sheet is open (from the room state of my own home).
 */
import { ACTION_ITEM_KIND, CARE_ACTIONS, ITEM_IDS, ITEMS, type ItemId } from '../../../shared/balance.js';
import { itemImage } from '../art/item-art.js';
import { t } from '../i18n.js';
import { effectText } from './effects.js';
import { Modal } from './modal.js';
import { h, setText } from './dom.js';

export interface Holdings {
  coins: number;
  items: Record<ItemId, number>;
}

export class BagPanel {
  private readonly modal = new Modal('bag', 'bag-close');
  private readonly coins: HTMLElement;
  private readonly rows: Record<ItemId, { el: HTMLElement; count: HTMLElement }>;

  constructor() {
    this.coins = h('span', { class: 'bag-coins-value', testid: 'bag-coins', text: '0' });
    const coinsCard = h('div', { class: 'bag-coins' }, [
      itemImage('coin', 40),
      h('div', { class: 'bag-coins-text' }, [h('span', { class: 'bag-coins-label', text: t('coins.label') }), this.coins]),
    ]);
    this.rows = Object.fromEntries(ITEM_IDS.map((itemId) => [itemId, this.row(itemId)])) as Record<
      ItemId,
      { el: HTMLElement; count: HTMLElement }
    >;
    const list = h(
      'ul',
      { class: 'bag-list' },
      ITEM_IDS.map((itemId) => this.rows[itemId].el),
    );
    this.modal.body.append(coinsCard, list);
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

  private row(itemId: ItemId): { el: HTMLElement; count: HTMLElement } {
    const def = ITEMS[itemId];
    const action = CARE_ACTIONS.find((a) => ACTION_ITEM_KIND[a] === def.kind) ?? 'feed';
    const effect = 'delta' in def ? effectText(def.delta) : '';
    const count = h('span', { class: 'bag-count' });
    const el = h('li', { class: 'bag-item', testid: `bag-item-${itemId}`, attrs: { 'data-item': itemId } }, [
      itemImage(itemId, 44),
      h('div', { class: 'bag-item-text' }, [
        h('span', { class: 'bag-item-name', text: t(`item.${itemId}`) }),
        h('span', { class: 'bag-item-use', text: effect ? `${t('bag.usedBy', { action: t(`care.${action}`) })} · ${effect}` : t('bag.usedBy', { action: t(`care.${action}`) }) }),
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
