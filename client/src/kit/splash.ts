/** The boot screen: a wobbling egg while signing in, and the reason plus a retry if it fails. */
import { drawPet } from '../art/pet-art.js';
import { t } from '../i18n.js';
import { h, setText } from './dom.js';
import './splash.css';

export class Splash {
  readonly el: HTMLElement;
  private readonly status: HTMLElement;
  private readonly retry: HTMLButtonElement;

  constructor(onRetry: () => void) {
    const dpr = Math.min(2, Math.max(1, window.devicePixelRatio || 1));
    const egg = h('canvas', { class: 'splash-egg', attrs: { 'aria-hidden': 'true' } });
    egg.width = 120 * dpr;
    egg.height = 120 * dpr;
    const ctx = egg.getContext('2d');
    if (ctx) drawPet(ctx, { species: 'fox', stage: 'egg', sick: false, mood: 'happy' }, 120 * dpr);
    this.status = h('p', { class: 'splash-status', testid: 'splash-status', text: t('app.loading'), attrs: { role: 'status' } });
    this.retry = h('button', {
      class: 'primary-button',
      testid: 'splash-retry',
      text: t('app.retry'),
      attrs: { type: 'button', hidden: '' },
      on: { click: () => onRetry() },
    });
    this.el = h('div', { class: 'splash' }, [egg, h('div', { class: 'splash-title', text: t('app.title') }), this.status, this.retry]);
  }

  progress(message: string): void {
    this.el.hidden = false;
    this.el.classList.remove('failed');
    this.retry.hidden = true;
    setText(this.status, message);
  }

  fail(message: string, canRetry = true): void {
    this.el.hidden = false;
    this.el.classList.add('failed');
    setText(this.status, message);
    this.retry.hidden = !canRetry;
  }

  hide(): void {
    this.el.hidden = true;
  }
}
