/**
 * A modal form dialog (Players and promotions): like confirmDialog, with fields of its own
 * (an amount, a name) and a required reason, but it stays open while `submit` runs and shows
 * what went wrong by field (or for the whole form) instead of closing. The submit button is
 * disabled while a submission runs, so a double click posts once.
 */
import { t } from '../i18n.js';
import { h } from './dom.js';
import { field, type Field } from './field.js';

export interface FormDialogOptions {
  title: string;
  message?: string;
  fields?: Field[];
  confirmLabel: string;
  danger?: boolean;
  requireReason?: boolean;
  testid?: string;
  /** Returns true to close; to stay open, set a field's error or call `fail`. */
  submit(reason: string, fail: (message: string) => void): Promise<boolean>;
}

/** Resolves true when submitted (and closed), false when cancelled. */
export function formDialog(o: FormDialogOptions): Promise<boolean> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  return new Promise((resolve) => {
    const reason = o.requireReason === false ? null : field({ label: t('ui.reason'), name: 'reason', required: true, multiline: true, attrs: { maxlength: 500, 'data-testid': 'dialog-reason' } });
    const titleId = 'form-dialog-title';
    const error = h('p', { class: 'form-error', role: 'alert', 'data-testid': 'dialog-error' });
    const ok = h('button', { type: 'submit', class: `button ${o.danger ? 'button-danger' : 'button-primary'}`, 'data-testid': 'dialog-ok' }, o.confirmLabel);
    const cancel = h('button', { type: 'button', class: 'button', 'data-testid': 'dialog-cancel' }, t('ui.cancel'));
    const form = h(
      'form',
      { class: 'dialog-body', novalidate: true },
      h('h2', { id: titleId }, o.title),
      o.message ? h('p', {}, o.message) : null,
      ...(o.fields ?? []).map((f) => f.root),
      reason?.root,
      error,
      h('div', { class: 'dialog-actions' }, cancel, ok),
    );
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId, 'data-testid': o.testid ?? 'form-dialog' }, form);
    let done = false;
    let busy = false;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (busy) return;
      error.textContent = '';
      for (const f of o.fields ?? []) f.setError(null);
      reason?.setError(null);
      const text = reason ? reason.input.value.trim() : '';
      if (reason && text.length < 3) {
        reason.setError(t('ui.reason.required'));
        reason.input.focus();
        return;
      }
      busy = true;
      ok.disabled = true;
      const label = ok.textContent;
      ok.textContent = t('ui.submit.busy');
      form.setAttribute('aria-busy', 'true');
      void o
        .submit(text, (message) => {
          error.textContent = message;
        })
        .then(
          (close) => {
            if (close) {
              done = true;
              dialog.close();
            }
          },
          (err: unknown) => {
            error.textContent = err instanceof Error ? err.message : String(err);
          },
        )
        .finally(() => {
          busy = false;
          ok.disabled = false;
          ok.textContent = label;
          form.removeAttribute('aria-busy');
          if (!done) form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
        });
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('cancel', (event) => {
      if (busy) event.preventDefault();
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus();
      resolve(done);
    });
    document.body.append(dialog);
    dialog.showModal();
    (o.fields?.[0]?.input ?? reason?.input ?? ok).focus();
  });
}
