/**
 * The app shell: signs in, decides between the create-your-pet flow and the home, owns the
 * one live room connection (my home or a friend's) and routes between the per-feature
 * coordinators (features/*\/…-coordinator.ts), which own their sheets, API calls and events.
 * Sheets and the minigame scene load their code on first use (kit/lazy.ts).
 */
import type { Client } from 'colyseus.js';
import { ITEM_IDS } from '../../shared/balance.js';
import type { ClientConfigDto, FriendDto, MeDto, PetDto } from '../../shared/dto.js';
import type { AppShell } from './app-shell.js';
import { BagCoordinator } from './features/bag/bag-coordinator.js';
import type { Holdings } from './features/bag/bag-panel.js';
import { holdingsFromDto, holdingsOf } from './features/bag/holdings.js';
import { CreateCoordinator } from './features/create/create-coordinator.js';
import { CreateScene } from './features/create/CreateScene.js';
import { FriendsCoordinator } from './features/friends/friends-coordinator.js';
import type { GameMode } from './features/games/game-controller.js';
import { GamesCoordinator } from './features/games/games-coordinator.js';
import { deviceUtcOffsetMinutes } from './features/games/quiet-hours.js';
import { HomeCoordinator } from './features/home/home-coordinator.js';
import { HomeScene } from './features/home/HomeScene.js';
import { ProgressCoordinator } from './features/progress/progress-coordinator.js';
import { LeadersCoordinator } from './features/leaders/leaders-coordinator.js';
import { CollectionCoordinator } from './features/collection/collection-coordinator.js';
import { AlbumCoordinator } from './features/album/album-coordinator.js';
import { ShopCoordinator } from './features/shop/shop-coordinator.js';
import type { Wearer } from './features/shop/shop-panel.js';
import { errorText, t } from './i18n.js';
import { h } from './kit/dom.js';
import { Splash } from './kit/splash.js';
import { Toasts, type ToastKind } from './kit/toasts.js';
import { AnalyticsQueue, apiTransport, uiErrorCode } from './net/analytics.js';
import { Api } from './net/api.js';
import { createColyseusClient } from './net/colyseus-client.js';
import { errorCodeOf, type ClientErrorCode } from './net/errors.js';
import { HomeConnection } from './net/home-connection.js';
import type { HomeSnapshot } from './net/home-snapshot.js';
import type { PetView } from '../../shared/room-state.js';
import { ServerClock } from './net/server-clock.js';
import { signIn } from './net/sign-in.js';
import { BootScene } from './stage/BootScene.js';
import { StageBus } from './stage/stage-bus.js';
import { Stage, type StageSceneKey } from './stage/stage.js';
import { hapticNotice, inTelegram, launchParam, setBackButton } from './telegram.js';
import { currentPalette, onPaletteChange } from './theme.js';

type Screen = 'boot' | 'create' | 'home';

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

export class App {
  private readonly api = new Api();
  private readonly analytics = new AnalyticsQueue(apiTransport(this.api));
  private readonly bus = new StageBus();
  private readonly toasts = new Toasts();
  private readonly clock = new ServerClock();
  private readonly splash: Splash;
  private readonly stageHost: HTMLElement;
  private readonly stage: Stage;
  private readonly shell: AppShell;
  private readonly create: CreateCoordinator;
  private readonly home: HomeCoordinator;
  private readonly bag: BagCoordinator;
  private readonly shop: ShopCoordinator;
  private readonly progress: ProgressCoordinator;
  private readonly leaders: LeadersCoordinator;
  private readonly collection: CollectionCoordinator;
  private readonly album: AlbumCoordinator;
  private readonly games: GamesCoordinator;
  private readonly friends: FriendsCoordinator;
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
  private screen: Screen = 'boot';
  /** When dev initData was last re-minted (see onFatal). */
  private authRefreshedAt = 0;

  constructor(private readonly root: HTMLElement) {
    // UI events still waiting go when the app is hidden (switched away from, closed, locked).
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.analytics.flushOnHide();
    });
    window.addEventListener('pagehide', () => this.analytics.flushOnHide());
    this.splash = new Splash(() => void this.start());
    this.stageHost = h('div', { class: 'stage', testid: 'stage' });
    this.shell = this.makeShell();
    const slotTop = h('div', { class: 'slot-top' });
    const slotBottom = h('div', { class: 'slot-bottom' });
    this.create = new CreateCoordinator(this.shell, {
      showScreen: () => this.setScreen('create'),
      showHome: () => this.showHome(),
      adopted: (pet) => this.adopted(pet),
    });
    this.home = new HomeCoordinator(
      this.shell,
      {
        slots: { top: slotTop, bottom: slotBottom },
        connection: () => this.connection,
        myPetIds: () => this.pets.map((p) => p.id),
        progress: () => this.progress.current,
        openBag: () => this.bag.show(),
        openShop: (section) => this.shop.show(section),
        openGames: () => this.games.show(),
        openProgress: () => this.progress.show(),
        openFriends: () => this.friends.show(),
        openLeaders: () => this.leaders.show(),
        addPet: () => this.showCreate(true),
        openMyPets: () => this.album.showMyPets(),
        openAlbum: (petId) => this.album.showAlbum(petId),
        leaveFriendHome: () => this.leaveFriendHome(),
        rerender: () => {
          if (this.snapshot) this.render(this.snapshot);
        },
      },
      this.stageHost,
    );
    this.bag = new BagCoordinator(this.shell, {
      openShop: (section) => this.shop.show(section),
      wearerChanged: (wearer) => this.setWearer(wearer),
      openCollection: () => this.collection.show(),
    });
    this.shop = new ShopCoordinator(this.shell, { wear: (skin) => void this.bag.wear(skin) });
    this.progress = new ProgressCoordinator(this.shell, { summaryChanged: (summary) => this.home.current?.setProgress(summary) });
    this.leaders = new LeadersCoordinator(this.shell);
    this.collection = new CollectionCoordinator(this.shell);
    this.album = new AlbumCoordinator(this.shell, {
      petAtHome: () => (this.spectating || !this.snapshot ? null : (this.home.shownPet(this.snapshot)?.id ?? null)),
      showAtHome: (petId) => {
        this.home.select(petId);
        if (this.snapshot) this.render(this.snapshot);
      },
      adopt: () => this.showCreate(true),
    });
    this.games = new GamesCoordinator(this.shell, {
      clock: this.clock,
      stageHost: this.stageHost,
      canvas: () => this.stage?.canvas ?? null,
      setMode: (mode) => this.setGameMode(mode),
      connection: () => this.connection,
      addScene: (scene) => this.stage.addScene(scene),
      sceneReady: () => this.stage.show(this.sceneFor(this.screen)),
    });
    this.friends = new FriendsCoordinator(this.shell, { watch: (friend) => this.watch(friend) });
    const play = this.games.play;
    slotTop.append(play.hud.top);
    slotBottom.append(this.create.view.el, play.hud.bottom);
    this.root.append(
      h('div', { class: 'column' }, [
        slotTop,
        h('div', { class: 'stage-frame' }, [this.stageHost, this.home.picture.el, this.home.pictureMenu.el, this.home.shareButton.el, play.results.el]),
        slotBottom,
        this.splash.el,
        this.toasts.el,
      ]),
    );
    this.stage = new Stage(this.stageHost, this.bus);
    this.bus.emit('palette', { palette: currentPalette() });
    onPaletteChange((palette) => this.bus.emit('palette', { palette }));
    document.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      if (this.home.pictureMenu.open) this.home.pictureMenu.close();
      else if (this.shop.devPayOpen) this.shop.dismissDevPay();
      else if (this.shop.open) this.shop.close();
      else if (this.progress.detailOpen) this.progress.closeDetail();
      else if (this.progress.open) this.progress.close();
      else if (this.leaders.open) this.leaders.close();
      else if (this.collection.open) this.collection.close();
      else if (this.album.open) this.album.back();
      else if (this.bag.open) this.bag.close();
      else if (this.games.open) this.games.close();
      else if (this.friends.open) this.friends.close();
    });
    window.telepetsDebug = Object.freeze({
      game: () => play.debugGame(),
      fieldToClient: (x: number, y: number) => play.fieldToClient(x, y),
    });
  }

  /** What the coordinators may read and do (see app-shell.ts). */
  private makeShell(): AppShell {
    const notify = (message: string, kind: ToastKind): void => {
      this.toasts.show(message, kind);
      if (kind === 'error' || kind === 'warning' || kind === 'success') hapticNotice(kind);
    };
    return {
      api: this.api,
      bus: this.bus,
      toasts: this.toasts,
      notify,
      fail: (code) => this.fail(code),
      me: () => this.me,
      config: () => this.config,
      spectating: () => this.spectating,
      snapshot: () => this.snapshot,
      shownPet: () => (this.snapshot ? this.home.shownPet(this.snapshot) : null),
      holdings: () => this.holdings,
      setHoldings: (holdings) => this.setHoldings(holdings),
      updateBackButton: () => this.updateBackButton(),
      // Late sheets go under the splash and the toasts, like the ones made at start did.
      mount: (el) => this.splash.el.before(el),
      closePopovers: () => this.home.current?.closePopovers(),
      track: (event) => this.analytics.track(event),
    };
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
      if (code === 'PLAYER_BANNED') this.splash.fail(errorText(code), false);
      else this.splash.fail(outside ? t('app.notInTelegram') : t('app.signInFailed', { reason: errorText(code) }), !outside);
      hapticNotice('error');
      return;
    }
    this.splash.hide();
    if (this.pets.length === 0) this.showCreate(false);
    else {
      this.showHome();
      // A bot notification's button names the screen it is about.
      const screen = launchParam();
      if (screen === 'progress') this.progress.show();
      else if (screen === 'shop') this.shop.show();
      else if (screen === 'leaders') this.leaders.show();
      else if (screen === 'collection') this.collection.show();
    }
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
    this.screen = screen;
    if (screen === 'create') this.analytics.track({ type: 'screen_view', screen: 'create' });
    else if (screen === 'home') this.analytics.track({ type: 'screen_view', screen: this.spectating ? 'friend_home' : 'home' });
    document.body.dataset.scene = screen;
    if (screen !== 'home' && this.games.play.current !== 'none') this.games.play.reset();
    this.stage.show(this.sceneFor(screen));
  }

  private sceneFor(screen: Screen): StageSceneKey {
    if (screen === 'home') return this.games.play.current === 'none' ? HomeScene.KEY : this.games.sceneKey(HomeScene.KEY);
    return screen === 'create' ? CreateScene.KEY : BootScene.KEY;
  }

  /** Game mode: the field takes the stage, the game's bar replaces the home's. */
  private setGameMode(mode: GameMode): void {
    if (mode === 'none') delete document.body.dataset.game;
    else document.body.dataset.game = mode;
    this.home.current?.closePopovers();
    this.home.pictureMenu.close();
    this.bag.close();
    this.games.close();
    if (mode !== 'none') {
      this.shop.close();
      this.progress.close();
      this.leaders.close();
      this.collection.close();
      this.album.close();
    }
    if (document.body.dataset.scene === 'home') this.stage.show(this.sceneFor('home'));
  }

  private setHoldings(holdings: Holdings): void {
    this.holdings = holdings;
    this.home.setHoldings(holdings);
    this.bag.render(holdings);
    this.shop.setHoldings(holdings);
    this.progress.setCoins(holdings.coins);
    this.collection.setCoins(holdings.coins);
  }

  private setWearer(wearer: Wearer | null): void {
    this.bag.setWearer(wearer);
    this.shop.setWearer(wearer);
  }

  // ---- screens ---------------------------------------------------------------------------

  private showCreate(cancellable: boolean): void {
    this.friends.close();
    this.create.show(cancellable);
  }

  private adopted(pet: PetDto): void {
    this.pets.push(pet);
    this.home.select(pet.id);
    // A running room may not know the new pet yet; a fresh join loads it.
    this.stopConnection();
    this.showHome();
  }

  private showHome(): void {
    const hud = this.home.ensureHud();
    this.setScreen('home');
    hud.setSpectating(this.spectating ? this.spectating.firstName : null);
    this.home.updateQuietClock();
    this.updateBackButton();
    if (!this.connection) this.connect();
    else if (this.snapshot) this.render(this.snapshot);
  }

  // ---- the room --------------------------------------------------------------------------

  private connect(): void {
    this.stopConnection();
    const client = this.client;
    this.home.ensureHud();
    if (!client) return;
    const friend = this.spectating;
    this.roomHoldingsKey = '';
    this.games.play.reset();
    this.home.joining();
    const play = this.games.play;
    const connection = new HomeConnection(client, friend ? { ownerId: friend.id } : {}, {
      snapshot: (snapshot) => {
        if (this.connection === connection) this.render(snapshot);
      },
      connState: (state) => this.home.onConnState(state),
      cared: (message) => this.home.onCared(message),
      roomError: (message) => this.home.onRoomError(message),
      stageChanged: (message) => this.home.onStageChanged(message),
      woke: (message) => this.home.onWoke(message),
      tapResult: (message) => play.onTapResult(message),
      gameOver: (message) => {
        if (this.connection === connection) play.onGameOver(message);
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

  private render(snapshot: HomeSnapshot): void {
    this.snapshot = snapshot;
    this.clock.sample('serverTime', snapshot.serverTime);
    // The room's coins and items are its owner's: mine only in my own home.
    const roomHoldings = `${snapshot.coins}|${ITEM_IDS.map((itemId) => snapshot.inventory[itemId] ?? 0).join(',')}`;
    if (!this.spectating && roomHoldings !== this.roomHoldingsKey) {
      this.roomHoldingsKey = roomHoldings;
      this.setHoldings(holdingsOf(snapshot.coins, snapshot.inventory));
    }
    const pet: PetView | null = this.home.render(snapshot);
    this.games.petChanged(pet);
    this.home.showPet(pet);
    this.setWearer(!this.spectating && pet ? { petName: pet.name, skin: pet.skin } : null);
    this.games.play.update(snapshot, this.spectating ? 'spectator' : 'owner');
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
    if (code === 'PLAYER_BANNED') {
      // Banned while playing: the whole app is closed to this account, not one action.
      this.splash.fail(errorText(code), false);
      hapticNotice('error');
      return;
    }
    this.fail(code);
    if (this.spectating) this.leaveFriendHome();
  }

  // ---- a friend's home -------------------------------------------------------------------

  private watch(friend: FriendDto): void {
    this.spectating = friend;
    this.home.enterHome();
    this.home.current?.setSpectating(friend.firstName);
    this.bag.close();
    this.shop.close();
    this.progress.close();
    this.leaders.close();
    this.collection.close();
    this.album.close();
    this.connect();
    this.showHome();
  }

  private leaveFriendHome(): void {
    if (!this.spectating) return;
    this.album.close();
    this.spectating = null;
    this.home.current?.setSpectating(null);
    this.connect();
    this.showHome();
  }

  private updateBackButton(): void {
    if (this.shop.devPayOpen) setBackButton(() => this.shop.dismissDevPay());
    else if (this.shop.open) setBackButton(() => this.shop.close());
    else if (this.progress.open) setBackButton(() => (this.progress.closeDetail() ? undefined : this.progress.close()));
    else if (this.leaders.open) setBackButton(() => this.leaders.close());
    else if (this.collection.open) setBackButton(() => this.collection.close());
    else if (this.album.open) setBackButton(() => this.album.back());
    else if (this.bag.open) setBackButton(() => this.bag.close());
    else if (this.games.open) setBackButton(() => this.games.close());
    else if (this.friends.open) setBackButton(() => this.friends.close());
    else if (this.spectating) setBackButton(() => this.leaveFriendHome());
    else setBackButton(null);
  }

  private fail(code: string): void {
    this.analytics.track({ type: 'error_shown', code: uiErrorCode(code) });
    this.toasts.show(errorText(code), 'error');
    hapticNotice('error');
  }
}
