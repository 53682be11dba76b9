/**
 * The album sheet: "My pets" (a grid of my pets with their current picture, name, stage and
 * age, and an "Adopt another" tile under the cap) and one pet's album (one picture at a time:
 * swipe, arrow keys or the buttons; a caption with stage, coat, provider and date; "3 / 12").
 * Data and paging come from the coordinator; this is presentation and input.
 */
import { MAX_PETS_PER_PLAYER, itemOfSkin, type Species, type StageName } from '../../../../shared/balance.js';
import type { AlbumPetDto, AlbumPictureDto } from '../../../../shared/dto.js';
import { iconSvg } from '../../art/icons.js';
import { drawPet } from '../../art/pet-art.js';
import { formatDuration, hasKey, language, t } from '../../i18n.js';
import { h, setText } from '../../kit/dom.js';
import { SheetState, sheet } from '../../kit/sheet.js';
import type { AlbumPaging } from './album-paging.js';
import { dragOffset, isSideways, swipeDirection } from './swipe.js';
import './album.css';

/** A tile of the My pets grid. */
export interface PetTile {
  id: string;
  name: string;
  species: Species;
  stage: StageName;
  ageSeconds: number;
  /** The picture it shows now (null: drawn here). */
  pictureUrl: string | null;
  /** The pet on show at home. */
  atHome: boolean;
}

export interface AlbumPanelHandlers {
  /** The header's left button: back to the grid from an album opened there, else close. */
  back(): void;
  openPet(petId: string): void;
  adopt(): void;
  showAtHome(petId: string): void;
  /** The picture on show moves by one (after its slide animation). */
  move(delta: -1 | 1): void;
  retry(): void;
}

type View = 'grid' | 'gallery';

/** How long the slide to the next picture takes (the CSS transition; a timer ends it if no transitionend comes). */
const SLIDE_MS = 220;
/** Picture slides kept in the DOM with their decoded images (the current one and its neighbours, and a few more). */
const SLIDE_CACHE = 9;

/** "17 Jun 2026, 14:05" in the player's language. */
export function pictureDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(language(), { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(date);
}

/** "17 June 2026" in the player's language. */
function bornDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(language(), { day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

/** A coat's name: the skin's shop name, or "Own coat". */
export function coatName(skin: string): string {
  if (skin === 'default') return t('album.coat.default');
  const item = itemOfSkin(skin);
  const key = item ? `item.${item}` : '';
  return hasKey(key) ? t(key) : skin;
}

export class AlbumPanel {
  readonly el: HTMLElement;
  private view: View = 'grid';
  private readonly title: HTMLElement;
  private readonly backButton: HTMLButtonElement;
  private readonly gridView: HTMLElement;
  private readonly slots: HTMLElement;
  private readonly grid: HTMLElement;
  private readonly gridState: SheetState;
  private readonly galleryView: HTMLElement;
  private readonly petLine: HTMLElement;
  private readonly bornLine: HTMLElement;
  private readonly homeButton: HTMLButtonElement;
  private readonly homeChip: HTMLElement;
  private readonly viewer: HTMLElement;
  private readonly track: HTMLElement;
  private readonly prevButton: HTMLButtonElement;
  private readonly nextButton: HTMLButtonElement;
  private readonly caption: HTMLElement;
  private readonly captionTitle: HTMLElement;
  private readonly captionDate: HTMLElement;
  private readonly captionChips: HTMLElement;
  private readonly position: HTMLElement;
  private readonly galleryState: SheetState;
  private readonly slides = new Map<string, HTMLElement>();
  private paging: AlbumPaging | null = null;
  private petId: string | null = null;
  private fromGrid = false;
  private animating = false;
  /** The paging changed while a slide or drag was under way: render when it ends. */
  private stale = false;
  private drag: { id: number; x: number; y: number; at: number; width: number; sideways: boolean | null } | null = null;

  constructor(private readonly handlers: AlbumPanelHandlers) {
    this.slots = h('p', { class: 'album-slots', testid: 'album-slots' });
    this.grid = h('div', { class: 'album-grid', testid: 'album-grid' });
    this.gridState = new SheetState('album-grid-state', () => handlers.retry());
    this.gridView = h('div', { class: 'sheet-scroll album-grid-view', testid: 'album-grid-view' }, [this.slots, this.gridState.el, this.grid]);

    this.petLine = h('p', { class: 'album-pet-line', testid: 'album-pet-line' });
    this.bornLine = h('p', { class: 'album-born', testid: 'album-born' });
    this.homeButton = h('button', {
      class: 'secondary-button compact album-home',
      testid: 'album-show-home',
      text: t('album.showHome'),
      attrs: { type: 'button' },
      on: { click: () => this.petId && handlers.showAtHome(this.petId) },
    });
    this.homeChip = h('span', { class: 'album-home-chip', testid: 'album-at-home', text: t('album.atHome'), attrs: { hidden: '' } });
    const about = h('div', { class: 'album-about' }, [h('div', { class: 'album-about-text' }, [this.petLine, this.bornLine]), this.homeButton, this.homeChip]);

    this.track = h('div', { class: 'album-track', testid: 'album-track' });
    this.prevButton = h(
      'button',
      { class: 'icon-button album-arrow prev', testid: 'album-prev', attrs: { type: 'button', 'aria-label': t('album.prev'), title: t('album.prev') }, on: { click: () => this.step(-1) } },
      [iconSvg('back', 20)],
    );
    this.nextButton = h(
      'button',
      { class: 'icon-button album-arrow next', testid: 'album-next', attrs: { type: 'button', 'aria-label': t('album.next'), title: t('album.next') }, on: { click: () => this.step(1) } },
      [iconSvg('back', 20)],
    );
    this.viewer = h(
      'div',
      {
        class: 'album-viewer',
        testid: 'album-viewer',
        attrs: { tabindex: '0', role: 'region', 'aria-roledescription': 'carousel', 'aria-label': t('album.swipeHint') },
        on: {
          pointerdown: (e) => this.dragStart(e),
          pointermove: (e) => this.dragMove(e),
          pointerup: (e) => this.dragEnd(e),
          pointercancel: (e) => this.dragEnd(e, true),
          keydown: (e) => this.key(e),
        },
      },
      [this.track, this.prevButton, this.nextButton],
    );
    this.captionTitle = h('strong', { class: 'album-caption-title', testid: 'album-caption-title' });
    this.captionDate = h('span', { class: 'album-caption-date', testid: 'album-caption-date' });
    this.captionChips = h('span', { class: 'album-caption-chips' });
    this.position = h('span', { class: 'album-position', testid: 'album-position', attrs: { 'aria-live': 'polite' } });
    this.caption = h('div', { class: 'album-caption', testid: 'album-caption' }, [
      h('div', { class: 'album-caption-row' }, [this.captionTitle, this.position]),
      this.captionDate,
      this.captionChips,
      h('p', { class: 'album-hint', text: t('album.swipeHint') }),
    ]);
    this.galleryState = new SheetState('album-state', () => handlers.retry());
    this.galleryView = h('div', { class: 'sheet-scroll album-gallery-view', testid: 'album-gallery-view', attrs: { hidden: '' } }, [
      about,
      this.galleryState.el,
      this.viewer,
      this.caption,
    ]);

    this.el = sheet(
      { name: 'album', className: 'album', title: t('album.myPets'), closeLabel: t('album.close'), onClose: () => handlers.back(), trailing: h('span', { class: 'album-trailing' }) },
      [this.gridView, this.galleryView],
    );
    this.title = this.el.querySelector('.sheet-title') as HTMLElement;
    this.backButton = this.el.querySelector('[data-testid="album-close"]') as HTMLButtonElement;
    document.addEventListener('keydown', (e) => {
      // Arrow keys turn the pictures wherever the focus is, unless it is in a field.
      if (!this.open || this.view !== 'gallery' || e.defaultPrevented || e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement) return;
      this.key(e);
    });
  }

  get open(): boolean {
    return !this.el.hidden;
  }

  /** Which view is on show, and whether the album was opened from the grid. */
  get state(): { view: View; fromGrid: boolean } {
    return { view: this.view, fromGrid: this.fromGrid };
  }

  show(): void {
    this.el.hidden = false;
    requestAnimationFrame(() => this.el.classList.add('open'));
  }

  hide(): void {
    if (this.el.hidden) return;
    this.el.classList.remove('open');
    this.el.hidden = true;
  }

  // ---- My pets ---------------------------------------------------------------------------

  showGrid(): void {
    this.view = 'grid';
    this.el.dataset.view = 'grid';
    this.gridView.hidden = false;
    this.galleryView.hidden = true;
    setText(this.title, t('album.myPets'));
    this.setBackIcon(false);
  }

  setGridLoading(): void {
    this.el.dataset.state = 'loading';
    if (this.grid.childElementCount === 0) this.gridState.loading(t('album.petsLoading'));
  }

  setGridFailed(): void {
    this.el.dataset.state = 'error';
    this.grid.replaceChildren();
    this.gridState.failed(t('album.petsFailed'));
  }

  setGrid(tiles: readonly PetTile[], canAdopt: boolean): void {
    this.el.dataset.state = 'ready';
    this.gridState.hide();
    setText(this.slots, t('album.slots', { n: tiles.length, max: MAX_PETS_PER_PLAYER }));
    this.grid.replaceChildren(...tiles.map((tile) => this.tile(tile)), ...(canAdopt ? [this.adoptTile()] : []));
  }

  private tile(tile: PetTile): HTMLElement {
    return h(
      'button',
      {
        class: `album-tile${tile.atHome ? ' at-home' : ''}`,
        testid: 'album-tile',
        attrs: { type: 'button', 'data-pet-id': tile.id, 'aria-label': t('album.openOf', { name: tile.name }) },
        on: { click: () => this.handlers.openPet(tile.id) },
      },
      [
        h('span', { class: 'album-tile-picture' }, [tile.pictureUrl ? pictureImg(tile.pictureUrl, tile.name, 'album-tile-img') : drawnPet(tile.species, tile.stage)]),
        tile.atHome ? h('span', { class: 'album-tile-badge', text: t('album.atHome') }) : null,
        h('span', { class: 'album-tile-name', text: tile.name }),
        h('span', { class: 'album-tile-sub' }, [
          h('span', { class: 'stage-chip', text: t(`stage.${tile.stage}`), attrs: { 'data-stage': tile.stage } }),
          h('span', { class: 'album-tile-age', text: formatDuration(tile.ageSeconds) }),
        ]),
      ],
    );
  }

  private adoptTile(): HTMLElement {
    return h(
      'button',
      { class: 'album-tile adopt', testid: 'album-adopt', attrs: { type: 'button' }, on: { click: () => this.handlers.adopt() } },
      [h('span', { class: 'album-adopt-plus' }, [iconSvg('plus', 28)]), h('span', { class: 'album-tile-name', text: t('album.adopt') })],
    );
  }

  // ---- one pet's album -------------------------------------------------------------------

  /** Opens the album view for a pet (its header arrives with the first page). */
  showGallery(petId: string, fromGrid: boolean): void {
    this.view = 'gallery';
    this.el.dataset.view = 'gallery';
    this.petId = petId;
    this.fromGrid = fromGrid;
    this.paging = null;
    for (const slide of this.slides.values()) slide.remove();
    this.slides.clear();
    this.track.replaceChildren();
    this.gridView.hidden = true;
    this.galleryView.hidden = false;
    this.galleryView.scrollTop = 0;
    this.caption.hidden = true;
    this.viewer.hidden = true;
    setText(this.petLine, '');
    setText(this.bornLine, '');
    this.homeButton.hidden = true;
    this.homeChip.hidden = true;
    setText(this.title, t('album.title', { name: '…' }));
    this.setBackIcon(fromGrid);
  }

  setGalleryLoading(): void {
    this.el.dataset.state = 'loading';
    if (!this.paging?.items.length) this.galleryState.loading(t('album.loading'));
  }

  setGalleryFailed(): void {
    this.el.dataset.state = 'error';
    this.galleryState.failed(t('album.failed'));
  }

  /** The pet's header: name, species, stage, age and born date; whether it is mine, and on show at home. */
  setPet(pet: AlbumPetDto, mine: boolean, atHome: boolean): void {
    setText(this.title, t('album.title', { name: pet.name }));
    setText(this.petLine, `${t(`species.${pet.species}`)} · ${t(`stage.${pet.stage}`)} · ${t('pet.age', { age: formatDuration(pet.ageSeconds) })}`);
    setText(this.bornLine, t('album.born', { date: bornDate(pet.bornAt) }));
    this.homeButton.hidden = !mine || atHome;
    this.homeChip.hidden = !mine || !atHome;
  }

  /** Shows the paging state: the picture on show with its neighbours, the caption and the position. */
  renderGallery(paging: AlbumPaging): void {
    this.paging = paging;
    // A page that arrives mid-slide or mid-drag is shown once the picture settles.
    if (this.animating || this.drag?.sideways) {
      this.stale = true;
      return;
    }
    this.stale = false;
    const items = paging.items;
    this.el.dataset.state = 'ready';
    this.el.dataset.index = String(paging.index);
    this.el.dataset.loaded = String(items.length);
    if (items.length === 0) {
      this.viewer.hidden = true;
      this.caption.hidden = true;
      if (paging.complete) this.galleryState.loading(t('album.empty'));
      return;
    }
    this.galleryState.hide();
    this.viewer.hidden = false;
    this.caption.hidden = false;
    const i = paging.index;
    const wanted = [items[i - 1], items[i], items[i + 1]];
    const slides = wanted.map((item, k) => (item ? this.slideOf(item, k === 1) : h('div', { class: 'album-slide empty' })));
    this.track.replaceChildren(...slides);
    this.track.classList.remove('sliding');
    this.track.style.transform = '';
    this.trimSlides(new Set(wanted.filter((p): p is AlbumPictureDto => p !== undefined).map((p) => p.id)));
    this.prevButton.disabled = !paging.canMove(-1);
    this.nextButton.disabled = !paging.canMove(1) && paging.complete;
    const picture = items[i] as AlbumPictureDto;
    this.renderCaption(picture);
    setText(this.position, t('album.position', { n: i + 1, total: paging.total }));
    this.position.dataset.n = String(i + 1);
    this.position.dataset.total = String(paging.total);
  }

  private renderCaption(picture: AlbumPictureDto): void {
    const form = picture.adultForm !== 'none' ? ` · ${t(`form.${picture.adultForm}`)}` : '';
    setText(this.captionTitle, `${t(`stage.${picture.stage}`)}${form} · ${coatName(picture.skin)}`);
    setText(this.captionDate, pictureDate(picture.readyAt));
    this.caption.dataset.pictureId = picture.id;
    this.captionChips.replaceChildren(
      ...(picture.current ? [h('span', { class: 'album-chip current', testid: 'album-current', text: t('album.current') })] : []),
      ...(picture.regenerated ? [h('span', { class: 'album-chip', text: t('album.regenerated') })] : []),
      h('span', { class: `album-chip provider ${picture.provider}`, testid: 'album-provider', text: t(`album.provider.${picture.provider}`) }),
    );
  }

  /** The slide of a picture, made once and kept with its decoded image while it stays near. */
  private slideOf(picture: AlbumPictureDto, current: boolean): HTMLElement {
    let slide = this.slides.get(picture.id);
    if (!slide) {
      const img = pictureImg(picture.url, `${t(`stage.${picture.stage}`)} · ${coatName(picture.skin)}`, 'album-img');
      slide = h('div', { class: 'album-slide', attrs: { 'data-picture-id': picture.id } }, [h('div', { class: 'album-frame' }, [img])]);
      this.slides.set(picture.id, slide);
    }
    slide.classList.toggle('current', current);
    slide.setAttribute('aria-hidden', String(!current));
    return slide;
  }

  private trimSlides(keep: Set<string>): void {
    if (this.slides.size <= SLIDE_CACHE) return;
    for (const id of [...this.slides.keys()]) {
      if (this.slides.size <= SLIDE_CACHE) break;
      if (!keep.has(id)) this.slides.delete(id);
    }
  }

  private setBackIcon(back: boolean): void {
    this.backButton.replaceChildren(iconSvg(back ? 'back' : 'close', 20));
    const label = back ? t('album.back') : t('album.close');
    this.backButton.setAttribute('aria-label', label);
    this.backButton.title = label;
  }

  // ---- moving between pictures -----------------------------------------------------------

  private key(e: KeyboardEvent): void {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    this.step(e.key === 'ArrowRight' ? 1 : -1);
  }

  /** Slides to the next or previous picture, then tells the coordinator. */
  private step(delta: -1 | 1): void {
    const paging = this.paging;
    if (!paging || this.animating || !paging.canMove(delta)) return;
    this.animating = true;
    const width = this.viewer.clientWidth;
    this.track.classList.add('sliding');
    this.track.style.transform = `translateX(${-delta * width}px)`;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      this.animating = false;
      this.handlers.move(delta);
    };
    this.track.addEventListener('transitionend', finish, { once: true });
    window.setTimeout(finish, SLIDE_MS + 80);
  }

  private dragStart(e: PointerEvent): void {
    if (this.animating || !this.paging || (e.pointerType === 'mouse' && e.button !== 0)) return;
    if ((e.target as Element | null)?.closest('.album-arrow')) return;
    this.drag = { id: e.pointerId, x: e.clientX, y: e.clientY, at: e.timeStamp, width: this.viewer.clientWidth, sideways: null };
  }

  private dragMove(e: PointerEvent): void {
    const drag = this.drag;
    if (!drag || e.pointerId !== drag.id || !this.paging) return;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    if (drag.sideways === null && Math.hypot(dx, dy) > 8) {
      drag.sideways = isSideways(dx, dy);
      if (drag.sideways) this.viewer.setPointerCapture?.(e.pointerId);
    }
    if (!drag.sideways) return;
    e.preventDefault();
    this.track.style.transform = `translateX(${dragOffset(dx, this.paging.canMove(-1), this.paging.canMove(1))}px)`;
  }

  private dragEnd(e: PointerEvent, cancelled = false): void {
    const drag = this.drag;
    if (!drag || e.pointerId !== drag.id || !this.paging) return;
    this.drag = null;
    const dx = e.clientX - drag.x;
    const dy = e.clientY - drag.y;
    const direction = cancelled || !drag.sideways ? 0 : swipeDirection({ dx, dy, ms: e.timeStamp - drag.at }, drag.width);
    if (direction !== 0 && this.paging.canMove(direction)) {
      this.step(direction);
      return;
    }
    // Not far or fast enough (or the end of the album): back into place.
    this.track.classList.add('sliding');
    this.track.style.transform = '';
    if (this.stale) this.renderGallery(this.paging);
  }
}

/** A picture that appears once decoded (no half-painted frame); its box is sized by the CSS. */
function pictureImg(url: string, alt: string, className: string): HTMLImageElement {
  const img = h('img', { class: className, attrs: { alt, decoding: 'async', draggable: 'false' } });
  img.src = url;
  const shown = () => img.classList.add('ready');
  if (typeof img.decode === 'function') img.decode().then(shown, shown);
  else img.addEventListener('load', shown, { once: true });
  return img;
}

/** The procedural pet of a tile with no picture yet. */
function drawnPet(species: Species, stage: StageName): HTMLCanvasElement {
  const canvas = h('canvas', { class: 'album-tile-img ready', attrs: { width: '256', height: '256', 'aria-hidden': 'true' } });
  const ctx = canvas.getContext('2d');
  if (ctx) drawPet(ctx, { species, stage, sick: false }, 256);
  return canvas;
}
