/**
 * The DOM around the home stage: connection state, spectators, coins and the bag on top; the
 * pet's name, stage, adult form, age, growth timer and care record; pet tabs; the spectating
 * banner; status banners (asleep with Wake up, sick, recovering, care hints); and the care
 * buttons with cooldowns and item counts, the food picker and the Games button. Meter values
 * are mirrored in a visually hidden list for tests and screen readers (the bars themselves
 * are drawn by Phaser).
 */
import {
  ACTION_ITEM_KIND,
  CARE_ACTIONS,
  CARE_MISTAKE_GRACE_S,
  CARE_EFFECTS,
  CARE_WHILE_ASLEEP,
  GOOD_THRESHOLD,
  ITEM_IDS,
  ITEMS,
  MAX_PETS_PER_PLAYER,
  STAGES,
  WAKE_MOOD_COST,
  type CareAction,
  type ItemId,
  type Meter,
  type StageName,
} from '../../../../shared/balance.js';
import { iconSvg } from '../../art/icons.js';
import { itemImage } from '../../art/item-art.js';
import { flameSvg } from '../progress/progress-art.js';
import { quietHoursEnd, type UtcOffsetChange } from '../games/quiet-hours.js';
import { formatDuration, plural, t } from '../../i18n.js';
import type { ConnState } from '../../net/home-connection.js';
import type { ProgressSummary } from '../progress/progress-controller.js';
import type { PetView } from '../../../../shared/room-state.js';
import { secondsLeft, type HomeSnapshot } from '../../net/home-snapshot.js';
import type { Holdings } from '../bag/bag-panel.js';
import { CountUp } from '../../kit/count-up.js';
import { h, setText } from '../../kit/dom.js';
import { FoodPicker, FOODS } from './food-picker.js';
import type { ShopSection } from '../shop/shop-panel.js';
import './home.css';

export interface HomeHudHandlers {
  care(action: CareAction): void;
  feed(itemId: ItemId): void;
  wake(): void;
  openBag(): void;
  openShop(section?: ShopSection): void;
  openGames(): void;
  openProgress(): void;
  selectPet(petId: string): void;
  addPet(): void;
  openFriends(): void;
  openLeaders(): void;
  back(): void;
  /** Report the friend's pet on show (spectating only). */
  report(): void;
  /** My pets and their albums. */
  openMyPets(): void;
  /** The album of the friend's pet on show (spectating only). */
  openAlbum(): void;
}

/** How the HUD reads quiet hours: my UTC offset (null while watching a friend, whose is unknown). */
interface QuietClock {
  timeScale: number;
  /** The server's game clock offset (client config). */
  clockOffsetSeconds: number;
  utcOffsetMinutes: number;
  /** A planned change of my offset, which quiet hours follow from then on. */
  utcOffsetChange: UtcOffsetChange | null;
}

const METERS: readonly Meter[] = ['hunger', 'mood', 'cleanliness', 'health'];
const CONN_KEYS = {
  online: 'conn.online',
  connecting: 'conn.connecting',
  reconnecting: 'conn.reconnecting',
  offline: 'conn.offline',
} as const;

interface CareButton {
  el: HTMLButtonElement;
  label: HTMLElement;
  ring: HTMLElement;
  count: HTMLElement;
}

const ITEMS_OF_KIND = (action: CareAction): ItemId[] => ITEM_IDS.filter((itemId) => ITEMS[itemId].kind === ACTION_ITEM_KIND[action]);

/** How long a tapped button waits for the server's answer before it unlocks itself. */
const PENDING_TIMEOUT_MS = 4000;

export class HomeHud {
  /** Everything above the stage. */
  readonly top: HTMLElement;
  /** Everything below the stage. */
  readonly bottom: HTMLElement;

  private readonly conn: HTMLElement;
  private readonly connLabel: HTMLElement;
  private readonly spectators: HTMLElement;
  private readonly spectatorsLabel: HTMLElement;
  private readonly friendsButton: HTMLButtonElement;
  private readonly leadersButton: HTMLButtonElement;
  private readonly wallet: HTMLButtonElement;
  private readonly coins: CountUp;
  private readonly bagButton: HTMLButtonElement;
  private readonly progressButton: HTMLButtonElement;
  private readonly progressFlame: HTMLElement;
  private readonly progressStreak: HTMLElement;
  private readonly progressBadge: HTMLElement;
  private progressLit: boolean | null = null;
  private readonly formChip: HTMLElement;
  private readonly record: HTMLElement;
  private readonly status: HTMLElement;
  private readonly asleepBanner: HTMLElement;
  private readonly asleepTitle: HTMLElement;
  private readonly asleepWhen: HTMLElement;
  private readonly wakeButton: HTMLButtonElement;
  private readonly wakeCost: HTMLElement;
  private readonly healthBanner: HTMLElement;
  private readonly healthText: HTMLElement;
  private readonly hint: HTMLElement;
  private readonly hintTitle: HTMLElement;
  private readonly hintText: HTMLElement;
  private readonly gamesButton: HTMLButtonElement;
  private readonly foodPicker: FoodPicker;
  private readonly banner: HTMLElement;
  private readonly bannerTitle: HTMLElement;
  private readonly bannerStatus: HTMLElement;
  private readonly tabs: HTMLElement;
  private readonly header: HTMLElement;
  private readonly name: HTMLElement;
  private readonly stage: HTMLElement;
  private readonly age: HTMLElement;
  private readonly next: HTMLElement;
  private readonly careBar: HTMLElement;
  private readonly readOnlyNote: HTMLElement;
  private readonly mirror: Record<Meter, HTMLElement>;
  private readonly buttons: Record<CareAction, CareButton>;
  private readonly pending = new Map<CareAction, number>();

  private snapshot: HomeSnapshot | null = null;
  private pet: PetView | null = null;
  private spectating = false;
  private online = false;
  private tabsKey = '';
  private holdings: Holdings | null = null;
  private quietClock: QuietClock | null = null;
  private gameRunning = false;
  /** Pets healed (or cured) and still below good health: shown as recovering. */
  private readonly recovering = new Set<string>();
  private readonly lastHealth = new Map<string, number>();
  /**
   * Per pet: the critical meter and the care mistakes counted when this client saw it turn
   * critical. The server's `criticalSeconds` restarts at every mistake, so "hungry for 45m"
   * is only true until the first one; after it the hint says "still hungry".
   */
  private readonly criticalSince = new Map<string, { meter: string; mistakes: number }>();

  constructor(
    private readonly handlers: HomeHudHandlers,
    /** Game seconds per real second: ages tick locally between server patches. */
    private readonly timeScale: number,
  ) {
    this.connLabel = h('span', { class: 'conn-label', text: t('conn.connecting') });
    this.conn = h('div', { class: 'conn', testid: 'conn-state', attrs: { 'data-state': 'connecting', role: 'status' } }, [
      h('span', { class: 'conn-dot', attrs: { 'aria-hidden': 'true' } }),
      this.connLabel,
    ]);
    this.spectatorsLabel = h('span');
    this.spectators = h('div', { class: 'spectators', testid: 'spectators', attrs: { hidden: '' } }, [
      iconSvg('eye', 16),
      this.spectatorsLabel,
    ]);
    this.friendsButton = h(
      'button',
      { class: 'pill-button', testid: 'friends-open', attrs: { type: 'button' }, on: { click: () => handlers.openFriends() } },
      [iconSvg('friends', 18), h('span', { text: t('friends.title') })],
    );

    const coins = h('span', { class: 'wallet-value', testid: 'coins', text: '0' });
    // The coin counter is the shop's door, as in most mobile games: coins with a "+".
    this.wallet = h(
      'button',
      {
        class: 'wallet',
        testid: 'shop-open',
        attrs: { type: 'button', 'aria-label': t('shop.open'), title: t('shop.title') },
        on: { click: () => handlers.openShop() },
      },
      [itemImage('coin', 20), coins, h('span', { class: 'wallet-plus', attrs: { 'aria-hidden': 'true' } }, [iconSvg('plus', 12)])],
    );
    this.coins = new CountUp(coins, this.wallet);
    this.leadersButton = h(
      'button',
      {
        class: 'icon-button leaders-button',
        testid: 'leaders-open',
        attrs: { type: 'button', 'aria-label': t('leaders.open'), title: t('leaders.open') },
        on: { click: () => handlers.openLeaders() },
      },
      [iconSvg('trophy', 20)],
    );
    this.bagButton = h(
      'button',
      {
        class: 'icon-button bag-button',
        testid: 'bag-open',
        attrs: { type: 'button', 'aria-label': t('bag.open'), title: t('bag.open') },
        on: { click: () => handlers.openBag() },
      },
      [iconSvg('bag', 20)],
    );

    // The streak flame is the door to streaks, quests and achievements; a badge counts rewards to claim.
    this.progressFlame = h('span', { class: 'streak-button-flame' });
    this.progressStreak = h('span', { class: 'streak-button-value', text: '0' });
    this.progressBadge = h('span', { class: 'progress-badge', attrs: { hidden: '', 'aria-hidden': 'true' } });
    this.progressButton = h(
      'button',
      {
        class: 'streak-button',
        testid: 'progress-open',
        attrs: { type: 'button', 'aria-label': t('progress.open'), title: t('progress.title'), 'data-claimable': '0', 'data-streak': '0' },
        on: { click: () => handlers.openProgress() },
      },
      [this.progressFlame, this.progressStreak, this.progressBadge],
    );
    this.setProgress({ streak: 0, countedToday: false, claimable: 0 });

    this.bannerTitle = h('strong', { class: 'banner-title', testid: 'spectate-banner-title' });
    this.bannerStatus = h('span', { class: 'banner-status' });
    this.banner = h('div', { class: 'banner', testid: 'spectate-banner', attrs: { hidden: '' } }, [
      h(
        'button',
        {
          class: 'icon-button',
          testid: 'spectate-back',
          attrs: { type: 'button', 'aria-label': t('friends.back'), title: t('friends.back') },
          on: { click: () => handlers.back() },
        },
        [iconSvg('back', 20)],
      ),
      h('div', { class: 'banner-text' }, [this.bannerTitle, this.bannerStatus]),
      h('button', {
        class: 'secondary-button compact album-open',
        testid: 'album-open',
        text: t('album.open'),
        attrs: { type: 'button', 'aria-haspopup': 'dialog' },
        on: { click: () => handlers.openAlbum() },
      }),
      h('button', {
        class: 'secondary-button compact report-open',
        testid: 'report-open',
        text: t('report.open'),
        attrs: { type: 'button', 'aria-haspopup': 'dialog' },
        on: { click: () => handlers.report() },
      }),
    ]);

    this.tabs = h('nav', { class: 'pet-tabs', attrs: { 'aria-label': t('home.petTabs'), hidden: '' } });

    this.name = h('h1', { class: 'pet-name', testid: 'pet-name' });
    this.stage = h('span', { class: 'stage-chip', testid: 'pet-stage' });
    this.formChip = h('span', { class: 'form-chip', testid: 'adult-form', attrs: { hidden: '' } });
    this.age = h('span', { class: 'pet-age', testid: 'pet-age' });
    this.next = h('span', { class: 'pet-next', testid: 'pet-next' });
    this.record = h('span', { class: 'pet-record', testid: 'care-record' });
    this.header = h('section', { class: 'pet-header' }, [
      h('div', { class: 'pet-title' }, [this.name, this.stage, this.formChip]),
      h('div', { class: 'pet-sub' }, [
        h('span', { class: 'pet-sub-item' }, [iconSvg('clock', 14), this.age]),
        h('span', { class: 'pet-sub-item' }, [iconSvg('sprout', 14), this.next]),
        h('span', { class: 'pet-sub-item record' }, [iconSvg('shield', 14), this.record]),
      ]),
    ]);

    this.asleepTitle = h('strong', { class: 'notice-title' });
    this.asleepWhen = h('span', { class: 'notice-text', testid: 'asleep-until' });
    this.wakeCost = h('span', { class: 'wake-cost', text: t('sleep.wakeCost', { mood: WAKE_MOOD_COST }) });
    this.wakeButton = h(
      'button',
      {
        class: 'notice-button',
        testid: 'wake',
        attrs: { type: 'button' },
        on: { click: () => handlers.wake() },
      },
      [h('span', { text: t('sleep.wake') }), this.wakeCost],
    );
    this.asleepBanner = h('div', { class: 'notice notice-sleep', testid: 'asleep-banner', attrs: { hidden: '', role: 'status' } }, [
      h('span', { class: 'notice-icon' }, [iconSvg('moon', 20)]),
      h('div', { class: 'notice-body' }, [this.asleepTitle, this.asleepWhen]),
      this.wakeButton,
    ]);
    this.healthText = h('span', { class: 'notice-text' });
    this.healthBanner = h('div', { class: 'notice notice-health', testid: 'health-banner', attrs: { hidden: '', role: 'status' } }, [
      h('span', { class: 'notice-icon' }, [iconSvg('heal', 20)]),
      h('div', { class: 'notice-body' }, [this.healthText]),
    ]);
    this.hintTitle = h('strong', { class: 'notice-title' });
    this.hintText = h('span', { class: 'notice-text' });
    this.hint = h('div', { class: 'notice notice-hint', testid: 'care-hint', attrs: { hidden: '', role: 'status' } }, [
      h('span', { class: 'notice-icon' }, [iconSvg('clock', 18)]),
      h('div', { class: 'notice-body' }, [this.hintTitle, this.hintText]),
    ]);
    this.status = h('div', { class: 'pet-status' }, [this.asleepBanner, this.healthBanner, this.hint]);

    this.top = h('div', { class: 'home-top' }, [
      h('header', { class: 'topbar' }, [
        h('div', { class: 'topbar-left' }, [this.conn, this.spectators]),
        h('div', { class: 'topbar-right' }, [this.progressButton, this.wallet, this.bagButton, this.leadersButton, this.friendsButton]),
      ]),
      this.banner,
      this.tabs,
      this.header,
      this.status,
    ]);

    this.mirror = Object.fromEntries(
      METERS.map((meter) => [meter, h('span', { testid: `meter-${meter}`, text: '0' })]),
    ) as Record<Meter, HTMLElement>;
    const mirrorList = h(
      'ul',
      { class: 'sr-only', attrs: { 'aria-label': t('home.meters') } },
      METERS.map((meter) => h('li', {}, [`${t(`meter.${meter}`)}: `, this.mirror[meter]])),
    );

    this.buttons = Object.fromEntries(CARE_ACTIONS.map((action) => [action, this.careButton(action)])) as Record<
      CareAction,
      CareButton
    >;
    this.gamesButton = h(
      'button',
      {
        class: 'care-button games-button',
        testid: 'games-open',
        attrs: { type: 'button', 'aria-label': t('games.open') },
        on: { click: () => handlers.openGames() },
      },
      [h('span', { class: 'care-icon' }, [iconSvg('games', 28)]), h('span', { class: 'care-label', text: t('games.open') })],
    );
    this.careBar = h('div', { class: 'care-bar', testid: 'care-bar' }, [
      ...CARE_ACTIONS.map((action) => this.buttons[action].el),
      this.gamesButton,
    ]);
    this.foodPicker = new FoodPicker(
      (itemId) => {
        this.foodPicker.hide();
        handlers.feed(itemId);
      },
      () => {
        this.foodPicker.hide();
        handlers.openShop('food');
      },
    );
    this.readOnlyNote = h('p', { class: 'readonly-note', text: t('spectate.readOnly'), testid: 'readonly-note' });
    this.bottom = h('div', { class: 'home-bottom' }, [mirrorList, this.foodPicker.el, this.careBar]);
    document.addEventListener('pointerdown', (event) => {
      // A tap anywhere but the picker or the Feed button closes the picker.
      const target = event.target as Node | null;
      if (this.foodPicker.open && target && !this.foodPicker.el.contains(target) && !this.buttons.feed.el.contains(target)) {
        this.foodPicker.hide();
      }
    });
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.foodPicker.hide();
    });
  }

  private careButton(action: CareAction): CareButton {
    const label = h('span', { class: 'care-label', text: t(`care.${action}`) });
    const ring = h('span', { class: 'care-ring', attrs: { 'aria-hidden': 'true' } });
    const count = h('span', { class: 'care-count', testid: `care-${action}-count`, attrs: { 'aria-hidden': 'true' } });
    const el = h(
      'button',
      {
        class: `care-button care-${action}`,
        testid: `care-${action}`,
        attrs: { type: 'button', 'data-action': action, 'aria-label': t(`care.${action}`) },
        on: { click: () => this.onCareClick(action) },
      },
      [h('span', { class: 'care-icon' }, [ring, iconSvg(action, 26), count]), label],
    );
    return { el, label, ring, count };
  }

  private onCareClick(action: CareAction): void {
    if (action !== 'feed') {
      this.foodPicker.hide();
      this.handlers.care(action);
      return;
    }
    if (this.foodPicker.open) {
      this.foodPicker.hide();
      return;
    }
    if (this.holdings) this.foodPicker.render(this.holdings.items);
    this.foodPicker.show(this.pet?.name ?? '');
  }

  /** How many items the action could use (every food for feed). */
  private itemCount(action: CareAction): number | null {
    if (!this.holdings) return null;
    return ITEMS_OF_KIND(action).reduce((sum, itemId) => sum + (this.holdings?.items[itemId] ?? 0), 0);
  }

  /** My coins and items (not a friend's while watching them). */
  setHoldings(holdings: Holdings): void {
    this.holdings = holdings;
    this.coins.set(holdings.coins);
    if (this.foodPicker.open) this.foodPicker.render(holdings.items);
    for (const action of CARE_ACTIONS) {
      const count = this.itemCount(action);
      setText(this.buttons[action].count, count === null ? '' : String(count));
      this.buttons[action].count.classList.toggle('zero', count === 0);
    }
    this.tick();
  }

  /** My daily streak (lit once today counted) and how many quest rewards wait to be claimed. */
  setProgress(summary: ProgressSummary): void {
    const button = this.progressButton;
    button.dataset.streak = String(summary.streak);
    button.dataset.counted = String(summary.countedToday);
    button.dataset.claimable = String(summary.claimable);
    button.classList.toggle('lit', summary.countedToday);
    if (this.progressLit !== summary.countedToday) {
      this.progressLit = summary.countedToday;
      this.progressFlame.replaceChildren(flameSvg(20, summary.countedToday));
    }
    setText(this.progressStreak, String(summary.streak));
    this.progressBadge.hidden = summary.claimable <= 0;
    setText(this.progressBadge, String(summary.claimable));
    const label = `${t('progress.open')}. ${t('streak.daily')}: ${summary.streak}`;
    button.setAttribute('aria-label', summary.claimable > 0 ? `${label}. ${t('progress.toClaim', { rewards: plural('rewards', summary.claimable) })}` : label);
  }

  setQuietClock(clock: QuietClock | null): void {
    this.quietClock = clock;
  }

  /** While a minigame runs in this home the Games button stays closed. */
  setGameRunning(running: boolean): void {
    this.gameRunning = running;
    this.tick();
  }

  /** The food picker closes when the home is left or covered. */
  closePopovers(): void {
    this.foodPicker.hide();
  }

  /** A heal was applied to `petId`: show it as recovering until its health is good again. */
  markHealed(petId: string): void {
    this.recovering.add(petId);
  }

  setConn(state: ConnState): void {
    this.online = state === 'online';
    this.bottom.classList.toggle('disconnected', !this.online);
    this.conn.dataset.state = state;
    setText(this.connLabel, t(CONN_KEYS[state]));
  }

  /** Switches between my home (care buttons) and a friend's (banner, no care buttons). */
  setSpectating(ownerName: string | null): void {
    this.spectating = ownerName !== null;
    this.banner.hidden = !this.spectating;
    this.friendsButton.hidden = this.spectating;
    this.leadersButton.hidden = this.spectating;
    this.wallet.hidden = this.spectating;
    this.progressButton.hidden = this.spectating;
    this.bagButton.hidden = this.spectating;
    this.foodPicker.hide();
    if (ownerName !== null) setText(this.bannerTitle, t('pet.spectating', { name: ownerName }));
    // Spectators get no care buttons at all, not merely disabled ones.
    if (this.spectating) {
      this.careBar.remove();
      if (!this.readOnlyNote.isConnected) this.bottom.append(this.readOnlyNote);
    } else {
      this.readOnlyNote.remove();
      if (!this.careBar.isConnected) this.bottom.append(this.careBar);
    }
    this.tabsKey = '';
  }

  /** Renders a new room snapshot with `pet` as the pet on show. */
  render(snapshot: HomeSnapshot, pet: PetView | null, order: readonly string[]): void {
    this.snapshot = snapshot;
    this.pet = pet;
    const count = snapshot.spectators;
    this.spectators.hidden = count <= 0;
    setText(this.spectatorsLabel, t('spectators.count', { count }));
    if (this.spectating) {
      const name = snapshot.ownerName || '…';
      setText(this.bannerTitle, t('pet.spectating', { name }));
      setText(this.bannerStatus, t(snapshot.ownerOnline ? 'spectate.ownerOnline' : 'spectate.ownerAway', { name }));
      this.banner.classList.toggle('owner-online', snapshot.ownerOnline);
    }
    this.renderTabs(snapshot, pet, order);

    this.header.hidden = pet === null;
    if (pet) {
      setText(this.name, pet.name);
      setText(this.stage, t(`stage.${pet.stage}`));
      this.stage.dataset.stage = pet.stage;
      for (const meter of METERS) setText(this.mirror[meter], String(Math.round(pet[meter])));
      const form = pet.adultForm;
      this.formChip.hidden = form === 'none';
      if (form !== 'none') {
        setText(this.formChip, t(`form.${form}`));
        this.formChip.dataset.form = form;
      }
      setText(
        this.record,
        pet.careMistakes === 0 && pet.careBonus === 0
          ? t('care.recordNone')
          : t('care.record', { mistakes: pet.careMistakes, bonus: pet.careBonus }),
      );
      this.record.parentElement?.classList.toggle('warn', pet.careMistakes > pet.careBonus);
      this.trackRecovery(snapshot);
      if (pet.asleep) this.foodPicker.hide();
    } else {
      this.foodPicker.hide();
    }
    this.renderStatus(pet);
    this.tick();
  }

  /** Recovering: healed (until health falls again) or climbing back, while below good health. */
  private trackRecovery(snapshot: HomeSnapshot): void {
    for (const pet of snapshot.pets) {
      const before = this.lastHealth.get(pet.id);
      this.lastHealth.set(pet.id, pet.health);
      const falling = before !== undefined && pet.health < before - 0.05;
      if (pet.sick || pet.health > GOOD_THRESHOLD || falling) this.recovering.delete(pet.id);
      else if (before !== undefined && pet.health > before + 0.05) this.recovering.add(pet.id);
    }
  }

  private renderStatus(pet: PetView | null): void {
    const sleeping = pet?.asleep === true;
    this.asleepBanner.hidden = !sleeping;
    this.wakeButton.hidden = this.spectating;
    if (pet && sleeping) setText(this.asleepTitle, t('sleep.banner', { name: pet.name }));

    let health: string | null = null;
    let healthKind = '';
    if (pet?.sick) {
      const medicine = this.itemCount('heal') ?? 1;
      health = !this.spectating && medicine <= 0 ? t('sick.noMedicine', { name: pet.name }) : t('sick.banner', { name: pet.name });
      healthKind = 'sick';
    } else if (pet && this.recovering.has(pet.id)) {
      health = t('sick.recovering', { health: Math.round(pet.health) });
      healthKind = 'recovering';
    }
    this.healthBanner.hidden = health === null;
    this.healthBanner.dataset.kind = healthKind;
    if (health !== null) setText(this.healthText, health);

    const meter = pet && !sleeping ? pet.criticalMeter : null;
    this.hint.hidden = meter === null;
    if (!pet) return;
    if (!pet.criticalMeter) this.criticalSince.delete(pet.id);
    if (!meter) return;
    let since = this.criticalSince.get(pet.id);
    if (!since || since.meter !== meter) {
      since = { meter, mistakes: pet.careMistakes };
      this.criticalSince.set(pet.id, since);
    }
    // Game time, like the pet's age: "hungry for 45m" is a story about the pet's day.
    const gameSeconds = pet.criticalSeconds * this.timeScale;
    const repeated = pet.careMistakes > since.mistakes;
    const title = repeated
      ? t(`hint.${meter}Still`, { name: pet.name })
      : gameSeconds >= 60
        ? t(`hint.${meter}`, { name: pet.name, time: formatDuration(gameSeconds) })
        : t(`hint.${meter}Now`, { name: pet.name });
    const left = Math.max(0, CARE_MISTAKE_GRACE_S - gameSeconds);
    setText(this.hintTitle, title);
    setText(this.hintText, t(repeated ? 'hint.mistakeIn' : 'hint.firstMistakeIn', { time: formatDuration(Math.max(1, left)) }));
    this.hint.dataset.meter = meter;
  }


  private renderTabs(snapshot: HomeSnapshot, pet: PetView | null, order: readonly string[]): void {
    const pets = [...snapshot.pets].sort((a, b) => rank(order, a.id) - rank(order, b.id));
    const canAdd = !this.spectating && pets.length > 0 && pets.length < MAX_PETS_PER_PLAYER;
    // My pets (the gallery and albums) leads the row in my own home.
    const myPets = !this.spectating && pets.length > 0;
    const show = pets.length > 1 || canAdd || myPets;
    const key = `${show}|${canAdd}|${myPets}|${pet?.id ?? ''}|${pets.map((p) => `${p.id}:${p.name}:${p.sick}`).join(',')}`;
    if (key === this.tabsKey) return;
    this.tabsKey = key;
    this.tabs.hidden = !show;
    this.tabs.replaceChildren(
      ...(myPets
        ? [
            h(
              'button',
              {
                class: 'pet-tab my-pets',
                testid: 'my-pets-open',
                attrs: { type: 'button', 'aria-label': t('album.myPetsOpen'), title: t('album.myPetsOpen') },
                on: { click: () => this.handlers.openMyPets() },
              },
              [iconSvg('paw', 16), h('span', { text: t('album.myPets') })],
            ),
          ]
        : []),
      ...pets.map((p) =>
        h(
          'button',
          {
            class: `pet-tab${p.id === pet?.id ? ' active' : ''}${p.sick ? ' sick' : ''}`,
            testid: 'pet-tab',
            text: p.name,
            attrs: { type: 'button', 'aria-pressed': String(p.id === pet?.id), 'data-pet-id': p.id },
            on: { click: () => this.handlers.selectPet(p.id) },
          },
        ),
      ),
      ...(canAdd
        ? [
            h(
              'button',
              {
                class: 'pet-tab add',
                testid: 'pet-add',
                attrs: { type: 'button', 'aria-label': t('create.another'), title: t('create.another') },
                on: { click: () => this.handlers.addPet() },
              },
              [iconSvg('plus', 16)],
            ),
          ]
        : []),
    );
  }

  /** Forgets the current room (a new one is being joined). */
  clear(): void {
    this.snapshot = null;
    this.pet = null;
    this.header.hidden = true;
    this.tabs.hidden = true;
    this.spectators.hidden = true;
    this.tabsKey = '';
    this.pending.clear();
    for (const button of Object.values(this.buttons)) button.el.disabled = true;
    this.gamesButton.disabled = true;
    this.foodPicker.hide();
    this.asleepBanner.hidden = true;
    this.healthBanner.hidden = true;
    this.hint.hidden = true;
  }

  /** Marks a care action as sent: locked until the server answers (or a timeout). */
  setPending(action: CareAction): void {
    this.pending.set(action, performance.now() + PENDING_TIMEOUT_MS);
    this.tick();
  }

  clearPending(action?: CareAction): void {
    if (action) this.pending.delete(action);
    else this.pending.clear();
    this.tick();
  }

  /** Remaining real seconds of `action`'s cooldown for the pet on show, counted down locally. */
  cooldownLeft(action: CareAction): number {
    if (!this.pet || !this.snapshot) return 0;
    return secondsLeft(this.pet.cooldowns[action], this.snapshot.receivedAt);
  }

  /** Refreshes everything that counts down; call a few times a second. */
  tick(): void {
    const pet = this.pet;
    const snapshot = this.snapshot;
    if (!pet || !snapshot) return;
    const now = performance.now();
    const elapsed = Math.max(0, (now - snapshot.receivedAt) / 1000);
    setText(this.age, t('pet.age', { age: formatDuration(pet.ageSeconds + elapsed * this.timeScale) }));

    const toNext = secondsLeft(pet.nextStageInSeconds, snapshot.receivedAt, now);
    let nextText: string;
    if (pet.stage === 'adult') nextText = t('pet.fullyGrown');
    else if (toNext < 0) nextText = t('pet.notGrowing');
    else nextText = t('pet.nextStage', { stage: t(`stage.${nextStage(pet.stage)}`), time: formatDuration(Math.ceil(toNext)) });
    setText(this.next, nextText);
    this.next.parentElement?.classList.toggle('warn', pet.stage !== 'adult' && toNext < 0);

    this.tickQuietHours(pet);
    for (const action of CARE_ACTIONS) {
      const button = this.buttons[action];
      const left = secondsLeft(pet.cooldowns[action], snapshot.receivedAt, now);
      const pendingUntil = this.pending.get(action);
      if (pendingUntil !== undefined && pendingUntil < now) this.pending.delete(action);
      const pending = this.pending.has(action);
      const cooling = left > 0.05;
      const sleeping = pet.asleep && !CARE_WHILE_ASLEEP.includes(action);
      const count = this.itemCount(action);
      const empty = count === 0;
      // Offline taps could not reach the pet: lock the buttons until the room is back.
      button.el.disabled = cooling || pending || !this.online || sleeping || empty;
      button.el.classList.toggle('cooling', cooling);
      button.el.classList.toggle('pending', pending && !cooling);
      button.el.classList.toggle('asleep', sleeping && !cooling);
      button.el.classList.toggle('empty', empty && !cooling && !sleeping);
      // A sick pet's Heal button asks for attention (when there is medicine to give).
      button.el.classList.toggle('attention', action === 'heal' && pet.sick && !cooling && !empty);
      const seconds = Math.ceil(left);
      const name = t(`care.${action}`);
      let label = name;
      let aria = name;
      let hint = '';
      if (cooling) {
        label = t('care.cooldown', { seconds });
        aria = `${name} (${label})`;
      } else if (sleeping) {
        label = t('care.asleep');
        hint = t('sleep.onlyHeal', { name: pet.name });
        aria = `${name} (${hint})`;
      } else if (empty) {
        label = t('care.none');
        hint = t('care.needItem', { item: t(`item.${ITEMS_OF_KIND(action)[0] ?? 'kibble'}`) });
        if (action === 'feed') hint = t('care.needItem', { item: FOODS.map((f) => t(`item.${f}`)).join(' / ') });
        aria = `${name} (${hint})`;
      } else if (count !== null) {
        aria = `${name} (${t('bag.count', { count })})`;
      }
      setText(button.label, label);
      button.el.setAttribute('aria-label', aria);
      if (hint) button.el.title = hint;
      else button.el.removeAttribute('title');
      // The ring empties as the cooldown runs out (total from the balance table).
      const total = CARE_EFFECTS[action].cooldownS / Math.max(this.timeScale, 1e-6);
      const fraction = cooling ? Math.min(1, left / Math.max(total, left, 1)) : 0;
      button.ring.style.setProperty('--cooldown', fraction.toFixed(3));
    }
    const gamesClosed = !this.online || pet.asleep || this.gameRunning;
    this.gamesButton.disabled = gamesClosed;
    this.gamesButton.classList.toggle('asleep', pet.asleep);
    this.gamesButton.title = pet.asleep ? t('games.asleep', { name: pet.name }) : '';
  }

  private tickQuietHours(pet: PetView): void {
    if (!pet.asleep) return;
    const clock = this.quietClock;
    const end = clock ? quietHoursEnd(Date.now(), clock.timeScale, clock.utcOffsetMinutes, clock.clockOffsetSeconds, clock.utcOffsetChange) : null;
    setText(
      this.asleepWhen,
      end ? t('sleep.until', { time: end.at, left: formatDuration(Math.ceil(end.inSeconds)) }) : t('sleep.quietHours'),
    );
  }
}

function rank(order: readonly string[], id: string): number {
  const i = order.indexOf(id);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

function nextStage(stage: StageName): StageName {
  return STAGES[Math.min(STAGES.indexOf(stage) + 1, STAGES.length - 1)] ?? 'adult';
}
