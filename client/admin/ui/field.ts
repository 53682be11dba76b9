/** A labelled form field: label, control, optional hint and error, wired with ids and aria-describedby. */
import { h, uid } from './dom.js';

export interface FieldOptions {
  label: string;
  name: string;
  type?: string;
  value?: string;
  required?: boolean;
  autocomplete?: string;
  placeholder?: string;
  hint?: string;
  /** A <select> with these options instead of an <input>. */
  options?: Array<{ value: string; label: string }>;
  multiline?: boolean;
  attrs?: Record<string, string | number>;
}

export interface Field {
  root: HTMLElement;
  input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  setError(message: string | null): void;
}

export function field(o: FieldOptions): Field {
  const id = uid('field');
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const common = { id, name: o.name, ...(o.required ? { required: true } : {}), ...(o.attrs ?? {}) };
  let input: Field['input'];
  if (o.options) {
    input = h('select', common, ...o.options.map((opt) => h('option', { value: opt.value, ...(opt.value === o.value ? { selected: true } : {}) }, opt.label)));
  } else if (o.multiline) {
    input = h('textarea', { ...common, rows: 3, ...(o.placeholder ? { placeholder: o.placeholder } : {}) });
    input.value = o.value ?? '';
  } else {
    input = h('input', {
      ...common,
      type: o.type ?? 'text',
      ...(o.autocomplete ? { autocomplete: o.autocomplete } : {}),
      ...(o.placeholder ? { placeholder: o.placeholder } : {}),
    });
    input.value = o.value ?? '';
  }
  const hint = o.hint ? h('p', { class: 'field-hint', id: hintId }, o.hint) : null;
  const error = h('p', { class: 'field-error', id: errorId, hidden: true });
  if (hint) input.setAttribute('aria-describedby', hintId);
  const root = h('div', { class: 'field' }, h('label', { for: id }, o.label), input, hint, error);
  return {
    root,
    input,
    setError(message) {
      error.hidden = message === null;
      error.textContent = message ?? '';
      if (message === null) {
        input.removeAttribute('aria-invalid');
        if (hint) input.setAttribute('aria-describedby', hintId);
        else input.removeAttribute('aria-describedby');
      } else {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', hint ? `${hintId} ${errorId}` : errorId);
      }
    },
  };
}
