/**
 * Inline SVG charts, drawn here (no chart library): line, grouped bars, horizontal bars and a
 * sparkline. Each chart is a <figure> whose SVG is one `role="img"` with a summary in its
 * aria-label, and a "Show as a table" disclosure with the same numbers for screen readers and
 * for copying. Colours come from CSS (`.series-<n>`), so both themes apply.
 */
import { t } from '../i18n.js';
import { h, svg } from './dom.js';
import { dataTable } from './table.js';

export interface Series {
  name: string;
  values: ReadonlyArray<number | null>;
}

export interface SeriesChartOptions {
  title: string;
  labels: readonly string[];
  series: readonly Series[];
  format: (n: number) => string;
  /** The y axis's top (default: the largest value, rounded up). */
  max?: number;
  testid?: string;
}

const W = 640;
const H = 220;
const PAD = { top: 12, right: 12, bottom: 28, left: 52 };

/** A "nice" axis top at or above `n` (1, 2, 2.5, 5 × 10^k). */
export function niceMax(n: number): number {
  if (n <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * exp >= n) return step * exp;
  return 10 * exp;
}

function summary(o: SeriesChartOptions): string {
  const parts = o.series.map((s) => {
    const values = s.values.filter((v): v is number => v !== null);
    if (values.length === 0) return `${s.name} —`;
    const last = values[values.length - 1] as number;
    return `${s.name} ${o.format(last)} (min ${o.format(Math.min(...values))}, max ${o.format(Math.max(...values))})`;
  });
  return t('an.chart', { title: o.title, summary: `${o.labels[0] ?? ''}–${o.labels[o.labels.length - 1] ?? ''}; ${parts.join('; ')}` });
}

function frame(o: SeriesChartOptions, top: number): { root: SVGSVGElement; x: (i: number, n: number) => number; y: (v: number) => number; plotW: number } {
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart-svg', role: 'img', 'aria-label': summary(o), preserveAspectRatio: 'none' });
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const y = (v: number) => PAD.top + plotH - (Math.max(0, v) / top) * plotH;
  const x = (i: number, n: number) => PAD.left + (n <= 1 ? plotW / 2 : (i / (n - 1)) * plotW);
  for (let k = 0; k <= 4; k++) {
    const v = (top / 4) * k;
    root.append(svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: k === 0 ? 'axis' : 'grid' }));
    root.append(svg('text', { x: PAD.left - 6, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, o.format(v)));
  }
  const n = o.labels.length;
  const every = Math.max(1, Math.ceil(n / 8));
  o.labels.forEach((label, i) => {
    // The last label always; an evenly spaced one too close before it is left out.
    if (i !== n - 1 && (i % every !== 0 || (n - 1 - i < every && i !== 0))) return;
    const anchor = n > 1 && i === 0 ? 'start' : n > 1 && i === n - 1 ? 'end' : 'middle';
    root.append(svg('text', { x: x(i, n), y: H - 8, class: 'tick x-tick', 'text-anchor': anchor }, label));
  });
  return { root, x, y, plotW };
}

function legend(series: readonly Series[]): HTMLElement {
  return h('ul', { class: 'legend', 'aria-hidden': 'true' }, ...series.map((s, i) => h('li', {}, h('span', { class: `swatch series-${i}` }), s.name)));
}

function tableFallback(o: SeriesChartOptions): HTMLElement {
  const rows = o.labels.map((label, i) => ({ label, values: o.series.map((s) => s.values[i] ?? null) }));
  return h(
    'details',
    { class: 'chart-table' },
    h('summary', {}, t('an.table')),
    dataTable({
      caption: o.title,
      captionHidden: true,
      columns: [
        { key: 'label', label: t('an.day'), render: (r) => r.label },
        ...o.series.map((s, i) => ({ key: s.name, label: s.name, numeric: true, render: (r: (typeof rows)[number]) => (r.values[i] === null ? '—' : o.format(r.values[i] as number)) })),
      ],
      rows,
    }),
  );
}

function figure(o: SeriesChartOptions, chart: SVGSVGElement): HTMLElement {
  return h('figure', { class: 'chart', ...(o.testid ? { 'data-testid': o.testid } : {}) }, h('figcaption', {}, o.title), legend(o.series), chart, tableFallback(o));
}

function topOf(o: SeriesChartOptions): number {
  const all = o.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  return o.max ?? niceMax(Math.max(0, ...all));
}

export function lineChart(o: SeriesChartOptions): HTMLElement {
  const { root, x, y } = frame(o, topOf(o));
  const n = o.labels.length;
  o.series.forEach((s, si) => {
    let d = '';
    s.values.forEach((v, i) => {
      if (v === null) return;
      d += `${d === '' || s.values[i - 1] === null ? 'M' : 'L'}${x(i, n).toFixed(1)},${y(v).toFixed(1)}`;
    });
    root.append(svg('path', { d, class: `line series-${si}` }));
    s.values.forEach((v, i) => {
      if (v !== null && n <= 45) root.append(svg('circle', { cx: x(i, n), cy: y(v), r: 2.6, class: `dot series-${si}` }));
    });
  });
  return figure(o, root);
}

export function barChart(o: SeriesChartOptions): HTMLElement {
  const { root, y, plotW } = frame(o, topOf(o));
  const n = Math.max(1, o.labels.length);
  const slot = plotW / n;
  const groupW = slot * 0.78;
  const barW = groupW / Math.max(1, o.series.length);
  o.series.forEach((s, si) => {
    s.values.forEach((v, i) => {
      if (v === null) return;
      const left = PAD.left + i * slot + (slot - groupW) / 2 + si * barW;
      root.append(svg('rect', { x: left.toFixed(1), y: y(v).toFixed(1), width: Math.max(1, barW - 1).toFixed(1), height: Math.max(0, y(0) - y(v)).toFixed(1), class: `bar series-${si}`, rx: 1.5 }));
    });
  });
  // Bar charts label the middle of each slot, not the ends.
  root.querySelectorAll('text.x-tick').forEach((el) => el.remove());
  const every = Math.max(1, Math.ceil(n / 8));
  o.labels.forEach((label, i) => {
    if (i % every !== 0) return;
    root.append(svg('text', { x: PAD.left + i * slot + slot / 2, y: H - 8, class: 'tick', 'text-anchor': 'middle' }, label));
  });
  return figure(o, root);
}

export interface BarItem {
  label: string;
  value: number;
  /** Shown after the value (a share, a conversion). */
  note?: string;
}

/** Horizontal bars with their labels and values as text: readable on a phone, and as a list for screen readers. */
export function hbarChart(o: { title: string; items: readonly BarItem[]; format: (n: number) => string; tone?: number; testid?: string; empty?: string }): HTMLElement {
  const max = Math.max(0, ...o.items.map((i) => i.value));
  const list = h(
    'ul',
    { class: 'hbars', 'aria-label': o.title },
    ...o.items.map((item) =>
      h(
        'li',
        {},
        h('span', { class: 'hbar-label' }, item.label),
        h('span', { class: 'hbar-track', 'aria-hidden': 'true' }, h('span', { class: `hbar-fill series-${o.tone ?? 0}`, style: `width:${max > 0 ? (item.value / max) * 100 : 0}%` })),
        h('span', { class: 'hbar-value' }, o.format(item.value), item.note ? h('span', { class: 'hbar-note' }, ` ${item.note}`) : null),
      ),
    ),
  );
  return h(
    'figure',
    { class: 'chart', ...(o.testid ? { 'data-testid': o.testid } : {}) },
    h('figcaption', {}, o.title),
    o.items.length === 0 ? h('p', { class: 'muted' }, o.empty ?? '—') : list,
  );
}

/** A small trend line for a stat card (decorative: the card says the number). */
export function sparkline(values: readonly number[], className = 'series-0'): SVGSVGElement {
  const w = 120;
  const hgt = 28;
  const root = svg('svg', { viewBox: `0 0 ${w} ${hgt}`, class: 'sparkline', 'aria-hidden': 'true', preserveAspectRatio: 'none' });
  if (values.length < 2) return root;
  const max = Math.max(1, ...values);
  const step = w / (values.length - 1);
  const d = values.map((v, i) => `${i === 0 ? 'M' : 'L'}${(i * step).toFixed(1)},${(hgt - 2 - (v / max) * (hgt - 4)).toFixed(1)}`).join('');
  root.append(svg('path', { d: `${d}L${w},${hgt}L0,${hgt}Z`, class: `spark-area ${className}` }), svg('path', { d, class: `line ${className}` }));
  return root;
}
