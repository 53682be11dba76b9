/**
 * The Leaders sheet: a tab per board, the everyone/friends switch and this week/all time, the
 * top 100 with ranks (medals for the first three), and my own rank pinned at the bottom
 * whether or not I am in the list. Data comes from the coordinator; this is presentation.
 */
import type { LeaderboardDto, LeaderboardEntryDto, LeaderboardListDto } from '../../../../shared/dto.js';
import type { LeaderboardId, LeaderboardPeriod, LeaderboardScope } from '../../../../shared/leaderboards.js';
import { iconSvg } from '../../art/icons.js';
import { formatDuration, plural, t } from '../../i18n.js';
import { h, setText } from '../../kit/dom.js';
import { sheet, SheetPresence, SheetState } from '../../kit/sheet.js';
import './leaders.css';

export interface LeadersSelection {
  board: LeaderboardId;
  period: LeaderboardPeriod;
  scope: LeaderboardScope;
}

export interface LeadersPanelHandlers {
  select(selection: LeadersSelection): void;
  retry(): void;
  close(): void;
}

type Board = LeaderboardListDto['boards'][number];

/** A score in the board's unit ("12 days", "340 pts", "7"). */
function scoreText(unit: Board['unit'], score: number): string {
  if (unit === 'days') return plural('days', score);
  if (unit === 'points') return t('leaders.points', { n: score });
  return String(score);
}

export class LeadersPanel {
  readonly el: HTMLElement;
  private readonly tabs: HTMLElement;
  private readonly scopeSwitch: HTMLElement;
  private readonly periodSwitch: HTMLElement;
  private readonly about: HTMLElement;
  private readonly meta: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly empty: HTMLElement;
  private readonly mine: HTMLElement;
  private readonly state: SheetState;
  private boards: Board[] = [];
  private weekEndsAt = 0;
  private selection: LeadersSelection = { board: 'streak', period: 'weekly', scope: 'global' };
  private data: LeaderboardDto | null = null;
  private readonly presence: SheetPresence;

  constructor(private readonly handlers: LeadersPanelHandlers) {
    this.tabs = h('div', { class: 'leaders-tabs', testid: 'leaders-tabs', attrs: { role: 'tablist', 'aria-label': t('leaders.boards') } });
    this.scopeSwitch = h('div', { class: 'segmented', testid: 'leaders-scope', attrs: { role: 'group' } });
    this.periodSwitch = h('div', { class: 'segmented', testid: 'leaders-period', attrs: { role: 'group' } });
    this.about = h('p', { class: 'leaders-about', testid: 'leaders-about' });
    this.meta = h('p', { class: 'leaders-meta', testid: 'leaders-meta' });
    this.list = h('ol', { class: 'leaders-list', testid: 'leaders-list' });
    this.empty = h('p', { class: 'leaders-empty', testid: 'leaders-empty', attrs: { hidden: '' } });
    this.mine = h('div', { class: 'leaders-me', testid: 'leaders-me', attrs: { role: 'status', hidden: '' } });
    this.state = new SheetState('leaders-state', () => handlers.retry());

    const controls = h('div', { class: 'leaders-controls' }, [this.scopeSwitch, this.periodSwitch]);
    const scroller = h('div', { class: 'sheet-scroll leaders-scroll' }, [this.about, this.meta, this.state.el, this.list, this.empty]);
    this.el = sheet(
      { name: 'leaders', className: 'leaders', title: t('leaders.title'), closeLabel: t('leaders.close'), onClose: () => handlers.close(), trailing: h('span', { class: 'leaders-trailing' }) },
      [this.tabs, controls, scroller, this.mine],
    );
    this.presence = new SheetPresence(this.el, () => this.renderMeta());
  }

  get open(): boolean {
    return this.presence.open;
  }

  get current(): LeadersSelection {
    return this.selection;
  }

  show(): void {
    this.presence.show();
  }

  hide(): void {
    this.presence.hide();
  }

  setBoards(list: LeaderboardListDto): void {
    this.boards = list.boards;
    this.weekEndsAt = Date.parse(list.weekEndsAt);
    this.renderControls();
  }

  /** Picks a board, period and scope (a period the board lacks falls back to all time). */
  select(selection: LeadersSelection): LeadersSelection {
    const board = this.boards.find((b) => b.id === selection.board);
    const period = board && !board.periods.includes(selection.period) ? 'all' : selection.period;
    this.selection = { ...selection, period };
    this.renderControls();
    return this.selection;
  }

  setLoading(): void {
    this.el.dataset.state = 'loading';
    if (!this.data) this.state.loading(t('leaders.loading'));
    this.list.setAttribute('aria-busy', 'true');
  }

  setFailed(): void {
    this.el.dataset.state = 'error';
    this.data = null;
    this.list.replaceChildren();
    this.empty.hidden = true;
    this.mine.hidden = true;
    this.state.failed(t('leaders.failed'));
  }

  setData(dto: LeaderboardDto): void {
    this.data = dto;
    this.state.hide();
    this.list.removeAttribute('aria-busy');
    this.el.dataset.state = 'ready';
    this.el.dataset.board = dto.board;
    this.list.replaceChildren(...dto.entries.map((e) => this.row(e, dto.unit)));
    this.empty.hidden = dto.entries.length > 0;
    setText(this.empty, dto.scope === 'friends' ? t('leaders.emptyFriends') : t('leaders.empty'));
    this.renderMine(dto);
    this.renderMeta();
  }

  private row(e: LeaderboardEntryDto, unit: Board['unit']): HTMLLIElement {
    const medal = e.rank <= 3 ? ` medal-${e.rank}` : '';
    const name = e.isMe ? `${e.displayName} · ${t('leaders.you')}` : e.displayName;
    return h(
      'li',
      { class: `leaders-row${e.isMe ? ' me' : ''}${medal}`, testid: 'leaders-row', attrs: { 'data-rank': String(e.rank) } },
      [
        h('span', { class: 'leaders-rank', text: String(e.rank) }),
        h('span', { class: 'leaders-who' }, [
          h('span', { class: 'leaders-name', text: name }),
          h('span', { class: 'leaders-sub', text: [e.petName, e.username ? `@${e.username}` : null].filter(Boolean).join(' · ') }),
        ]),
        h('span', { class: 'leaders-score', text: scoreText(unit, e.score) }),
      ],
    );
  }

  private renderMine(dto: LeaderboardDto): void {
    this.mine.hidden = false;
    if (!dto.me) {
      this.mine.dataset.rank = '';
      this.mine.replaceChildren(h('span', { class: 'leaders-me-none', text: t('leaders.notRanked') }));
      return;
    }
    this.mine.dataset.rank = String(dto.me.rank);
    this.mine.replaceChildren(
      h('span', { class: 'leaders-rank', text: String(dto.me.rank) }),
      h('span', { class: 'leaders-who' }, [
        h('span', { class: 'leaders-name', text: t('leaders.yourRank') }),
        h('span', { class: 'leaders-sub', text: t('leaders.players', { n: dto.total }) }),
      ]),
      h('span', { class: 'leaders-score', text: scoreText(dto.unit, dto.me.score) }),
    );
  }

  private renderMeta(): void {
    const weekly = this.selection.period === 'weekly';
    const left = (this.weekEndsAt - Date.now()) / 1000;
    setText(this.meta, weekly && Number.isFinite(left) && left > 0 ? t('leaders.weekEnds', { time: formatDuration(left) }) : '');
    this.meta.hidden = !weekly;
  }

  private renderControls(): void {
    const { board, period, scope } = this.selection;
    this.tabs.replaceChildren(
      ...this.boards.map((b) =>
        h(
          'button',
          {
            class: `leaders-tab${b.id === board ? ' active' : ''}`,
            testid: `leaders-tab-${b.id}`,
            attrs: { type: 'button', role: 'tab', 'aria-selected': String(b.id === board) },
            on: { click: () => this.handlers.select({ ...this.selection, board: b.id }) },
          },
          [iconSvg(b.id === 'streak' ? 'flame' : b.id === 'pet_age' ? 'paw' : b.id === 'achievements' ? 'trophy' : 'games', 16), h('span', { text: t(`leaders.board.${b.id}`) })],
        ),
      ),
    );
    this.tabs.querySelector('.active')?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    const segment = (key: string, label: string, active: boolean, disabled: boolean, pick: () => void) =>
      h('button', {
        class: `segment${active ? ' active' : ''}`,
        testid: `leaders-${key}`,
        text: label,
        attrs: { type: 'button', 'aria-pressed': String(active), ...(disabled ? { disabled: '' } : {}) },
        on: { click: pick },
      });
    this.scopeSwitch.replaceChildren(
      segment('global', t('leaders.scope.global'), scope === 'global', false, () => this.handlers.select({ ...this.selection, scope: 'global' })),
      segment('friends', t('leaders.scope.friends'), scope === 'friends', false, () => this.handlers.select({ ...this.selection, scope: 'friends' })),
    );
    const weeklyOk = this.boards.find((b) => b.id === board)?.periods.includes('weekly') ?? true;
    this.periodSwitch.replaceChildren(
      segment('weekly', t('leaders.period.weekly'), period === 'weekly', !weeklyOk, () => this.handlers.select({ ...this.selection, period: 'weekly' })),
      segment('all', t('leaders.period.all'), period === 'all', false, () => this.handlers.select({ ...this.selection, period: 'all' })),
    );
    setText(this.about, t(`leaders.about.${board}`));
    this.renderMeta();
  }
}
