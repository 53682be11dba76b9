/**
 * The DOM around the home stage: connection state and spectators on top, the pet's name,
 * stage, age and growth timer, pet tabs, the spectating banner, and the care buttons with
 * cooldowns. Meter values are mirrored in a visually hidden list for tests and screen
 * readers (the bars themselves are drawn by Phaser).
 */
import {
  CARE_ACTIONS,
  CARE_EFFECTS,
  MAX_PETS_PER_PLAYER,
  STAGES,
  type CareAction,
  type Meter,
  type StageName,
} from '../../../shared/balance.js';
import { iconSvg } from '../art/icons.js';
import { formatDuration, t } from '../i18n.js';
import type { ConnState } from '../net/home-connection.js';
import { secondsLeft, type HomeSnapshot, type PetSnapshot } from '../net/home-snapshot.js';
import { h, setText } from './dom.js';

export interface HomeHudHandlers {
  care(action: CareAction): void;
  selectPet(petId: string): void;
  addPet(): void;
  openFriends(): void;
  back(): void;
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
}

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
  private pet: PetSnapshot | null = null;
  private spectating = false;
  private online = false;
  private tabsKey = '';

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
    ]);

    this.tabs = h('nav', { class: 'pet-tabs', attrs: { 'aria-label': t('home.petTabs'), hidden: '' } });

    this.name = h('h1', { class: 'pet-name', testid: 'pet-name' });
    this.stage = h('span', { class: 'stage-chip', testid: 'pet-stage' });
    this.age = h('span', { class: 'pet-age', testid: 'pet-age' });
    this.next = h('span', { class: 'pet-next', testid: 'pet-next' });
    this.header = h('section', { class: 'pet-header' }, [
      h('div', { class: 'pet-title' }, [this.name, this.stage]),
      h('div', { class: 'pet-sub' }, [
        h('span', { class: 'pet-sub-item' }, [iconSvg('clock', 14), this.age]),
        h('span', { class: 'pet-sub-item' }, [iconSvg('sprout', 14), this.next]),
      ]),
    ]);

    this.top = h('div', { class: 'home-top' }, [
      h('header', { class: 'topbar' }, [h('div', { class: 'topbar-left' }, [this.conn, this.spectators]), this.friendsButton]),
      this.banner,
      this.tabs,
      this.header,
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
    this.careBar = h(
      'div',
      { class: 'care-bar', testid: 'care-bar' },
      CARE_ACTIONS.map((action) => this.buttons[action].el),
    );
    this.readOnlyNote = h('p', { class: 'readonly-note', text: t('spectate.readOnly'), testid: 'readonly-note' });
    this.bottom = h('div', { class: 'home-bottom' }, [mirrorList, this.careBar]);
  }

  private careButton(action: CareAction): CareButton {
    const label = h('span', { class: 'care-label', text: t(`care.${action}`) });
    const ring = h('span', { class: 'care-ring', attrs: { 'aria-hidden': 'true' } });
    const el = h(
      'button',
      {
        class: `care-button care-${action}`,
        testid: `care-${action}`,
        attrs: { type: 'button', 'data-action': action, 'aria-label': t(`care.${action}`) },
        on: { click: () => this.handlers.care(action) },
      },
      [h('span', { class: 'care-icon' }, [ring, iconSvg(action, 26)]), label],
    );
    return { el, label, ring };
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
  render(snapshot: HomeSnapshot, pet: PetSnapshot | null, order: readonly string[]): void {
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
    }
    this.tick();
  }

  private renderTabs(snapshot: HomeSnapshot, pet: PetSnapshot | null, order: readonly string[]): void {
    const pets = [...snapshot.pets].sort((a, b) => rank(order, a.id) - rank(order, b.id));
    const canAdd = !this.spectating && pets.length > 0 && pets.length < MAX_PETS_PER_PLAYER;
    const show = pets.length > 1 || canAdd;
    const key = `${show}|${canAdd}|${pet?.id ?? ''}|${pets.map((p) => `${p.id}:${p.name}:${p.sick}`).join(',')}`;
    if (key === this.tabsKey) return;
    this.tabsKey = key;
    this.tabs.hidden = !show;
    this.tabs.replaceChildren(
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

    for (const action of CARE_ACTIONS) {
      const button = this.buttons[action];
      const left = secondsLeft(pet.cooldowns[action], snapshot.receivedAt, now);
      const pendingUntil = this.pending.get(action);
      if (pendingUntil !== undefined && pendingUntil < now) this.pending.delete(action);
      const pending = this.pending.has(action);
      const cooling = left > 0.05;
      // Offline taps could not reach the pet: lock the buttons until the room is back.
      button.el.disabled = cooling || pending || !this.online;
      button.el.classList.toggle('cooling', cooling);
      button.el.classList.toggle('pending', pending && !cooling);
      const seconds = Math.ceil(left);
      setText(button.label, cooling ? t('care.cooldown', { seconds }) : t(`care.${action}`));
      button.el.setAttribute(
        'aria-label',
        cooling ? `${t(`care.${action}`)} (${t('care.cooldown', { seconds })})` : t(`care.${action}`),
      );
      // The ring empties as the cooldown runs out (total from the balance table).
      const total = CARE_EFFECTS[action].cooldownS / Math.max(this.timeScale, 1e-6);
      const fraction = cooling ? Math.min(1, left / Math.max(total, left, 1)) : 0;
      button.ring.style.setProperty('--cooldown', fraction.toFixed(3));
    }
  }
}

function rank(order: readonly string[], id: string): number {
  const i = order.indexOf(id);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

function nextStage(stage: StageName): StageName {
  return STAGES[Math.min(STAGES.indexOf(stage) + 1, STAGES.length - 1)] ?? 'adult';
}
