/**
 * Short-lived messages in a queue: at most two on screen, the rest wait their turn and come in
 * one after another. The same message again (a repeated tap on a cooling button, the same
 * error twice) does not stack up: the one on screen or in the queue counts it (×2) instead.
 * Errors wait ahead of the others and stay a little longer; celebrations (streak days, quests
 * done, achievements) wear a badge. Where they sit (clear of the headers, tabs and the care
 * bar) is the stylesheet's business: toasts.css; they never take a tap (pointer-events: none).
 */
import { iconSvg, type IconName } from '../art/icons.js';
import { h, setText } from './dom.js';
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

/** Toasts on screen at once. */
const MAX_VISIBLE_TOASTS = 2;
/** Plain messages kept waiting at most: older ones would be stale by the time they showed. */
const MAX_WAITING_MESSAGES = 4;
/** Between two toasts coming in, so each one is seen arriving. */
const TOAST_GAP_MS = 450;
const MESSAGE_TTL_MS = 3200;
const ERROR_TTL_MS = 4500;
const CELEBRATION_TTL_MS = 4200;
/** The leaving transition (toasts.css) before the element goes. */
const LEAVE_MS = 300;

interface Entry {
  /** Equal keys merge: the kind (or notice) and the text. */
  key: string;
  error: boolean;
  celebration: boolean;
  ttlMs: number;
  count: number;
  build: () => HTMLElement;
  /** Set while on screen. */
  el?: HTMLElement;
  countEl?: HTMLElement;
  timer?: number;
  leaving?: boolean;
}

export class Toasts {
  readonly el: HTMLElement;
  private readonly waiting: Entry[] = [];
  private readonly visible: Entry[] = [];
  private lastShownAt = -Infinity;
  private timer = 0;

  constructor() {
    // role=status + aria-live: screen readers announce toasts without moving focus.
    this.el = h('div', { class: 'toasts', attrs: { role: 'status', 'aria-live': 'polite' } });
  }

  show(message: string, kind: ToastKind = 'info'): void {
    this.enqueue({
      key: `${kind}:${message}`,
      error: kind === 'error',
      celebration: false,
      ttlMs: kind === 'error' ? ERROR_TTL_MS : MESSAGE_TTL_MS,
      count: 1,
      build: () => h('div', { class: `toast toast-${kind}`, testid: 'toast', text: message, attrs: { 'data-kind': kind } }),
    });
  }

  /** Queues a celebration; it shows as soon as there is room for it. */
  celebrate(c: Celebration): void {
    this.enqueue({
      key: `${c.notice}:${c.message}`,
      error: false,
      celebration: true,
      ttlMs: CELEBRATION_TTL_MS,
      count: 1,
      build: () =>
        h('div', { class: `toast toast-rich tone-${c.tone}`, testid: 'toast', attrs: { 'data-kind': 'success', 'data-notice': c.notice } }, [
          h('span', { class: 'toast-badge', attrs: { 'aria-hidden': 'true' } }, [iconSvg(c.icon, 18)]),
          h('span', { class: 'toast-text', text: c.message }),
        ]),
    });
  }

  private enqueue(entry: Entry): void {
    const shown = this.visible.find((e) => e.key === entry.key && !e.leaving);
    if (shown) {
      shown.count += 1;
      this.renderCount(shown);
      // Seen again: it stays its full time from now.
      this.schedule(shown);
      return;
    }
    const queued = this.waiting.find((e) => e.key === entry.key);
    if (queued) {
      queued.count += 1;
      return;
    }
    if (entry.error) {
      // Errors wait ahead of the rest (after earlier errors): they explain what just failed.
      const at = this.waiting.findIndex((e) => !e.error);
      this.waiting.splice(at === -1 ? this.waiting.length : at, 0, entry);
    } else {
      this.waiting.push(entry);
    }
    // Celebrations all wait (they are rewards); of the plain messages the oldest give way.
    const messages = this.waiting.filter((e) => !e.celebration);
    for (const stale of messages.slice(0, Math.max(0, messages.length - MAX_WAITING_MESSAGES))) {
      this.waiting.splice(this.waiting.indexOf(stale), 1);
    }
    this.pump();
  }

  /** Shows waiting toasts while there is room, one every `TOAST_GAP_MS`. */
  private pump(): void {
    clearTimeout(this.timer);
    this.timer = 0;
    while (this.waiting.length > 0 && this.visible.length < MAX_VISIBLE_TOASTS) {
      const wait = this.lastShownAt + TOAST_GAP_MS - performance.now();
      if (wait > 0) {
        this.timer = window.setTimeout(() => this.pump(), wait);
        return;
      }
      const next = this.waiting.shift();
      if (next) this.present(next);
    }
  }

  private present(entry: Entry): void {
    this.lastShownAt = performance.now();
    entry.el = entry.build();
    this.renderCount(entry);
    this.visible.push(entry);
    this.el.append(entry.el);
    this.schedule(entry);
  }

  private renderCount(entry: Entry): void {
    const el = entry.el;
    if (!el || entry.count < 2) return;
    el.dataset.count = String(entry.count);
    if (!entry.countEl) {
      entry.countEl = h('span', { class: 'toast-count', attrs: { 'aria-hidden': 'true' } });
      el.append(entry.countEl);
    }
    setText(entry.countEl, `×${entry.count}`);
    // Restart the bump animation.
    el.classList.remove('bump');
    void el.offsetWidth;
    el.classList.add('bump');
  }

  private schedule(entry: Entry): void {
    clearTimeout(entry.timer);
    entry.timer = window.setTimeout(() => this.dismiss(entry), entry.ttlMs);
  }

  private dismiss(entry: Entry): void {
    entry.leaving = true;
    entry.el?.classList.add('leaving');
    window.setTimeout(() => {
      entry.el?.remove();
      const at = this.visible.indexOf(entry);
      if (at !== -1) this.visible.splice(at, 1);
      this.pump();
    }, LEAVE_MS);
  }
}
