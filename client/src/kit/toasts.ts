/**
 * Short-lived messages stacked at the top of the screen; errors stay a little longer.
 * Celebrations (streak days, quests done, achievements) wear a badge and wait in a queue:
 * several arriving at once come in one after another instead of piling up.
 */
import { iconSvg, type IconName } from '../art/icons.js';
import { h } from './dom.js';
import './toasts.css';

export type ToastKind = 'info' | 'success' | 'error' | 'warning';

/** A celebration: its sentence, the badge's icon and colour scheme, and what it is about. */
export interface Celebration {
  message: string;
  icon: IconName;
  tone: 'streak' | 'freeze' | 'weekly' | 'quest' | 'achievement' | 'reward';
  /** `data-notice` on the toast (the progress notice's kind). */
  notice: string;
}

const MAX_TOASTS = 3;
/** Celebrations on screen at once; the rest wait their turn. */
const MAX_CELEBRATIONS = 2;
/** Between two celebrations coming in, so each one is seen arriving. */
const CELEBRATION_GAP_MS = 450;
const CELEBRATION_TTL_MS = 4200;

export class Toasts {
  readonly el: HTMLElement;
  private readonly queue: Celebration[] = [];
  private celebrating = 0;
  private nextAt = 0;
  private timer = 0;

  constructor() {
    // role=status + aria-live: screen readers announce toasts without moving focus.
    this.el = h('div', { class: 'toasts', attrs: { role: 'status', 'aria-live': 'polite' } });
  }

  show(message: string, kind: ToastKind = 'info'): void {
    // The same message twice in a row (e.g. repeated taps on a cooling button) shows once.
    const last = this.el.lastElementChild;
    if (last instanceof HTMLElement && last.textContent === message && !last.classList.contains('leaving')) {
      last.classList.remove('bump');
      void last.offsetWidth;
      last.classList.add('bump');
      return;
    }
    const toast = h('div', { class: `toast toast-${kind}`, text: message, testid: 'toast', attrs: { 'data-kind': kind } });
    this.add(toast, kind === 'error' ? 4500 : 3200);
  }

  /** Queues a celebration; it shows as soon as there is room for it. */
  celebrate(celebration: Celebration): void {
    this.queue.push(celebration);
    this.pump();
  }

  private pump(): void {
    clearTimeout(this.timer);
    this.timer = 0;
    while (this.queue.length > 0 && this.celebrating < MAX_CELEBRATIONS) {
      const wait = this.nextAt - performance.now();
      if (wait > 0) {
        this.timer = window.setTimeout(() => this.pump(), wait);
        return;
      }
      const next = this.queue.shift();
      if (next) this.showCelebration(next);
    }
  }

  private showCelebration(c: Celebration): void {
    this.celebrating += 1;
    this.nextAt = performance.now() + CELEBRATION_GAP_MS;
    const toast = h(
      'div',
      { class: `toast toast-rich tone-${c.tone}`, testid: 'toast', attrs: { 'data-kind': 'success', 'data-notice': c.notice } },
      [h('span', { class: 'toast-badge', attrs: { 'aria-hidden': 'true' } }, [iconSvg(c.icon, 18)]), h('span', { class: 'toast-text', text: c.message })],
    );
    this.add(toast, CELEBRATION_TTL_MS, () => {
      this.celebrating -= 1;
      this.pump();
    });
  }

  private add(toast: HTMLElement, ttlMs: number, gone?: () => void): void {
    let removed = false;
    const remove = (): void => {
      if (removed) return;
      removed = true;
      toast.remove();
      gone?.();
    };
    this.el.append(toast);
    // Too many at once: the oldest makes room (its own timers still end it properly).
    while (this.el.children.length > MAX_TOASTS) {
      const oldest = this.el.firstElementChild;
      if (!(oldest instanceof HTMLElement)) break;
      oldest.dispatchEvent(new Event('toast-evict'));
      oldest.remove();
    }
    toast.addEventListener('toast-evict', remove);
    setTimeout(() => {
      toast.classList.add('leaving');
      setTimeout(remove, 300);
    }, ttlMs);
  }
}
