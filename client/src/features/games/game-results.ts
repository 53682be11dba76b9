/**
 * The results card after a round: score against the best possible, coins earned, the meter
 * points the pet got, a made-up care mistake, and whether a cap cut the reward; Done goes
 * back home.
 */
import type { GameOverMessage } from '../../../../shared/protocol.js';
import { itemImage } from '../../art/item-art.js';
import { iconSvg } from '../../art/icons.js';
import { t } from '../../i18n.js';
import { h } from '../../kit/dom.js';
import './games.css';

export class GameResults {
  readonly el: HTMLElement;
  private readonly card: HTMLElement;
  private readonly done: HTMLButtonElement;

  constructor(onDone: () => void) {
    this.card = h('div', { class: 'results-card card', testid: 'game-results', attrs: { role: 'dialog', 'aria-modal': 'true' } });
    this.done = h('button', {
      class: 'primary-button',
      testid: 'game-done',
      text: t('results.done'),
      attrs: { type: 'button' },
      on: { click: () => onDone() },
    });
    this.el = h('div', { class: 'results', attrs: { hidden: '' } }, [this.card]);
  }

  get open(): boolean {
    return !this.el.hidden;
  }

  /** `hadMistakes`: the pet had unforgiven care mistakes when the round began. */
  show(message: GameOverMessage, petName: string, hadMistakes: boolean): void {
    const r = message.rewards;
    const rows: HTMLElement[] = [];
    if (r.coins > 0) rows.push(h('li', { class: 'reward reward-coins', testid: 'result-coins' }, [itemImage('coin', 28), t('results.coins', { coins: r.coins })]));
    if (Math.round(r.meterPoints) > 0) {
      rows.push(
        h('li', { class: `reward reward-meter meter-${r.meter}`, testid: 'result-meter' }, [
          h('span', { class: 'reward-dot' }),
          `${t('results.meter', { points: Math.round(r.meterPoints), meter: t(`meter.${r.meter}`) })} · ${petName}`,
        ]),
      );
    }
    if (r.careBonus > 0) rows.push(h('li', { class: 'reward reward-bonus', testid: 'result-bonus' }, [iconSvg('shield', 22), t(hadMistakes ? 'results.bonus' : 'results.bonusBanked')]));
    if (rows.length === 0) rows.push(h('li', { class: 'reward reward-none', text: t('results.nothing') }));
    const capped = r.capped
      ? [h('p', { class: 'results-capped', testid: 'result-capped', text: t(r.dailyCapReached ? 'results.cappedDaily' : 'results.capped') })]
      : [];
    this.card.replaceChildren(
      h('p', { class: 'results-kicker', text: t(`game.${message.kind}`) }),
      h('h2', { class: 'results-title', text: message.reason === 'time' ? t('results.time') : t('results.over') }),
      h('div', { class: 'results-score' }, [
        h('span', { class: 'results-score-value', testid: 'result-score', text: String(message.score) }),
        h('span', { class: 'results-score-of', text: t('results.score', { score: message.score, max: Math.max(message.maxScore, message.score) }) }),
      ]),
      h('ul', { class: 'stack-list rewards' }, rows),
      ...capped,
      this.done,
    );
    this.el.hidden = false;
    requestAnimationFrame(() => this.done.focus({ preventScroll: true }));
  }

  hide(): void {
    this.el.hidden = true;
  }
}
