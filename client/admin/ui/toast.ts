/** Toasts: short messages in a polite live region at the corner; errors stay longer and are announced assertively. */
import { h } from './dom.js';
import type { Tone } from './badge.js';

let region: HTMLElement | null = null;

function host(): HTMLElement {
  if (region?.isConnected) return region;
  region = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite', 'data-testid': 'toasts' });
  document.body.append(region);
  return region;
}

export function toast(message: string, tone: Tone = 'info', ms = tone === 'danger' ? 8000 : 4000): void {
  const el = h('div', { class: `toast toast-${tone}`, 'data-testid': 'toast', ...(tone === 'danger' ? { role: 'alert' } : {}) }, message);
  host().append(el);
  setTimeout(() => el.remove(), ms);
}
