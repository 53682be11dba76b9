/** A small element builder: `h('a', { href, class: 'x' }, 'text', child)`. Strings become text nodes (never HTML). */
export type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, ...children);
  return el;
}

export function setAttrs(el: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
}

export function append(el: Element | DocumentFragment, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's children. */
export function replace(el: Element, ...children: Child[]): void {
  el.replaceChildren();
  append(el, ...children);
}

let ids = 0;
/** A unique id for label/aria wiring. */
export function uid(prefix = 'adm'): string {
  ids += 1;
  return `${prefix}-${ids}`;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number> = {}, ...children: Array<SVGElement | string>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  for (const child of children) el.append(child);
  return el;
}

/** The panel's mark: a paw (drawn, so it shows without an emoji font). */
export function brandMark(): HTMLSpanElement {
  const paw = svg(
    'svg',
    { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' },
    svg('ellipse', { cx: 6, cy: 9, rx: 2.3, ry: 2.9 }),
    svg('ellipse', { cx: 10, cy: 5.2, rx: 2.3, ry: 2.9 }),
    svg('ellipse', { cx: 14.6, cy: 5.2, rx: 2.3, ry: 2.9 }),
    svg('ellipse', { cx: 18.4, cy: 9, rx: 2.3, ry: 2.9 }),
    svg('path', { d: 'M12.2 10.5c-3.3 0-6.6 4.2-6.6 6.9 0 2 1.6 2.9 3.4 2.9 1.4 0 2.1-.7 3.2-.7s1.8.7 3.2.7c1.8 0 3.4-.9 3.4-2.9 0-2.7-3.3-6.9-6.6-6.9z' }),
  );
  const mark = h('span', { class: 'brand-mark', 'aria-hidden': 'true' });
  mark.append(paw);
  return mark;
}
