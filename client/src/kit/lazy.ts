/**
 * A part of the app whose code loads on first use (a sheet, the minigame scene): `import()`
 * once, shared by every caller. While the code loads, a tap that would open it again is
 * dropped (a double tap opens once), and after a moment a loading sheet stands in for it; a
 * failed load says so in a toast and the next tap tries again.
 */
import { t } from '../i18n.js';
import { h } from './dom.js';
import { sheet } from './sheet.js';

/** Loads faster than this and the loading sheet never shows (no flash on a warm cache). */
const LOADING_SHEET_DELAY_MS = 150;

export interface LazyHooks {
  /** Where the loading sheet goes (the app's column). */
  mount(el: HTMLElement): void;
  /** A load failed (the message is the toast's). */
  failed(message: string): void;
}

export class Lazy<T> {
  private value: T | null = null;
  private loading: Promise<T> | null = null;
  /** What to do once loaded: the latest open that was not dropped or cancelled. */
  private pending: ((value: T) => void) | null = null;
  private placeholder: HTMLElement | null = null;
  private placeholderTimer = 0;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly hooks: LazyHooks,
    /** The loading sheet's title (the part's own name), or null for no sheet (the minigame). */
    private readonly title: string | null,
  ) {}

  /** The loaded part, or null before its code has arrived. */
  get current(): T | null {
    return this.value;
  }

  /** Whether an open is waiting for the code. */
  get waiting(): boolean {
    return this.pending !== null;
  }

  /** Runs `use` with the part now if it is loaded, else once it is (dropped while a load runs). */
  open(use: (value: T) => void): void {
    if (this.value) {
      use(this.value);
      return;
    }
    if (this.pending) return;
    this.pending = use;
    this.showPlaceholderSoon();
    void this.ensure().then(
      (value) => {
        const run = this.pending;
        this.pending = null;
        this.hidePlaceholder();
        run?.(value);
      },
      () => {
        const wanted = this.pending !== null;
        this.pending = null;
        this.hidePlaceholder();
        if (wanted) this.hooks.failed(t('app.partFailed'));
      },
    );
  }

  /** Loads the code without opening anything (resolves with the part; rejects on failure). */
  ensure(): Promise<T> {
    if (this.value) return Promise.resolve(this.value);
    this.loading ??= this.load().then(
      (value) => {
        this.value = value;
        this.loading = null;
        return value;
      },
      (error: unknown) => {
        // Forget the failure: the next open loads again.
        this.loading = null;
        throw error;
      },
    );
    return this.loading;
  }

  /** The player closed the loading sheet (or went elsewhere): open nothing when the code arrives. */
  cancel(): void {
    this.pending = null;
    this.hidePlaceholder();
  }

  private showPlaceholderSoon(): void {
    const title = this.title;
    if (title === null) return;
    clearTimeout(this.placeholderTimer);
    this.placeholderTimer = window.setTimeout(() => {
      if (!this.pending) return;
      const el = sheet(
        { name: 'part-loading', title, closeLabel: t('app.close'), onClose: () => this.cancel(), trailing: h('span') },
        [h('div', { class: 'shop-state', attrs: { role: 'status' } }, [h('span', { class: 'spinner', attrs: { 'aria-hidden': 'true' } }), h('span', { text: t('app.loading') })])],
      );
      el.hidden = false;
      this.hooks.mount(el);
      requestAnimationFrame(() => el.classList.add('open'));
      this.placeholder = el;
    }, LOADING_SHEET_DELAY_MS);
  }

  private hidePlaceholder(): void {
    clearTimeout(this.placeholderTimer);
    this.placeholderTimer = 0;
    this.placeholder?.remove();
    this.placeholder = null;
  }
}
