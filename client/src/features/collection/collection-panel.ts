/**
 * The collection book sheet: how many coats I have, the sets with their progress and Claim
 * buttons, the all-year coats by rarity, and a section per season (running, coming, gone).
 * Owned coats show in colour; the others as a flat silhouette of their swatch with how to get
 * them. Countdowns run in the client from the server's instants, corrected by the server's
 * clock at the answer. Data comes from the coordinator; this is presentation.
 */
import type { CollectionDto, CollectionSetDto, CollectionSkinDto } from '../../../../shared/dto.js';
import type { Rarity } from '../../../../shared/balance.js';
import { iconSvg } from '../../art/icons.js';
import { itemImage, itemSilhouette } from '../../art/item-art.js';
import { formatDate, formatDuration, hasKey, t } from '../../i18n.js';
import type { CountUp } from '../../kit/count-up.js';
import { h, setText } from '../../kit/dom.js';
import { coinsPill, sheet, SheetPresence, SheetState } from '../../kit/sheet.js';
import './collection.css';

export interface CollectionPanelHandlers {
  claim(setId: string): void;
  retry(): void;
  close(): void;
}

/** A season's name from the string tables (its id when the tables lack it). */
export function seasonName(id: string): string {
  const key = `season.${id}`;
  return hasKey(key) ? t(key) : id;
}

/** A set's name: a fixed set's own, or "<season> set". */
export function setName(set: Pick<CollectionSetDto, 'id' | 'seasonId'>): string {
  if (set.seasonId) return t('collection.set.season', { season: seasonName(set.seasonId) });
  const key = `collection.set.${set.id}`;
  return hasKey(key) ? t(key) : set.id;
}

/** The flat colour of locked silhouettes in the current theme. */
function silhouetteColor(): string {
  return document.documentElement.dataset.theme === 'dark' ? '#6b6470' : '#c9bcb3';
}

export class CollectionPanel {
  readonly el: HTMLElement;
  private readonly balance: HTMLElement;
  private readonly coins: CountUp;
  private readonly summary: HTMLElement;
  private readonly summaryFill: HTMLElement;
  private readonly summaryText: HTMLElement;
  private readonly content: HTMLElement;
  private readonly state: SheetState;
  private data: CollectionDto | null = null;
  /** Device clock minus server clock at the answer: countdowns subtract it. */
  private skewMs = 0;
  private readonly busy = new Set<string>();
  private readonly countdowns: Array<{ el: HTMLElement; endsAt: number; key: 'collection.how.season_now' | 'collection.season.current' }> = [];
  private readonly presence: SheetPresence;
  private expiredListener: (() => void) | null = null;

  constructor(private readonly handlers: CollectionPanelHandlers) {
    ({ el: this.balance, coins: this.coins } = coinsPill('collection-balance', '', 24));
    this.summaryText = h('span', { class: 'collection-summary-text', testid: 'collection-summary' });
    this.summaryFill = h('span', { class: 'collection-fill' });
    this.summary = h('div', { class: 'collection-summary', attrs: { hidden: '' } }, [
      this.summaryText,
      h('span', { class: 'collection-bar', attrs: { 'aria-hidden': 'true' } }, [this.summaryFill]),
    ]);
    this.content = h('div', { class: 'collection-content' });
    this.state = new SheetState('collection-state', () => handlers.retry());
    const scroller = h('div', { class: 'sheet-scroll collection-scroll' }, [this.summary, this.state.el, this.content]);
    this.el = sheet(
      { name: 'collection', className: 'collection', title: t('collection.title'), closeLabel: t('collection.close'), onClose: () => handlers.close(), trailing: this.balance },
      [scroller],
    );
    this.presence = new SheetPresence(this.el, () => this.tick());
  }

  get open(): boolean {
    return this.presence.open;
  }

  /** Called when a season on show starts or ends (the book is stale: fetch it again). */
  onSeasonChange(listener: () => void): void {
    this.expiredListener = listener;
  }

  show(): void {
    this.presence.show();
  }

  hide(): void {
    this.presence.hide();
  }

  setCoins(coins: number): void {
    this.coins.set(coins);
    this.balance.dataset.coins = String(coins);
  }

  setLoading(): void {
    if (this.data) return;
    this.el.dataset.state = 'loading';
    this.state.loading(t('collection.loading'));
  }

  setFailed(): void {
    if (this.data) return;
    this.el.dataset.state = 'error';
    this.state.failed(t('collection.failed'));
  }

  setClaimBusy(setId: string, busy: boolean): void {
    if (busy) this.busy.add(setId);
    else this.busy.delete(setId);
    if (this.data) this.render(this.data);
  }

  setData(dto: CollectionDto): void {
    this.data = dto;
    this.skewMs = Date.now() - Date.parse(dto.serverTime);
    this.state.hide();
    this.el.dataset.state = 'ready';
    this.render(dto);
  }

  /** The server's clock now, as the device sees it. */
  private serverNow(): number {
    return Date.now() - this.skewMs;
  }

  private render(dto: CollectionDto): void {
    this.countdowns.length = 0;
    this.summary.hidden = false;
    setText(this.summaryText, t('collection.progress', { owned: dto.owned, total: dto.total }));
    this.summaryFill.style.width = `${dto.total ? Math.round((dto.owned / dto.total) * 100) : 0}%`;
    this.summary.dataset.owned = String(dto.owned);
    const skins = new Map(dto.skins.map((s) => [s.itemId, s]));

    const sets = h('section', { class: 'collection-section', testid: 'collection-sets' }, [
      h('h3', { class: 'collection-heading', text: t('collection.sets') }),
      h('ul', { class: 'collection-sets' }, dto.sets.map((set) => this.setCard(set, skins))),
    ]);

    // The all-year coats in one grid, commonest first (each tile says and shows its rarity).
    const allYear = dto.rarities.flatMap((group) => group.itemIds.map((id) => skins.get(id)).filter((s): s is CollectionSkinDto => !!s && s.seasonId === null));
    const byRarity = h('section', { class: 'collection-section', testid: 'collection-rarities' }, [
      h('h3', { class: 'collection-heading', text: t('collection.byRarity') }),
      h('ul', { class: 'collection-grid' }, allYear.map((s) => this.tile(s))),
    ]);

    // The running season first, then the coming ones, then the past, newest first.
    const order = { current: 0, upcoming: 1, past: 2 } as const;
    const seasons = [...dto.seasons].sort((a, b) => order[a.status] - order[b.status] || (a.status === 'past' ? b.endsAt.localeCompare(a.endsAt) : a.startsAt.localeCompare(b.startsAt)));
    const seasonSection = h('section', { class: 'collection-section', testid: 'collection-seasons' }, [
      h('h3', { class: 'collection-heading', text: t('collection.seasons') }),
      ...seasons
        .filter((season) => season.itemIds.length > 0)
        .map((season) => {
          const status = h('span', { class: 'collection-season-status' });
          if (season.status === 'current') this.countdowns.push({ el: status, endsAt: Date.parse(season.endsAt), key: 'collection.season.current' });
          else setText(status, season.status === 'past' ? t('collection.season.past', { date: formatDate(season.endsAt) }) : t('collection.season.upcoming', { date: formatDate(season.startsAt) }));
          return h('div', { class: `collection-season ${season.status}`, testid: `collection-season-${season.id}`, attrs: { 'data-status': season.status } }, [
            h('div', { class: 'collection-season-head' }, [
              iconSvg(season.status === 'current' ? 'sparkle' : season.status === 'upcoming' ? 'clock' : 'lock', 16),
              h('span', { class: 'collection-season-name', text: seasonName(season.id) }),
              status,
            ]),
            h(
              'ul',
              { class: 'collection-grid' },
              season.itemIds.map((id) => skins.get(id)).filter((s): s is CollectionSkinDto => !!s).map((s) => this.tile(s)),
            ),
          ]);
        }),
    ]);
    this.content.replaceChildren(sets, byRarity, seasonSection);
    this.tick();
  }

  private setCard(set: CollectionSetDto, skins: Map<string, CollectionSkinDto>): HTMLElement {
    const percent = Math.round((set.owned / set.total) * 100);
    const busy = this.busy.has(set.id);
    const state = set.claimed ? 'claimed' : set.complete ? 'ready' : 'collecting';
    const button = h(
      'button',
      {
        class: `collection-claim ${state}`,
        testid: `collection-claim-${set.id}`,
        attrs: { type: 'button', ...(state !== 'ready' || busy ? { disabled: '' } : {}), 'data-state': state },
        on: { click: () => this.handlers.claim(set.id) },
      },
      set.claimed
        ? [iconSvg('check', 14), t('collection.claimed')]
        : busy
          ? [t('collection.claiming')]
          : [itemImage('coin', 16), state === 'ready' ? t('collection.claim', { coins: set.rewardCoins }) : String(set.rewardCoins)],
    );
    if (state !== 'ready') button.setAttribute('aria-label', set.claimed ? t('collection.claimed') : t('collection.reward', { coins: set.rewardCoins }));
    const color = silhouetteColor();
    return h('li', { class: `collection-set ${state}`, testid: `collection-set-${set.id}`, attrs: { 'data-owned': String(set.owned), 'data-total': String(set.total), 'data-state': state } }, [
      h('div', { class: 'collection-set-top' }, [
        h('div', { class: 'collection-set-art' }, set.itemIds.map((id) => (skins.get(id)?.owned ? itemImage(id, 30) : itemSilhouette(id, 30, color)))),
        h('div', { class: 'collection-set-info' }, [
          h('span', { class: 'collection-set-name', text: setName(set) }),
          h('div', { class: 'collection-set-progress' }, [
            h('span', { class: 'collection-bar', attrs: { 'aria-hidden': 'true' } }, [h('span', { class: 'collection-fill', attrs: { style: `width: ${percent}%` } })]),
            h('span', { class: 'collection-set-count', text: `${set.owned}/${set.total}` }),
          ]),
        ]),
        button,
      ]),
    ]);
  }

  private tile(skin: CollectionSkinDto): HTMLElement {
    const how = h('span', { class: 'collection-how', testid: `collection-how-${skin.itemId}` });
    if (skin.owned) setText(how, t('collection.owned'));
    else {
      const source = skin.source;
      switch (source.kind) {
        case 'shop':
          setText(how, t('collection.how.shop'));
          break;
        case 'stars':
          setText(how, t('collection.how.stars', { stars: source.stars }));
          break;
        case 'season_now':
          this.countdowns.push({ el: how, endsAt: Date.parse(source.endsAt), key: 'collection.how.season_now' });
          break;
        case 'season_upcoming':
          setText(how, t('collection.how.season_upcoming', { date: formatDate(source.startsAt) }));
          break;
        case 'season_past':
          setText(how, t('collection.how.season_past'));
          break;
        case 'unavailable':
          setText(how, t('collection.how.unavailable'));
          break;
      }
    }
    const rarity: Rarity = skin.rarity;
    return h(
      'li',
      {
        class: `collection-tile${skin.owned ? ' owned' : ' locked'}`,
        testid: `collection-skin-${skin.itemId}`,
        attrs: { 'data-owned': String(skin.owned), 'data-rarity': rarity, 'data-source': skin.source.kind },
      },
      [
        h('div', { class: 'collection-tile-art' }, [
          skin.owned ? itemImage(skin.itemId, 56) : itemSilhouette(skin.itemId, 56, silhouetteColor()),
          skin.owned ? null : h('span', { class: 'collection-lock' }, [iconSvg('lock', 12)]),
        ]),
        h('span', { class: 'collection-tile-name', text: t(`item.${skin.itemId}`) }),
        h('span', { class: 'collection-rarity', text: t(`rarity.${rarity}`) }),
        how,
      ],
    );
  }

  /** Counts the running season down; at its end the book asks for itself again. */
  private tick(): void {
    const now = this.serverNow();
    let ended = false;
    for (const c of this.countdowns) {
      const left = (c.endsAt - now) / 1000;
      if (left <= 0) ended = true;
      setText(c.el, t(c.key, { time: formatDuration(Math.max(1, Math.ceil(left))) }));
    }
    if (ended && this.open) {
      this.countdowns.length = 0;
      this.expiredListener?.();
    }
  }
}
