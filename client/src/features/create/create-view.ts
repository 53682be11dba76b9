/**
 * The create-your-pet form: a name, a species (with portraits drawn by the same art module
 * as the stage) and an Adopt button. The stage above previews the chosen species. The name
 * follows the server's rule (shared/names.ts): a name it would refuse shows why under the
 * field and cannot be sent; what is sent is the normalised name.
 */
import { PET_NAME_MAX_LENGTH, SPECIES, type Species } from '../../../../shared/balance.js';
import { isNameBlocked } from '../../../../shared/name-filter.js';
import { PET_NAME_INPUT_MAX_LENGTH, normalizeName } from '../../../../shared/names.js';
import { drawPet } from '../../art/pet-art.js';
import { errorText, t } from '../../i18n.js';
import { h, setText } from '../../kit/dom.js';
import './create.css';

export interface CreateViewHandlers {
  speciesChanged(species: Species): void;
  submit(name: string, species: Species): void;
  cancel(): void;
}

function portrait(species: Species): HTMLCanvasElement {
  const css = 64;
  const dpr = Math.min(2, Math.max(1, window.devicePixelRatio || 1));
  const canvas = h('canvas', { class: 'species-art', attrs: { 'aria-hidden': 'true' } });
  canvas.width = css * dpr;
  canvas.height = css * dpr;
  canvas.style.width = `${css}px`;
  canvas.style.height = `${css}px`;
  const ctx = canvas.getContext('2d');
  if (ctx) drawPet(ctx, { species, stage: 'baby', sick: false, mood: 'neutral' }, css * dpr);
  return canvas;
}

export class CreateView {
  readonly el: HTMLElement;
  private readonly input: HTMLInputElement;
  private readonly nameError: HTMLElement;
  private readonly submitButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly speciesButtons: Map<Species, HTMLButtonElement>;
  private species: Species = 'cat';
  private busy = false;

  constructor(private readonly handlers: CreateViewHandlers) {
    this.input = h('input', {
      class: 'text-input',
      testid: 'create-name',
      attrs: {
        id: 'create-name',
        type: 'text',
        // UTF-16 units, not characters: the rule below counts code points after normalising.
        maxlength: String(PET_NAME_INPUT_MAX_LENGTH),
        'aria-describedby': 'create-name-error',
        placeholder: t('create.namePlaceholder'),
        autocomplete: 'off',
        enterkeyhint: 'done',
      },
      on: { input: () => this.refresh() },
    });
    this.nameError = h('p', { class: 'field-error', testid: 'create-name-error', attrs: { id: 'create-name-error', 'aria-live': 'polite' } });
    this.nameError.hidden = true;
    this.speciesButtons = new Map(
      SPECIES.map((species) => [
        species,
        h(
          'button',
          {
            class: 'species-option',
            testid: `species-${species}`,
            attrs: { type: 'button', role: 'radio', 'aria-checked': 'false', 'data-species': species },
            on: { click: () => this.pick(species) },
          },
          [portrait(species), h('span', { text: t(`species.${species}`) })],
        ),
      ]),
    );
    this.submitButton = h('button', {
      class: 'primary-button',
      testid: 'create-submit',
      text: t('create.submit'),
      attrs: { type: 'submit' },
    });
    this.cancelButton = h('button', {
      class: 'secondary-button',
      testid: 'create-cancel',
      text: t('create.cancel'),
      attrs: { type: 'button' },
      on: { click: () => handlers.cancel() },
    });
    const form = h(
      'form',
      {
        class: 'create-form',
        attrs: { novalidate: '' },
        on: {
          submit: (event) => {
            event.preventDefault();
            this.submit();
          },
        },
      },
      [
        h('label', { class: 'field-label', text: t('create.namePrompt'), attrs: { for: 'create-name' } }),
        this.input,
        this.nameError,
        h('div', { class: 'field-label', text: t('create.species'), attrs: { id: 'species-label' } }),
        h(
          'div',
          { class: 'species-grid', attrs: { role: 'radiogroup', 'aria-labelledby': 'species-label' } },
          [...this.speciesButtons.values()],
        ),
        h('div', { class: 'form-actions' }, [this.cancelButton, this.submitButton]),
      ],
    );
    this.el = h('section', { class: 'create-panel card', attrs: { 'aria-labelledby': 'create-title' } }, [
      h('h1', { class: 'panel-title', text: t('create.title'), attrs: { id: 'create-title' } }),
      h('p', { class: 'panel-subtitle', text: t('create.subtitle') }),
      form,
    ]);
    this.pick('cat');
  }

  /** Resets the form; `cancellable` shows Cancel (the player already has a pet to go back to). */
  reset(cancellable: boolean): void {
    this.input.value = '';
    this.busy = false;
    this.cancelButton.hidden = !cancellable;
    this.pick(SPECIES[Math.floor(Math.random() * SPECIES.length)] ?? 'cat');
    this.refresh();
  }

  focus(): void {
    this.input.focus({ preventScroll: true });
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.refresh();
  }

  private pick(species: Species): void {
    this.species = species;
    for (const [s, button] of this.speciesButtons) {
      button.setAttribute('aria-checked', String(s === species));
      button.classList.toggle('selected', s === species);
    }
    this.handlers.speciesChanged(species);
  }

  /** The name as the server will store it, or null while there is none (or one it refuses). */
  private name(): string | null {
    const result = normalizeName(this.input.value);
    return result.ok ? result.name : null;
  }

  private refresh(): void {
    const result = normalizeName(this.input.value);
    const blocked = result.ok && isNameBlocked(result.name);
    // An empty field is not an error yet; anything else the rules refuse says why.
    const problem = blocked
      ? errorText('NAME_REJECTED')
      : result.ok || result.reason === 'empty'
        ? ''
        : result.reason === 'too_long'
          ? t('create.nameTooLong', { max: PET_NAME_MAX_LENGTH })
          : errorText('NAME_INVALID');
    setText(this.nameError, problem);
    this.nameError.hidden = problem === '';
    this.input.setAttribute('aria-invalid', String(problem !== ''));
    this.submitButton.disabled = this.busy || !result.ok || blocked;
    this.input.disabled = this.busy;
  }

  private submit(): void {
    const name = this.name();
    if (this.submitButton.disabled || name === null) return;
    this.handlers.submit(name, this.species);
  }
}
