/** A tiny string builder for SVG: stable number formatting, elements, shared defs. */

/** Formats a coordinate with at most one decimal and no "-0", so output is byte-stable. */
export function num(v: number): string {
  const r = Math.round(v * 10) / 10;
  if (r === 0) return '0';
  return String(r);
}

/** Formats a fraction (opacity, gradient offset) with at most two decimals. */
export function frac(v: number): string {
  const r = Math.round(v * 100) / 100;
  if (r === 0) return '0';
  return String(r);
}

const FRACTION_ATTRS = new Set(['opacity', 'stop-opacity', 'fill-opacity', 'stroke-opacity', 'offset', 'cx', 'cy', 'r', 'fx', 'fy']);

type AttrValue = string | number | undefined;
export type Attrs = Record<string, AttrValue>;

function escapeAttr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function el(tag: string, attrs: Attrs = {}, body = ''): string {
  let out = `<${tag}`;
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined) continue;
    const fine = tag.endsWith('Gradient') || key.endsWith('opacity') || key === 'offset';
    out += ` ${key}="${typeof value === 'number' ? (fine && FRACTION_ATTRS.has(key) ? frac(value) : num(value)) : escapeAttr(value)}"`;
  }
  return body ? `${out}>${body}</${tag}>` : `${out}/>`;
}

export const g = (attrs: Attrs, body: string): string => (body ? el('g', attrs, body) : '');

/** Degrees from radians, for transform="rotate(...)". */
const deg = (radians: number): number => (radians * 180) / Math.PI;

export function ellipse(cx: number, cy: number, rx: number, ry: number, rotation: number, attrs: Attrs): string {
  const transform = rotation ? `rotate(${num(deg(rotation))} ${num(cx)} ${num(cy)})` : undefined;
  return el('ellipse', { cx, cy, rx, ry, transform, ...attrs });
}

export const circle = (cx: number, cy: number, r: number, attrs: Attrs): string => el('circle', { cx, cy, r, ...attrs });
export const path = (d: string, attrs: Attrs): string => el('path', { d, ...attrs });

/** Path data helper: joins commands, formatting numbers. */
export function d(...parts: Array<string | number>): string {
  let out = '';
  let prevNumber = false;
  for (const part of parts) {
    if (typeof part === 'number') {
      const text = num(part);
      out += prevNumber && !text.startsWith('-') ? ` ${text}` : text;
      prevNumber = true;
    } else {
      out += part;
      prevNumber = false;
    }
  }
  return out;
}

export type Point = readonly [number, number];

/**
 * A smooth closed curve through the midpoints of `pts` (the points act as control points).
 * Written with relative commands between half-pixel-rounded points: exact, with no drift,
 * and about half the bytes of absolute coordinates.
 */
function smoothClosed(pts: readonly Point[]): string {
  const n = pts.length;
  const half = (v: number): number => Math.round(v * 2) / 2;
  const at = (i: number): Point => pts[((i % n) + n) % n] ?? [0, 0];
  const mid = (a: Point, b: Point): Point => [half((a[0] + b[0]) / 2), half((a[1] + b[1]) / 2)];
  const start = mid(at(n - 1), at(0));
  let out = `M${num(start[0])} ${num(start[1])}q`;
  let cur = start;
  for (let i = 0; i < n; i++) {
    const raw = at(i);
    const p: Point = [half(raw[0]), half(raw[1])];
    const m = mid(raw, at(i + 1));
    out += `${i ? ' ' : ''}${num(p[0] - cur[0])} ${num(p[1] - cur[1])} ${num(m[0] - cur[0])} ${num(m[1] - cur[1])}`;
    cur = m;
  }
  return `${out}Z`.replace(/ -/g, '-');
}

/** Length of a cubic Bézier, by sampling (used instead of pathLength, which not every rasteriser knows). */
export function cubicLength(p0: Point, p1: Point, p2: Point, p3: Point): number {
  let len = 0;
  let prev = p0;
  for (let i = 1; i <= 32; i++) {
    const t = i / 32;
    const u = 1 - t;
    const pt: Point = [
      u * u * u * p0[0] + 3 * u * u * t * p1[0] + 3 * u * t * t * p2[0] + t * t * t * p3[0],
      u * u * u * p0[1] + 3 * u * u * t * p1[1] + 3 * u * t * t * p2[1] + t * t * t * p3[1],
    ];
    len += Math.hypot(pt[0] - prev[0], pt[1] - prev[1]);
    prev = pt;
  }
  return len;
}

/** Length of a quadratic Bézier. */
export function quadLength(p0: Point, p1: Point, p2: Point): number {
  const c1: Point = [p0[0] + ((p1[0] - p0[0]) * 2) / 3, p0[1] + ((p1[1] - p0[1]) * 2) / 3];
  const c2: Point = [p2[0] + ((p1[0] - p2[0]) * 2) / 3, p2[1] + ((p1[1] - p2[1]) * 2) / 3];
  return cubicLength(p0, c1, c2, p2);
}

/** Dash attributes for a stroke of length `len`, with the pattern and offset given in percent of it. */
export function dashes(len: number, pattern: readonly number[], offsetPercent: number): Attrs {
  return {
    'stroke-dasharray': pattern.map((v) => num((v * len) / 100)).join(' '),
    'stroke-dashoffset': (offsetPercent * len) / 100,
  };
}

export interface Bump {
  /** Angle in radians (0 = right, -π/2 = up). */
  at: number;
  /** Angular half-width in radians. */
  width: number;
  /** Outward reach as a fraction of the radius (negative dents). */
  reach: number;
}

function angleDiff(a: number, b: number): number {
  let x = (a - b) % (Math.PI * 2);
  if (x > Math.PI) x -= Math.PI * 2;
  if (x < -Math.PI) x += Math.PI * 2;
  return x;
}

/** An ellipse outline with pointed tufts: fur that sticks out. */
export function tuftedEllipse(cx: number, cy: number, rx: number, ry: number, bumps: readonly Bump[], steps = 56): string {
  const pts: Point[] = [];
  for (let i = 0; i < steps; i++) {
    const t = (i / steps) * Math.PI * 2;
    let k = 1;
    for (const b of bumps) {
      const x = Math.abs(angleDiff(t, b.at)) / b.width;
      if (x < 1) k += b.reach * (1 - x) * (1 - x);
    }
    pts.push([cx + Math.cos(t) * rx * k, cy + Math.sin(t) * ry * k]);
  }
  return smoothClosed(pts);
}

/** A cloud of outward arcs around an ellipse (fluffy ruffs, pompom tails, nests). */
export function cloud(cx: number, cy: number, rx: number, ry: number, count: number, puff = 1.15, start = -Math.PI / 2): string {
  const pts: Point[] = [];
  for (let i = 0; i < count; i++) {
    const t = start + (i / count) * Math.PI * 2;
    pts.push([cx + Math.cos(t) * rx, cy + Math.sin(t) * ry]);
  }
  const first = pts[0] ?? [cx, cy];
  let out = `M${num(first[0])} ${num(first[1])}`;
  for (let i = 0; i < count; i++) {
    const a = pts[i] ?? first;
    const b = pts[(i + 1) % count] ?? first;
    const r = (Math.hypot(b[0] - a[0], b[1] - a[1]) / 2) * puff;
    out += `A${num(r)} ${num(r)} 0 0 1 ${num(b[0])} ${num(b[1])}`;
  }
  return `${out}Z`;
}

/** A four-pointed sparkle centred on (x, y). */
export function sparkle(x: number, y: number, r: number, pinch = 0.18): string {
  const p = r * pinch;
  return d('M', x, y - r, 'Q', x + p, y - p, x + r, y, 'Q', x + p, y + p, x, y + r, 'Q', x - p, y + p, x - r, y, 'Q', x - p, y - p, x, y - r, 'Z');
}

/** A heart whose bounding box is about 2r wide, centred on (x, y). */
export function heart(x: number, y: number, r: number): string {
  return d(
    'M', x, y + r * 0.85,
    'C', x - r * 1.25, y + r * 0.05, x - r * 0.9, y - r * 1.05, x, y - r * 0.35,
    'C', x + r * 0.9, y - r * 1.05, x + r * 1.25, y + r * 0.05, x, y + r * 0.85, 'Z',
  );
}

/** Shared <defs>: gradients and clip paths, deduplicated by key, ids prefixed per document. */
export class Defs {
  private readonly items: string[] = [];
  private readonly ids = new Map<string, string>();
  private count = 0;

  constructor(private readonly prefix: string) {}

  /** Registers a definition once per key; `make` receives the id. Returns the id. */
  add(key: string, make: (id: string) => string): string {
    const known = this.ids.get(key);
    if (known) return known;
    const id = `${this.prefix}${(this.count++).toString(36)}`;
    this.ids.set(key, id);
    this.items.push(make(id));
    return id;
  }

  /** A clip path (always new: clip shapes are geometry, not style). */
  clip(shape: string): string {
    const id = `${this.prefix}${(this.count++).toString(36)}`;
    this.items.push(el('clipPath', { id }, shape));
    return `url(#${id})`;
  }

  toString(): string {
    return this.items.length ? `<defs>${this.items.join('')}</defs>` : '';
  }
}

export function stops(list: ReadonlyArray<readonly [number, string, number?]>): string {
  return list.map(([offset, color, opacity]) => el('stop', { offset, 'stop-color': color, 'stop-opacity': opacity })).join('');
}
