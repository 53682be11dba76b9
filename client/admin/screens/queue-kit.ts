/**
 * What the Moderation and Anti-fraud screens share: a queue that refreshes every ~10 s
 * (pausing in hidden tabs) without stealing focus, a reason-checked action runner with toasts,
 * a form dialog (the rename), segmented filters, and object URLs of pictures behind the token.
 */
import { AdminApiError, type AdminApi } from '../api.js';
import { t, type MessageKey } from '../i18n.js';
import type { ScreenContext } from '../screens.js';
import { confirmDialog, field, h, poll, toast, type Field } from '../ui/index.js';
import { describeError } from '../ui/status.js';
import './queue.css';

/** How often the queues refresh. */
export const QUEUE_REFRESH_MS = 10_000;
/** Rows a queue page asks for. */
export const QUEUE_PAGE = 50;
/** The server's minimum reason length (AdminReasonSchema). */
export const MIN_REASON = 3;

/** An error's text for a toast, with the panel's words for known codes. */
export function errorText(err: unknown, codes: Partial<Record<string, MessageKey>> = {}): string {
  if (err instanceof AdminApiError) {
    const key = codes[err.code];
    if (key) return t(key);
  }
  return t('mq.failed', { error: describeError(err) });
}

/**
 * Asks for a reason (confirm dialog), runs the action, toasts the outcome; false when cancelled
 * or failed. A reason shorter than the server accepts is refused here already.
 */
export async function reasonAction<T>(o: {
  title: string;
  message: string;
  confirmLabel: string;
  danger?: boolean;
  run: (reason: string) => Promise<T>;
  done: (result: T) => { text: string; tone?: 'ok' | 'warn' | 'info' };
  codes?: Partial<Record<string, MessageKey>>;
}): Promise<boolean> {
  for (;;) {
    const reason = await confirmDialog({ title: o.title, message: o.message, confirmLabel: o.confirmLabel, requireReason: true, ...(o.danger ? { danger: true } : {}) });
    if (reason === null) return false;
    if (reason.length < MIN_REASON) {
      toast(t('mq.reasonShort', { n: MIN_REASON }), 'warn');
      continue;
    }
    try {
      const result = await o.run(reason);
      const { text, tone = 'ok' } = o.done(result);
      toast(text, tone);
      return true;
    } catch (err) {
      toast(errorText(err, o.codes), 'danger');
      return false;
    }
  }
}

export interface FormDialogOptions {
  title: string;
  message?: string;
  fields: Field[];
  extra?: HTMLElement[];
  confirmLabel: string;
  testid: string;
  /** Runs on submit: a message keeps the dialog open and shows it (at `errorField` when given); null closes it. */
  submit: (reason: string) => Promise<{ error: string; field?: Field } | null>;
}

/** A modal form with fields and a required reason; the server's refusals show inside it. Resolves true when submitted. */
export function formDialog(o: FormDialogOptions): Promise<boolean> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  return new Promise((resolve) => {
    const reason = field({ label: t('ui.reason'), name: 'reason', required: true, multiline: true, attrs: { maxlength: 500, 'data-testid': `${o.testid}-reason` } });
    const formError = h('p', { class: 'form-error', role: 'alert' });
    const ok = h('button', { type: 'submit', class: 'button button-primary', 'data-testid': `${o.testid}-ok` }, o.confirmLabel);
    const cancel = h('button', { type: 'button', class: 'button', 'data-testid': `${o.testid}-cancel` }, t('ui.cancel'));
    const titleId = `${o.testid}-title`;
    const form = h(
      'form',
      { class: 'dialog-body', novalidate: true },
      h('h2', { id: titleId }, o.title),
      o.message ? h('p', {}, o.message) : null,
      ...o.fields.map((f) => f.root),
      ...(o.extra ?? []),
      reason.root,
      formError,
      h('div', { class: 'dialog-actions' }, cancel, ok),
    );
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId, 'data-testid': o.testid }, form);
    let submitted = false;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      for (const f of [...o.fields, reason]) f.setError(null);
      formError.textContent = '';
      const text = reason.input.value.trim();
      if (text.length < MIN_REASON) {
        reason.setError(text ? t('mq.reasonShort', { n: MIN_REASON }) : t('ui.reason.required'));
        reason.input.focus();
        return;
      }
      ok.disabled = true;
      void o.submit(text).then(
        (failure) => {
          ok.disabled = false;
          if (!failure) {
            submitted = true;
            dialog.close();
            return;
          }
          if (failure.field) {
            failure.field.setError(failure.error);
            failure.field.input.focus();
          } else {
            formError.textContent = failure.error;
          }
        },
        (err: unknown) => {
          ok.disabled = false;
          formError.textContent = errorText(err);
        },
      );
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus();
      resolve(submitted);
    });
    document.body.append(dialog);
    dialog.showModal();
    (o.fields[0]?.input ?? reason.input).focus();
  });
}

/** A group of toggle buttons (aria-pressed) for a filter; `onChange` gets the chosen value. */
export function segmented<V extends string>(label: string, options: ReadonlyArray<{ value: V; label: string; testid: string }>, value: V, onChange: (value: V) => void): HTMLElement {
  const buttons = options.map((opt) =>
    h('button', { type: 'button', 'aria-pressed': String(opt.value === value), 'data-testid': opt.testid, 'data-value': opt.value }, opt.label),
  );
  for (const b of buttons) {
    b.addEventListener('click', () => {
      for (const other of buttons) other.setAttribute('aria-pressed', String(other === b));
      onChange(b.dataset.value as V);
    });
  }
  return h('div', { class: 'mq-filter' }, h('span', { class: 'mq-filter-label', id: `${options[0]?.testid ?? 'seg'}-label` }, label), h('div', { class: 'segmented', role: 'group', 'aria-labelledby': `${options[0]?.testid ?? 'seg'}-label` }, ...buttons));
}

/** Object URLs of pictures behind the token, one request per image, revoked when the screen is left. */
export class ProtectedImages {
  private readonly urls = new Map<string, Promise<string>>();

  constructor(private readonly api: AdminApi) {}

  /** An <img> that fills in when the bytes arrive (the alt text says what it is meanwhile). */
  img(path: string, alt: string, attrs: Record<string, string> = {}): HTMLElement {
    const img = h('img', { alt, class: 'mq-pic-img', loading: 'lazy', ...attrs });
    const box = h('span', { class: 'mq-pic-box', 'data-state': 'loading' }, img);
    let url = this.urls.get(path);
    if (!url) {
      url = this.api.objectUrl(path);
      this.urls.set(path, url);
      url.catch(() => this.urls.delete(path));
    }
    url.then(
      (src) => {
        img.src = src;
        box.dataset.state = 'ready';
      },
      () => {
        box.dataset.state = 'error';
        box.append(h('span', { class: 'mq-pic-missing' }, t('mod.picture.failed')));
      },
    );
    return box;
  }

  dispose(): void {
    for (const url of this.urls.values()) void url.then((src) => URL.revokeObjectURL(src), () => undefined);
    this.urls.clear();
  }
}

/**
 * Replaces a list's content only when the data changed (so a refresh neither flickers nor
 * moves the reader), and puts the keyboard focus back on the same control (`data-testid`).
 */
export function redraw(host: HTMLElement, signature: string, build: () => Node[]): void {
  if (host.dataset.signature === signature) return;
  const active = document.activeElement instanceof HTMLElement && host.contains(document.activeElement) ? document.activeElement.dataset.testid : undefined;
  host.replaceChildren(...build());
  host.dataset.signature = signature;
  if (active) host.querySelector<HTMLElement>(`[data-testid="${CSS.escape(active)}"]`)?.focus();
}

/** A labelled value of a card's facts ("Last reported · 12 Jun, 10:00"). */
export function fact(label: string, value: Node | string): HTMLElement {
  return h('div', { class: 'mq-fact' }, h('dt', {}, label), h('dd', {}, value));
}

/** A refreshing, paged queue: what it shows, and the hooks of a screen's filters and actions. */
export interface PagedQueue<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
  /** Back to the first page with a loading note (a filter changed), loaded now. */
  reset(): void;
  /** Loads again now and redraws even when nothing changed (after an action). */
  refresh(): void;
  stop(): void;
}

/**
 * Loads a queue's first page every QUEUE_REFRESH_MS (paused in hidden tabs), asking for as
 * many rows as are shown so pages loaded with **Load more** stay; `key` names the filters, and
 * a page that arrives for older filters is dropped. `draw` reads `items` and `nextCursor`.
 */
export function pagedQueue<T>(o: {
  ctx: ScreenContext;
  list: HTMLElement;
  more: HTMLButtonElement;
  key: () => string;
  fetch: (limit: number, cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>;
  draw: () => void;
}): PagedQueue<T> {
  let items: T[] = [];
  let nextCursor: string | null = null;
  let extra = 0;

  const load = async (cursor?: string) => {
    const mine = o.key();
    const page = await o.fetch(cursor ? QUEUE_PAGE : Math.min(100, QUEUE_PAGE + extra), cursor);
    if (mine !== o.key()) return;
    if (cursor) {
      items = [...items, ...page.items];
      extra += page.items.length;
    } else {
      items = page.items;
    }
    nextCursor = page.nextCursor;
    o.draw();
    o.list.dataset.state = 'ready';
  };

  const poller = poll(
    async () => {
      try {
        await load();
        o.ctx.status.ok();
      } catch (err) {
        o.ctx.status.failed(err);
        if (o.list.dataset.state === 'loading') {
          o.list.dataset.state = 'error';
          o.list.replaceChildren(h('p', { class: 'notice notice-danger' }, errorText(err)));
        }
      }
    },
    QUEUE_REFRESH_MS,
    (paused) => o.ctx.status.paused(paused),
  );

  o.more.addEventListener('click', () => {
    if (!nextCursor) return;
    o.more.disabled = true;
    load(nextCursor)
      .catch((err: unknown) => o.ctx.status.failed(err))
      .finally(() => {
        o.more.disabled = false;
      });
  });

  return {
    get items() {
      return items;
    },
    get nextCursor() {
      return nextCursor;
    },
    reset() {
      items = [];
      nextCursor = null;
      extra = 0;
      delete o.list.dataset.signature;
      o.list.dataset.state = 'loading';
      o.list.replaceChildren(h('p', { class: 'muted' }, t('app.loading')));
      poller.now();
    },
    refresh() {
      delete o.list.dataset.signature;
      poller.now();
    },
    stop() {
      poller.stop();
    },
  };
}
