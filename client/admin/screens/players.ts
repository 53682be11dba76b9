/**
 * Players (GET /admin/players, GET /admin/players/:id): a search by Telegram id, username,
 * invite code or pet name with pages of results, and a player's page (`#/players/<id>`): the
 * profile and its ban, pets with their meters and current picture, inventory, wallet and
 * ledger, Stars orders and payments (refund), friends, notifications and anti-fraud flags.
 * Actions (ban/unban, grant/take coins, refund: admins; rename a pet, leaderboards: moderators
 * too) ask for a reason, then the page reloads and a toast says what happened.
 */
import type { AdminPlayerPageDto, AdminPlayerRowDto } from '../../../shared/dto.js';
import { translate, type I18nKey } from '../../../shared/i18n.js';
import { AdminApiError } from '../api.js';
import { language, t, type MessageKey } from '../i18n.js';
import { screenHref, type ScreenContext } from '../screens.js';
import { badge, confirmDialog, dataTable, field, formatCoins, formatDateTime, formatDuration, formatNumber, formatStars, h, replace, shortId, toast, type Tone } from '../ui/index.js';
import { formDialog } from '../ui/form-dialog.js';
import { describeError } from '../ui/status.js';

const PAGE_SIZE = 20;
const METERS = ['hunger', 'mood', 'cleanliness', 'health'] as const;

/** The last search, so coming back from a player's page shows it again. */
let last: { q: string; cursors: Array<string | null>; page: number } | null = null;

export function render(root: HTMLElement, ctx: ScreenContext): void | (() => void) {
  const id = ctx.params[0];
  if (id) return renderPlayer(root, ctx, id);
  renderSearch(root, ctx);
}

// ---- search --------------------------------------------------------------------------------

function displayName(p: { firstName: string; lastName: string | null }): string {
  return p.lastName ? `${p.firstName} ${p.lastName}` : p.firstName;
}

function renderSearch(root: HTMLElement, ctx: ScreenContext): void {
  const q = field({ label: t('pl.search'), name: 'q', type: 'search', hint: t('pl.search.hint'), value: last?.q ?? '', autocomplete: 'off', attrs: { 'data-testid': 'players-q', maxlength: 64 } });
  const form = h('form', { class: 'toolbar filters', role: 'search', 'aria-label': t('pl.search') }, q.root, h('div', { class: 'toolbar-buttons' }, h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'players-search' }, t('pl.search.submit'))));
  const results = h('div', { 'data-testid': 'players-results', 'data-state': 'idle' }, h('p', { class: 'empty-state' }, t('pl.search.prompt')));
  const prev = h('button', { type: 'button', class: 'button', 'data-testid': 'players-prev' }, t('pl.prev'));
  const next = h('button', { type: 'button', class: 'button', 'data-testid': 'players-next' }, t('pl.next'));
  const pageLabel = h('span', { class: 'muted', 'aria-live': 'polite' });
  const pager = h('nav', { class: 'pager', 'aria-label': t('pl.results'), hidden: true }, prev, pageLabel, next);
  root.append(form, results, pager);

  let state = last ?? { q: '', cursors: [null], page: 0 };

  const load = async () => {
    results.dataset.state = 'loading';
    prev.disabled = next.disabled = true;
    try {
      const res = await ctx.api.searchPlayers(state.q, state.cursors[state.page] ?? null, PAGE_SIZE);
      state.cursors[state.page + 1] = res.nextCursor;
      state.cursors.length = state.page + 2;
      last = state;
      replace(results, resultsTable(res.items, state.q));
      results.dataset.state = 'ready';
      pager.hidden = state.page === 0 && res.nextCursor === null;
      prev.disabled = state.page === 0;
      next.disabled = res.nextCursor === null;
      pageLabel.textContent = t('pl.page', { n: state.page + 1 });
      ctx.status.ok();
    } catch (err) {
      results.dataset.state = 'error';
      replace(results, h('p', { class: 'notice notice-danger', role: 'alert' }, describeError(err)));
      pager.hidden = true;
    }
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = q.input.value.trim();
    if (!text) {
      q.input.focus();
      return;
    }
    state = { q: text, cursors: [null], page: 0 };
    void load();
  });
  prev.addEventListener('click', () => {
    state.page = Math.max(0, state.page - 1);
    void load();
  });
  next.addEventListener('click', () => {
    state.page += 1;
    void load();
  });
  if (state.q) void load();
  q.input.focus();
}

function resultsTable(items: AdminPlayerRowDto[], q: string): HTMLElement {
  return dataTable({
    caption: t('pl.results'),
    captionHidden: true,
    testid: 'players-table',
    empty: t('pl.empty', { q }),
    rows: items,
    rowKey: (r) => r.playerId,
    columns: [
      { key: 'name', label: t('pl.col.name'), render: (r) => h('a', { href: screenHref('players', r.playerId), 'data-testid': `player-link-${r.playerId}` }, displayName(r)) },
      { key: 'username', label: t('pl.col.username'), render: (r) => (r.username ? `@${r.username}` : '—') },
      { key: 'telegram', label: t('pl.col.telegram'), wide: true, render: (r) => h('span', { class: 'mono' }, String(r.telegramId)) },
      { key: 'invite', label: t('pl.col.invite'), wide: true, render: (r) => h('span', { class: 'mono' }, r.inviteCode) },
      { key: 'pets', label: t('pl.col.pets'), render: (r) => (r.petCount === 0 ? '—' : `${r.firstPetName ?? ''}${r.petCount > 1 ? ` +${r.petCount - 1}` : ''}`) },
      { key: 'match', label: t('pl.col.match'), wide: true, render: (r) => badge(t(`pl.match.${r.matchedBy}` as MessageKey), 'neutral') },
      { key: 'state', label: t('pl.col.state'), render: (r) => (r.banned ? badge(t('pl.banned'), 'danger') : badge(t('pl.active'), 'ok')) },
      { key: 'created', label: t('pl.col.created'), wide: true, render: (r) => h('time', { datetime: r.createdAt }, formatDateTime(r.createdAt)) },
    ],
  });
}

// ---- a player's page -----------------------------------------------------------------------

type Page = AdminPlayerPageDto;

function errorCode(err: unknown): string | null {
  return err instanceof AdminApiError ? err.code : null;
}

function panel(title: string, testid: string, ...children: Array<Node | null>): HTMLElement {
  return h('section', { class: 'panel', 'data-testid': testid, 'aria-label': title }, h('div', { class: 'panel-head' }, h('h2', {}, title)), ...children);
}

function kv(rows: Array<[string, Node | string]>): HTMLElement {
  const dl = h('dl', { class: 'kv' });
  for (const [k, v] of rows) dl.append(h('dt', {}, k), h('dd', {}, v));
  return dl;
}

function meterBar(petId: string, meter: (typeof METERS)[number], value: number): HTMLElement {
  const v = Math.max(0, Math.min(100, value));
  const tone = v < 25 ? 'danger' : v < 50 ? 'warn' : 'ok';
  const labelId = `m-${petId}-${meter}`;
  return h(
    'div',
    { class: 'meter', 'data-testid': `meter-${meter}` },
    h('span', { class: 'meter-label', id: labelId }, t(`meter.${meter}` as MessageKey)),
    h('div', { class: 'meter-track', role: 'meter', 'aria-labelledby': labelId, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(v) }, h('div', { class: `meter-fill meter-${tone}`, style: `width:${v}%` })),
    h('span', { class: 'meter-value num' }, formatNumber(value, 0)),
  );
}

function flagTone(severity: string): Tone {
  return severity === 'high' ? 'danger' : severity === 'medium' ? 'warn' : 'neutral';
}

/** A fresh key per submission attempt of one amount (a retry of the same amount reuses it). */
function idempotencyKey(): string {
  return `panel-${crypto.randomUUID()}`;
}

function renderPlayer(root: HTMLElement, ctx: ScreenContext, playerId: string): () => void {
  const back = h('a', { href: screenHref('players'), class: 'back-link', 'data-testid': 'players-back' }, t('pl.back'));
  const content = h('div', { 'data-testid': 'player', 'data-state': 'loading' }, h('p', { class: 'muted' }, t('app.loading')));
  root.append(back, content);
  let left = false;

  const load = async (focus?: string) => {
    try {
      const page = await ctx.api.player(playerId);
      if (left) return;
      draw(page);
      content.dataset.state = 'ready';
      ctx.status.ok();
      if (focus) content.querySelector<HTMLElement>(`[data-testid="${focus}"]`)?.focus();
    } catch (err) {
      if (left) return;
      content.dataset.state = 'error';
      if (errorCode(err) === 'PLAYER_NOT_FOUND' || (err instanceof AdminApiError && err.status === 400)) replace(content, h('p', { class: 'notice' }, t('pl.notFound')));
      else {
        ctx.status.failed(err);
        if (!content.querySelector('.panel')) replace(content, h('p', { class: 'notice notice-danger', role: 'alert' }, describeError(err)));
      }
    }
  };

  /** Runs an action; on success a toast and a fresh page, on failure a toast with why. */
  const act = async (run: () => Promise<string | null>, focus?: string) => {
    try {
      const message = await run();
      if (message === null) return;
      toast(message, 'ok');
      await load(focus);
    } catch (err) {
      toast(t('pl.failed', { error: describeError(err) }), 'danger');
    }
  };

  function draw(page: Page): void {
    const p = page.player;
    const name = displayName(p);
    ctx.setTitle(p.username ? `${name} (@${p.username})` : name);

    const actions = h('div', { class: 'actions', 'data-testid': 'player-actions' });
    if (ctx.can('admin')) {
      const ban = h('button', { type: 'button', class: `button ${p.banned ? '' : 'button-danger'}`, 'data-testid': p.banned ? 'player-unban' : 'player-ban' }, p.banned ? t('pl.unban') : t('pl.ban'));
      ban.addEventListener('click', () =>
        void act(async () => {
          const reason = await confirmDialog({
            title: t(p.banned ? 'pl.unban.title' : 'pl.ban.title', { name }),
            message: t(p.banned ? 'pl.unban.message' : 'pl.ban.message'),
            confirmLabel: p.banned ? t('pl.unban') : t('pl.ban'),
            requireReason: true,
            danger: !p.banned,
          });
          if (reason === null) return null;
          await ctx.api.banPlayer(playerId, !p.banned, reason);
          return t(p.banned ? 'pl.unban.done' : 'pl.ban.done', { name });
        }, p.banned ? 'player-ban' : 'player-unban'),
      );
      const grant = h('button', { type: 'button', class: 'button', 'data-testid': 'player-grant' }, t('pl.grant'));
      const take = h('button', { type: 'button', class: 'button', 'data-testid': 'player-take' }, t('pl.take'));
      grant.addEventListener('click', () => void coinsDialog(page, 1));
      take.addEventListener('click', () => void coinsDialog(page, -1));
      actions.append(ban, grant, take);
    }
    const excluded = p.leaderboardExcludedAt !== null;
    const lb = h('button', { type: 'button', class: 'button', 'data-testid': excluded ? 'player-include' : 'player-exclude' }, excluded ? t('pl.include') : t('pl.exclude'));
    lb.addEventListener('click', () =>
      void act(async () => {
        const reason = await confirmDialog({
          title: t(excluded ? 'pl.include.title' : 'pl.exclude.title', { name }),
          message: t(excluded ? 'pl.include.message' : 'pl.exclude.message'),
          confirmLabel: excluded ? t('pl.include') : t('pl.exclude'),
          requireReason: true,
        });
        if (reason === null) return null;
        await ctx.api.setLeaderboardExcluded(playerId, !excluded, reason);
        return t(excluded ? 'pl.include.done' : 'pl.exclude.done', { name });
      }, excluded ? 'player-exclude' : 'player-include'),
    );
    actions.append(lb);

    const state = h(
      'div',
      { class: 'panel-aside' },
      p.banned ? badge(t('pl.banned'), 'danger', { 'data-testid': 'player-state' }) : badge(t('pl.active'), 'ok', { 'data-testid': 'player-state' }),
      excluded ? badge(t('pl.excluded'), 'warn') : null,
      page.flags.some((f) => f.status === 'open') ? badge(`${t('pl.flags')}: ${page.flags.filter((f) => f.status === 'open').length}`, 'warn') : null,
    );
    const profile = h(
      'section',
      { class: 'panel', 'data-testid': 'player-profile', 'aria-label': t('pl.profile') },
      h('div', { class: 'panel-head' }, h('h2', {}, t('pl.profile')), state),
      h(
        'div',
        { class: 'profile-grid' },
        kv([
          [t('pl.telegram'), h('span', { class: 'mono' }, String(p.telegramId))],
          [t('pl.username'), p.username ? `@${p.username}` : '—'],
          [t('pl.invite'), h('span', { class: 'mono' }, p.inviteCode)],
          [t('pl.language'), p.languageCode || '—'],
          [t('pl.utcOffset'), `${p.utcOffsetMinutes >= 0 ? '+' : '−'}${Math.floor(Math.abs(p.utcOffsetMinutes) / 60)}:${String(Math.abs(p.utcOffsetMinutes) % 60).padStart(2, '0')}`],
          [t('pl.created'), formatDateTime(p.createdAt)],
        ]),
        kv([
          [t('pl.banState'), p.banned ? h('span', { 'data-testid': 'player-ban-reason' }, t('pl.bannedSince', { at: p.bannedAt ? formatDateTime(p.bannedAt) : '—', reason: p.banReason ?? '—' })) : t('pl.active')],
          [t('pl.leaderboards'), excluded ? t('pl.lb.hidden', { at: formatDateTime(p.leaderboardExcludedAt as string) }) : t('pl.lb.shown')],
          [t('pl.wallet.coins'), h('strong', { class: 'num', 'data-testid': 'player-coins' }, formatCoins(page.inventory.coins))],
          [t('pl.wallet.debt'), h('span', { class: 'num' }, formatCoins(page.inventory.debt))],
        ]),
      ),
      h('h3', { class: 'subhead' }, t('pl.actions')),
      actions,
    );

    const pets = panel(
      t('pl.pets'),
      'player-pets',
      page.pets.length === 0
        ? h('p', { class: 'muted' }, t('pl.pets.none'))
        : h(
            'div',
            { class: 'pet-cards' },
            ...page.pets.map((pet) => {
              const rename = h('button', { type: 'button', class: 'button', 'data-testid': `pet-rename-${pet.id}` }, t('pl.rename'));
              rename.addEventListener('click', () => void renameDialog(pet.id, pet.name));
              const picture = pet.picture.url
                ? h('img', { class: 'pet-picture', src: pet.picture.url, alt: t('pl.pet.picture', { name: pet.name }), width: 112, height: 112, loading: 'lazy', 'data-testid': `pet-picture-${pet.id}` })
                : h('div', { class: 'pet-picture pet-picture-none' }, t('pl.pet.noPicture', { status: pet.picture.status }));
              return h(
                'article',
                { class: 'pet-card', 'data-testid': `pet-${pet.id}`, 'aria-label': pet.name },
                picture,
                h(
                  'div',
                  { class: 'pet-info' },
                  h('h3', { class: 'pet-name', 'data-testid': `pet-name-${pet.id}` }, pet.name),
                  h(
                    'p',
                    { class: 'pet-tags' },
                    badge(pet.stage, 'info'),
                    pet.sick ? badge(t('pl.pet.sick'), 'danger') : badge(t('pl.pet.healthy'), 'ok'),
                    pet.asleep ? badge(t('pl.pet.asleep'), 'neutral') : null,
                  ),
                  kv([
                    [t('pl.pet.species'), pet.species],
                    [t('pl.pet.age'), formatDuration(pet.ageSeconds)],
                    [t('pl.pet.skin'), pet.skin],
                  ]),
                  h('div', { class: 'meters meters-compact' }, ...METERS.map((m) => meterBar(pet.id, m, pet.meters[m]))),
                  h('div', { class: 'actions' }, rename),
                ),
              );
            }),
          ),
    );

    const inventory = panel(
      t('pl.inventory'),
      'player-inventory',
      dataTable({
        caption: t('pl.inventory'),
        captionHidden: true,
        rows: page.inventory.items,
        empty: t('pl.inventory.empty'),
        columns: [
          { key: 'item', label: t('pl.col.item'), render: (i) => h('span', { title: i.itemId }, translate(language(), `item.${i.itemId}` as I18nKey)) },
          { key: 'kind', label: t('pl.col.kind'), render: (i) => i.kind },
          { key: 'qty', label: t('pl.col.quantity'), numeric: true, render: (i) => formatNumber(i.quantity) },
        ],
      }),
    );

    const ledger = panel(
      t('pl.ledger'),
      'player-ledger',
      dataTable({
        caption: t('pl.ledger'),
        captionHidden: true,
        testid: 'ledger-table',
        rows: page.ledger,
        empty: t('pl.ledger.empty'),
        rowKey: (e) => e.transactionId,
        columns: [
          { key: 'at', label: t('pl.col.at'), render: (e) => h('time', { datetime: e.at }, formatDateTime(e.at)) },
          { key: 'reason', label: t('pl.col.reason'), render: (e) => h('span', { class: 'mono', title: JSON.stringify(e.meta) }, e.reason) },
          { key: 'amount', label: t('pl.col.amount'), numeric: true, render: (e) => h('span', { class: e.amount < 0 ? 'amount-neg' : 'amount-pos', 'data-testid': 'ledger-amount' }, `${e.amount > 0 ? '+' : e.amount < 0 ? '−' : ''}${formatNumber(Math.abs(e.amount))}`) },
          { key: 'balance', label: t('pl.col.balance'), numeric: true, render: (e) => h('span', { 'data-testid': 'ledger-balance', 'data-value': e.balanceAfter }, formatNumber(e.balanceAfter)) },
        ],
      }),
    );

    const payments = dataTable({
      caption: t('pl.payments'),
      testid: 'payments-table',
      rows: page.starsPayments,
      empty: t('pl.payments.empty'),
      rowKey: (r) => r.chargeId,
      columns: [
        { key: 'at', label: t('pl.col.at'), render: (r) => formatDateTime(r.createdAt) },
        { key: 'stars', label: t('pl.col.stars'), numeric: true, render: (r) => formatStars(r.stars) },
        { key: 'charge', label: t('pl.col.charge'), wide: true, render: (r) => h('span', { class: 'mono', title: r.chargeId }, shortId(r.chargeId, 14)) },
        {
          key: 'refund',
          label: t('pl.col.refunded'),
          render: (r) => {
            if (r.refundedAt) return badge(formatDateTime(r.refundedAt), 'warn');
            if (!ctx.can('admin')) return '—';
            const button = h('button', { type: 'button', class: 'button button-danger button-small', 'data-testid': `refund-${r.chargeId}` }, t('pl.refund'));
            button.addEventListener('click', () =>
              void act(async () => {
                const ok = await confirmDialog({ title: t('pl.refund.title', { stars: formatStars(r.stars) }), message: t('pl.refund.message'), confirmLabel: t('pl.refund'), danger: true });
                if (ok === null) return null;
                await ctx.api.refundPayment(r.chargeId);
                return t('pl.refund.done');
              }),
            );
            return button;
          },
        },
      ],
    });
    const orders = dataTable({
      caption: t('pl.orders'),
      testid: 'orders-table',
      rows: page.starsOrders,
      empty: t('pl.orders.empty'),
      columns: [
        { key: 'at', label: t('pl.col.at'), render: (o) => formatDateTime(o.createdAt) },
        { key: 'product', label: t('pl.col.product'), render: (o) => h('span', { class: 'mono' }, o.productId) },
        { key: 'stars', label: t('pl.col.stars'), numeric: true, render: (o) => formatStars(o.stars) },
        { key: 'status', label: t('pl.col.status'), render: (o) => badge(t(`pl.order.${o.status}` as MessageKey), o.status === 'paid' ? 'ok' : o.status === 'refunded' ? 'warn' : 'neutral') },
      ],
    });
    const stars = panel(t('pl.stars'), 'player-stars', payments, orders);

    const friends = panel(
      t('pl.friends'),
      'player-friends',
      page.friends.length === 0
        ? h('p', { class: 'muted' }, t('pl.friends.none'))
        : h('ul', { class: 'link-list' }, ...page.friends.map((f) => h('li', {}, h('a', { href: screenHref('players', f.playerId), 'data-testid': `friend-${f.playerId}` }, f.name)))),
    );

    const n = page.notifications;
    const notifications = panel(
      t('pl.notifications'),
      'player-notifications',
      n === null
        ? h('p', { class: 'muted' }, t('pl.notify.none'))
        : kv([
            [t('pl.notify.allowed'), n.allowed ? badge(t('ui.yes'), 'ok') : badge(t('ui.no'), 'warn')],
            [t('pl.notify.muted'), n.muted ? badge(t('ui.yes'), 'warn') : t('ui.no')],
            [t('pl.notify.switchesOff'), n.switchesOff.length ? n.switchesOff.join(', ') : '—'],
            [t('pl.notify.unreachable'), n.unreachableAt ? formatDateTime(n.unreachableAt) : '—'],
          ]),
    );

    const flags = panel(
      t('pl.flags'),
      'player-flags',
      dataTable({
        caption: t('pl.flags'),
        captionHidden: true,
        testid: 'flags-table',
        rows: page.flags,
        empty: t('pl.flags.none'),
        columns: [
          { key: 'kind', label: t('pl.col.flag'), render: (f) => h('span', { class: 'mono' }, f.kind) },
          { key: 'severity', label: t('pl.col.severity'), render: (f) => badge(t(`pl.severity.${f.severity}` as MessageKey), flagTone(f.severity)) },
          { key: 'status', label: t('pl.col.status'), render: (f) => badge(t(`pl.flag.${f.status}` as MessageKey), f.status === 'open' ? 'warn' : 'neutral') },
          { key: 'count', label: t('pl.col.count'), numeric: true, render: (f) => formatNumber(f.count) },
          { key: 'last', label: t('pl.col.lastSeen'), render: (f) => formatDateTime(f.lastSeenAt) },
        ],
      }),
    );

    replace(content, profile, pets, h('div', { class: 'player-columns' }, ledger, h('div', {}, inventory, flags)), stars, h('div', { class: 'player-columns' }, friends, notifications));
  }

  async function coinsDialog(page: Page, sign: 1 | -1): Promise<void> {
    const name = displayName(page.player);
    const amount = field({ label: t('pl.coins.amount'), name: 'amount', type: 'number', hint: t('pl.coins.amount.hint'), required: true, attrs: { min: 1, max: 1_000_000, step: 1, inputmode: 'numeric', 'data-testid': 'coins-amount' } });
    let key: { amount: number; key: string } | null = null;
    let result: { coins: number; amount: number; replayed: boolean } | null = null;
    const done = await formDialog({
      title: t(sign > 0 ? 'pl.coins.title.grant' : 'pl.coins.title.take', { name }),
      message: t('pl.coins.message', { coins: formatCoins(page.inventory.coins), debt: formatCoins(page.inventory.debt) }),
      fields: [amount],
      confirmLabel: sign > 0 ? t('pl.grant') : t('pl.take'),
      danger: sign < 0,
      testid: 'coins-dialog',
      submit: async (reason, fail) => {
        const n = Number(amount.input.value);
        if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
          amount.setError(t('pl.coins.amount.invalid'));
          return false;
        }
        const signed = sign * n;
        if (!key || key.amount !== signed) key = { amount: signed, key: idempotencyKey() };
        try {
          const res = await ctx.api.adjustCoins(page.player.id, signed, reason, key.key);
          result = { coins: res.balances.coins, amount: n, replayed: res.replayed };
          return true;
        } catch (err) {
          if (errorCode(err) === 'INSUFFICIENT_FUNDS') amount.setError(t('pl.coins.insufficient', { coins: formatCoins(page.inventory.coins) }));
          else fail(t('pl.failed', { error: describeError(err) }));
          return false;
        }
      },
    });
    if (!done || !result) return;
    const r: { coins: number; amount: number; replayed: boolean } = result;
    toast(r.replayed ? t('pl.coins.replayed') : t(sign > 0 ? 'pl.coins.granted' : 'pl.coins.taken', { amount: formatCoins(r.amount), name, coins: formatCoins(r.coins) }), r.replayed ? 'info' : 'ok');
    await load();
  }

  async function renameDialog(petId: string, current: string): Promise<void> {
    const nameField = field({ label: t('pl.rename.name'), name: 'name', value: current, required: true, autocomplete: 'off', attrs: { maxlength: 64, 'data-testid': 'rename-name' } });
    let renamed = '';
    const done = await formDialog({
      title: t('pl.rename.title', { name: current }),
      message: t('pl.rename.message'),
      fields: [nameField],
      confirmLabel: t('pl.rename'),
      testid: 'rename-dialog',
      submit: async (reason, fail) => {
        const value = nameField.input.value.trim();
        if (!value) {
          nameField.setError(t('pl.rename.invalid'));
          return false;
        }
        try {
          renamed = (await ctx.api.renamePet(petId, value, reason)).name;
          return true;
        } catch (err) {
          const code = errorCode(err);
          if (code === 'NAME_REJECTED') nameField.setError(t('pl.rename.rejected'));
          else if (code === 'NAME_INVALID' || (err instanceof AdminApiError && err.status === 400 && code === 'VALIDATION_FAILED')) nameField.setError(t('pl.rename.invalid'));
          else fail(t('pl.failed', { error: describeError(err) }));
          return false;
        }
      },
    });
    if (!done) return;
    toast(t('pl.rename.done', { name: renamed }), 'ok');
    await load(`pet-rename-${petId}`);
  }

  void load();
  // No polling: the page changes when someone acts on it; the actions reload it.
  return () => {
    left = true;
  };
}
