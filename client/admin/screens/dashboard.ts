/**
 * The live dashboard: GET /admin/dashboard every 5 s while the tab is visible. Cluster-wide
 * figures (rooms, connections) say so; the process's own (tick, queues, errors) say which
 * process answered. Admins get "Reconcile Stars now".
 */
import type { AdminDashboardDto } from '../../../shared/dto.js';
import { t, type MessageKey } from '../i18n.js';
import type { ScreenContext } from '../screens.js';
import { badge, confirmDialog, formatDuration, formatMs, formatNumber, formatStars, h, poll, replace, sparkline, toast, type Tone } from '../ui/index.js';
import { describeError } from '../ui/status.js';

export const DASHBOARD_REFRESH_MS = 5_000;
const HISTORY = 60;
/** Connected players over this page's life (kept across visits of the screen). */
const history: number[] = [];

interface Stat {
  id: string;
  label: MessageKey;
  value: string;
  raw: number | null;
  hint?: string;
  tone?: Tone;
  extra?: Node;
}

function card(s: Stat): HTMLElement {
  return h(
    'div',
    { class: `stat${s.tone && s.tone !== 'neutral' ? ` stat-${s.tone}` : ''}`, 'data-testid': `stat-${s.id}` },
    h('div', { class: 'stat-label' }, t(s.label)),
    h('div', { class: 'stat-value', 'data-value': s.raw === null ? '' : String(s.raw) }, s.value),
    s.hint ? h('div', { class: 'stat-hint' }, s.hint) : null,
    s.extra ?? null,
  );
}

function section(title: string, aside: Node | null, stats: Stat[], testid: string): HTMLElement {
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': `${testid}-title`, 'data-testid': testid },
    h('div', { class: 'panel-head' }, h('h2', { id: `${testid}-title` }, title), aside),
    h('div', { class: 'stats' }, ...stats.map(card)),
  );
}

function view(d: AdminDashboardDto): HTMLElement[] {
  const lagEntries = Object.entries(d.queues.eventRelayLagSeconds);
  const maxLag = lagEntries.length ? Math.max(...lagEntries.map(([, v]) => v)) : null;
  const images = d.queues.images;
  const live = section(
    t('dash.live'),
    h(
      'span',
      { class: 'panel-aside' },
      badge(d.live.scope === 'cluster' ? t('dash.scope.cluster', { n: d.live.processes }) : t('dash.scope.process'), d.live.scope === 'cluster' ? 'info' : 'neutral'),
      d.live.unreachable.length ? badge(t('dash.unreachable', { list: d.live.unreachable.join(', ') }), 'warn') : null,
    ),
    [
      {
        id: 'clients',
        label: 'dash.clients',
        value: formatNumber(d.live.clients),
        raw: d.live.clients,
        hint: t('dash.clients.hint', { owners: formatNumber(d.live.ownersOnline), spectators: formatNumber(d.live.spectators) }),
        extra: sparkline(history),
      },
      { id: 'rooms', label: 'dash.rooms', value: formatNumber(d.live.rooms), raw: d.live.rooms },
      { id: 'loaded-pets', label: 'dash.loadedPets', value: formatNumber(d.process.loadedPets), raw: d.process.loadedPets, hint: t('dash.scope.process') },
      {
        id: 'tick',
        label: 'dash.tick',
        value: formatMs(d.process.tick.lastMs),
        raw: d.process.tick.lastMs,
        hint: t('dash.tick.hint', { p50: formatMs(d.process.tick.p50Ms), p99: formatMs(d.process.tick.p99Ms), hz: formatNumber(d.process.tickHz, 1) }),
        tone: d.process.tick.p99Ms !== null && d.process.tick.p99Ms > 1000 / d.process.tickHz / 2 ? 'warn' : 'neutral',
      },
    ],
    'dash-live',
  );
  const today = section(
    t('dash.today', { day: d.day }),
    null,
    [
      { id: 'new-players', label: 'dash.newPlayers', value: formatNumber(d.today.newPlayers), raw: d.today.newPlayers },
      { id: 'purchases', label: 'dash.purchases', value: formatNumber(d.today.purchases), raw: d.today.purchases, hint: t('dash.purchases.hint', { coins: formatNumber(d.today.purchaseCoins) }) },
      {
        id: 'stars',
        label: 'dash.stars',
        value: formatStars(d.today.starsNet),
        raw: d.today.starsNet,
        hint: t('dash.stars.hint', { payments: formatNumber(d.today.starsPayments), refunded: formatStars(d.today.starsRefunded) }),
      },
    ],
    'dash-today',
  );
  const system = section(
    t('dash.system'),
    h('span', { class: 'panel-aside muted' }, t('dash.uptime', { uptime: formatDuration(d.process.uptimeSeconds), id: d.processId })),
    [
      {
        id: 'image-queue',
        label: 'dash.imageQueue',
        value: images ? formatNumber(images.waiting) : t('dash.imageQueue.down'),
        raw: images?.waiting ?? null,
        hint: images ? `${t('dash.imageQueue.hint', { active: images.active, delayed: images.delayed, failed: images.failed })} · ${images.kind}` : undefined,
        tone: images ? (images.failed > 0 ? 'warn' : 'neutral') : 'danger',
      },
      {
        id: 'relay-lag',
        label: 'dash.relayLag',
        value: maxLag === null ? '—' : `${formatNumber(maxLag, 1)} s`,
        raw: maxLag,
        hint: lagEntries.length ? lagEntries.map(([k, v]) => `${k} ${formatNumber(v, 1)} s`).join(' · ') : t('dash.relayLag.none'),
        tone: maxLag !== null && maxLag > 5 ? 'warn' : 'neutral',
      },
      {
        id: 'errors',
        label: 'dash.errors',
        value: formatNumber(d.errors.http5xxRecent),
        raw: d.errors.http5xxRecent,
        hint: t('dash.errors.hint', { minutes: Math.round(d.errors.windowSeconds / 60), total: formatNumber(d.errors.http5xxTotal) }),
        tone: d.errors.http5xxRecent > 0 ? 'danger' : 'ok',
      },
    ],
    'dash-system',
  );
  return [live, today, system];
}

export function render(root: HTMLElement, ctx: ScreenContext): () => void {
  const content = h('div', { class: 'dashboard', 'data-testid': 'dashboard', 'data-state': 'loading' }, h('p', { class: 'muted' }, t('app.loading')));
  const actions = h('div', { class: 'actions' });
  if (ctx.can('admin')) {
    const reconcile = h('button', { type: 'button', class: 'button', 'data-testid': 'reconcile', 'data-min-role': 'admin' }, t('dash.reconcile'));
    reconcile.addEventListener('click', () => {
      void confirmDialog({ title: t('dash.reconcile'), message: t('dash.reconcile.confirm') }).then(async (reason) => {
        if (reason === null) return;
        try {
          const result = await ctx.api.reconcileStars();
          toast(t('dash.reconcile.done', { n: result.differences.length }), result.differences.length ? 'warn' : 'ok');
        } catch (err) {
          toast(describeError(err), 'danger');
        }
      });
    });
    actions.append(reconcile);
  }
  root.append(content, actions);

  const poller = poll(
    async () => {
      try {
        const d = await ctx.api.dashboard();
        history.push(d.live.clients);
        if (history.length > HISTORY) history.shift();
        replace(content, ...view(d));
        content.dataset.state = 'ready';
        ctx.status.ok(Date.parse(d.at));
      } catch (err) {
        ctx.status.failed(err);
        if (content.dataset.state === 'loading') {
          replace(content, h('p', { class: 'muted' }, describeError(err)));
          content.dataset.state = 'error';
        }
      }
    },
    DASHBOARD_REFRESH_MS,
    (paused) => ctx.status.paused(paused),
  );
  return () => poller.stop();
}
