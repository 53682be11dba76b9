/**
 * The DOM around a running minigame: the game's name, score, combo (ball), the countdown to
 * the round's end on the server clock, and Quit for the player or a "Watching" label for
 * spectators; below the field, one line on how to play.
 */
import type { MinigameKind } from '../../../../shared/minigames.js';
import type { HomeRole } from '../../../../shared/protocol.js';
import { iconSvg } from '../../art/icons.js';
import { t } from '../../i18n.js';
import { h, setText } from '../../kit/dom.js';
import './games.css';

export class GameHud {
  readonly top: HTMLElement;
  readonly bottom: HTMLElement;
  private readonly title: HTMLElement;
  private readonly quit: HTMLButtonElement;
  private readonly watching: HTMLElement;
  private readonly score: HTMLElement;
  private readonly combo: HTMLElement;
  private readonly timer: HTMLElement;
  private readonly timerBox: HTMLElement;
  private readonly how: HTMLElement;
  private shownScore = -1;

  constructor(onQuit: () => void) {
    this.quit = h('button', {
      class: 'pill-button game-quit',
      testid: 'game-quit',
      text: t('game.quit'),
      attrs: { type: 'button' },
      on: { click: () => onQuit() },
    });
    this.watching = h('span', { class: 'game-watching', testid: 'game-watching' }, [iconSvg('eye', 16), t('game.watching')]);
    this.title = h('span', { class: 'game-title' });
    this.score = h('span', { class: 'game-score-value', testid: 'game-score', text: '0' });
    this.combo = h('span', { class: 'game-combo', testid: 'game-combo', attrs: { hidden: '' } });
    this.timer = h('span', { class: 'game-timer-value', testid: 'game-timer', text: '0:00' });
    this.timerBox = h('div', { class: 'game-timer' }, [iconSvg('clock', 16), this.timer]);
    this.top = h('div', { class: 'game-top', attrs: { hidden: '' } }, [
      h('div', { class: 'game-top-row' }, [
        h('div', { class: 'game-top-left' }, [this.quit, this.watching]),
        this.timerBox,
      ]),
      h('div', { class: 'game-score-row' }, [
        h('div', { class: 'game-score', attrs: { 'aria-live': 'off' } }, [
          h('span', { class: 'game-score-label', text: t('game.score') }),
          this.score,
        ]),
        this.title,
        this.combo,
      ]),
    ]);
    this.how = h('p', { class: 'game-how' });
    this.bottom = h('div', { class: 'game-bottom', attrs: { hidden: '' } }, [this.how]);
  }

  show(kind: MinigameKind, role: HomeRole): void {
    this.top.hidden = false;
    this.bottom.hidden = false;
    setText(this.title, t(`game.${kind}`));
    setText(this.how, t(`game.${kind}.how`));
    this.quit.hidden = role !== 'owner';
    this.watching.hidden = role === 'owner';
    this.shownScore = -1;
    this.top.dataset.kind = kind;
  }

  hide(): void {
    this.top.hidden = true;
    this.bottom.hidden = true;
  }

  setScore(score: number, combo: number, kind: MinigameKind): void {
    if (score !== this.shownScore) {
      const up = score > this.shownScore && this.shownScore >= 0;
      this.shownScore = score;
      setText(this.score, String(score));
      if (up) {
        this.score.classList.remove('bump');
        void this.score.offsetWidth;
        this.score.classList.add('bump');
      }
    }
    const showCombo = kind === 'ball' && combo > 1;
    this.combo.hidden = !showCombo;
    if (showCombo) setText(this.combo, t('game.combo', { combo }));
  }

  /** Seconds left in the round (server clock). */
  setTimeLeft(seconds: number): void {
    const whole = Math.max(0, Math.ceil(seconds));
    setText(this.timer, `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`);
    this.timerBox.classList.toggle('urgent', whole <= 5 && seconds > 0);
  }

  /** The round is over (waiting for the results). */
  setEnded(): void {
    this.quit.hidden = true;
    this.setTimeLeft(0);
  }
}
