/**
 * A full-screen sheet (the shop, progress): a dialog labelled by its title, with a header of
 * the close button, the title and one element on the right (the coin balance).
 */
import { iconSvg } from '../art/icons.js';
import { itemImage } from '../art/item-art.js';
import { t } from '../i18n.js';
import { CountUp } from './count-up.js';
import { h } from './dom.js';

export interface SheetOptions {
  /** The test id and the prefix of its parts' ids: `<name>-close`, `<name>-title`. */
  name: string;
  /** Extra classes after `shop` (the sheets share its look). */
  className?: string;
  title: string;
  closeLabel: string;
  onClose: () => void;
  /** At the header's right. */
  trailing: HTMLElement;
}

/** The sheet's element (hidden, loading) with its header followed by `body`. */
export function sheet(options: SheetOptions, body: HTMLElement[]): HTMLElement {
  const { name, title, closeLabel } = options;
  return h(
    'div',
    {
      class: options.className ? `shop ${options.className}` : 'shop',
      testid: name,
      attrs: { hidden: '', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': `${name}-title`, 'data-state': 'loading' },
    },
    [
      h('header', { class: 'shop-header' }, [
        h(
          'button',
          {
            class: 'icon-button',
            testid: `${name}-close`,
            attrs: { type: 'button', 'aria-label': closeLabel, title: closeLabel },
            on: { click: () => options.onClose() },
          },
          [iconSvg('close', 20)],
        ),
        h('h2', { class: 'shop-title', text: title, attrs: { id: `${name}-title` } }),
        options.trailing,
      ]),
      ...body,
    ],
  );
}

/** The coin balance at a sheet's header right: `data-coins` for tests, a count-up for the eye. */
export function coinsPill(testid: string, className: string, iconSize: number): { el: HTMLElement; coins: CountUp } {
  const value = h('span', { class: 'shop-balance-value', text: '0' });
  const el = h('div', { class: `shop-balance ${className}`.trim(), testid, attrs: { 'data-coins': '0', title: t('shop.balance'), role: 'status' } }, [
    itemImage('coin', iconSize),
    h('span', { class: 'sr-only', text: `${t('shop.balance')}: ` }),
    value,
  ]);
  return { el, coins: new CountUp(value, el) };
}
