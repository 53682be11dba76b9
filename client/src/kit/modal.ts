/**
 * A bottom sheet over a scrim, for short pickers and lists (the bag, the games menu):
 * tapping the scrim, the close button or Escape closes it. Content goes into `body`.
 */
import { iconSvg } from '../art/icons.js';
import { t } from '../i18n.js';
import { h, setText } from './dom.js';
import './modal.css';

export class Modal {
  readonly el: HTMLElement;
  readonly body: HTMLElement;
  private readonly title: HTMLElement;
  private closeListener: (() => void) | null = null;

  constructor(testid: string, closeTestid: string) {
    this.title = h('h2', { class: 'panel-title', attrs: { id: `${testid}-title` } });
    this.body = h('div', { class: 'modal-body' });
    const card = h(
      'div',
      { class: 'modal-card', testid, attrs: { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': `${testid}-title` } },
      [
        h('header', { class: 'panel-header' }, [
          this.title,
          h(
            'button',
            {
              class: 'icon-button',
              testid: closeTestid,
              attrs: { type: 'button', 'aria-label': t('app.close'), title: t('app.close') },
              on: { click: () => this.close() },
            },
            [iconSvg('close', 20)],
          ),
        ]),
        this.body,
      ],
    );
    this.el = h('div', { class: 'modal', attrs: { hidden: '' } }, [
      h('div', { class: 'modal-scrim', on: { click: () => this.close() } }),
      card,
    ]);
  }

  get open(): boolean {
    return !this.el.hidden;
  }

  /** Called after the sheet closed (whatever closed it). */
  onClose(listener: () => void): void {
    this.closeListener = listener;
  }

  show(title: string): void {
    setText(this.title, title);
    this.el.hidden = false;
    // Next frame: let the closed styles apply first so the sheet slides in.
    requestAnimationFrame(() => this.el.classList.add('open'));
  }

  close(): void {
    if (this.el.hidden) return;
    this.el.classList.remove('open');
    this.el.hidden = true;
    this.closeListener?.();
  }
}
