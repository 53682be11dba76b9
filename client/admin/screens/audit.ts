/**
 * The audit log (GET /admin/audit): who did what to which target, why, and the values before
 * and after, newest first, filtered by actor, action and target, older pages on demand
 * (`before` = the previous page's `nextBefore`). A server without the endpoint yet (404) says so.
 */
import { AdminApiError, type AuditEntry, type AuditQuery } from '../api.js';
import { t } from '../i18n.js';
import type { ScreenContext } from '../screens.js';
import { badge, dataTable, field, formatDateTime, h, replace, shortId } from '../ui/index.js';
import { describeError } from '../ui/status.js';

/** The endpoint's `limit` is 1–100. */
const LIMITS = [25, 50, 100];

/** Flattens nested objects to dotted paths ("balances.coins"), arrays and scalars as they are. */
export function flatten(value: unknown, prefix = '', out: Map<string, unknown> = new Map()): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, {});
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix || value !== undefined) {
    out.set(prefix || '·', value);
  }
  return out;
}

export interface DiffRow {
  field: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

export function diff(before: unknown, after: unknown): DiffRow[] {
  const a = before === null || before === undefined ? new Map<string, unknown>() : flatten(before);
  const b = after === null || after === undefined ? new Map<string, unknown>() : flatten(after);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys.map((field) => {
    const x = a.get(field);
    const y = b.get(field);
    return { field, before: x, after: y, changed: JSON.stringify(x) !== JSON.stringify(y) };
  });
}

const show = (v: unknown): string => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

function diffTable(entry: AuditEntry): HTMLElement {
  const rows = diff(entry.before, entry.after);
  if (rows.length === 0) return h('p', { class: 'muted' }, t('audit.noChange'));
  return dataTable({
    caption: `${entry.action} ${entry.targetId ?? ''}`,
    captionHidden: true,
    rows,
    columns: [
      { key: 'field', label: t('audit.field'), render: (r) => h('span', { class: `mono${r.changed ? ' changed' : ''}` }, r.field) },
      { key: 'before', label: t('audit.before'), render: (r) => h(r.changed ? 'del' : 'span', { class: 'mono' }, show(r.before)) },
      { key: 'after', label: t('audit.after'), render: (r) => h(r.changed ? 'ins' : 'span', { class: 'mono' }, show(r.after)) },
    ],
  });
}

function actionTone(action: string) {
  return /unban|grant|create|restore/.test(action) ? 'ok' : /ban|refund|take|hide|delete|revoke/.test(action) ? 'danger' : 'info';
}

export function render(root: HTMLElement, ctx: ScreenContext): void {
  const actor = field({ label: t('audit.actor'), name: 'actorId', attrs: { 'data-testid': 'audit-actor', maxlength: 64 } });
  const action = field({ label: t('audit.action'), name: 'action', attrs: { 'data-testid': 'audit-action', maxlength: 64 } });
  const target = field({ label: t('audit.target'), name: 'targetId', attrs: { 'data-testid': 'audit-target', maxlength: 128 } });
  const limit = field({ label: t('audit.limit'), name: 'limit', value: '50', options: LIMITS.map((n) => ({ value: String(n), label: String(n) })), attrs: { 'data-testid': 'audit-limit' } });
  const clear = h('button', { type: 'button', class: 'button' }, t('audit.clear'));
  const form = h('form', { class: 'toolbar filters', 'aria-label': t('audit.title') }, actor.root, action.root, target.root, limit.root, h('div', { class: 'toolbar-buttons' }, h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'audit-apply' }, t('audit.apply')), clear));
  const list = h('div', { 'data-testid': 'audit', 'data-state': 'loading' });
  const more = h('button', { type: 'button', class: 'button', hidden: true, 'data-testid': 'audit-more' }, t('audit.more'));
  root.append(form, list, more);

  let items: AuditEntry[] = [];
  let nextBefore: string | null = null;

  const draw = () => {
    replace(
      list,
      dataTable({
        caption: t('audit.title'),
        captionHidden: true,
        testid: 'audit-table',
        empty: t('audit.empty'),
        rows: items,
        rowKey: (e) => e.id,
        columns: [
          { key: 'at', label: t('audit.col.at'), render: (e) => h('time', { datetime: e.at }, formatDateTime(e.at)) },
          { key: 'actor', label: t('audit.col.actor'), render: (e) => h('span', { title: e.actorId ?? '' }, e.actorName || (e.actorId ? shortId(e.actorId) : '—')) },
          { key: 'action', label: t('audit.col.action'), render: (e) => badge(e.action, actionTone(e.action)) },
          { key: 'target', label: t('audit.col.target'), render: (e) => (e.targetId ? h('span', { class: 'mono', title: e.targetId }, `${e.targetType} ${shortId(e.targetId, 12)}`) : '—') },
          { key: 'reason', label: t('audit.col.reason'), wide: true, render: (e) => e.reason ?? '—' },
          { key: 'ip', label: t('audit.col.ip'), wide: true, render: (e) => h('span', { class: 'mono' }, e.ip ?? '—') },
          { key: 'change', label: t('audit.col.change'), render: (e) => h('details', { class: 'disclosure' }, h('summary', {}, t('audit.diff')), diffTable(e)) },
        ],
      }),
    );
  };

  const query = (): AuditQuery => ({
    actorId: actor.input.value.trim() || undefined,
    action: action.input.value.trim() || undefined,
    targetId: target.input.value.trim() || undefined,
    limit: Number(limit.input.value),
  });

  const load = async (append: boolean) => {
    list.dataset.state = 'loading';
    more.disabled = true;
    try {
      const page = await ctx.api.audit({ ...query(), ...(append && nextBefore ? { before: nextBefore } : {}) });
      items = append ? [...items, ...page.items] : page.items;
      nextBefore = page.nextBefore;
      draw();
      more.hidden = nextBefore === null;
      list.dataset.state = 'ready';
      ctx.status.ok();
    } catch (err) {
      if (err instanceof AdminApiError && err.status === 404) {
        replace(list, h('p', { class: 'notice', 'data-testid': 'audit-unavailable' }, t('audit.unavailable')));
        list.dataset.state = 'unavailable';
        more.hidden = true;
        return;
      }
      ctx.status.failed(err);
      if (!append) replace(list, h('p', { class: 'notice notice-danger' }, describeError(err)));
      list.dataset.state = 'error';
    } finally {
      more.disabled = false;
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void load(false);
  });
  clear.addEventListener('click', () => {
    actor.input.value = '';
    action.input.value = '';
    target.input.value = '';
    void load(false);
  });
  more.addEventListener('click', () => void load(true));
  void load(false);
}
