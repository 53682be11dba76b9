/**
 * A full-screen sheet (the shop, progress): a dialog labelled by its title, with a header of
 * the close button, the title and one element on the right (the coin balance).
 */
import { iconSvg } from '../art/icons.js';
import { itemImage } from '../art/item-art.js';
import { t } from '../i18n.js';
import { CountUp } from './count-up.js';
import { h, setText } from './dom.js';
import './sheet.css';

interface SheetOptions {
  /** The test id and the prefix of its parts' ids: `<name>-close`, `<name>-title`. */
  name: string;
  /** Extra classes after `sheet` (the feature's own look). */
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
      class: options.className ? `sheet ${options.className}` : 'sheet',
      testid: name,
      attrs: { hidden: '', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': `${name}-title`, 'data-state': 'loading' },
    },
    [
      h('header', { class: 'sheet-header' }, [
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
        h('h2', { class: 'sheet-title', text: title, attrs: { id: `${name}-title` } }),
        options.trailing,
      ]),
      ...body,
    ],
  );
}

/** The coin balance at a sheet's header right: `data-coins` for tests, a count-up for the eye. */
export function coinsPill(testid: string, className: string, iconSize: number): { el: HTMLElement; coins: CountUp } {
  const value = h('span', { class: 'sheet-balance-value', text: '0' });
  const el = h('div', { class: `sheet-balance ${className}`.trim(), testid, attrs: { 'data-coins': '0', title: t('shop.balance'), role: 'status' } }, [
    itemImage('coin', iconSize),
    h('span', { class: 'sr-only', text: `${t('shop.balance')}: ` }),
    value,
  ]);
  return { el, coins: new CountUp(value, el) };
}

/**
 * A sheet on screen or not: shown (slid in on the next frame) and hidden, with `tick` run
 * every second while it is shown (countdowns, "updated … ago").
 */
export class SheetPresence {
  private timer = 0;

  constructor(
    private readonly el: HTMLElement,
    private readonly tick: () => void,
  ) {}

  get open(): boolean {
    return !this.el.hidden;
  }

  show(): void {
    this.el.hidden = false;
    requestAnimationFrame(() => this.el.classList.add('open'));
    clearInterval(this.timer);
    this.timer = window.setInterval(this.tick, 1000);
  }

  /** False when it was hidden already. */
  hide(): boolean {
    if (this.el.hidden) return false;
    this.el.classList.remove('open');
    this.el.hidden = true;
    clearInterval(this.timer);
    this.timer = 0;
    return true;
  }
}

/** A sheet's line for while its content loads or after it failed, with a Retry button for the latter. */
export class SheetState {
  readonly el: HTMLElement;
  private readonly text = h('span');
  private readonly retry: HTMLButtonElement;

  constructor(testid: string, onRetry: () => void) {
    this.retry = h('button', {
      class: 'secondary-button compact',
      text: t('app.retry'),
      attrs: { type: 'button', hidden: '' },
      on: { click: onRetry },
    });
    this.el = h('div', { class: 'sheet-state', testid, attrs: { role: 'status' } }, [this.text, this.retry]);
  }

  loading(message: string): void {
    this.show(message, false);
  }

  failed(message: string): void {
    this.show(message, true);
  }

  hide(): void {
    this.el.hidden = true;
  }

  private show(message: string, retry: boolean): void {
    this.el.hidden = false;
    setText(this.text, message);
    this.retry.hidden = !retry;
  }
}
