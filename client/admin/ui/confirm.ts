/**
 * A modal confirm dialog (<dialog>, so focus is trapped and Escape cancels), optionally with a
 * required reason, which actions that change a player send to the audit log. Resolves with the
 * reason ('' when none was asked) or null when cancelled; focus goes back where it was.
 */
import { t } from '../i18n.js';
import { h } from './dom.js';
import { field } from './field.js';

export interface ConfirmOptions {
  title: string;
  message: string;
  confirmLabel?: string;
  /** Ask for a reason and refuse an empty one. */
  requireReason?: boolean;
  danger?: boolean;
}

export function confirmDialog(o: ConfirmOptions): Promise<string | null> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  return new Promise((resolve) => {
    const reason = o.requireReason ? field({ label: t('ui.reason'), name: 'reason', required: true, multiline: true, attrs: { maxlength: 500 } }) : null;
    const titleId = 'confirm-title';
    const form = h(
      'form',
      { method: 'dialog', class: 'dialog-body' },
      h('h2', { id: titleId }, o.title),
      h('p', {}, o.message),
      reason?.root,
      h(
        'div',
        { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'button', value: 'cancel', 'data-testid': 'confirm-cancel' }, t('ui.cancel')),
        h('button', { type: 'submit', class: `button ${o.danger ? 'button-danger' : 'button-primary'}`, value: 'ok', 'data-testid': 'confirm-ok' }, o.confirmLabel ?? t('ui.confirm')),
      ),
    );
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId, 'data-testid': 'confirm-dialog' }, form);
    let result: string | null = null;
    form.addEventListener('submit', (event) => {
      if (reason) {
        const text = reason.input.value.trim();
        if (!text) {
          event.preventDefault();
          reason.setError(t('ui.reason.required'));
          reason.input.focus();
          return;
        }
        result = text;
      } else {
        result = '';
      }
    });
    form.querySelector('button[value="cancel"]')?.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      opener?.focus();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
    (reason?.input ?? form.querySelector<HTMLButtonElement>('button[value="ok"]'))?.focus();
  });
}
