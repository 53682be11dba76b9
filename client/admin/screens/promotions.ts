/**
 * Promotions (GET/POST/PATCH /admin/promotions): the list with status badges, a form to create
 * or edit one (title, discount, one item or every item of a kind, start and end in the
 * admin's local time, sent as ISO), a live preview of the prices players will see (POST
 * /admin/promotions/preview, debounced, priced by the shop itself), and End early. Moderators
 * see the list and the preview; creating, editing and ending are the admin's.
 */
import { ITEMS, ITEM_KINDS, STAGES, type ItemId, type ItemKind } from '../../../shared/balance.js';
import type { AdminPromotionDto, AdminPromotionPreviewDto } from '../../../shared/dto.js';
import { translate, type I18nKey } from '../../../shared/i18n.js';
import { SHOP_ITEMS } from '../../../shared/shop.js';
import { AdminApiError } from '../api.js';
import { language, t, type MessageKey } from '../i18n.js';
import type { ScreenContext } from '../screens.js';
import { badge, confirmDialog, dataTable, field, formatDateTime, formatNumber, h, replace, toast, type Field, type Tone } from '../ui/index.js';
import { describeError } from '../ui/status.js';

const PREVIEW_DEBOUNCE_MS = 300;

const itemName = (id: ItemId): string => translate(language(), `item.${id}` as I18nKey);
const kindName = (kind: ItemKind): string => t(`promo.kind.${kind}` as MessageKey);

function targetText(p: { itemId: ItemId | null; kind: ItemKind | null }): string {
  if (p.itemId) return itemName(p.itemId);
  return p.kind ? t('promo.allOfKind', { kind: kindName(p.kind) }) : '—';
}

const statusTone: Record<AdminPromotionDto['status'], Tone> = { scheduled: 'info', running: 'ok', ended: 'neutral' };

/** An ISO instant as a datetime-local value in the browser's time zone ("2025-06-01T09:30"). */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (local time) as ISO; null when empty, undefined when invalid. */
export function fromLocalInput(value: string): string | null | undefined {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

export function render(root: HTMLElement, ctx: ScreenContext): () => void {
  const admin = ctx.can('admin');
  const newButton = h('button', { type: 'button', class: 'button button-primary', 'data-testid': 'promo-new' }, t('promo.new'));
  const formHost = h('div', { 'data-testid': 'promo-form-host' });
  const list = h('div', { 'data-testid': 'promotions', 'data-state': 'loading' }, h('p', { class: 'muted' }, t('app.loading')));
  if (admin) root.append(h('div', { class: 'toolbar' }, newButton));
  root.append(formHost, list);
  let left = false;
  let closeForm: (() => void) | null = null;

  const load = async () => {
    try {
      const { items } = await ctx.api.promotions();
      if (left) return;
      replace(list, table(items));
      list.dataset.state = 'ready';
      ctx.status.ok();
    } catch (err) {
      if (left) return;
      list.dataset.state = 'error';
      ctx.status.failed(err);
      replace(list, h('p', { class: 'notice notice-danger', role: 'alert' }, describeError(err)));
    }
  };

  const table = (items: AdminPromotionDto[]) =>
    h(
      'section',
      { class: 'panel', 'aria-label': t('promo.list') },
      h('div', { class: 'panel-head' }, h('h2', {}, t('promo.list'))),
      dataTable({
        caption: t('promo.list'),
        captionHidden: true,
        testid: 'promotions-table',
        rows: items,
        empty: t('promo.empty'),
        rowKey: (p) => p.id,
        columns: [
          { key: 'title', label: t('promo.col.title'), render: (p) => p.title },
          { key: 'target', label: t('promo.col.target'), render: (p) => targetText(p) },
          { key: 'discount', label: t('promo.col.discount'), numeric: true, render: (p) => h('strong', {}, `−${p.discountPercent} %`) },
          { key: 'starts', label: t('promo.col.starts'), wide: true, render: (p) => h('time', { datetime: p.startsAt }, formatDateTime(p.startsAt)) },
          { key: 'ends', label: t('promo.col.ends'), render: (p) => h('time', { datetime: p.endsAt }, formatDateTime(p.endsAt)) },
          { key: 'status', label: t('promo.col.status'), render: (p) => badge(t(`promo.status.${p.status}` as MessageKey), statusTone[p.status], { 'data-testid': `promo-status-${p.id}` }) },
          ...(admin
            ? [
                {
                  key: 'actions',
                  label: t('promo.col.actions'),
                  render: (p: AdminPromotionDto) => {
                    if (p.status === 'ended') return '—';
                    const edit = h('button', { type: 'button', class: 'button button-small', 'data-testid': `promo-edit-${p.id}` }, t('promo.edit'));
                    edit.addEventListener('click', () => openForm(p));
                    const end = h('button', { type: 'button', class: 'button button-small button-danger', 'data-testid': `promo-end-${p.id}` }, t('promo.end'));
                    end.addEventListener('click', () => void endEarly(p));
                    return h('div', { class: 'actions' }, edit, end);
                  },
                },
              ]
            : []),
        ],
      }),
    );

  async function endEarly(p: AdminPromotionDto): Promise<void> {
    const reason = await confirmDialog({ title: t('promo.end.title', { title: p.title }), message: t('promo.end.message'), confirmLabel: t('promo.end'), requireReason: true, danger: true });
    if (reason === null) return;
    try {
      await ctx.api.endPromotion(p.id, reason);
      toast(t('promo.end.done', { title: p.title }), 'ok');
      await load();
    } catch (err) {
      toast(t('pl.failed', { error: describeError(err) }), 'danger');
    }
  }

  function openForm(editing: AdminPromotionDto | null): void {
    closeForm?.();
    closeForm = promotionForm(formHost, ctx, editing, {
      saved: (p, created) => {
        toast(t(created ? 'promo.created' : 'promo.updated', { title: p.title }), 'ok');
        closeForm?.();
        void load();
        newButton.focus();
      },
      cancelled: () => {
        closeForm?.();
        newButton.focus();
      },
    });
  }

  newButton.addEventListener('click', () => openForm(null));
  void load();
  return () => {
    left = true;
    closeForm?.();
  };
}

interface FormEvents {
  saved(p: AdminPromotionDto, created: boolean): void;
  cancelled(): void;
}

/** The create/edit form with its live preview; returns a function that removes it. */
function promotionForm(host: HTMLElement, ctx: ScreenContext, editing: AdminPromotionDto | null, on: FormEvents): () => void {
  const sold = SHOP_ITEMS.map((i) => i.itemId);
  const targets = [
    ...sold.map((id) => ({ value: `item:${id}`, label: `${itemName(id)} (${kindName(ITEMS[id].kind)})` })),
    ...ITEM_KINDS.filter((k) => sold.some((id) => ITEMS[id].kind === k)).map((k) => ({ value: `kind:${k}`, label: t('promo.allOfKind', { kind: kindName(k) }) })),
  ];
  const initialTarget = editing ? (editing.itemId ? `item:${editing.itemId}` : `kind:${editing.kind ?? ''}`) : '';
  const title = field({ label: t('promo.form.title'), name: 'title', required: true, value: editing?.title ?? '', attrs: { maxlength: 80, 'data-testid': 'promo-title' } });
  const discount = field({ label: t('promo.form.discount'), name: 'discountPercent', type: 'number', required: true, hint: t('promo.form.discount.hint'), value: editing ? String(editing.discountPercent) : '20', attrs: { min: 1, max: 90, step: 1, inputmode: 'numeric', 'data-testid': 'promo-discount' } });
  const target = field({ label: t('promo.form.target'), name: 'target', required: true, value: initialTarget, options: [{ value: '', label: '—' }, ...targets], attrs: { 'data-testid': 'promo-target' } });
  const starts = field({ label: t('promo.form.starts'), name: 'startsAt', type: 'datetime-local', hint: t('promo.form.starts.hint'), value: editing ? toLocalInput(editing.startsAt) : '', attrs: { 'data-testid': 'promo-starts' } });
  const defaultEnd = new Date(Date.now() + 7 * 86_400_000);
  defaultEnd.setMinutes(0, 0, 0);
  const ends = field({ label: t('promo.form.ends'), name: 'endsAt', type: 'datetime-local', required: true, hint: t('promo.form.ends.hint'), value: toLocalInput(editing ? editing.endsAt : defaultEnd.toISOString()), attrs: { 'data-testid': 'promo-ends' } });
  const reason = field({ label: t('promo.form.reason'), name: 'reason', attrs: { maxlength: 500, 'data-testid': 'promo-reason' } });
  const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'promo-error' });
  const save = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'promo-save' }, t('promo.form.save'));
  const cancel = h('button', { type: 'button', class: 'button', 'data-testid': 'promo-cancel' }, t('promo.form.cancel'));
  const headingId = 'promo-form-heading';
  const form = h(
    'form',
    { class: 'promo-form', novalidate: true, 'aria-labelledby': headingId },
    title.root,
    discount.root,
    target.root,
    starts.root,
    ends.root,
    reason.root,
    h('div', { class: 'form-actions' }, save, cancel),
    error,
  );
  const preview = h('div', { 'data-testid': 'promo-preview', 'data-state': 'idle', 'aria-live': 'polite' });
  const section = h(
    'section',
    { class: 'panel', 'data-testid': 'promo-form' },
    h('div', { class: 'panel-head' }, h('h2', { id: headingId, tabindex: -1 }, editing ? t('promo.form.edit', { title: editing.title }) : t('promo.form.new'))),
    form,
    h('h3', { class: 'subhead preview-title' }, t('promo.preview')),
    h('p', { class: 'field-hint' }, t('promo.preview.hint')),
    preview,
  );
  replace(host, section);
  title.input.focus();

  const fields: Record<string, Field> = { title, discountPercent: discount, itemId: target, kind: target, startsAt: starts, endsAt: ends };
  const targetOf = (): { itemId?: ItemId; kind?: ItemKind } | null => {
    const [type, value] = target.input.value.split(':');
    if (type === 'item' && value) return { itemId: value as ItemId };
    if (type === 'kind' && value) return { kind: value as ItemKind };
    return null;
  };
  const discountOf = (): number | null => {
    const n = Number(discount.input.value);
    return discount.input.value !== '' && Number.isInteger(n) && n >= 1 && n <= 90 ? n : null;
  };

  // ---- the preview, as the form changes ----
  let timer: ReturnType<typeof setTimeout> | null = null;
  let seq = 0;
  const refreshPreview = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void runPreview(), PREVIEW_DEBOUNCE_MS);
  };
  const runPreview = async () => {
    const mine = ++seq;
    const d = discountOf();
    const tg = targetOf();
    if (d === null || tg === null) {
      preview.dataset.state = 'idle';
      replace(preview, h('p', { class: 'muted' }, t('promo.preview.empty')));
      return;
    }
    preview.dataset.state = 'loading';
    preview.setAttribute('aria-busy', 'true');
    try {
      const res = await ctx.api.previewPromotion({ discountPercent: d, ...tg, ...(editing ? { promotionId: editing.id } : {}) });
      if (mine !== seq) return;
      replace(preview, previewTable(res));
      preview.dataset.state = 'ready';
      preview.dataset.discount = String(d);
    } catch (err) {
      if (mine !== seq) return;
      preview.dataset.state = 'error';
      replace(preview, h('p', { class: 'notice notice-warn' }, t('promo.preview.failed', { error: describeError(err) })));
    } finally {
      if (mine === seq) preview.removeAttribute('aria-busy');
    }
  };
  for (const f of [discount, target]) {
    f.input.addEventListener('input', refreshPreview);
    f.input.addEventListener('change', refreshPreview);
  }
  // A field's error goes as soon as it is edited.
  for (const f of [title, discount, target, starts, ends]) {
    f.input.addEventListener('input', () => f.setError(null));
    f.input.addEventListener('change', () => f.setError(null));
  }
  void runPreview();

  // ---- validation and saving ----
  const validate = (): { body: Record<string, unknown>; first: Field | null } => {
    for (const f of new Set(Object.values(fields))) f.setError(null);
    error.textContent = '';
    let first: Field | null = null;
    const bad = (f: Field, message: string) => {
      f.setError(message);
      first ??= f;
    };
    const text = title.input.value.trim();
    if (text.length < 1 || text.length > 80) bad(title, t('promo.err.title'));
    const d = discountOf();
    if (d === null) bad(discount, t('promo.err.discount'));
    const tg = targetOf();
    if (tg === null) bad(target, t('promo.err.target'));
    const startIso = fromLocalInput(starts.input.value);
    if (startIso === undefined) bad(starts, t('promo.err.date'));
    const endIso = fromLocalInput(ends.input.value);
    if (endIso === undefined || endIso === null) bad(ends, t('promo.err.date'));
    else if (Date.parse(endIso) <= Math.max(Date.now(), startIso ? Date.parse(startIso) : 0)) bad(ends, t('promo.err.ends'));
    const body: Record<string, unknown> = { title: text, discountPercent: d, endsAt: endIso };
    if (tg?.itemId) body.itemId = tg.itemId;
    if (tg?.kind) body.kind = tg.kind;
    if (editing) {
      if (tg?.itemId) body.kind = null;
      if (tg?.kind) body.itemId = null;
    }
    if (startIso) body.startsAt = startIso;
    const note = reason.input.value.trim();
    if (note) body.reason = note;
    return { body, first };
  };

  /** A server refusal by field where its message names one. */
  const showServerError = (err: unknown) => {
    const message = err instanceof AdminApiError ? err.message : describeError(err);
    const named = Object.keys(fields).find((k) => message.includes(k));
    if (err instanceof AdminApiError && err.code === 'VALIDATION_FAILED' && named) {
      const f = fields[named] as Field;
      f.setError(message);
      f.input.focus();
    } else {
      error.textContent = t('pl.failed', { error: describeError(err) });
    }
  };

  let busy = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    const { body, first } = validate();
    if (first) {
      (first).input.focus();
      return;
    }
    busy = true;
    save.disabled = true;
    void (async () => {
      try {
        const saved = editing
          ? await ctx.api.updatePromotion(editing.id, body)
          : await ctx.api.createPromotion(body as Parameters<typeof ctx.api.createPromotion>[0]);
        on.saved(saved, !editing);
      } catch (err) {
        showServerError(err);
      } finally {
        busy = false;
        save.disabled = false;
      }
    })();
  });
  cancel.addEventListener('click', () => on.cancelled());
  section.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') on.cancelled();
  });

  return () => {
    if (timer) clearTimeout(timer);
    seq++;
    host.replaceChildren();
  };
}

function previewTable(res: AdminPromotionPreviewDto): HTMLElement {
  const rows = res.items.flatMap((item) => {
    const variants = [...new Set(item.prices.map((p) => p.variant))];
    return variants.map((variant) => ({ item, variant, prices: item.prices.filter((p) => p.variant === variant) }));
  });
  return dataTable({
    caption: t('promo.preview'),
    captionHidden: true,
    testid: 'preview-table',
    rows,
    empty: t('promo.preview.empty'),
    rowKey: (r) => `${r.item.itemId}:${r.variant}`,
    columns: [
      { key: 'item', label: t('pl.col.item'), render: (r) => itemName(r.item.itemId) },
      { key: 'variant', label: t('promo.preview.variant'), wide: true, render: (r) => h('span', { class: 'mono' }, r.variant) },
      ...STAGES.map((stage) => ({
        key: stage,
        label: t(`promo.stage.${stage}` as MessageKey),
        numeric: true,
        render: (r: (typeof rows)[number]) => {
          const p = r.prices.find((x) => x.stage === stage);
          if (!p) return '—';
          const changed = p.promotedPrice !== p.currentPrice;
          return h(
            'span',
            { class: p.draftApplies ? '' : 'price-cell-off', title: p.draftApplies ? '' : t('promo.preview.notApplied'), 'data-testid': `preview-${r.item.itemId}-${r.variant}-${stage}`, 'data-price': p.promotedPrice },
            changed ? h('span', { class: 'price-old' }, formatNumber(p.currentPrice)) : null,
            h('span', { class: 'price-new' }, formatNumber(p.promotedPrice)),
          );
        },
      })),
    ],
  });
}
