/**
 * The progress sheet: the daily streak (flame, best, whether today counted, tomorrow's
 * reward, streak freezes) and the weekly streak (days this week as dots), with the rules one
 * tap away; the daily and weekly quests (progress bars, rewards, countdowns that tick, Claim);
 * and the achievements as a gallery of medals with a detail card. A view only: the progress
 * controller fetches, claims and feeds it. Cards are keyed and updated in place, so a refresh
 * never swaps a button out from under a finger.
 */
import type { ProgressDto, QuestDto } from '../../../../shared/dto.js';
import { dailyStreakReward, STREAK_FREEZE_EVERY_DAYS, weeklyStreakReward } from '../../../../shared/progression.js';
import { iconSvg } from '../../art/icons.js';
import { itemImage } from '../../art/item-art.js';
import { achievementLook, flameSvg, medalSvg, questLook } from './progress-art.js';
import { formatDate, formatDuration, plural, t } from '../../i18n.js';
import { achievementDescription, achievementName, questText } from './progress-text.js';
import type { CountUp } from '../../kit/count-up.js';
import { h, setText } from '../../kit/dom.js';
import { coinsPill, sheet, SheetPresence, SheetState } from '../../kit/sheet.js';
import './progress.css';

export interface ProgressHandlers {
  claim(quest: QuestDto): void;
  retry(): void;
  close(): void;
}

type AchievementDto = ProgressDto['achievements'][number];

interface QuestCard {
  dto: QuestDto;
  el: HTMLElement;
  title: HTMLElement;
  fill: HTMLElement;
  count: HTMLElement;
  time: HTMLElement;
  timeText: HTMLElement;
  claim: HTMLButtonElement;
  done: HTMLElement;
  busy: boolean;
}

interface AchievementTile {
  dto: AchievementDto;
  el: HTMLButtonElement;
  medal: HTMLElement;
  fill: HTMLElement;
  bar: HTMLElement;
  note: HTMLElement;
}

const percent = (value: number, target: number): string => `${Math.round(Math.min(1, value / Math.max(1, target)) * 100)}%`;

/** Seconds left until `iso` (real time), at least 0. */
function secondsUntil(iso: string, nowMs: number): number {
  const at = Date.parse(iso);
  return Number.isFinite(at) ? Math.max(0, (at - nowMs) / 1000) : 0;
}

function coinChip(coins: number, className = 'reward-chip'): HTMLElement {
  return h('span', { class: className }, [itemImage('coin', 15), h('span', { text: `+${coins}` })]);
}

export class ProgressPanel {
  readonly el: HTMLElement;
  private readonly coinsPill: HTMLElement;
  private readonly coins: CountUp;
  private readonly scroller: HTMLElement;
  private readonly state: SheetState;
  private readonly content: HTMLElement;

  // The daily streak card.
  private readonly daily: HTMLElement;
  private readonly flame: HTMLElement;
  private readonly streakNumber: HTMLElement;
  private readonly streakLabel: HTMLElement;
  private readonly best: HTMLElement;
  private readonly freezes: HTMLElement;
  private readonly status: HTMLElement;
  private readonly statusIcon: HTMLElement;
  private readonly statusText: HTMLElement;
  private readonly nextReward: HTMLElement;
  private readonly nextRewardText: HTMLElement;
  private readonly freezeCycle: HTMLElement;
  private readonly freezeCycleText: HTMLElement;
  private readonly freezePips: HTMLElement;
  // The weekly streak.
  private readonly weekly: HTMLElement;
  private readonly weeklyValue: HTMLElement;
  private readonly weekDots: HTMLElement;
  private readonly weekText: HTMLElement;
  private readonly weekEnds: HTMLElement;
  private readonly rules: HTMLDetailsElement;

  private readonly dailyNewIn: HTMLElement;
  private readonly lists: Record<QuestDto['period'], HTMLElement>;
  private readonly achievementsCount: HTMLElement;
  private readonly grid: HTMLElement;

  // The achievement detail card.
  private readonly detail: HTMLElement;
  private readonly detailMedal: HTMLElement;
  private readonly detailName: HTMLElement;
  private readonly detailDesc: HTMLElement;
  private readonly detailStatus: HTMLElement;
  private readonly detailRewards: HTMLElement;
  private detailId: string | null = null;

  private quests = new Map<string, QuestCard>();
  private questsKey = '';
  private tiles = new Map<string, AchievementTile>();
  private tilesKey = '';
  private data: ProgressDto | null = null;
  private lit: boolean | null = null;
  private readonly presence: SheetPresence;
  private expiredListener: (() => void) | null = null;
  /** Period ends that already asked for fresh data (once each: clocks can disagree). */
  private readonly expired = new Set<string>();

  constructor(private readonly handlers: ProgressHandlers) {
    ({ el: this.coinsPill, coins: this.coins } = coinsPill('progress-coins', 'progress-coins', 24));

    this.state = new SheetState('progress-state', () => handlers.retry());

    // ---- daily streak
    this.flame = h('div', { class: 'streak-flame' });
    this.streakNumber = h('strong', { class: 'streak-number', text: '0' });
    this.streakLabel = h('span', { class: 'streak-label' });
    this.best = h('span', { class: 'streak-chip best' });
    this.freezes = h('span', { class: 'streak-chip freezes' });
    this.statusIcon = h('span', { class: 'streak-status-icon' });
    this.statusText = h('span', { class: 'streak-status-text' });
    this.nextRewardText = h('span');
    this.nextReward = h('span', { class: 'reward-chip big' }, [itemImage('coin', 16), this.nextRewardText]);
    this.status = h('div', { class: 'streak-status' }, [this.statusIcon, this.statusText, this.nextReward]);
    this.freezePips = h('div', { class: 'freeze-pips', attrs: { 'aria-hidden': 'true' } });
    this.freezeCycleText = h('span');
    this.freezeCycle = h('div', { class: 'freeze-cycle' }, [this.freezePips, h('span', { class: 'freeze-cycle-text' }, [iconSvg('snowflake', 14), this.freezeCycleText])]);
    this.daily = h(
      'section',
      { class: 'streak-card', testid: 'streak-daily', attrs: { 'aria-label': t('streak.daily'), 'data-current': '0', 'data-counted': 'false' } },
      [
        h('div', { class: 'streak-main' }, [
          this.flame,
          h('div', { class: 'streak-count' }, [
            h('span', { class: 'streak-kicker', text: t('streak.daily') }),
            h('div', { class: 'streak-value' }, [this.streakNumber, this.streakLabel]),
            h('div', { class: 'streak-side' }, [this.best, this.freezes]),
          ]),
        ]),
        this.status,
        this.freezeCycle,
      ],
    );

    // ---- weekly streak
    this.weeklyValue = h('span', { class: 'week-value' });
    this.weekDots = h('div', { class: 'week-dots', attrs: { 'aria-hidden': 'true' } });
    this.weekText = h('span', { class: 'week-text' });
    this.weekEnds = h('span', { class: 'week-ends' });
    this.weekly = h(
      'section',
      { class: 'week-card', testid: 'streak-weekly', attrs: { 'aria-label': t('streak.weekly'), 'data-days': '0' } },
      [
        h('div', { class: 'week-head' }, [
          h('span', { class: 'week-icon' }, [iconSvg('crown', 18)]),
          h('div', { class: 'week-title' }, [h('strong', { text: t('streak.weekly') }), this.weeklyValue]),
          this.weekDots,
        ]),
        h('div', { class: 'week-foot' }, [this.weekText, this.weekEnds]),
      ],
    );

    this.rules = h('details', { class: 'streak-rules', testid: 'streak-rules' }, [
      h('summary', {}, [iconSvg('info', 15), h('span', { text: t('streak.rules') })]),
      h('p', {
        text: t('streak.rule.daily', { first: dailyStreakReward(1), second: dailyStreakReward(2), max: dailyStreakReward(10_000) }),
      }),
      h('p', { text: t('streak.rule.freeze', { every: STREAK_FREEZE_EVERY_DAYS }) }),
      h('p', { class: 'rule-weekly' }),
    ]);

    // ---- quests
    this.dailyNewIn = h('span', { class: 'section-note' }, []);
    this.lists = {
      daily: h('ul', { class: 'stack-list quest-list', testid: 'quests-daily' }),
      weekly: h('ul', { class: 'stack-list quest-list', testid: 'quests-weekly' }),
    };
    const questSection = (period: QuestDto['period']): HTMLElement =>
      h('section', { class: 'progress-section' }, [
        h('header', { class: 'section-head' }, [
          h('h3', { text: t(period === 'daily' ? 'quests.daily' : 'quests.weekly') }),
          period === 'daily' ? this.dailyNewIn : null,
        ]),
        this.lists[period],
      ]);

    // ---- achievements
    this.achievementsCount = h('span', { class: 'section-note' });
    this.grid = h('div', { class: 'achievement-grid', testid: 'achievements' });

    this.content = h('div', { class: 'progress-content', attrs: { hidden: '' } }, [
      this.daily,
      this.weekly,
      this.rules,
      questSection('daily'),
      questSection('weekly'),
      h('section', { class: 'progress-section' }, [
        h('header', { class: 'section-head' }, [h('h3', { text: t('achievements.title') }), this.achievementsCount]),
        this.grid,
      ]),
    ]);
    this.scroller = h('div', { class: 'sheet-scroll progress-scroll' }, [this.state.el, this.content]);

    // ---- achievement detail
    this.detailMedal = h('div', { class: 'detail-medal' });
    this.detailName = h('h3', { class: 'detail-name', attrs: { id: 'achievement-detail-title' } });
    this.detailDesc = h('p', { class: 'detail-desc' });
    this.detailStatus = h('div', { class: 'detail-status' });
    this.detailRewards = h('div', { class: 'detail-rewards' });
    this.detail = h('div', { class: 'detail-layer', attrs: { hidden: '' } }, [
      h('div', { class: 'modal-scrim', on: { click: () => this.closeDetail() } }),
      h(
        'div',
        { class: 'detail-card', testid: 'achievement-detail', attrs: { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'achievement-detail-title' } },
        [
          h(
            'button',
            {
              class: 'icon-button detail-close',
              testid: 'achievement-detail-close',
              attrs: { type: 'button', 'aria-label': t('app.close'), title: t('app.close') },
              on: { click: () => this.closeDetail() },
            },
            [iconSvg('close', 18)],
          ),
          this.detailMedal,
          this.detailName,
          this.detailDesc,
          this.detailStatus,
          h('div', { class: 'detail-reward-block' }, [h('span', { class: 'detail-reward-label', text: t('achievement.reward') }), this.detailRewards]),
        ],
      ),
    ]);

    this.el = sheet(
      { name: 'progress', className: 'progress', title: t('progress.title'), closeLabel: t('progress.close'), onClose: () => handlers.close(), trailing: this.coinsPill },
      [this.scroller, this.detail],
    );
    this.setLoading();
    this.presence = new SheetPresence(this.el, () => this.tick());
  }

  get open(): boolean {
    return this.presence.open;
  }

  get detailOpen(): boolean {
    return !this.detail.hidden;
  }

  /** Called when a day or week on show has ended (its quests are stale: fetch again). */
  /** Adds a section below the achievements (the notification switches). */
  appendSection(section: HTMLElement): void {
    this.content.append(section);
  }

  onExpired(listener: () => void): void {
    this.expiredListener = listener;
  }

  show(): void {
    this.scroller.scrollTop = 0;
    this.presence.show();
    this.tick();
  }

  hide(): void {
    if (this.presence.open) this.closeDetail();
    this.presence.hide();
  }

  setLoading(): void {
    if (this.data) return;
    this.el.dataset.state = 'loading';
    this.state.loading(t('progress.loading'));
  }

  setFailed(): void {
    if (this.data) return;
    this.el.dataset.state = 'error';
    this.state.failed(t('progress.failed'));
  }

  /** My coins in the header (live from the room, or a claim's answer). */
  setCoins(coins: number): void {
    this.coins.set(coins);
    this.coinsPill.dataset.coins = String(coins);
  }

  setData(dto: ProgressDto): void {
    this.data = dto;
    this.state.hide();
    this.content.hidden = false;
    this.el.dataset.state = 'ready';
    this.renderDaily(dto);
    this.renderWeekly(dto);
    this.renderQuests(dto.quests);
    this.renderAchievements(dto.achievements);
    if (this.detailId) this.renderDetail(this.detailId);
    this.tick();
  }

  /** A claim is out for `questId`: its button waits. */
  setClaimBusy(questId: string, busy: boolean): void {
    const card = this.quests.get(questId);
    if (!card) return;
    card.busy = busy;
    this.renderQuest(card);
  }

  /** Counts down to the ends of the day, the week and each quest; asks for fresh data after. */
  tick(): void {
    const dto = this.data;
    if (!dto) return;
    const now = Date.now();
    setText(this.dailyNewIn, t('quests.newIn', { time: formatDuration(Math.max(1, Math.ceil(secondsUntil(dto.dayEndsAt, now)))) }));
    setText(this.weekEnds, t('streak.weekEnds', { time: formatDuration(Math.max(1, Math.ceil(secondsUntil(dto.weekEndsAt, now)))) }));
    for (const card of this.quests.values()) this.renderQuestTime(card, now);
    let expired = false;
    for (const end of [dto.dayEndsAt, dto.weekEndsAt, ...dto.quests.map((q) => q.endsAt)]) {
      if (secondsUntil(end, now) > 0 || this.expired.has(end)) continue;
      this.expired.add(end);
      expired = true;
    }
    if (expired && this.open) this.expiredListener?.();
  }

  // ---- streaks ---------------------------------------------------------------------------

  private renderDaily(dto: ProgressDto): void {
    const daily = dto.streak.daily;
    this.daily.dataset.current = String(daily.current);
    this.daily.dataset.counted = String(daily.countedToday);
    this.daily.dataset.best = String(daily.best);
    this.daily.dataset.freezes = String(daily.freezes);
    this.daily.classList.toggle('counted', daily.countedToday);
    if (this.lit !== daily.countedToday) {
      this.lit = daily.countedToday;
      this.flame.replaceChildren(flameSvg(68, daily.countedToday));
    }
    setText(this.streakNumber, String(daily.current));
    setText(this.streakLabel, plural('streakDays', daily.current));
    this.best.replaceChildren(iconSvg('trophy', 14), t('streak.best', { n: daily.best }));
    this.freezes.replaceChildren(iconSvg('snowflake', 14), plural('freezes', daily.freezes));
    this.freezes.classList.toggle('none', daily.freezes === 0);
    this.freezes.title = t('shop.about.streak_freeze');

    this.statusIcon.replaceChildren(iconSvg(daily.countedToday ? 'check' : 'flame', 15));
    setText(this.statusText, daily.countedToday ? t('streak.counted') : daily.current > 0 ? t('streak.keep') : t('streak.start'));
    setText(this.nextRewardText, t(daily.countedToday ? 'streak.rewardTomorrow' : 'streak.rewardToday', { coins: daily.nextRewardCoins }));
    this.nextReward.setAttribute('aria-label', `${t(daily.countedToday ? 'streak.rewardTomorrow' : 'streak.rewardToday', { coins: plural('coins', daily.nextRewardCoins) })}`);

    // The cycle towards the next streak freeze: the counted days of the current cycle lit.
    const every = STREAK_FREEZE_EVERY_DAYS;
    const inCycle = daily.current % every;
    // A cycle just completed stays full until tomorrow; before today's care a new one starts.
    const litPips = daily.countedToday && daily.current > 0 && inCycle === 0 ? every : inCycle;
    this.freezePips.replaceChildren(
      ...Array.from({ length: every }, (_, i) =>
        h('span', { class: `pip${i < litPips ? ' on' : ''}${i === every - 1 ? ' freeze' : ''}` }, i === every - 1 ? [iconSvg('snowflake', 10)] : []),
      ),
    );
    // Days until the counted day that brings a freeze (today's care is the next one if not yet counted).
    const daysLeft = daily.countedToday ? every - inCycle : every - inCycle - 1;
    setText(this.freezeCycleText, daysLeft <= 0 ? t('streak.freezeToday') : t('streak.freezeIn', { days: plural('days', daysLeft) }));
  }

  private renderWeekly(dto: ProgressDto): void {
    const weekly = dto.streak.weekly;
    this.weekly.dataset.days = String(weekly.daysThisWeek);
    this.weekly.dataset.needed = String(weekly.daysNeeded);
    this.weekly.dataset.current = String(weekly.current);
    const done = weekly.daysThisWeek >= weekly.daysNeeded;
    this.weekly.classList.toggle('done', done);
    setText(this.weeklyValue, `${weekly.current} ${plural('streakWeeks', weekly.current)}`);
    this.weekDots.replaceChildren(
      ...Array.from({ length: Math.max(weekly.daysNeeded, Math.min(7, weekly.daysThisWeek)) }, (_, i) =>
        h('span', { class: `week-dot${i < weekly.daysThisWeek ? ' on' : ''}${i >= weekly.daysNeeded ? ' extra' : ''}` }),
      ),
    );
    this.weekDots.setAttribute('title', t('streak.weekDays', { days: weekly.daysThisWeek, needed: weekly.daysNeeded }));
    setText(this.weekText, done ? t('streak.weekDone') : t('streak.weekDays', { days: weekly.daysThisWeek, needed: weekly.daysNeeded }));
    const rule = this.rules.querySelector('.rule-weekly');
    if (rule) setText(rule, t('streak.rule.weekly', { days: weekly.daysNeeded, first: weeklyStreakReward(1), second: weeklyStreakReward(2) }));
  }

  // ---- quests ----------------------------------------------------------------------------

  private renderQuests(quests: readonly QuestDto[]): void {
    const key = quests.map((q) => q.id).join(',');
    if (key !== this.questsKey) {
      this.questsKey = key;
      const busy = new Set([...this.quests.values()].filter((c) => c.busy).map((c) => c.dto.id));
      this.quests = new Map();
      const lists: Record<QuestDto['period'], HTMLElement[]> = { daily: [], weekly: [] };
      // Ready to claim first, then in progress, then claimed.
      const order = (q: QuestDto): number => (q.completed && !q.claimed ? 0 : q.claimed ? 2 : 1);
      for (const quest of [...quests].sort((a, b) => order(a) - order(b))) {
        const card = this.questCard(quest);
        card.busy = busy.has(quest.id);
        this.quests.set(quest.id, card);
        lists[quest.period].push(card.el);
      }
      for (const period of ['daily', 'weekly'] as const) {
        this.lists[period].replaceChildren(
          ...(lists[period].length > 0 ? lists[period] : [h('li', { class: 'quest-empty', text: t('quests.none') })]),
        );
      }
    }
    for (const quest of quests) {
      const card = this.quests.get(quest.id);
      if (!card) continue;
      card.dto = quest;
      this.renderQuest(card);
    }
  }

  private questCard(dto: QuestDto): QuestCard {
    const look = questLook(dto.templateId);
    const title = h('span', { class: 'quest-title' });
    const fill = h('span', { class: 'quest-fill' });
    const count = h('span', { class: 'quest-count' });
    const timeText = h('span');
    const time = h('span', { class: 'quest-time' }, [iconSvg('clock', 12), timeText]);
    const claim = h(
      'button',
      {
        class: 'quest-claim',
        testid: `quest-claim-${dto.templateId}`,
        attrs: { type: 'button' },
        on: { click: () => this.handlers.claim(card.dto) },
      },
      [h('span', { class: 'quest-claim-label', text: t('quest.claim') }), coinChip(dto.rewardCoins, 'quest-claim-coins')],
    );
    const done = h('span', { class: 'quest-done', testid: `quest-claimed-${dto.templateId}` }, [iconSvg('check', 14), t('quest.claimed')]);
    const el = h(
      'li',
      { class: 'quest-card', testid: `quest-${dto.templateId}`, attrs: { 'data-period': dto.period, 'data-quest': dto.id, style: `--tint: ${look.color}` } },
      [
        h('span', { class: 'quest-icon' }, [iconSvg(look.icon, 22)]),
        h('div', { class: 'quest-body' }, [
          title,
          h('div', { class: 'quest-progress' }, [h('span', { class: 'quest-bar', attrs: { 'aria-hidden': 'true' } }, [fill]), count]),
          h('div', { class: 'quest-meta' }, [coinChip(dto.rewardCoins), time]),
        ]),
        h('div', { class: 'quest-action' }, [claim, done]),
      ],
    );
    const card: QuestCard = { dto, el, title, fill, count, time, timeText, claim, done, busy: false };
    return card;
  }

  private renderQuest(card: QuestCard): void {
    const q = card.dto;
    const ready = q.completed && !q.claimed;
    card.el.dataset.progress = String(q.progress);
    card.el.dataset.target = String(q.target);
    card.el.dataset.completed = String(q.completed);
    card.el.dataset.claimed = String(q.claimed);
    card.el.classList.toggle('ready', ready);
    card.el.classList.toggle('claimed', q.claimed);
    const text = questText(q.templateId, q.target);
    setText(card.title, text);
    card.fill.style.width = percent(q.progress, q.target);
    setText(card.count, `${Math.min(q.progress, q.target)}/${q.target}`);
    card.claim.hidden = !ready;
    card.claim.disabled = card.busy;
    card.claim.classList.toggle('busy', card.busy);
    card.claim.setAttribute('aria-label', `${t('quest.claim')}: ${text}, +${plural('coins', q.rewardCoins)}`);
    card.done.hidden = !q.claimed;
    card.el.setAttribute('aria-label', `${text}: ${Math.min(q.progress, q.target)}/${q.target}`);
    this.renderQuestTime(card, Date.now());
  }

  private renderQuestTime(card: QuestCard, nowMs: number): void {
    const q = card.dto;
    card.time.hidden = q.claimed;
    const left = secondsUntil(q.endsAt, nowMs);
    setText(card.timeText, !q.current || left <= 0 ? t('quest.ended') : t('quest.endsIn', { time: formatDuration(Math.max(1, Math.ceil(left))) }));
  }

  // ---- achievements ----------------------------------------------------------------------

  private renderAchievements(achievements: readonly AchievementDto[]): void {
    const key = achievements.map((a) => a.id).join(',');
    if (key !== this.tilesKey) {
      this.tilesKey = key;
      this.tiles = new Map(achievements.map((a) => [a.id, this.achievementTile(a)]));
      this.grid.replaceChildren(...[...this.tiles.values()].map((tile) => tile.el));
    }
    for (const a of achievements) {
      const tile = this.tiles.get(a.id);
      if (!tile) continue;
      tile.dto = a;
      this.renderTile(tile);
    }
    setText(this.achievementsCount, t('achievements.count', { unlocked: achievements.filter((a) => a.unlocked).length, total: achievements.length }));
  }

  private achievementTile(dto: AchievementDto): AchievementTile {
    const look = achievementLook(dto.id);
    const medal = h('span', { class: 'medal' }, [medalSvg(look.icon, look.color, 58), h('span', { class: 'medal-lock' }, [iconSvg('lock', 12)])]);
    const fill = h('span', { class: 'mini-fill' });
    const bar = h('span', { class: 'mini-bar', attrs: { 'aria-hidden': 'true' } }, [fill]);
    const note = h('span', { class: 'achievement-note' });
    const el = h(
      'button',
      {
        class: 'achievement-tile',
        testid: `achievement-${dto.id}`,
        attrs: { type: 'button', style: `--tint: ${look.color}` },
        on: { click: () => this.openDetail(tile.dto.id) },
      },
      [medal, h('span', { class: 'achievement-name', text: achievementName(dto.id) }), bar, note],
    );
    const tile: AchievementTile = { dto, el, medal, fill, bar, note };
    return tile;
  }

  private renderTile(tile: AchievementTile): void {
    const a = tile.dto;
    tile.el.dataset.unlocked = String(a.unlocked);
    tile.el.classList.toggle('unlocked', a.unlocked);
    tile.medal.classList.toggle('locked', !a.unlocked);
    tile.bar.hidden = a.unlocked;
    tile.fill.style.width = percent(a.current, a.target);
    setText(tile.note, a.unlocked ? (a.unlockedAt ? formatDate(a.unlockedAt) : '') : `${a.current}/${a.target}`);
    tile.el.setAttribute(
      'aria-label',
      `${achievementName(a.id)}: ${a.unlocked ? t('achievement.unlockedOn', { date: a.unlockedAt ? formatDate(a.unlockedAt) : '' }) : `${t('achievement.locked')}, ${a.current}/${a.target}`}`,
    );
  }

  private openDetail(id: string): void {
    this.detailId = id;
    this.renderDetail(id);
    this.detail.hidden = false;
    requestAnimationFrame(() => this.detail.classList.add('open'));
  }

  /** Closes the achievement card; true when it was open (Escape and Back close it first). */
  closeDetail(): boolean {
    if (this.detail.hidden) return false;
    this.detailId = null;
    this.detail.classList.remove('open');
    this.detail.hidden = true;
    return true;
  }

  private renderDetail(id: string): void {
    const a = this.tiles.get(id)?.dto;
    if (!a) return;
    const look = achievementLook(id);
    const card = this.detail.querySelector('.detail-card');
    card?.classList.toggle('unlocked', a.unlocked);
    card?.setAttribute('data-unlocked', String(a.unlocked));
    card?.setAttribute('style', `--tint: ${look.color}`);
    this.detailMedal.replaceChildren(
      h('span', { class: `medal big${a.unlocked ? '' : ' locked'}` }, [medalSvg(look.icon, look.color, 104), h('span', { class: 'medal-lock' }, [iconSvg('lock', 16)])]),
    );
    setText(this.detailName, achievementName(id));
    setText(this.detailDesc, achievementDescription(id));
    if (a.unlocked) {
      this.detailStatus.replaceChildren(
        h('span', { class: 'detail-unlocked' }, [iconSvg('check', 14), t('achievement.unlockedOn', { date: a.unlockedAt ? formatDate(a.unlockedAt) : '' })]),
      );
    } else {
      this.detailStatus.replaceChildren(
        h('span', { class: 'detail-locked' }, [iconSvg('lock', 13), t('achievement.locked')]),
        h('div', { class: 'detail-progress' }, [
          h('span', { class: 'quest-bar' }, [h('span', { class: 'quest-fill', attrs: { style: `width: ${percent(a.current, a.target)}` } })]),
          h('span', { class: 'quest-count', text: `${a.current}/${a.target}` }),
        ]),
      );
    }
    this.detailRewards.replaceChildren(
      h('span', { class: 'reward-chip big' }, [itemImage('coin', 18), h('span', { text: `+${plural('coins', a.rewardCoins)}` })]),
      ...a.rewardItems.map((i) =>
        h('span', { class: 'reward-chip big' }, [itemImage(i.itemId, 20), h('span', { text: `+${i.quantity} ${t(`item.${i.itemId}`)}` })]),
      ),
    );
  }
}
