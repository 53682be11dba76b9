/**
 * A data table: a caption (visible or for screen readers), column headers with scope, numeric
 * columns right-aligned with tabular figures, an empty state, and a horizontal scroller on
 * narrow screens (focusable, so the keyboard can scroll it).
 */
import { h, type Child } from './dom.js';

export interface Column<R> {
  key: string;
  label: string;
  render: (row: R) => Child;
  numeric?: boolean;
  /** Hidden on phones (the first column and the important ones stay). */
  wide?: boolean;
}

export interface TableOptions<R> {
  caption: string;
  captionHidden?: boolean;
  columns: ReadonlyArray<Column<R>>;
  rows: readonly R[];
  empty?: string;
  rowKey?: (row: R) => string;
  testid?: string;
}

export function dataTable<R>(o: TableOptions<R>): HTMLElement {
  const cls = (c: Column<R>) => [c.numeric ? 'num' : '', c.wide ? 'wide' : ''].filter(Boolean).join(' ') || null;
  const head = h('tr', {}, ...o.columns.map((c) => h('th', { scope: 'col', class: cls(c) }, c.label)));
  const body =
    o.rows.length === 0
      ? [h('tr', {}, h('td', { colspan: o.columns.length, class: 'empty' }, o.empty ?? ''))]
      : o.rows.map((row) =>
          h(
            'tr',
            o.rowKey ? { 'data-key': o.rowKey(row) } : {},
            ...o.columns.map((c, i) => (i === 0 ? h('th', { scope: 'row', class: cls(c) }, c.render(row)) : h('td', { class: cls(c) }, c.render(row)))),
          ),
        );
  const table = h(
    'table',
    { class: 'table', ...(o.testid ? { 'data-testid': o.testid } : {}) },
    h('caption', { class: o.captionHidden ? 'visually-hidden' : null }, o.caption),
    h('thead', {}, head),
    h('tbody', {}, ...body),
  );
  return h('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': o.caption }, table);
}
