/**
 * The small "what to feed?" popover above the care bar: every food with its effect and how
 * many are left; foods I have none of are hidden, and "Buy more food" opens the shop.
 */
import { ITEM_IDS, ITEMS, type ItemId } from '../../../../shared/balance.js';
import { itemImage } from '../../art/item-art.js';
import { t } from '../../i18n.js';
import { h, setText } from '../../kit/dom.js';
import { effectText } from '../../kit/effects.js';
import './home.css';

export const FOODS: readonly ItemId[] = ITEM_IDS.filter((itemId) => ITEMS[itemId].kind === 'food');

export class FoodPicker {
  readonly el: HTMLElement;
  private readonly title: HTMLElement;
  private readonly options: Record<string, { button: HTMLButtonElement; count: HTMLElement }> = {};

  constructor(pick: (itemId: ItemId) => void, shop: () => void) {
    this.title = h('p', { class: 'food-title' });
    const list = h(
      'div',
      { class: 'food-list' },
      FOODS.map((itemId) => {
        const def = ITEMS[itemId];
        const count = h('span', { class: 'food-count' });
        const button = h(
          'button',
          {
            class: 'food-option',
            testid: `food-${itemId}`,
            attrs: { type: 'button', 'data-item': itemId },
            on: { click: () => pick(itemId) },
          },
          [
            itemImage(itemId, 38),
            h('span', { class: 'food-text' }, [
              h('span', { class: 'food-name', text: t(`item.${itemId}`) }),
              h('span', { class: 'food-effect', text: 'delta' in def ? effectText(def.delta) : '' }),
            ]),
            count,
          ],
        );
        this.options[itemId] = { button, count };
        return button;
      }),
    );
    const more = h(
      'button',
      { class: 'food-shop', testid: 'food-shop', attrs: { type: 'button' }, on: { click: () => shop() } },
      [itemImage('coin', 18), h('span', { text: t('food.shop') })],
    );
    this.el = h('div', { class: 'food-picker card', testid: 'food-picker', attrs: { hidden: '', role: 'dialog' } }, [this.title, list, more]);
  }

  get open(): boolean {
    return !this.el.hidden;
  }

  show(petName: string): void {
    setText(this.title, t('food.title', { name: petName }));
    this.el.hidden = false;
  }

  hide(): void {
    this.el.hidden = true;
  }

  render(items: Record<ItemId, number>): void {
    for (const itemId of FOODS) {
      const option = this.options[itemId];
      if (!option) continue;
      const quantity = items[itemId] ?? 0;
      setText(option.count, t('bag.count', { count: quantity }));
      // Foods I have none of stay out of the way: "Buy more food" is the way to them.
      option.button.disabled = quantity <= 0;
      option.button.hidden = quantity <= 0;
    }
  }
}
