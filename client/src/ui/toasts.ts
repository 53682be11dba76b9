/** Short-lived messages stacked at the top of the screen; errors stay a little longer. */
import { h } from './dom.js';

export type ToastKind = 'info' | 'success' | 'error' | 'warning';

const MAX_TOASTS = 3;

export class Toasts {
  readonly el: HTMLElement;

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
    this.el.append(toast);
    while (this.el.children.length > MAX_TOASTS) this.el.firstElementChild?.remove();
    const ttl = kind === 'error' ? 4500 : 3200;
    setTimeout(() => {
      toast.classList.add('leaving');
      setTimeout(() => toast.remove(), 300);
    }, ttl);
  }
}
