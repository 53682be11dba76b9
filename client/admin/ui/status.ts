/**
 * A screen's refresh status line: "Updated 12:00:05", "Paused while the tab is hidden", or, in
 * an assertive live region, why the last refresh failed while the last good figures stay on
 * screen. Only failures (and recovery from one) are announced; routine updates are not.
 */
import { t } from '../i18n.js';
import { h } from './dom.js';
import { formatTime } from './format.js';

export interface StatusLine {
  readonly root: HTMLElement;
  ok(at?: number): void;
  failed(error: unknown): void;
  paused(paused: boolean): void;
}

export function describeError(error: unknown): string {
  if (error instanceof Error && 'code' in error && typeof (error as { code: unknown }).code === 'string') {
    const code = (error as { code: string }).code;
    return code === 'NETWORK' ? t('error.NETWORK') : `${code}${error.message && error.message !== code ? `: ${error.message}` : ''}`;
  }
  return error instanceof Error ? error.message : String(error);
}

export function statusLine(): StatusLine {
  const quiet = h('span', { class: 'status-quiet', 'data-testid': 'refresh-status' });
  const alert = h('span', { class: 'status-alert', role: 'alert', 'aria-live': 'assertive', 'data-testid': 'refresh-error' });
  const root = h('div', { class: 'status-line' }, quiet, alert);
  let lastOk: number | null = null;
  return {
    root,
    ok(at = Date.now()) {
      lastOk = at;
      quiet.textContent = t('app.refreshed', { time: formatTime(at) });
      if (alert.textContent) alert.textContent = '';
      root.dataset.state = 'ok';
    },
    failed(error) {
      alert.textContent = t('app.refreshFailed', { error: describeError(error), time: lastOk === null ? '—' : formatTime(lastOk) });
      root.dataset.state = 'error';
    },
    paused(paused) {
      if (paused) quiet.textContent = t('app.paused');
      root.dataset.state = paused ? 'paused' : (root.dataset.state ?? 'ok');
    },
  };
}
