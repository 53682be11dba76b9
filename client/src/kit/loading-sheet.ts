/**
 * The stand-in for a sheet whose code is still loading (kit/lazy.ts): after a moment (a warm
 * cache never shows it) a sheet with the part's title and "Loading…"; its close
 * button drops the open. A failed load is an error toast.
 */
import { t } from '../i18n.js';
import { h } from './dom.js';
import type { LazyHooks } from './lazy.js';
import { sheet } from './sheet.js';

/** Loads faster than this and the loading sheet never shows. */
const LOADING_SHEET_DELAY_MS = 150;

export interface LoadingSheetHost {
  /** Places the loading sheet (in the app's column). */
  mount(el: HTMLElement): void;
  notify(message: string, kind: 'error'): void;
}

/** Hooks for a lazy part: a loading sheet titled `title` (none when null) and a toast on failure. */
export function loadingSheetHooks(host: LoadingSheetHost, title: string | null): LazyHooks {
  return {
    waiting:
      title === null
        ? undefined
        : (cancel) => {
            let el: HTMLElement | null = null;
            const timer = window.setTimeout(() => {
              // The look of a sheet's own loading state (the shop's, progress'): its title and a line.
              el = sheet({ name: 'part-loading', title, closeLabel: t('app.close'), onClose: cancel, trailing: h('span') }, [
                h('div', { class: 'sheet-state', attrs: { role: 'status' } }, [h('span', { text: t('app.loading') })]),
              ]);
              el.hidden = false;
              host.mount(el);
              const shown = el;
              requestAnimationFrame(() => shown.classList.add('open'));
            }, LOADING_SHEET_DELAY_MS);
            return () => {
              clearTimeout(timer);
              el?.remove();
            };
          },
    failed: () => host.notify(t('app.partFailed'), 'error'),
  };
}
