/**
 * The games menu: the three minigames, the meter each one helps and how long a round lasts,
 * each with a Play button. Closed games (the pet sleeps, a round runs) say why.
 */
import { MINIGAME_KINDS, MINIGAMES, type MinigameKind } from '../../../../shared/minigames.js';
import { itemImage, type ArtName } from '../../art/item-art.js';
import { t } from '../../i18n.js';
import { h, setText } from '../../kit/dom.js';
import { Modal } from '../../kit/modal.js';
import './games.css';

const ART: Record<MinigameKind, ArtName> = { treats: 'fish', bubbles: 'bubble', ball: 'ball' };

export class GamesSheet {
  private readonly modal = new Modal('games', 'games-close');
  private readonly subtitle: HTMLElement;
  private readonly note: HTMLElement;
  private readonly buttons: Record<MinigameKind, HTMLButtonElement>;

  constructor(start: (kind: MinigameKind) => void) {
    this.subtitle = h('p', { class: 'panel-subtitle' });
    this.note = h('p', { class: 'games-note', testid: 'games-note', attrs: { hidden: '' } });
    this.buttons = {} as Record<MinigameKind, HTMLButtonElement>;
    const cards = MINIGAME_KINDS.map((kind) => {
      const def = MINIGAMES[kind];
      const button = h('button', {
        class: 'primary-button compact',
        testid: `game-start-${kind}`,
        text: t('games.play'),
        attrs: { type: 'button', 'aria-label': `${t('games.play')}: ${t(`game.${kind}`)}` },
        on: { click: () => start(kind) },
      });
      this.buttons[kind] = button;
      return h('li', { class: `game-card game-${kind}` }, [
        h('div', { class: 'game-card-art' }, [itemImage(ART[kind], 46)]),
        h('div', { class: 'game-card-text' }, [
          h('span', { class: 'game-card-title', text: t(`game.${kind}`) }),
          h('span', { class: 'game-card-how', text: t(`game.${kind}.how`) }),
          h('span', { class: 'game-card-meta' }, [
            h('span', { class: `meter-chip meter-${def.meter}`, text: t('games.helps', { meter: t(`meter.${def.meter}`) }) }),
            h('span', { class: 'game-card-time', text: t('time.s', { n: def.durationS }) }),
          ]),
        ]),
        button,
      ]);
    });
    this.modal.body.append(this.subtitle, this.note, h('ul', { class: 'stack-list game-list' }, cards));
  }

  get el(): HTMLElement {
    return this.modal.el;
  }

  get open(): boolean {
    return this.modal.open;
  }

  onClose(listener: () => void): void {
    this.modal.onClose(listener);
  }

  /** Opens the menu for `petName`; `closedReason` (e.g. asleep) disables every game. */
  show(petName: string, closedReason: string | null): void {
    setText(this.subtitle, t('games.subtitle', { name: petName }));
    this.setClosed(closedReason);
    this.modal.show(t('games.title'));
  }

  setClosed(reason: string | null): void {
    this.note.hidden = reason === null;
    setText(this.note, reason ?? '');
    for (const button of Object.values(this.buttons)) button.disabled = reason !== null;
  }

  close(): void {
    this.modal.close();
  }
}
