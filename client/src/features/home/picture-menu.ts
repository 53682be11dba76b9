/**
 * The owner's small menu on the pet's picture card: a round button on the card's top-right
 * corner (placed from the home layout, over the canvas) opening a popover with "New picture".
 * While a new picture is painted the button spins and the item is closed.
 */
import { iconSvg } from '../../art/icons.js';
import { t } from '../../i18n.js';
import type { Rect } from './home-layout.js';
import { h, setText } from '../../kit/dom.js';
import './home.css';

/** The button's side and its inset from the card's corner, CSS px (smaller on a small card). */
const BUTTON = 34;
const BUTTON_SMALL = 28;
const INSET = 8;
const INSET_SMALL = 6;
const SMALL_CARD = 170;

export class PictureMenu {
  readonly el: HTMLElement;
  private readonly button: HTMLButtonElement;
  private readonly menu: HTMLElement;
  private readonly item: HTMLButtonElement;
  private readonly itemLabel: HTMLElement;
  private readonly hint: HTMLElement;
  private petName = '';
  private busy = false;

  constructor(private readonly handlers: { regenerate(): void }) {
    this.button = h(
      'button',
      {
        class: 'picture-button',
        testid: 'picture-menu-open',
        attrs: { type: 'button', 'aria-label': t('picture.menu'), title: t('picture.menu'), 'aria-haspopup': 'menu', 'aria-expanded': 'false' },
        on: { click: () => (this.open ? this.close() : this.show()) },
      },
      [iconSvg('palette', 20)],
    );
    this.itemLabel = h('span', { class: 'picture-item-label', text: t('picture.new') });
    this.hint = h('span', { class: 'picture-item-hint' });
    this.item = h(
      'button',
      {
        class: 'picture-item',
        testid: 'picture-new',
        attrs: { type: 'button', role: 'menuitem' },
        on: {
          click: () => {
            this.close();
            handlers.regenerate();
          },
        },
      },
      [h('span', { class: 'picture-item-icon' }, [iconSvg('palette', 22)]), h('span', { class: 'picture-item-text' }, [this.itemLabel, this.hint])],
    );
    this.menu = h('div', { class: 'picture-menu card', testid: 'picture-menu', attrs: { hidden: '', role: 'menu' } }, [this.item]);
    this.el = h('div', { class: 'picture-tools', attrs: { hidden: '' } }, [this.button, this.menu]);

    document.addEventListener('pointerdown', (event) => {
      const target = event.target as Node | null;
      if (this.open && target && !this.el.contains(target)) this.close();
    });
  }

  get open(): boolean {
    return !this.menu.hidden;
  }

  /** Puts the button on the picture card's top-right corner (stage CSS px). */
  place(picture: Rect): void {
    const small = picture.width < SMALL_CARD;
    const size = small ? BUTTON_SMALL : BUTTON;
    const inset = small ? INSET_SMALL : INSET;
    this.el.classList.toggle('small', small);
    this.el.style.left = `${Math.round(picture.x + picture.width - inset - size)}px`;
    this.el.style.top = `${Math.round(picture.y + inset)}px`;
  }

  /** Shown for the owner's pet (never a friend's). */
  setAvailable(available: boolean, petName: string): void {
    this.el.hidden = !available;
    this.petName = petName;
    if (!available) this.close();
    this.render();
  }

  setBusy(busy: boolean): void {
    this.busy = busy;
    this.button.classList.toggle('busy', busy);
    this.render();
  }

  show(): void {
    this.render();
    this.menu.hidden = false;
    this.button.setAttribute('aria-expanded', 'true');
  }

  close(): void {
    this.menu.hidden = true;
    this.button.setAttribute('aria-expanded', 'false');
  }

  private render(): void {
    this.item.disabled = this.busy;
    setText(this.itemLabel, t('picture.new'));
    setText(this.hint, this.busy ? t('picture.busy') : t('picture.newHint', { name: this.petName }));
  }
}
