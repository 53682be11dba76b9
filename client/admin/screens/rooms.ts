/**
 * The room inspector: `#/rooms` lists every home room (GET /admin/rooms), `#/rooms/<id>` shows
 * one (GET /admin/rooms/:roomId): its clients, each pet's meters from the sim as bars, the
 * sim's component values, the last tick and the raw room state. Both refresh every 2.5 s.
 */
import type { AdminRoomDetailDto, AdminRoomDto } from '../../../shared/dto.js';
import { AdminApiError } from '../api.js';
import { t, type MessageKey } from '../i18n.js';
import { screenHref, type ScreenContext } from '../screens.js';
import { badge, dataTable, field, formatDateTime, formatMs, formatNumber, h, poll, replace, shortId } from '../ui/index.js';
import { describeError } from '../ui/status.js';

export const ROOMS_REFRESH_MS = 2_500;
const METERS = ['hunger', 'mood', 'cleanliness', 'health'] as const;

export function render(root: HTMLElement, ctx: ScreenContext): () => void {
  return ctx.params[0] ? renderDetail(root, ctx, ctx.params[0]) : renderList(root, ctx);
}

function matches(room: AdminRoomDto, q: string): boolean {
  if (!q) return true;
  const needle = q.toLowerCase();
  return [room.roomId, room.ownerId, room.processId, ...room.pets.map((p) => p.name)].some((s) => s.toLowerCase().includes(needle));
}

function renderList(root: HTMLElement, ctx: ScreenContext): () => void {
  const filter = field({ label: t('rooms.filter'), name: 'filter', type: 'search', attrs: { 'data-testid': 'rooms-filter' } });
  const count = h('p', { class: 'muted', 'data-testid': 'rooms-count' });
  const tableHost = h('div', { 'data-testid': 'rooms', 'data-state': 'loading' }, h('p', { class: 'muted' }, t('app.loading')));
  const unreachable = h('div');
  root.append(h('div', { class: 'toolbar' }, filter.root, count), unreachable, tableHost);
  let rooms: AdminRoomDto[] = [];

  const draw = () => {
    const shown = rooms.filter((r) => matches(r, filter.input.value.trim()));
    count.textContent = t('rooms.count', { n: shown.length });
    replace(
      tableHost,
      dataTable({
        caption: t('rooms.title'),
        captionHidden: true,
        testid: 'rooms-table',
        empty: t('rooms.empty'),
        rows: shown,
        rowKey: (r) => r.roomId,
        columns: [
          { key: 'room', label: t('rooms.col.room'), render: (r) => h('a', { href: screenHref('rooms', r.roomId), class: 'mono', 'data-testid': `room-${r.roomId}` }, r.roomId) },
          { key: 'owner', label: t('rooms.col.owner'), render: (r) => h('span', { class: 'mono', title: r.ownerId }, shortId(r.ownerId)) },
          { key: 'online', label: t('rooms.col.owner.online'), render: (r) => badge(r.ownerOnline ? t('rooms.online') : t('rooms.away'), r.ownerOnline ? 'ok' : 'neutral') },
          { key: 'clients', label: t('rooms.col.clients'), numeric: true, render: (r) => formatNumber(r.clients) },
          { key: 'spectators', label: t('rooms.col.spectators'), numeric: true, wide: true, render: (r) => formatNumber(r.spectators) },
          { key: 'pets', label: t('rooms.col.pets'), render: (r) => r.pets.map((p) => `${p.name} · ${p.stage}`).join(', ') || '—' },
          { key: 'process', label: t('rooms.col.process'), wide: true, render: (r) => h('span', { class: 'mono' }, r.processId) },
        ],
      }),
    );
  };
  filter.input.addEventListener('input', draw);

  const poller = poll(
    async () => {
      try {
        const list = await ctx.api.rooms();
        rooms = list.items;
        replace(unreachable, ...(list.unreachable.length ? [h('p', { class: 'notice notice-warn' }, t('dash.unreachable', { list: list.unreachable.join(', ') }))] : []));
        draw();
        tableHost.dataset.state = 'ready';
        ctx.status.ok();
      } catch (err) {
        ctx.status.failed(err);
      }
    },
    ROOMS_REFRESH_MS,
    (paused) => ctx.status.paused(paused),
  );
  return () => poller.stop();
}

function meterBar(meter: (typeof METERS)[number], value: number): HTMLElement {
  const v = Math.max(0, Math.min(100, value));
  const tone = v < 25 ? 'danger' : v < 50 ? 'warn' : 'ok';
  return h(
    'div',
    { class: 'meter', 'data-testid': `meter-${meter}` },
    h('span', { class: 'meter-label', id: `m-${meter}` }, t(`meter.${meter}` as MessageKey)),
    h(
      'div',
      { class: 'meter-track', role: 'meter', 'aria-labelledby': `m-${meter}`, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round(v) },
      h('div', { class: `meter-fill meter-${tone}`, style: `width:${v}%` }),
    ),
    h('span', { class: 'meter-value num' }, formatNumber(value, 1)),
  );
}

function valueText(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function componentTable(name: string, values: unknown): HTMLElement {
  const rows = values && typeof values === 'object' ? Object.entries(values as Record<string, unknown>) : [['value', values] as [string, unknown]];
  return dataTable({
    caption: name,
    rows,
    columns: [
      { key: 'k', label: t('audit.field'), render: ([k]) => h('span', { class: 'mono' }, k) },
      { key: 'v', label: '', numeric: true, render: ([, v]) => h('span', { class: 'mono' }, valueText(v)) },
    ],
  });
}

function renderDetail(root: HTMLElement, ctx: ScreenContext, roomId: string): () => void {
  ctx.setTitle(t('rooms.detail', { id: roomId }));
  const back = h('a', { href: screenHref('rooms'), class: 'back-link', 'data-testid': 'rooms-back' }, `← ${t('rooms.back')}`);
  const content = h('div', { 'data-testid': 'room-detail', 'data-state': 'loading' }, h('p', { class: 'muted' }, t('app.loading')));
  root.append(back, content);
  /** Disclosures the user opened stay open across refreshes. */
  const open = new Set<string>();
  const disclosure = (key: string, summary: string, body: Node) => {
    const el = h('details', { class: 'disclosure', ...(open.has(key) ? { open: true } : {}) }, h('summary', {}, summary), body);
    el.addEventListener('toggle', () => (el.open ? open.add(key) : open.delete(key)));
    return el;
  };

  const draw = (d: AdminRoomDetailDto) => {
    const state = (d.state ?? {}) as { pets?: Record<string, { name?: string; stage?: string }> };
    const pets = d.sim.map((p) => {
      const info = state.pets?.[p.petId];
      const meters = (p.components.Meters ?? {}) as Record<string, number>;
      return h(
        'section',
        { class: 'panel pet-panel', 'data-testid': `pet-${p.petId}` },
        h('div', { class: 'panel-head' }, h('h2', {}, t('rooms.pet', { name: info?.name ?? p.petId, stage: info?.stage ?? '' })), h('span', { class: 'mono muted' }, `eid ${p.eid}`)),
        h('h3', { class: 'subhead' }, t('rooms.meters')),
        h('div', { class: 'meters' }, ...METERS.map((m) => meterBar(m, m === 'health' ? (meters.healthNow ?? meters.health ?? 0) : (meters[m] ?? 0)))),
        disclosure(`components-${p.petId}`, t('rooms.components'), h('div', { class: 'component-grid' }, ...Object.entries(p.components).map(([name, values]) => componentTable(name, values)))),
      );
    });
    const tick = d.lastTick;
    replace(
      content,
      h(
        'div',
        { class: 'detail-meta' },
        h('span', {}, `${t('rooms.col.owner')}: `, h('span', { class: 'mono' }, d.ownerId)),
        h('span', {}, `${t('rooms.col.process')}: `, h('span', { class: 'mono' }, d.processId)),
      ),
      ...pets,
      h(
        'section',
        { class: 'panel' },
        h('div', { class: 'panel-head' }, h('h2', {}, t('rooms.clients'))),
        dataTable({
          caption: t('rooms.clients'),
          captionHidden: true,
          testid: 'room-clients',
          rows: d.clients,
          empty: '—',
          columns: [
            { key: 'session', label: t('rooms.col.session'), render: (c) => h('span', { class: 'mono' }, c.sessionId) },
            { key: 'player', label: t('rooms.col.player'), render: (c) => h('span', { class: 'mono', title: c.playerId }, shortId(c.playerId)) },
            { key: 'role', label: t('rooms.col.role'), render: (c) => badge(c.role, c.role === 'owner' ? 'info' : 'neutral') },
          ],
        }),
      ),
      h(
        'section',
        { class: 'panel' },
        h('div', { class: 'panel-head' }, h('h2', {}, t('rooms.lastTick'))),
        h(
          'dl',
          { class: 'kv' },
          h('dt', {}, t('rooms.tick.at')),
          h('dd', {}, tick.at ? formatDateTime(tick.at) : '—'),
          h('dt', {}, t('rooms.tick.duration')),
          h('dd', {}, formatMs(tick.durationMs)),
          h('dt', {}, t('rooms.tick.loaded')),
          h('dd', {}, formatNumber(tick.loadedPets)),
          h('dt', {}, t('rooms.tick.due')),
          h('dd', {}, formatNumber(tick.dueEvents)),
          h('dt', {}, t('rooms.tick.dt')),
          h('dd', {}, formatNumber(tick.dtGameSeconds, 2)),
        ),
      ),
      disclosure('state', t('rooms.state'), h('pre', { class: 'json', tabindex: 0 }, JSON.stringify(d.state, null, 2))),
    );
    content.dataset.state = 'ready';
  };

  const poller = poll(
    async () => {
      try {
        draw(await ctx.api.room(roomId));
        ctx.status.ok();
      } catch (err) {
        if (err instanceof AdminApiError && err.status === 404) {
          replace(content, h('p', { class: 'notice' }, t('rooms.gone')));
          content.dataset.state = 'gone';
          ctx.status.ok();
          return;
        }
        ctx.status.failed(err);
        if (content.dataset.state === 'loading') replace(content, h('p', { class: 'muted' }, describeError(err)));
      }
    },
    ROOMS_REFRESH_MS,
    (paused) => ctx.status.paused(paused),
  );
  return () => poller.stop();
}
