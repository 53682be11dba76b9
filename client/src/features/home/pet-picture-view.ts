/**
 * What the home shows of the pet on show: its painted picture, a skeleton while the picture
 * is painted (or downloaded), or the procedural art when there is none or it failed. A
 * picture is downloaded and decoded before it is handed to the scene, so the old one (the
 * previous stage's, across a stage change) stays until the new one can cross-fade in.
 *
 * Also runs the owner's "New picture" request: a skeleton until the room state carries a
 * different picture of the stage, with a poll of the pet's images on the side (the room
 * state does not say when a requested picture fails). And it keeps the DOM test hooks
 * `pet-image` and `pet-image-skeleton`, which double as screen-reader text.
 */
import type { StageName } from '../../../../shared/balance.js';
import { loadedPicture, loadPicture } from '../../art/picture-textures.js';
import { errorText, formatDuration, t } from '../../i18n.js';
import type { Api } from '../../net/api.js';
import { ClientError, errorCodeOf } from '../../net/errors.js';
import type { PetView } from '../../../../shared/room-state.js';
import type { PictureView, StageBus } from '../../stage/stage-bus.js';
import { h, setText } from '../../kit/dom.js';
import type { ToastKind } from '../../kit/toasts.js';

/** With no status yet (joining, a stage just changed), how long a skeleton stands in before the procedural art. */
const UNKNOWN_GRACE_MS = 4000;
/** How often a requested picture is checked on besides the room state. */
const POLL_MS = 4000;
/** A requested picture that takes longer than this is given up on (the old one comes back). */
const REQUEST_TIMEOUT_MS = 180_000;
/** "Painting a new picture…" is only worth saying when the picture is not back by then. */
const SLOW_NOTICE_MS = 1200;
/** RATE_LIMITED without a wait in it: say about a minute. */
const DEFAULT_WAIT_S = 60;

export interface PetPictureDeps {
  bus: StageBus;
  api: Api;
  notify(message: string, kind: ToastKind): void;
}

interface PictureRequest {
  petId: string;
  petName: string;
  stage: StageName;
  /** The picture on show when it was asked for: the new one is any other. */
  fromUrl: string;
  /** The new picture's id once the server has answered. */
  imageId: string | null;
  startedAt: number;
  timer: ReturnType<typeof setTimeout> | null;
  notice: ReturnType<typeof setTimeout> | null;
}

export class PetPicture {
  /** Visually hidden: the test hooks and what a screen reader says about the picture. */
  readonly el: HTMLElement;
  private readonly imageHook: HTMLElement;
  private readonly skeletonHook: HTMLElement;
  private pet: PetView | null = null;
  private view: PictureView | null = null;
  private readonly loading = new Set<string>();
  private readonly broken = new Set<string>();
  private unknown: { key: string; since: number; timer: ReturnType<typeof setTimeout> } | null = null;
  private request: PictureRequest | null = null;
  /**
   * A requested picture the image list says is ready while the room state still has the old
   * one (the room missed the news): shown in its place until the room catches up.
   */
  private preferred: { petId: string; stage: StageName; fromUrl: string; url: string } | null = null;
  private busyListener: (busy: boolean) => void = () => undefined;

  constructor(private readonly deps: PetPictureDeps) {
    this.imageHook = h('div', { testid: 'pet-image', attrs: { role: 'img', 'data-status': 'none', 'data-src': '', 'data-show': '', 'data-stage': '' } });
    this.skeletonHook = h('div', { testid: 'pet-image-skeleton', attrs: { hidden: '', role: 'status' } });
    this.el = h('div', { class: 'sr-only pet-picture-hooks', attrs: { hidden: '' } }, [this.imageHook, this.skeletonHook]);
  }

  /** Called with whether a new picture of the pet on show is on its way. */
  onBusy(listener: (busy: boolean) => void): void {
    this.busyListener = listener;
  }

  /** True while a new picture of the pet on show is being painted. */
  get busy(): boolean {
    return this.request !== null && this.request.petId === this.pet?.id;
  }

  /** The pet on show changed or its room state did (null: no pet, or joining a room). */
  update(pet: PetView | null): void {
    const wasBusy = this.busy;
    this.pet = pet;
    this.decide();
    if (this.busy !== wasBusy) this.busyListener(this.busy);
  }

  /** A different room: what was on show belongs to another home. */
  reset(): void {
    this.endRequest(null);
    this.preferred = null;
    // A fresh connection deserves a fresh try at pictures that would not load.
    this.broken.clear();
    this.update(null);
  }

  /** The owner asks for a new picture of the pet on show's stage. */
  async regenerate(): Promise<void> {
    const pet = this.pet;
    if (!pet) return;
    if (this.request) {
      this.deps.notify(t('picture.busy'), 'info');
      return;
    }
    const shown = this.view?.petId === pet.id && this.view.show === 'image' ? this.view.url : pet.imageUrl;
    const request: PictureRequest = {
      petId: pet.id,
      petName: pet.name,
      stage: pet.stage,
      fromUrl: shown,
      imageId: null,
      startedAt: performance.now(),
      timer: null,
      notice: null,
    };
    this.request = request;
    this.changed();
    try {
      const image = await this.deps.api.regeneratePicture(pet.id);
      if (this.request !== request) return;
      request.imageId = image.id;
      if (image.status === 'failed') {
        this.endRequest('failed');
        return;
      }
      request.notice = setTimeout(() => {
        request.notice = null;
        if (this.request === request) this.deps.notify(t('picture.requested', { name: pet.name }), 'info');
      }, SLOW_NOTICE_MS);
      this.schedulePoll(request);
    } catch (error) {
      if (this.request !== request) return;
      this.endRequest(null);
      const code = errorCodeOf(error);
      if (code === 'RATE_LIMITED') {
        const wait = error instanceof ClientError && error.retryAfterSeconds !== null ? error.retryAfterSeconds : DEFAULT_WAIT_S;
        this.deps.notify(t('picture.rateLimited', { time: formatDuration(Math.max(1, wait)) }), 'warning');
      } else {
        this.deps.notify(errorText(code), 'error');
      }
    }
  }

  private decide(): void {
    const pet = this.pet;
    this.el.hidden = pet === null;
    if (!pet) {
      this.clearUnknown();
      this.emit(null);
      return;
    }
    const request = this.activeRequest(pet);
    const url = this.urlFor(pet);
    const current = this.view?.petId === pet.id ? this.view : null;
    if (pet.imageStatus !== 'none') this.clearUnknown();

    if (url && !this.broken.has(url) && !(request && url === request.fromUrl)) {
      const image = loadedPicture(url);
      if (image) {
        this.emit(this.viewOf(pet, 'image', url, image, false));
        return;
      }
      this.load(url);
      // The picture on show (even the previous stage's) stays until the new one can fade in;
      // so does the procedural pet (no flicker through a skeleton).
      if (current?.show === 'image') this.emit(current);
      else if (current?.show === 'procedural') this.emit(this.viewOf(pet, 'procedural', '', null, false));
      else this.emit(this.viewOf(pet, 'skeleton', '', null, false));
      return;
    }
    if (request) {
      this.emit(this.viewOf(pet, 'skeleton', '', null, true));
      return;
    }
    switch (pet.imageStatus) {
      case 'queued':
      case 'running':
        this.emit(this.viewOf(pet, 'skeleton', '', null, true));
        return;
      case 'none': {
        // The server has not said yet (it looks the picture up when a room opens or a stage
        // changes): a short wait, then the procedural pet.
        const key = `${pet.id}:${pet.stage}`;
        if (this.unknown?.key !== key) {
          this.clearUnknown();
          this.unknown = { key, since: performance.now(), timer: setTimeout(() => this.decide(), UNKNOWN_GRACE_MS + 50) };
        }
        if (performance.now() - this.unknown.since < UNKNOWN_GRACE_MS) {
          this.emit(current?.show === 'image' ? current : this.viewOf(pet, 'skeleton', '', null, false));
          return;
        }
        this.emit(this.viewOf(pet, 'procedural', '', null, false));
        return;
      }
      default:
        // failed, or ready with a picture that would not load.
        this.emit(this.viewOf(pet, 'procedural', '', null, false));
    }
  }

  /** The picture the room says is current, unless a newer requested one is known to be ready. */
  private urlFor(pet: PetView): string {
    const preferred = this.preferred;
    if (!preferred) return pet.imageUrl;
    if (preferred.petId === pet.id && preferred.stage === pet.stage && pet.imageUrl === preferred.fromUrl) return preferred.url;
    if (preferred.petId === pet.id) this.preferred = null;
    return pet.imageUrl;
  }

  /** The request for this pet and stage, if any; a request outgrown by a stage change ends quietly. */
  private activeRequest(pet: PetView): PictureRequest | null {
    const request = this.request;
    if (!request || request.petId !== pet.id) return null;
    if (request.stage !== pet.stage) {
      this.endRequest(null);
      return null;
    }
    if (pet.imageUrl && pet.imageUrl !== request.fromUrl) {
      // The room carries a different picture of the stage: the new one.
      this.endRequest('ready');
      return null;
    }
    return request;
  }

  private load(url: string): void {
    if (this.loading.has(url)) return;
    this.loading.add(url);
    loadPicture(url)
      .catch(() => {
        this.broken.add(url);
      })
      .finally(() => {
        this.loading.delete(url);
        this.decide();
      });
  }

  private schedulePoll(request: PictureRequest): void {
    request.timer = setTimeout(() => void this.poll(request), POLL_MS);
  }

  private async poll(request: PictureRequest): Promise<void> {
    request.timer = null;
    if (this.request !== request || !request.imageId) return;
    if (performance.now() - request.startedAt > REQUEST_TIMEOUT_MS) {
      this.endRequest('failed');
      return;
    }
    try {
      const images = await this.deps.api.petImages(request.petId);
      if (this.request !== request) return;
      const image = images.find((i) => i.id === request.imageId);
      if (image?.status === 'failed') {
        this.endRequest('failed');
        return;
      }
      if (image?.status === 'ready' && image.url) {
        this.preferred = { petId: request.petId, stage: request.stage, fromUrl: request.fromUrl, url: image.url };
        this.endRequest('ready');
        return;
      }
    } catch {
      // A missed poll is retried; the room state may still bring the picture.
    }
    if (this.request === request) this.schedulePoll(request);
  }

  private endRequest(outcome: 'ready' | 'failed' | null): void {
    const request = this.request;
    if (!request) return;
    if (request.timer) clearTimeout(request.timer);
    if (request.notice) clearTimeout(request.notice);
    this.request = null;
    if (outcome === 'ready') this.deps.notify(t('picture.ready', { name: request.petName }), 'success');
    if (outcome === 'failed') this.deps.notify(t('picture.failed'), 'error');
    this.changed();
  }

  /** Re-decides after a request started or ended (not from inside decide()). */
  private changed(): void {
    queueMicrotask(() => {
      this.decide();
      this.busyListener(this.busy);
    });
  }

  private clearUnknown(): void {
    if (this.unknown) clearTimeout(this.unknown.timer);
    this.unknown = null;
  }

  private viewOf(pet: PetView, show: PictureView['show'], url: string, image: HTMLImageElement | null, painting: boolean): PictureView {
    return { petId: pet.id, stage: pet.stage, show, url, image, painting };
  }

  private emit(view: PictureView | null): void {
    const before = this.view;
    const same =
      before === view ||
      (before !== null &&
        view !== null &&
        before.petId === view.petId &&
        before.stage === view.stage &&
        before.show === view.show &&
        before.url === view.url &&
        before.painting === view.painting);
    if (!same) {
      this.view = view;
      this.deps.bus.emit('picture', { picture: view });
    }
    this.renderHooks();
  }

  private renderHooks(): void {
    const pet = this.pet;
    const view = this.view;
    const hook = this.imageHook;
    hook.dataset.status = pet?.imageStatus ?? 'none';
    hook.dataset.src = view?.show === 'image' ? view.url : '';
    hook.dataset.show = view?.show ?? '';
    // The stage the picture on show belongs to (the old one until the new stage's has loaded).
    hook.dataset.stage = view?.stage ?? '';
    hook.dataset.petId = pet?.id ?? '';
    hook.setAttribute('aria-label', pet ? t('picture.alt', { name: pet.name, stage: t(`stage.${pet.stage}`) }) : '');
    const skeleton = view?.show === 'skeleton';
    this.skeletonHook.hidden = !skeleton;
    setText(this.skeletonHook, skeleton ? (view.painting ? t('picture.painting') : t('app.loading')) : '');
  }
}
