/**
 * Analytics: the daily aggregates (GET /admin/analytics/daily) of a range of UTC days as
 * charts: active players, D1/D7 retention, the new players' funnel, Stars revenue, coin faucets
 * and sinks, and the price experiment's conversion. The range is in the hash
 * (`#/analytics/<from>/<to>`), so a view can be linked; the default is the 14 days to yesterday.
 */
import type { AnalyticsDailyDto, AnalyticsDayDto } from '../../../shared/analytics.js';
import { t, type MessageKey } from '../i18n.js';
import { screenHref, type ScreenContext } from '../screens.js';
import { barChart, dataTable, field, formatDay, formatNumber, formatPercent, formatStars, h, hbarChart, lineChart, replace } from '../ui/index.js';
import { describeError } from '../ui/status.js';

const DAY_MS = 86_400_000;
const PRESETS = [7, 14, 30, 90] as const;
const DEFAULT_DAYS = 14;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day: string): number => Date.parse(`${day}T00:00:00Z`);

function defaultRange(days: number = DEFAULT_DAYS): { from: string; to: string } {
  const yesterday = dayMs(utcDay(Date.now())) - DAY_MS;
  return { from: utcDay(yesterday - (days - 1) * DAY_MS), to: utcDay(yesterday) };
}

function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let ms = dayMs(from); ms <= dayMs(to) && out.length < 400; ms += DAY_MS) out.push(utcDay(ms));
  return out;
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

function addAmounts(into: Map<string, number>, amounts: Record<string, number>): void {
  for (const [k, v] of Object.entries(amounts)) into.set(k, (into.get(k) ?? 0) + v);
}

function charts(range: string[], data: AnalyticsDailyDto): HTMLElement[] {
  const byDay = new Map(data.days.map((d) => [d.day, d]));
  const rows = range.map((day) => byDay.get(day) ?? null);
  const labels = range.map(formatDay);
  const days = data.days;
  const pick = (f: (d: AnalyticsDayDto) => number | null) => rows.map((d) => (d ? f(d) : null));
  const int = (n: number) => formatNumber(n);
  const pct = (n: number) => formatPercent(n, 0);

  const active = lineChart({ title: t('an.active'), labels, series: [{ name: t('an.dau'), values: pick((d) => d.dau) }, { name: t('an.wau'), values: pick((d) => d.wau) }], format: int, testid: 'chart-active' });
  const retention = lineChart({
    title: t('an.retention'),
    labels,
    series: [
      { name: t('an.d1'), values: pick((d) => ratio(d.returns.d1.returned, d.returns.d1.cohort)) },
      // Until a day is final its day-7 window may not have ended: no point rather than a false 0.
      { name: t('an.d7'), values: pick((d) => (d.final ? ratio(d.returns.d7.returned, d.returns.d7.cohort) : null)) },
    ],
    format: pct,
    max: 1,
    testid: 'chart-retention',
  });

  const funnelKeys = ['newPlayers', 'adopted', 'cared', 'playedMinigame', 'purchased'] as const;
  const totals = Object.fromEntries(funnelKeys.map((k) => [k, sum(days.map((d) => d.funnel[k]))])) as Record<(typeof funnelKeys)[number], number>;
  const funnel = hbarChart({
    title: t('an.funnel'),
    items: funnelKeys.map((k) => ({ label: t(`an.funnel.${k}` as MessageKey), value: totals[k], note: k === 'newPlayers' ? undefined : `(${formatPercent(ratio(totals[k], totals.newPlayers), 0)})` })),
    format: int,
    tone: 2,
    testid: 'chart-funnel',
  });

  const stars = barChart({
    title: `${t('an.stars')} · ${t('an.net')} ${formatStars(sum(days.map((d) => d.stars.net)))}`,
    labels,
    series: [{ name: t('an.gross'), values: pick((d) => d.stars.gross) }, { name: t('an.refunded'), values: pick((d) => d.stars.refunded) }],
    format: int,
    testid: 'chart-stars',
  });

  const faucets = new Map<string, number>();
  const sinks = new Map<string, number>();
  for (const d of days) {
    addAmounts(faucets, d.coins.faucets);
    addAmounts(sinks, d.coins.sinks);
  }
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).map(([label, value]) => ({ label, value }));
  const coins = h(
    'div',
    { class: 'chart-pair', 'data-testid': 'chart-coins' },
    h('h2', { class: 'chart-pair-title' }, t('an.coins')),
    hbarChart({ title: t('an.faucets'), items: sorted(faucets), format: int, tone: 0, empty: '—' }),
    hbarChart({ title: t('an.sinks'), items: sorted(sinks), format: int, tone: 1, empty: '—' }),
  );

  const variants = new Map<string, { shopViewers: number; buyers: number; convertedViewers: number; purchases: number; coins: number }>();
  for (const d of days) {
    for (const [variant, v] of Object.entries(d.priceExperiment)) {
      const acc = variants.get(variant) ?? { shopViewers: 0, buyers: 0, convertedViewers: 0, purchases: 0, coins: 0 };
      acc.shopViewers += v.shopViewers;
      acc.buyers += v.buyers;
      acc.convertedViewers += v.convertedViewers;
      acc.purchases += v.purchases;
      acc.coins += v.coins;
      variants.set(variant, acc);
    }
  }
  const variantRows = [...variants.entries()].sort((a, b) => a[0].localeCompare(b[0]));
  const experiment = h(
    'figure',
    { class: 'chart chart-wide', 'data-testid': 'chart-experiment' },
    h('figcaption', {}, t('an.experiment')),
    hbarChart({
      title: t('an.conversion'),
      items: variantRows.map(([variant, v]) => ({ label: variant, value: ratio(v.convertedViewers, v.shopViewers) ?? 0 })),
      format: (n) => formatPercent(n),
      tone: 3,
      empty: '—',
    }),
    dataTable({
      caption: t('an.experiment'),
      captionHidden: true,
      rows: variantRows,
      empty: '—',
      columns: [
        { key: 'variant', label: t('an.variant'), render: ([v]) => h('span', { class: 'mono' }, v) },
        { key: 'viewers', label: t('an.viewers'), numeric: true, render: ([, v]) => int(v.shopViewers) },
        { key: 'buyers', label: t('an.buyers'), numeric: true, render: ([, v]) => int(v.buyers) },
        { key: 'converted', label: t('an.converted'), numeric: true, render: ([, v]) => int(v.convertedViewers) },
        { key: 'conversion', label: t('an.conversion'), numeric: true, render: ([, v]) => formatPercent(ratio(v.convertedViewers, v.shopViewers)) },
        { key: 'purchases', label: t('an.purchases'), numeric: true, wide: true, render: ([, v]) => int(v.purchases) },
        { key: 'coins', label: t('an.coinsSpent'), numeric: true, wide: true, render: ([, v]) => int(v.coins) },
      ],
    }),
  );
  return [active, retention, stars, funnel, coins, experiment];
}

export function render(root: HTMLElement, ctx: ScreenContext): void {
  const fromParam = ctx.params[0];
  const toParam = ctx.params[1];
  const range = fromParam && toParam && DAY_RE.test(fromParam) && DAY_RE.test(toParam) ? { from: fromParam, to: toParam } : defaultRange();
  const span = Math.round((dayMs(range.to) - dayMs(range.from)) / DAY_MS) + 1;

  const from = field({ label: t('an.from'), name: 'from', type: 'date', value: range.from, attrs: { 'data-testid': 'an-from' } });
  const to = field({ label: t('an.to'), name: 'to', type: 'date', value: range.to, attrs: { 'data-testid': 'an-to' } });
  const form = h('form', { class: 'toolbar range-form', 'aria-label': t('an.range') });
  const presets = h(
    'div',
    { class: 'segmented', role: 'group', 'aria-label': t('an.range') },
    ...PRESETS.map((n) => h('a', { href: screenHref('analytics', defaultRange(n).from, defaultRange(n).to), class: 'segment', 'aria-current': span === n && range.to === defaultRange(n).to ? 'true' : null, 'data-testid': `an-preset-${n}` }, t('an.days', { n }))),
  );
  form.append(presets, from.root, to.root, h('button', { type: 'submit', class: 'button button-primary', 'data-testid': 'an-apply' }, t('an.apply')));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const f = from.input.value;
    const tt = to.input.value;
    if (DAY_RE.test(f) && DAY_RE.test(tt)) ctx.navigate(screenHref('analytics', f <= tt ? f : tt, f <= tt ? tt : f));
  });

  const content = h('div', { class: 'charts', 'data-testid': 'analytics', 'data-state': 'loading' }, h('p', { class: 'muted' }, t('app.loading')));
  const notice = h('div');
  root.append(form, notice, content);

  ctx.api.analyticsDaily(range.from, range.to).then(
    (data) => {
      replace(notice, ...(data.missing.length ? [h('p', { class: 'notice', 'data-testid': 'an-missing' }, t('an.missing', { n: data.missing.length }))] : []));
      if (data.days.length === 0) {
        replace(content, h('p', { class: 'empty-state' }, t('an.empty')));
      } else {
        replace(content, ...charts(daysOf(range.from, range.to), data));
      }
      content.dataset.state = 'ready';
      ctx.status.ok();
    },
    (err: unknown) => {
      ctx.status.failed(err);
      replace(content, h('p', { class: 'notice notice-danger', role: 'alert' }, describeError(err)));
      content.dataset.state = 'error';
    },
  );
}
