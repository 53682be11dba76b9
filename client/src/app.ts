/**
 * The composition root of the Mini App: signs in, decides between the create-your-pet flow
 * and the home, owns the one live room connection (my home or a friend's), and routes data
 * to the DOM views and, through the stage bus, to the Phaser scenes.
 */
import type { Client } from 'colyseus.js';
import { ITEM_IDS, itemOfSkin, STAGES, type AdultForm, type CareAction, type ItemId, type Species, type StageName } from '../../shared/balance.js';
import type { ClientConfigDto, FriendDto, InventoryDto, MeDto, PetDto } from '../../shared/dto.js';
import type { MinigameKind } from '../../shared/minigames.js';
import type { CaredMessage, ErrorMessage, StageChangedMessage, WokeMessage } from '../../shared/protocol.js';
import { GameController, type GameMode } from './features/games/game-controller.js';
import { deviceUtcOffsetMinutes } from './features/games/quiet-hours.js';
import { errorText, formatDuration, t } from './i18n.js';
import { Api } from './net/api.js';
import { createColyseusClient } from './net/colyseus-client.js';
import { errorCodeOf, type ClientErrorCode } from './net/errors.js';
import { HomeConnection, type ConnState } from './net/home-connection.js';
import type { HomeSnapshot } from './net/home-snapshot.js';
import type { PetView } from '../../shared/room-state.js';
import { ServerClock } from './net/server-clock.js';
import { signIn } from './net/sign-in.js';
import { BootScene } from './stage/BootScene.js';
import { CreateScene } from './features/create/CreateScene.js';
import { GameScene } from './features/games/GameScene.js';
import { HomeScene } from './features/home/HomeScene.js';
import { homeLayout } from './features/home/home-layout.js';
import { StageBus } from './stage/stage-bus.js';
import { Stage } from './stage/stage.js';
import {
  hapticImpact,
  hapticNotice,
  inTelegram,
  openTelegramLink,
  setBackButton,
} from './telegram.js';
import { currentPalette, onPaletteChange } from './theme.js';
import { ProgressController } from './features/progress/progress-controller.js';
import { ShopController } from './features/shop/shop-controller.js';
import { BagPanel, type Holdings } from './features/bag/bag-panel.js';
import { CreateView } from './features/create/create-view.js';
import { DevPaySheet } from './features/shop/dev-pay-sheet.js';
import { h } from './kit/dom.js';
import { FriendsPanel } from './features/friends/friends-panel.js';
import { GamesSheet } from './features/games/games-sheet.js';
import { HomeHud } from './features/home/home-hud.js';
import { PetPicture } from './features/home/pet-picture-view.js';
import { PictureMenu } from './features/home/picture-menu.js';
import { ProgressPanel } from './features/progress/progress-panel.js';
import { ShopPanel, type ShopSection } from './features/shop/shop-panel.js';
import { Splash } from './kit/splash.js';
import { Toasts } from './kit/toasts.js';
import { readStorage, writeStorage } from './storage.js';

type Screen = 'boot' | 'create' | 'home';

const SELECTED_PET_KEY = 'telepets.selectedPet';
const ADULT_REVEAL_WAIT_MS = 1200;

/** The read-only handle browser tests use to find and click minigame targets. */
export interface TelepetsDebug {
  game(): { id: string; status: string; score: number; targets: Array<{ id: string; kind: string; x: number; y: number }> } | null;
  fieldToClient(x: number, y: number): { x: number; y: number };
}

declare global {
  interface Window {
    telepetsDebug?: TelepetsDebug;
  }
}

function holdingsOf(coins: number, items: Partial<Record<ItemId, number>>): Holdings {
  return {
    coins,
    items: Object.fromEntries(ITEM_IDS.map((itemId) => [itemId, items[itemId] ?? 0])) as Record<ItemId, number>,
  };
}

function holdingsFromDto(dto: InventoryDto): Holdings {
  const items: Partial<Record<ItemId, number>> = {};
  for (const item of dto.items) items[item.itemId] = (items[item.itemId] ?? 0) + item.quantity;
  return holdingsOf(dto.coins, items);
}

export class App {
  private readonly api = new Api();
  private readonly bus = new StageBus();
  private readonly toasts = new Toasts();
  private readonly splash: Splash;
  private readonly stageHost: HTMLElement;
  private readonly stage: Stage;
  private readonly createView: CreateView;
  private readonly friends: FriendsPanel;
  private readonly bag: BagPanel;
  private readonly shopPanel: ShopPanel;
  private readonly devPay = new DevPaySheet();
  private readonly shop: ShopController;
  private readonly games: GamesSheet;
  private readonly progressPanel: ProgressPanel;
  private readonly progress: ProgressController;
  private readonly clock = new ServerClock();
  private readonly play: GameController;
  private readonly picture: PetPicture;
  private readonly pictureMenu: PictureMenu;
  private hud: HomeHud | null = null;
  /** My coins and items: from my own room's state, or REST before it (never a friend's). */
  private holdings: Holdings | null = null;
  /**
   * The room's coins and items as last applied. Only a change in the room replaces my
   * holdings: a purchase's answer may be newer than the room's patches still arriving.
   */
  private roomHoldingsKey = '';

  private config: ClientConfigDto | null = null;
  private me: MeDto | null = null;
  private pets: PetDto[] = [];
  private client: Client | null = null;
  private connection: HomeConnection | null = null;
  private spectating: FriendDto | null = null;
  private snapshot: HomeSnapshot | null = null;
  private selectedPetId: string | null = readStorage(SELECTED_PET_KEY);
  private spectatedPetId: string | null = null;
  /** Last seen state per pet, to notice changes worth a toast. */
  private readonly seen = new Map<string, { stage: string; sick: boolean }>();
  private readonly celebrated = new Set<string>();
  /** When dev initData was last re-minted (see onFatal). */
  private authRefreshedAt = 0;

  constructor(private readonly root: HTMLElement) {
    this.splash = new Splash(() => void this.start());
    this.stageHost = h('div', { class: 'stage', testid: 'stage' });
    this.createView = new CreateView({
      speciesChanged: (species) => this.bus.emit('species', { species }),
      submit: (name, species) => void this.adopt(name, species),
      cancel: () => this.showHome(),
    });
    this.friends = new FriendsPanel({
      close: () => this.closeFriends(),
      invite: () => void this.invite(),
      copyCode: () => void this.copyInvite(false),
      add: (code) => void this.addFriend(code),
      watch: (friend) => this.watch(friend),
    });
    this.bag = new BagPanel();
    this.bag.onClose(() => this.updateBackButton());
    this.bag.onShop((section) => {
      this.bag.close();
      this.openShop(section);
    });
    this.bag.onWear((skin) => void this.wear(skin));
    this.shopPanel = new ShopPanel({
      buy: (itemId, quantity) => void this.shop.buy(itemId, quantity),
      buyStars: (productId) => void this.shop.buyStars(productId),
      wear: (skin) => void this.wear(skin),
      retry: () => void this.shop.refresh(),
      close: () => this.closeShop(),
    });
    this.shop = new ShopController({
      api: this.api,
      panel: this.shopPanel,
      devSheet: this.devPay,
      notify: (message, kind) => {
        this.toasts.show(message, kind);
        if (kind === 'error' || kind === 'warning' || kind === 'success') hapticNotice(kind);
      },
      inventoryChanged: (inventory) => this.setHoldings(holdingsFromDto(inventory)),
      payer: () => (this.me ? { telegramId: this.me.telegramId, firstName: this.me.firstName } : null),
      devPaymentsPath: () => devPaymentsPathOf(this.config),
    });
    this.progressPanel = new ProgressPanel({
      claim: (quest) => void this.progress.claim(quest),
      retry: () => void this.progress.refresh(),
      close: () => this.closeProgress(),
    });
    this.progress = new ProgressController({
      api: this.api,
      panel: this.progressPanel,
      notify: (message, kind) => {
        this.toasts.show(message, kind);
        if (kind === 'error' || kind === 'warning' || kind === 'success') hapticNotice(kind);
      },
      celebrate: (celebration) => {
        this.toasts.celebrate(celebration);
        hapticNotice('success');
      },
      summaryChanged: (summary) => this.hud?.setProgress(summary),
      coinsChanged: (coins) => {
        if (this.holdings) this.setHoldings({ ...this.holdings, coins });
      },
    });
    this.games = new GamesSheet((kind) => this.startGame(kind));
    this.games.onClose(() => this.updateBackButton());
    this.picture = new PetPicture({
      bus: this.bus,
      api: this.api,
      notify: (message, kind) => {
        this.toasts.show(message, kind);
        if (kind === 'error' || kind === 'warning' || kind === 'success') hapticNotice(kind);
      },
    });
    this.pictureMenu = new PictureMenu({ regenerate: () => this.newPicture() });
    this.picture.onBusy((busy) => this.pictureMenu.setBusy(busy));
    this.play = new GameController({
      bus: this.bus,
      clock: this.clock,
      stageHost: this.stageHost,
      canvas: () => this.stage?.canvas ?? null,
      setMode: (mode) => this.setGameMode(mode),
      sendTap: (message) => this.connection?.sendTap(message) ?? false,
      sendQuit: (gameId) => this.connection?.sendGameQuit(gameId) ?? false,
      petName: (petId) => this.snapshot?.pets.find((p) => p.id === petId)?.name ?? '',
    });
    this.root.append(
      h('div', { class: 'column' }, [
        h('div', { class: 'slot-top' }, [this.play.hud.top]),
        h('div', { class: 'stage-frame' }, [this.stageHost, this.picture.el, this.pictureMenu.el, this.play.results.el]),
        h('div', { class: 'slot-bottom' }, [this.createView.el, this.play.hud.bottom]),
        this.friends.el,
        this.bag.el,
        this.games.el,
        this.shopPanel.el,
        this.progressPanel.el,
        this.devPay.el,
        this.splash.el,
        this.toasts.el,
      ]),
    );
    this.stage = new Stage(this.stageHost, this.bus);
    // The picture button sits on the card the home scene draws: same geometry, same stage size.
    new ResizeObserver(() => {
      const rect = this.stageHost.getBoundingClientRect();
      this.pictureMenu.place(homeLayout(rect.width, rect.height).picture);
    }).observe(this.stageHost);
    this.bus.emit('palette', { palette: currentPalette() });
    onPaletteChange((palette) => this.bus.emit('palette', { palette }));
    document.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      if (this.pictureMenu.open) this.pictureMenu.close();
      else if (this.devPay.open) this.devPay.dismiss();
      else if (this.shopPanel.open) this.closeShop();
      else if (this.progressPanel.detailOpen) this.progressPanel.closeDetail();
      else if (this.progressPanel.open) this.closeProgress();
      else if (this.bag.open) this.bag.close();
      else if (this.games.open) this.games.close();
      else if (this.friends.open) this.closeFriends();
    });
    window.telepetsDebug = Object.freeze({
      game: () => this.play.debugGame(),
      fieldToClient: (x: number, y: number) => this.play.fieldToClient(x, y),
    });
  }

  /** Signs in and opens the right screen; also the splash's retry. */
  async start(): Promise<void> {
    this.setScreen('boot');
    this.splash.progress(t('app.signingIn'));
    try {
      this.config = await this.api.clientConfig();
      const { session, refresh } = await signIn(this.api, this.config);
      this.api.setAuth(session.initData, refresh);
      this.client = createColyseusClient(this.api);
      this.me = await this.api.me();
      await this.syncUtcOffset();
      const [pets, inventory] = await Promise.all([this.api.allPets(), this.api.inventory().catch(() => null)]);
      this.pets = pets;
      if (inventory) this.setHoldings(holdingsFromDto(inventory));
      this.progress.start();
    } catch (error) {
      const code = errorCodeOf(error);
      const outside = code === 'AUTH_INVALID' && !inTelegram() && this.config?.devSignIn === false;
      this.splash.fail(outside ? t('app.notInTelegram') : t('app.signInFailed', { reason: errorText(code) }), !outside);
      hapticNotice('error');
      return;
    }
    this.splash.hide();
    if (this.pets.length === 0) this.showCreate(false);
    else this.showHome();
  }

  /**
   * My day and my pets' quiet hours follow my local time: tell the server this device's UTC
   * offset when it is neither in force nor already planned. The server plans a change for the
   * end of my current day (so a day cannot be replayed); nothing to tell the player.
   */
  private async syncUtcOffset(): Promise<void> {
    const offset = deviceUtcOffsetMinutes();
    const me = this.me;
    if (!me || (me.utcOffsetChange ? me.utcOffsetChange.utcOffsetMinutes : me.utcOffsetMinutes) === offset) return;
    try {
      this.me = await this.api.updateMe({ utcOffsetMinutes: offset });
    } catch {
      // Not worth failing the launch for: quiet hours keep the previous offset.
    }
  }

  private setScreen(screen: Screen): void {
    document.body.dataset.scene = screen;
    if (screen !== 'home' && this.play.current !== 'none') this.play.reset();
    this.stage.show(this.sceneFor(screen));
  }

  private sceneFor(screen: Screen): typeof HomeScene.KEY | typeof CreateScene.KEY | typeof BootScene.KEY | typeof GameScene.KEY {
    if (screen === 'home') return this.play.current === 'none' ? HomeScene.KEY : GameScene.KEY;
    return screen === 'create' ? CreateScene.KEY : BootScene.KEY;
  }

  /** Game mode: the field takes the stage, the game's bar replaces the home's. */
  private setGameMode(mode: GameMode): void {
    if (mode === 'none') delete document.body.dataset.game;
    else document.body.dataset.game = mode;
    this.hud?.closePopovers();
    this.pictureMenu.close();
    this.bag.close();
    this.games.close();
    if (mode !== 'none') {
      this.closeShop();
      this.closeProgress();
    }
    if (document.body.dataset.scene === 'home') this.stage.show(mode === 'none' ? HomeScene.KEY : GameScene.KEY);
  }

  private setHoldings(holdings: Holdings): void {
    this.holdings = holdings;
    this.hud?.setHoldings(holdings);
    this.bag.render(holdings);
    this.shopPanel.setBalances({ coins: holdings.coins });
    this.shopPanel.setOwned(holdings.items);
    this.progressPanel.setCoins(holdings.coins);
  }

  // ---- create ----------------------------------------------------------------------------

  private showCreate(cancellable: boolean): void {
    this.closeFriends();
    this.createView.reset(cancellable);
    this.setScreen('create');
    setBackButton(cancellable ? () => this.showHome() : null);
    // On phones the keyboard would cover the preview; focus only where there is room.
    if (window.innerHeight > 700) this.createView.focus();
  }

  private async adopt(name: string, species: Species): Promise<void> {
    this.createView.setBusy(true);
    try {
      const pet = await this.api.createPet({ name, species });
      this.pets.push(pet);
      this.selectedPetId = pet.id;
      writeStorage(SELECTED_PET_KEY, pet.id);
      hapticNotice('success');
      this.toasts.show(t('create.adopted', { name: pet.name }), 'success');
      // A running room may not know the new pet yet; a fresh join loads it.
      this.stopConnection();
      this.showHome();
    } catch (error) {
      this.fail(errorCodeOf(error));
    } finally {
      this.createView.setBusy(false);
    }
  }

  // ---- home ------------------------------------------------------------------------------

  private ensureHud(): HomeHud {
    if (this.hud) return this.hud;
    const hud = new HomeHud(
      {
        care: (action) => this.care(action),
        feed: (itemId) => this.care('feed', itemId),
        wake: () => this.wake(),
        openBag: () => this.openBag(),
        openShop: (section) => this.openShop(section),
        openGames: () => this.openGames(),
        openProgress: () => this.openProgress(),
        selectPet: (petId) => this.selectPet(petId),
        addPet: () => this.showCreate(true),
        openFriends: () => void this.openFriends(),
        back: () => this.leaveFriendHome(),
      },
      this.config?.timeScale ?? 1,
    );
    this.root.querySelector('.slot-top')?.prepend(hud.top);
    this.root.querySelector('.slot-bottom')?.prepend(hud.bottom);
    this.hud = hud;
    if (this.holdings) hud.setHoldings(this.holdings);
    hud.setProgress(this.progress.current);
    setInterval(() => hud.tick(), 250);
    return hud;
  }

  private showHome(): void {
    const hud = this.ensureHud();
    this.setScreen('home');
    hud.setSpectating(this.spectating ? this.spectating.firstName : null);
    this.updateQuietClock();
    this.updateBackButton();
    if (!this.connection) this.connect();
    else if (this.snapshot) this.render(this.snapshot);
  }

  private connect(): void {
    this.stopConnection();
    const client = this.client;
    const hud = this.ensureHud();
    if (!client) return;
    const friend = this.spectating;
    hud.setConn('connecting');
    hud.clear();
    this.roomHoldingsKey = '';
    this.play.reset();
    this.bus.emit('pet', { pet: null, loading: true });
    this.picture.reset();
    this.pictureMenu.setAvailable(false, '');
    const connection = new HomeConnection(client, friend ? { ownerId: friend.id } : {}, {
      snapshot: (snapshot) => {
        if (this.connection === connection) this.render(snapshot);
      },
      connState: (state) => this.onConnState(state),
      cared: (message) => this.onCared(message),
      roomError: (message) => this.onRoomError(message),
      stageChanged: (message) => this.onStageChanged(message),
      woke: (message) => this.onWoke(message),
      tapResult: (message) => this.play.onTapResult(message),
      gameOver: (message) => {
        if (this.connection === connection) this.play.onGameOver(message);
      },
      progress: (message) => {
        // Only my own home's owner gets these; a friend's room never sends them to me.
        if (this.connection === connection && !this.spectating) this.progress.onNotices(message.notices);
      },
      fatal: (code) => void this.onFatal(code),
    });
    this.connection = connection;
    connection.start();
  }

  private stopConnection(): void {
    this.connection?.stop();
    this.connection = null;
    this.snapshot = null;
  }

  private onConnState(state: ConnState): void {
    this.hud?.setConn(state);
    if (state !== 'online') this.hud?.clearPending();
  }

  /** The pet on show: the selected one if it is in the room, else the first in my order. */
  private shownPet(snapshot: HomeSnapshot): PetView | null {
    const wanted = this.spectating ? this.spectatedPetId : this.selectedPetId;
    const found = snapshot.pets.find((p) => p.id === wanted);
    if (found) return found;
    const order = this.petOrder();
    const sorted = [...snapshot.pets].sort((a, b) => indexIn(order, a.id) - indexIn(order, b.id));
    return sorted[0] ?? null;
  }

  private petOrder(): string[] {
    return this.spectating ? [] : this.pets.map((p) => p.id);
  }

  private render(snapshot: HomeSnapshot): void {
    this.snapshot = snapshot;
    this.clock.sample('serverTime', snapshot.serverTime);
    // The room's coins and items are its owner's: mine only in my own home.
    const roomHoldings = `${snapshot.coins}|${ITEM_IDS.map((itemId) => snapshot.inventory[itemId] ?? 0).join(',')}`;
    if (!this.spectating && roomHoldings !== this.roomHoldingsKey) {
      this.roomHoldingsKey = roomHoldings;
      this.setHoldings(holdingsOf(snapshot.coins, snapshot.inventory));
    }
    const pet = this.shownPet(snapshot);
    this.noticeChanges(snapshot, pet);
    this.hud?.setGameRunning(snapshot.game?.status === 'running');
    this.hud?.render(snapshot, pet, this.petOrder());
    if (pet?.asleep && this.games.open) this.games.setClosed(t('games.asleep', { name: pet.name }));
    this.bus.emit('pet', { pet });
    this.picture.update(pet);
    this.pictureMenu.setAvailable(!this.spectating && pet !== null, pet?.name ?? '');
    const wearer = !this.spectating && pet ? { petName: pet.name, skin: pet.skin } : null;
    this.bag.setWearer(wearer);
    this.shopPanel.setWearer(wearer);
    this.play.update(snapshot, this.spectating ? 'spectator' : 'owner');
  }

  /** Toasts for what happened to the pet on show since the last snapshot. */
  private noticeChanges(snapshot: HomeSnapshot, shown: PetView | null): void {
    for (const pet of snapshot.pets) {
      const before = this.seen.get(pet.id);
      this.seen.set(pet.id, { stage: pet.stage, sick: pet.sick });
      if (!before || pet.id !== shown?.id) continue;
      if (!before.sick && pet.sick) {
        this.toasts.show(t('pet.sick', { name: pet.name }), 'warning');
        hapticNotice('warning');
      } else if (before.sick && !pet.sick) {
        this.toasts.show(t('pet.recovered', { name: pet.name }), 'success');
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
    const pet = this.snapshot?.pets.find((p) => p.id === petId);
    if (!pet || !isStage(stage)) return;
    // The message can arrive before the patch that changes the stage: name the new stage.
    this.toasts.show(
      form
        ? t('pet.grewAdult', { name: pet.name, form: t(`form.${form}`) })
        : t('pet.grew', { name: pet.name, stage: t(`stage.${stage}`) }),
      'success',
    );
    hapticNotice('success');
    this.bus.emit('celebrate', form ? { petId, adultForm: form } : { petId });
  }

  private selectPet(petId: string): void {
    if (this.spectating) this.spectatedPetId = petId;
    else {
      this.selectedPetId = petId;
      writeStorage(SELECTED_PET_KEY, petId);
    }
    if (this.snapshot) this.render(this.snapshot);
  }

  private care(action: CareAction, itemId?: ItemId): void {
    const hud = this.hud;
    const pet = this.snapshot ? this.shownPet(this.snapshot) : null;
    if (!hud || !pet || this.spectating) return;
    if (hud.cooldownLeft(action) > 0) {
      this.fail('CARE_COOLDOWN');
      return;
    }
    if (itemId && this.holdings && this.holdings.items[itemId] <= 0) {
      this.fail('ITEM_MISSING');
      return;
    }
    if (!this.connection?.sendCare(pet.id, action, itemId)) {
      this.fail('NETWORK');
      return;
    }
    hapticImpact('medium');
    hud.setPending(action);
  }

  private onCared(message: CaredMessage): void {
    this.hud?.clearPending(message.action);
    if (message.action === 'heal') this.hud?.markHealed(message.petId);
    this.bus.emit('care', { petId: message.petId, action: message.action, delta: message.delta, overfed: message.overfed });
    if (message.overfed) {
      const pet = this.snapshot?.pets.find((p) => p.id === message.petId);
      this.toasts.show(t('care.overfed', { name: pet?.name ?? '' }), 'warning');
      hapticNotice('warning');
    }
  }

  private onRoomError(message: ErrorMessage): void {
    this.hud?.clearPending();
    this.fail(message.code);
  }

  private onStageChanged(message: StageChangedMessage): void {
    this.celebrate(message.petId, message.to, message.adultForm);
  }

  private onWoke(message: WokeMessage): void {
    this.hud?.clearPending();
    const pet = this.snapshot?.pets.find((p) => p.id === message.petId);
    this.toasts.show(t('sleep.woke', { name: pet?.name ?? '', time: formatDuration(message.awakeForSeconds) }), 'info');
    this.bus.emit('woke', { petId: message.petId, delta: message.delta });
  }

  /** "New picture" from the picture menu: the owner's pet on show only. */
  private newPicture(): void {
    if (this.spectating || !this.snapshot || !this.shownPet(this.snapshot)) return;
    hapticImpact('light');
    void this.picture.regenerate();
  }

  private wake(): void {
    const pet = this.snapshot ? this.shownPet(this.snapshot) : null;
    if (!pet || this.spectating || !pet.asleep) return;
    if (!this.connection?.sendWake(pet.id)) {
      this.fail('NETWORK');
      return;
    }
    hapticImpact('light');
  }

  // ---- bag and games ---------------------------------------------------------------------

  private openBag(): void {
    if (this.holdings) this.bag.render(this.holdings);
    this.bag.show();
    this.updateBackButton();
    // While watching a friend the room carries their bag, not mine: ask for mine.
    if (this.spectating) {
      this.api
        .inventory()
        .then((dto) => this.setHoldings(holdingsFromDto(dto)))
        .catch(() => undefined);
    }
  }

  /** Dresses the pet on show in a skin I hold, from the bag or the shop ('default' takes it off). */
  private async wear(skin: string): Promise<void> {
    const pet = this.snapshot ? this.shownPet(this.snapshot) : null;
    if (!pet || this.spectating) return;
    this.bag.setChanging(skin);
    try {
      const dto = await this.api.setSkin(pet.id, skin);
      // The room state follows; until then the bag and the shop show the answer.
      const wearer = { petName: dto.name, skin: dto.skin };
      this.bag.setWearer(wearer);
      this.shopPanel.setWearer(wearer);
      const item = itemOfSkin(dto.skin);
      this.toasts.show(item ? t('skin.wearing', { name: dto.name, skin: t(`item.${item}`) }) : t('skin.takenOff', { name: dto.name }), 'success');
      hapticNotice('success');
    } catch (error) {
      this.fail(errorCodeOf(error));
    } finally {
      this.bag.setChanging(null);
    }
  }

  private openShop(section?: ShopSection): void {
    this.hud?.closePopovers();
    this.shop.open(section);
    this.updateBackButton();
  }

  private closeShop(): void {
    if (!this.shopPanel.open) return;
    this.shopPanel.hide();
    this.devPay.dismiss();
    this.updateBackButton();
  }

  private openProgress(): void {
    if (this.spectating) return;
    this.hud?.closePopovers();
    this.progress.open();
    this.updateBackButton();
  }

  private closeProgress(): void {
    if (!this.progressPanel.open) return;
    this.progressPanel.hide();
    this.updateBackButton();
  }

  private openGames(): void {
    const pet = this.snapshot ? this.shownPet(this.snapshot) : null;
    if (!pet || this.spectating) return;
    this.games.show(pet.name, pet.asleep ? t('games.asleep', { name: pet.name }) : null);
    this.updateBackButton();
  }

  private startGame(kind: MinigameKind): void {
    const pet = this.snapshot ? this.shownPet(this.snapshot) : null;
    if (!pet || this.spectating) return;
    if (pet.asleep) {
      this.fail('PET_ASLEEP');
      return;
    }
    if (!this.connection?.sendGameStart(pet.id, kind)) {
      this.fail('NETWORK');
      return;
    }
    hapticImpact('medium');
    this.games.close();
  }

  private updateQuietClock(): void {
    this.hud?.setQuietClock(
      this.spectating || !this.me
        ? null
        : {
            timeScale: this.config?.timeScale ?? 1,
            clockOffsetSeconds: this.config?.clockOffsetSeconds ?? 0,
            utcOffsetMinutes: this.me.utcOffsetMinutes,
            utcOffsetChange: this.me.utcOffsetChange
              ? { utcOffsetMinutes: this.me.utcOffsetChange.utcOffsetMinutes, atMs: Date.parse(this.me.utcOffsetChange.at) }
              : null,
          },
    );
  }

  private async onFatal(code: ClientErrorCode): Promise<void> {
    // A dev session can mint fresh initData: it expired, or a restarted dev server signs with
    // a new random token. A Telegram session must be reopened instead. At most once a minute.
    const authProblem = code === 'AUTH_EXPIRED' || code === 'AUTH_INVALID';
    if (authProblem && this.config?.devSignIn && !inTelegram() && Date.now() - this.authRefreshedAt > 60_000) {
      this.authRefreshedAt = Date.now();
      try {
        const { session, refresh } = await signIn(this.api, this.config);
        this.api.setAuth(session.initData, refresh);
        this.connect();
        return;
      } catch {
        // Fall through to the error below.
      }
    }
    this.fail(code);
    if (this.spectating) this.leaveFriendHome();
  }

  // ---- friends ---------------------------------------------------------------------------

  private async openFriends(): Promise<void> {
    if (!this.me) return;
    this.friends.show(this.me.inviteCode);
    this.updateBackButton();
    await this.reloadFriends();
  }

  private closeFriends(): void {
    if (!this.friends.open) return;
    this.friends.hide();
    this.updateBackButton();
  }

  private async reloadFriends(): Promise<void> {
    this.friends.setLoading();
    try {
      this.friends.setFriends(await this.api.friends());
    } catch (error) {
      this.friends.setFriends([]);
      this.fail(errorCodeOf(error));
    }
  }

  private async addFriend(code: string): Promise<void> {
    this.friends.setBusy(true);
    try {
      const friend = await this.api.addFriend(code);
      this.friends.clearInput();
      this.toasts.show(t('friends.added', { name: friend.firstName }), 'success');
      hapticNotice('success');
      await this.reloadFriends();
    } catch (error) {
      this.fail(errorCodeOf(error));
    } finally {
      this.friends.setBusy(false);
    }
  }

  private inviteLink(): string | null {
    const bot = this.config?.botUsername;
    const app = this.config?.miniAppName;
    if (!bot || !app || !this.me) return null;
    return `https://t.me/${bot}/${app}?startapp=ref_${this.me.inviteCode}`;
  }

  private async invite(): Promise<void> {
    const link = this.inviteLink();
    if (link && inTelegram()) {
      const share = `https://t.me/share/url?url=${encodeURIComponent(link)}&text=${encodeURIComponent(t('friends.inviteText'))}`;
      if (openTelegramLink(share)) return;
    }
    await this.copyInvite(true);
  }

  /** Copies the invite link (or just the code when there is no bot configured) and shows it. */
  private async copyInvite(preferLink: boolean): Promise<void> {
    if (!this.me) return;
    const link = preferLink ? this.inviteLink() : null;
    const value = link ?? this.me.inviteCode;
    if (link) this.friends.showLink(link);
    const copied = await copyText(value);
    if (copied) this.toasts.show(link ? t('friends.linkCopied') : t('friends.shareCode', { code: value }), 'success');
    else this.toasts.show(t('friends.shareCode', { code: this.me.inviteCode }), 'info');
  }

  private watch(friend: FriendDto): void {
    this.friends.hide();
    this.spectating = friend;
    this.spectatedPetId = null;
    this.hud?.setSpectating(friend.firstName);
    this.bag.close();
    this.closeShop();
    this.closeProgress();
    this.connect();
    this.showHome();
  }

  private leaveFriendHome(): void {
    if (!this.spectating) return;
    this.spectating = null;
    this.hud?.setSpectating(null);
    this.connect();
    this.showHome();
  }

  private updateBackButton(): void {
    if (this.devPay.open) setBackButton(() => this.devPay.dismiss());
    else if (this.shopPanel.open) setBackButton(() => this.closeShop());
    else if (this.progressPanel.open) setBackButton(() => (this.progressPanel.closeDetail() ? undefined : this.closeProgress()));
    else if (this.bag.open) setBackButton(() => this.bag.close());
    else if (this.games.open) setBackButton(() => this.games.close());
    else if (this.friends.open) setBackButton(() => this.closeFriends());
    else if (this.spectating) setBackButton(() => this.leaveFriendHome());
    else setBackButton(null);
  }

  private fail(code: string): void {
    this.toasts.show(errorText(code), 'error');
    hapticNotice('error');
  }
}

/** The client config's dev payment path; older servers do not send it (treated as null). */
function devPaymentsPathOf(config: ClientConfigDto | null): string | null {
  const path: unknown = config?.devPaymentsPath;
  return typeof path === 'string' && path.startsWith('/') ? path.replace(/\/+$/, '') : null;
}

function isStage(value: string): value is StageName {
  return (STAGES as readonly string[]).includes(value);
}

function indexIn(order: readonly string[], id: string): number {
  const i = order.indexOf(id);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

/** Clipboard API first; the old execCommand path covers insecure origins and webviews. */
async function copyText(value: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(value);
    return true;
  } catch {
    const area = h('textarea', { class: 'sr-only', attrs: { readonly: '' } });
    area.value = value;
    document.body.append(area);
    area.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    } finally {
      area.remove();
    }
  }
}
