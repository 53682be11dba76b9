/**
 * The dev payment sheet: outside Telegram, on a dev server (no real bot token), it stands in
 * for Telegram's Stars payment sheet so the whole purchase can be tried in a browser. Pay and
 * Cancel go to the fake Bot API, which then delivers the payment to the server like Telegram.
 */
import type { ArtName } from '../../art/item-art.js';
import { itemImage } from '../../art/item-art.js';
import { t } from '../../i18n.js';
import { h, setText } from '../../kit/dom.js';
import './dev-pay.css';

interface DevPayRequest {
  title: string;
  /** What the product grants, one line. */
  description: string;
  stars: number;
  art: ArtName;
}

type DevPayChoice = 'pay' | 'cancel';

export class DevPaySheet {
  readonly el: HTMLElement;
  private readonly art: HTMLElement;
  private readonly title: HTMLElement;
  private readonly description: HTMLElement;
  private readonly total: HTMLElement;
  private readonly pay: HTMLButtonElement;
  private readonly payStars: HTMLElement;
  private readonly cancel: HTMLButtonElement;
  private resolve: ((choice: DevPayChoice) => void) | null = null;

  constructor() {
    this.art = h('div', { class: 'devpay-art' });
    this.title = h('h3', { class: 'devpay-product', testid: 'dev-pay-title' });
    this.description = h('p', { class: 'devpay-description' });
    this.total = h('span', { class: 'devpay-total-value', testid: 'dev-pay-stars' });
    this.payStars = h('span');
    this.pay = h('button', { class: 'devpay-pay', testid: 'dev-pay-confirm', attrs: { type: 'button' }, on: { click: () => this.choose('pay') } }, [
      h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }),
      h('span', { text: t('stars.pay') }),
      itemImage('star', 20),
      this.payStars,
    ]);
    this.cancel = h('button', {
      class: 'devpay-cancel',
      testid: 'dev-pay-cancel',
      text: t('stars.cancel'),
      attrs: { type: 'button' },
      on: { click: () => this.choose('cancel') },
    });
    this.el = h('div', { class: 'devpay', attrs: { hidden: '' } }, [
      h('div', { class: 'devpay-scrim', on: { click: () => this.choose('cancel') } }),
      h(
        'div',
        { class: 'devpay-card', testid: 'dev-pay-sheet', attrs: { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'devpay-heading' } },
        [
          h('div', { class: 'devpay-grabber', attrs: { 'aria-hidden': 'true' } }),
          h('h2', { class: 'devpay-heading', text: t('stars.sheetTitle'), attrs: { id: 'devpay-heading' } }),
          h('div', { class: 'devpay-summary' }, [this.art, h('div', { class: 'devpay-text' }, [this.title, this.description])]),
          h('div', { class: 'devpay-total' }, [h('span', { text: t('stars.total') }), h('span', { class: 'devpay-total-stars' }, [itemImage('star', 18), this.total])]),
          this.pay,
          this.cancel,
          h('p', { class: 'devpay-note', testid: 'dev-pay-note', text: t('stars.devNote') }),
        ],
      ),
    ]);
  }

  get open(): boolean {
    return !this.el.hidden;
  }

  /** Shows the sheet; resolves with the player's choice (closing it counts as Cancel). */
  ask(request: DevPayRequest): Promise<DevPayChoice> {
    this.resolve?.('cancel');
    this.art.replaceChildren(itemImage(request.art, 56));
    setText(this.title, request.title);
    setText(this.description, request.description);
    setText(this.total, String(request.stars));
    setText(this.payStars, String(request.stars));
    this.pay.setAttribute('aria-label', `${t('stars.pay')}: ${t('stars.price', { stars: request.stars })}`);
    this.setBusy(false);
    this.el.hidden = false;
    requestAnimationFrame(() => this.el.classList.add('open'));
    return new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  /** While Pay is on its way: both buttons wait. */
  setBusy(busy: boolean): void {
    this.pay.disabled = busy;
    this.cancel.disabled = busy;
    this.pay.classList.toggle('busy', busy);
  }

  close(): void {
    this.el.classList.remove('open');
    this.el.hidden = true;
  }

  /** Escape / the back button: cancel, unless a payment is already on its way. */
  dismiss(): void {
    if (!this.pay.disabled) this.choose('cancel');
  }

  private choose(choice: DevPayChoice): void {
    if (this.pay.disabled) return;
    const resolve = this.resolve;
    this.resolve = null;
    if (choice === 'cancel') this.close();
    resolve?.(choice);
  }
}
