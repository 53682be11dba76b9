/**
 * The home: the HUD (header, care buttons, meters, the top bar's buttons that open the other
 * features), the pet on show and which one that is, care and waking up, the painted picture
 * and its menu, and what the room's events mean on screen (care reactions, growth
 * celebrations, sickness and recovery toasts).
 */
import { STAGES, type AdultForm, type CareAction, type ItemId, type StageName } from '../../../../shared/balance.js';
import type { CaredMessage, ErrorMessage, StageChangedMessage, WokeMessage } from '../../../../shared/protocol.js';
import type { AppShell } from '../../app-shell.js';
import { formatDuration, t } from '../../i18n.js';
import type { ConnState, HomeConnection } from '../../net/home-connection.js';
import type { HomeSnapshot } from '../../net/home-snapshot.js';
import type { PetView } from '../../../../shared/room-state.js';
import { readStorage, writeStorage } from '../../storage.js';
import { hapticImpact } from '../../telegram.js';
import type { Holdings } from '../bag/bag-panel.js';
import type { ProgressSummary } from '../progress/progress-controller.js';
import type { ShopSection } from '../shop/shop-panel.js';
import { homeLayout } from './home-layout.js';
import { HomeHud } from './home-hud.js';
import { PetPicture } from './pet-picture-view.js';
import { PictureMenu } from './picture-menu.js';
import { ShareButton } from '../share/share-button.js';
import { ReportSheet } from './report-sheet.js';
import type { ReportReasonDto } from '../../../../shared/dto.js';
import { errorCodeOf } from '../../net/errors.js';

const SELECTED_PET_KEY = 'telepets.selectedPet';
const ADULT_REVEAL_WAIT_MS = 1200;

export interface HomeCoordinatorDeps {
  /** Where the HUD's top and bottom bars go. */
  slots: { top: HTMLElement; bottom: HTMLElement };
  connection(): HomeConnection | null;
  /** My pets in my order (for the pet on show when none is selected). */
  myPetIds(): string[];
  progress(): ProgressSummary;
  openBag(): void;
  openShop(section?: ShopSection): void;
  openGames(): void;
  openProgress(): void;
  openFriends(): void;
  openLeaders(): void;
  addPet(): void;
  /** My pets and their albums; a pet's album. */
  openMyPets(): void;
  openAlbum(petId: string): void;
  leaveFriendHome(): void;
  /** A different pet was picked: show the room again. */
  rerender(): void;
}

export class HomeCoordinator {
  readonly picture: PetPicture;
  readonly pictureMenu: PictureMenu;
  /** Share my pet on show (ADR 0018). */
  readonly shareButton: ShareButton;
  private hud: HomeHud | null = null;
  private selectedPetId: string | null = readStorage(SELECTED_PET_KEY);
  private reportSheet: ReportSheet | null = null;
  private spectatedPetId: string | null = null;
  /** Last seen state per pet, to notice changes worth a toast. */
  private readonly seen = new Map<string, { stage: string; sick: boolean }>();
  private readonly celebrated = new Set<string>();

  constructor(
    private readonly shell: AppShell,
    private readonly deps: HomeCoordinatorDeps,
    stageHost: HTMLElement,
  ) {
    this.picture = new PetPicture({ bus: shell.bus, api: shell.api, notify: (message, kind) => shell.notify(message, kind) });
    this.pictureMenu = new PictureMenu({ regenerate: () => this.newPicture() });
    this.picture.onBusy((busy) => this.pictureMenu.setBusy(busy));
    this.shareButton = new ShareButton({ api: shell.api, notify: (message, kind) => shell.notify(message, kind) });
    // The picture button sits on the card the home scene draws: same geometry, same stage size.
    new ResizeObserver(() => {
      const rect = stageHost.getBoundingClientRect();
      this.pictureMenu.place(homeLayout(rect.width, rect.height).picture);
      this.shareButton.place(homeLayout(rect.width, rect.height).picture);
    }).observe(stageHost);
  }

  /** The HUD, once the home has been shown. */
  get current(): HomeHud | null {
    return this.hud;
  }

  ensureHud(): HomeHud {
    if (this.hud) return this.hud;
    const hud = new HomeHud(
      {
        care: (action) => this.care(action),
        feed: (itemId) => this.care('feed', itemId),
        wake: () => this.wake(),
        openBag: () => this.deps.openBag(),
        openShop: (section) => this.deps.openShop(section),
        openGames: () => this.deps.openGames(),
        openProgress: () => this.deps.openProgress(),
        selectPet: (petId) => this.selectPet(petId),
        addPet: () => this.deps.addPet(),
        openFriends: () => this.deps.openFriends(),
        openLeaders: () => this.deps.openLeaders(),
        back: () => this.deps.leaveFriendHome(),
        report: () => this.openReport(),
        openMyPets: () => this.deps.openMyPets(),
        openAlbum: () => {
          const pet = this.shell.shownPet();
          if (pet) this.deps.openAlbum(pet.id);
        },
      },
      this.shell.config()?.timeScale ?? 1,
    );
    this.deps.slots.top.prepend(hud.top);
    this.deps.slots.bottom.prepend(hud.bottom);
    this.hud = hud;
    const holdings = this.shell.holdings();
    if (holdings) hud.setHoldings(holdings);
    hud.setProgress(this.deps.progress());
    setInterval(() => hud.tick(), 250);
    return hud;
  }

  /** A newly adopted pet is the one on show. */
  select(petId: string): void {
    this.selectedPetId = petId;
    writeStorage(SELECTED_PET_KEY, petId);
  }

  /** Another home is on show (a friend's, or mine again): its pet on show starts from its first. */
  enterHome(): void {
    this.spectatedPetId = null;
  }

  /** The pet on show: the selected one if it is in the room, else the first in my order. */
  shownPet(snapshot: HomeSnapshot): PetView | null {
    const wanted = this.shell.spectating() ? this.spectatedPetId : this.selectedPetId;
    const found = snapshot.pets.find((p) => p.id === wanted);
    if (found) return found;
    const order = this.petOrder();
    const sorted = [...snapshot.pets].sort((a, b) => indexIn(order, a.id) - indexIn(order, b.id));
    return sorted[0] ?? null;
  }

  private petOrder(): string[] {
    return this.shell.spectating() ? [] : this.deps.myPetIds();
  }

  /** Joining a room: nothing on show until its first snapshot. */
  joining(): void {
    const hud = this.ensureHud();
    hud.setConn('connecting');
    hud.clear();
    this.shell.bus.emit('pet', { pet: null, loading: true });
    this.picture.reset();
    this.pictureMenu.setAvailable(false, '');
    this.shareButton.setPet(null);
  }

  onConnState(state: ConnState): void {
    this.hud?.setConn(state);
    if (state !== 'online') this.hud?.clearPending();
  }

  setHoldings(holdings: Holdings): void {
    this.hud?.setHoldings(holdings);
  }

  /** Shows a room snapshot; returns the pet on show. */
  render(snapshot: HomeSnapshot): PetView | null {
    const pet = this.shownPet(snapshot);
    this.noticeChanges(snapshot, pet);
    this.hud?.setGameRunning(snapshot.game?.status === 'running');
    this.hud?.render(snapshot, pet, this.petOrder());
    return pet;
  }

  /** After the other features had the snapshot: the stage and the picture. */
  showPet(pet: PetView | null): void {
    const spectating = this.shell.spectating() !== null;
    this.shell.bus.emit('pet', { pet });
    this.picture.update(pet);
    this.pictureMenu.setAvailable(!spectating && pet !== null, pet?.name ?? '');
    this.shareButton.setPet(!spectating && pet ? { id: pet.id, name: pet.name } : null);
  }

  /** Toasts for what happened to the pet on show since the last snapshot. */
  private noticeChanges(snapshot: HomeSnapshot, shown: PetView | null): void {
    for (const pet of snapshot.pets) {
      const before = this.seen.get(pet.id);
      this.seen.set(pet.id, { stage: pet.stage, sick: pet.sick });
      if (!before || pet.id !== shown?.id) continue;
      if (!before.sick && pet.sick) {
        this.shell.notify(t('pet.sick', { name: pet.name }), 'warning');
      } else if (before.sick && !pet.sick) {
        this.shell.toasts.show(t('pet.recovered', { name: pet.name }), 'success');
      }
      if (before.stage !== pet.stage) {
        // Becoming adult, the stageChanged message carries the adult form: give it a moment
        // to arrive so the one celebration reveals the form.
        if (pet.stage === 'adult') setTimeout(() => this.celebrate(pet.id, pet.stage), ADULT_REVEAL_WAIT_MS);
        else this.celebrate(pet.id, pet.stage);
      }
    }
  }

  private celebrate(petId: string, stage: string, adultForm?: AdultForm): void {
    const key = `${petId}:${stage}`;
    const form = adultForm && adultForm !== 'none' ? adultForm : undefined;
    // The message (with the adult form) and the patch race: let a later form reveal still show.
    if (this.celebrated.has(key) && (!form || this.celebrated.has(`${key}:form`))) return;
    this.celebrated.add(key);
    if (form) this.celebrated.add(`${key}:form`);
    const pet = this.shell.snapshot()?.pets.find((p) => p.id === petId);
    if (!pet || !isStage(stage)) return;
    // The message can arrive before the patch that changes the stage: name the new stage.
    this.shell.notify(
      form
        ? t('pet.grewAdult', { name: pet.name, form: t(`form.${form}`) })
        : t('pet.grew', { name: pet.name, stage: t(`stage.${stage}`) }),
      'success',
    );
    this.shell.bus.emit('celebrate', form ? { petId, adultForm: form } : { petId });
  }

  private selectPet(petId: string): void {
    if (this.shell.spectating()) this.spectatedPetId = petId;
    else this.select(petId);
    this.deps.rerender();
  }

  private care(action: CareAction, itemId?: ItemId): void {
    const hud = this.hud;
    const pet = this.shell.shownPet();
    if (!hud || !pet || this.shell.spectating()) return;
    this.shell.track({ type: 'action_tap', action });
    if (hud.cooldownLeft(action) > 0) {
      this.shell.fail('CARE_COOLDOWN');
      return;
    }
    const holdings = this.shell.holdings();
    if (itemId && holdings && holdings.items[itemId] <= 0) {
      this.shell.fail('ITEM_MISSING');
      return;
    }
    if (!this.deps.connection()?.sendCare(pet.id, action, itemId)) {
      this.shell.fail('NETWORK');
      return;
    }
    hapticImpact('medium');
    hud.setPending(action);
  }

  onCared(message: CaredMessage): void {
    this.hud?.clearPending(message.action);
    if (message.action === 'heal') this.hud?.markHealed(message.petId);
    this.shell.bus.emit('care', { petId: message.petId, action: message.action, delta: message.delta, overfed: message.overfed });
    if (message.overfed) {
      const pet = this.shell.snapshot()?.pets.find((p) => p.id === message.petId);
      this.shell.notify(t('care.overfed', { name: pet?.name ?? '' }), 'warning');
    }
  }

  onRoomError(message: ErrorMessage): void {
    this.hud?.clearPending();
    this.shell.fail(message.code);
  }

  onStageChanged(message: StageChangedMessage): void {
    this.celebrate(message.petId, message.to, message.adultForm);
  }

  onWoke(message: WokeMessage): void {
    this.hud?.clearPending();
    const pet = this.shell.snapshot()?.pets.find((p) => p.id === message.petId);
    this.shell.toasts.show(t('sleep.woke', { name: pet?.name ?? '', time: formatDuration(message.awakeForSeconds) }), 'info');
    this.shell.bus.emit('woke', { petId: message.petId, delta: message.delta });
  }

  /** "New picture" from the picture menu: the owner's pet on show only. */
  private newPicture(): void {
    if (this.shell.spectating() || !this.shell.shownPet()) return;
    hapticImpact('light');
    void this.picture.regenerate();
  }

  /** The Report sheet for the friend's pet on show (made on first use). */
  private openReport(): void {
    const pet = this.shell.shownPet();
    if (!pet || !this.shell.spectating()) return;
    if (!this.reportSheet) {
      this.reportSheet = new ReportSheet({ send: (petId, reason, note) => this.sendReport(petId, reason, note) });
      this.shell.mount(this.reportSheet.el);
    }
    this.reportSheet.open(pet.id, pet.name);
  }

  private async sendReport(petId: string, reason: ReportReasonDto, note: string): Promise<void> {
    try {
      const report = await this.shell.api.reportPet(petId, note ? { reason, note } : { reason });
      this.shell.toasts.show(t(report.created ? 'report.sent' : 'report.already'), report.created ? 'success' : 'info');
    } catch (error) {
      const code = errorCodeOf(error);
      if (code === 'RATE_LIMITED') this.shell.notify(t('report.limited'), 'warning');
      else this.shell.fail(code);
    }
  }

  private wake(): void {
    const pet = this.shell.shownPet();
    if (!pet || this.shell.spectating() || !pet.asleep) return;
    this.shell.track({ type: 'action_tap', action: 'wake' });
    if (!this.deps.connection()?.sendWake(pet.id)) {
      this.shell.fail('NETWORK');
      return;
    }
    hapticImpact('light');
  }

  /** The quiet-hours clock of my pets (none while watching a friend). */
  updateQuietClock(): void {
    const me = this.shell.me();
    const config = this.shell.config();
    this.hud?.setQuietClock(
      this.shell.spectating() || !me
        ? null
        : {
            timeScale: config?.timeScale ?? 1,
            clockOffsetSeconds: config?.clockOffsetSeconds ?? 0,
            utcOffsetMinutes: me.utcOffsetMinutes,
            utcOffsetChange: me.utcOffsetChange ? { utcOffsetMinutes: me.utcOffsetChange.utcOffsetMinutes, atMs: Date.parse(me.utcOffsetChange.at) } : null,
          },
    );
  }
}

function isStage(value: string): value is StageName {
  return (STAGES as readonly string[]).includes(value);
}

function indexIn(order: readonly string[], id: string): number {
  const i = order.indexOf(id);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

