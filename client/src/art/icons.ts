/**
 * Icon shapes as SVG path data on a 24×24 grid: inline SVG in the DOM and `Path2D` on
 * canvases draw the same shapes, so a button and the pet's thought bubble always match.
 */

interface IconPart {
  d: string;
  /** `ink` takes the current colour; `light` is a white highlight on top of it. */
  tone?: 'ink' | 'light';
}

export type IconName =
  | 'feed'
  | 'play'
  | 'clean'
  | 'heal'
  | 'friends'
  | 'eye'
  | 'copy'
  | 'share'
  | 'back'
  | 'plus'
  | 'close'
  | 'clock'
  | 'sprout'
  | 'bag'
  | 'games'
  | 'moon'
  | 'shield'
  | 'palette'
  | 'flame'
  | 'trophy'
  | 'snowflake'
  | 'check'
  | 'lock'
  | 'paw'
  | 'egg'
  | 'crown'
  | 'star'
  | 'sparkle'
  | 'coin'
  | 'heart'
  | 'info';

const f = (n: number): string => String(Math.round(n * 100) / 100);

/** A full circle as path data (two arcs, always the same winding). */
function circlePath(cx: number, cy: number, r: number): string {
  return `M${f(cx - r)} ${f(cy)}a${f(r)} ${f(r)} 0 1 0 ${f(2 * r)} 0a${f(r)} ${f(r)} 0 1 0 ${f(-2 * r)} 0z`;
}

function ellipsePath(cx: number, cy: number, rx: number, ry: number): string {
  return `M${f(cx - rx)} ${f(cy)}a${f(rx)} ${f(ry)} 0 1 0 ${f(2 * rx)} 0a${f(rx)} ${f(ry)} 0 1 0 ${f(-2 * rx)} 0z`;
}

/** A bar from (x1, y1) to (x2, y2) of width `w`, as a quad; rotations keep its winding. */
function barPath(x1: number, y1: number, x2: number, y2: number, w: number): string {
  const len = Math.hypot(x2 - x1, y2 - y1) || 1;
  const nx = (-(y2 - y1) / len) * (w / 2);
  const ny = ((x2 - x1) / len) * (w / 2);
  return `M${f(x1 + nx)} ${f(y1 + ny)}L${f(x2 + nx)} ${f(y2 + ny)}L${f(x2 - nx)} ${f(y2 - ny)}L${f(x1 - nx)} ${f(y1 - ny)}z`;
}

/** Six arms with a chevron on each: the streak freeze's snowflake. */
function snowflakePath(): string {
  const parts: string[] = [];
  for (let k = 0; k < 6; k++) {
    const a = (k * Math.PI) / 3 - Math.PI / 2;
    const ex = 12 + Math.cos(a) * 9.6;
    const ey = 12 + Math.sin(a) * 9.6;
    parts.push(barPath(12, 12, ex, ey, 2.2));
    const bx = 12 + Math.cos(a) * 6.2;
    const by = 12 + Math.sin(a) * 6.2;
    for (const side of [-1, 1]) {
      parts.push(barPath(bx, by, bx + Math.cos(a + side * 0.85) * 3.6, by + Math.sin(a + side * 0.85) * 3.6, 1.9));
    }
  }
  return parts.join('');
}

/** A star with `points` points, outer radius `r`, inner `ri`, centred on (cx, cy). */
function starPath(cx: number, cy: number, r: number, ri: number, points = 5): string {
  let d = '';
  for (let k = 0; k < points * 2; k++) {
    const a = (k * Math.PI) / points - Math.PI / 2;
    const rr = k % 2 === 0 ? r : ri;
    d += `${k === 0 ? 'M' : 'L'}${f(cx + Math.cos(a) * rr)} ${f(cy + Math.sin(a) * rr)}`;
  }
  return `${d}z`;
}

export const ICONS: Record<IconName, IconPart[]> = {
  feed: [
    { d: 'M6 10.6c0-3.1 2.7-5.4 6-5.4s6 2.3 6 5.4z' },
    { d: 'M9.6 3.2c.9.5 1 1.5.3 2.3M12.9 2.6c.9.5 1 1.5.3 2.3', tone: 'light' },
    { d: 'M2.8 11.4h18.4c.6 0 1 .5.9 1.1C21.4 17.3 17.2 21 12 21s-9.4-3.7-10.1-8.5c-.1-.6.3-1.1.9-1.1z' },
    { d: 'M6.2 14.2c.8 2.1 2.9 3.6 5.3 3.8', tone: 'light' },
  ],
  play: [
    { d: 'M12 2.5a9.5 9.5 0 1 1 0 19 9.5 9.5 0 0 1 0-19z' },
    { d: 'M4.3 8.6c4.9 1.9 10.5 1.9 15.4 0l.6 1.6c-5.3 2.1-11.3 2.1-16.6 0zM4.3 15.4c4.9-1.9 10.5-1.9 15.4 0l-.6 1.5c-4.6-1.7-9.6-1.7-14.2 0z', tone: 'light' },
  ],
  clean: [
    { d: 'M11 3c3.4 4.4 6.2 7.9 6.2 11a6.2 6.2 0 0 1-12.4 0c0-3.1 2.8-6.6 6.2-11z' },
    { d: 'M8.4 14.2c0 1.6 1 2.9 2.4 3.4', tone: 'light' },
    { d: 'M19.3 3a2.2 2.2 0 1 1 0 4.4 2.2 2.2 0 0 1 0-4.4zM20.5 9.6a1.4 1.4 0 1 1 0 2.8 1.4 1.4 0 0 1 0-2.8z' },
  ],
  heal: [
    { d: 'M12 20.8s-8.6-5.1-8.6-11.2c0-2.8 2.1-4.9 4.7-4.9 1.6 0 3 .8 3.9 2.1.9-1.3 2.3-2.1 3.9-2.1 2.6 0 4.7 2.1 4.7 4.9 0 6.1-8.6 11.2-8.6 11.2z' },
    { d: 'M10.8 8.4h2.4v2.4h2.4v2.4h-2.4v2.4h-2.4v-2.4H8.4v-2.4h2.4z', tone: 'light' },
  ],
  friends: [
    { d: 'M9 11.5a3.8 3.8 0 1 0 0-7.6 3.8 3.8 0 0 0 0 7.6zM2 19.6c0-3.3 3.1-5.6 7-5.6s7 2.3 7 5.6c0 .5-.4.9-.9.9H2.9c-.5 0-.9-.4-.9-.9z' },
    { d: 'M16.4 11.2a3.2 3.2 0 1 0 0-6.4 3.2 3.2 0 0 0 0 6.4zM17.6 20.5h3.5c.5 0 .9-.4.9-.9 0-2.8-2.3-4.8-5.4-5.1 1 1 1.6 2.4 1.6 4 0 .7-.2 1.4-.6 2z' },
  ],
  eye: [
    { d: 'M12 5C6.8 5 3 9.3 2 12c1 2.7 4.8 7 10 7s9-4.3 10-7c-1-2.7-4.8-7-10-7z' },
    { d: 'M12 8.6a3.4 3.4 0 1 1 0 6.8 3.4 3.4 0 0 1 0-6.8z', tone: 'light' },
  ],
  copy: [
    { d: 'M9 7.5V5.2C9 4 10 3 11.2 3h7.6C20 3 21 4 21 5.2v7.6c0 1.2-1 2.2-2.2 2.2h-2.3V9.7c0-1.2-1-2.2-2.2-2.2z' },
    { d: 'M3 11.2C3 10 4 9 5.2 9h7.6C14 9 15 10 15 11.2v7.6c0 1.2-1 2.2-2.2 2.2H5.2C4 21 3 20 3 18.8z' },
  ],
  share: [
    { d: 'M13 3.5l8 7.1-8 7.1v-4C8.3 13.7 5.4 15.3 3 19c.6-5.4 3.6-9.7 10-10.7z' },
  ],
  back: [{ d: 'M14.6 4.4a1.5 1.5 0 0 1 0 2.1L9.1 12l5.5 5.5a1.5 1.5 0 1 1-2.1 2.1l-6.6-6.5a1.5 1.5 0 0 1 0-2.2l6.6-6.5a1.5 1.5 0 0 1 2.1 0z' }],
  plus: [{ d: 'M12 4c.8 0 1.5.7 1.5 1.5v5h5a1.5 1.5 0 0 1 0 3h-5v5a1.5 1.5 0 0 1-3 0v-5h-5a1.5 1.5 0 0 1 0-3h5v-5c0-.8.7-1.5 1.5-1.5z' }],
  close: [{ d: 'M6.4 4.3L12 9.9l5.6-5.6a1.5 1.5 0 1 1 2.1 2.1L14.1 12l5.6 5.6a1.5 1.5 0 1 1-2.1 2.1L12 14.1l-5.6 5.6a1.5 1.5 0 1 1-2.1-2.1L9.9 12 4.3 6.4a1.5 1.5 0 0 1 2.1-2.1z' }],
  clock: [
    { d: 'M12 2.5a9.5 9.5 0 1 1 0 19 9.5 9.5 0 0 1 0-19z' },
    { d: 'M11 6.5h2v5.1l3.6 2.1-1 1.7-4.6-2.7z', tone: 'light' },
  ],
  bag: [
    { d: 'M8 7V6a4 4 0 0 1 8 0v1h2.2c.9 0 1.6.7 1.7 1.6l.9 10.6c.1 1-.7 1.8-1.7 1.8H4.9c-1 0-1.8-.8-1.7-1.8l.9-10.6C4.2 7.7 4.9 7 5.8 7zm2 0h4V6a2 2 0 0 0-4 0z' },
    { d: 'M8.5 11.5c.6 1.8 2 2.8 3.5 2.8s2.9-1 3.5-2.8', tone: 'light' },
  ],
  games: [
    { d: 'M7.5 7h9a5.5 5.5 0 0 1 5.3 6.9l-.9 3.5a2.6 2.6 0 0 1-4.4 1.1L14.6 16H9.4l-1.9 2.5a2.6 2.6 0 0 1-4.4-1.1l-.9-3.5A5.5 5.5 0 0 1 7.5 7z' },
    { d: 'M7 10.2v3.6M5.2 12h3.6', tone: 'light' },
    { d: 'M16.2 9.6a1.1 1.1 0 1 1 0 2.2 1.1 1.1 0 0 1 0-2.2zM18.4 11.9a1.1 1.1 0 1 1 0 2.2 1.1 1.1 0 0 1 0-2.2z', tone: 'light' },
  ],
  moon: [{ d: 'M20.5 14.6A8.6 8.6 0 0 1 9.4 3.5a8.6 8.6 0 1 0 11.1 11.1z' }],
  shield: [
    { d: 'M12 2.6l7.6 2.9v5.8c0 4.8-3.2 8.8-7.6 10.1-4.4-1.3-7.6-5.3-7.6-10.1V5.5z' },
    { d: 'M8.6 11.8l2.4 2.4 4.4-4.6', tone: 'light' },
  ],
  sprout: [
    { d: 'M11 21v-7.3C7.1 13.5 4 10.5 4 6.5V5h1.5c3.1 0 5.8 1.9 6.9 4.6C13.4 7 16 5 19 5h1v1.5c0 4.2-3.4 7.5-7.5 7.5H13v7z' },
  ],
  // An artist's palette: "a new picture".
  palette: [
    { d: 'M12 2.8c-5.3 0-9.4 4-9.4 9.1s4.2 9.3 9.3 9.3c1.1 0 1.8-.8 1.8-1.7 0-.5-.2-.9-.5-1.2-.3-.3-.5-.7-.5-1.2 0-1 .8-1.7 1.8-1.7h2.1c2.9 0 5.2-2.3 5.2-5.2 0-4.9-4.4-8.4-9.8-8.4z' },
    { d: 'M7.3 10.2a1.6 1.6 0 1 1 0 3.2 1.6 1.6 0 0 1 0-3.2z', tone: 'light' },
    { d: 'M9.8 5.9a1.6 1.6 0 1 1 0 3.2 1.6 1.6 0 0 1 0-3.2z', tone: 'light' },
    { d: 'M14.6 5.9a1.6 1.6 0 1 1 0 3.2 1.6 1.6 0 0 1 0-3.2z', tone: 'light' },
    { d: 'M17.4 9.8a1.6 1.6 0 1 1 0 3.2 1.6 1.6 0 0 1 0-3.2z', tone: 'light' },
  ],
  // The streak: a flame with a bright core.
  flame: [
    { d: 'M12.6 2.2c.4 2.9 2.2 4.6 3.8 6.3 1.7 1.8 3.2 3.7 3.2 6.6 0 3.9-3.3 6.8-7.6 6.8s-7.6-2.9-7.6-6.8c0-2.7 1.4-4.8 3.1-6.3.1 1.7.8 3.1 2.1 3.7-.5-4 1.4-7.5 3-10.3z' },
    { d: 'M12 13.4c1.6 1.4 2.8 2.6 2.8 4.3 0 1.5-1.2 2.7-2.8 2.7s-2.8-1.2-2.8-2.7c0-1.7 1.3-3 2.8-4.3z', tone: 'light' },
  ],
  trophy: [
    { d: 'M7 3h10v6.4a5 5 0 0 1-10 0z' },
    { d: 'M6.6 4.6H4.1C3.5 4.6 3 5.1 3 5.7v.9c0 2.7 1.9 4.9 4.4 5.4l.4-1.9C6.1 9.7 5 8.4 5 6.8v-.4h1.6z' },
    { d: 'M17.4 4.6h2.5c.6 0 1.1.5 1.1 1.1v.9c0 2.7-1.9 4.9-4.4 5.4l-.4-1.9c1.7-.4 2.8-1.7 2.8-3.3v-.4h-1.6z' },
    { d: 'M10.7 13.6h2.6v3.6h-2.6z' },
    { d: 'M7.6 19.3c0-1.2 1-2.1 2.2-2.1h4.4c1.2 0 2.2.9 2.2 2.1V21H7.6z' },
    { d: 'M9.6 5.4v3.4', tone: 'light' },
  ],
  snowflake: [{ d: snowflakePath() }],
  check: [{ d: 'M9.3 17.3l-4.6-4.6a1.6 1.6 0 0 1 2.3-2.3l3.4 3.4 6.6-6.6a1.6 1.6 0 1 1 2.3 2.3l-7.7 7.8a1.6 1.6 0 0 1-2.3 0z' }],
  lock: [
    { d: 'M7.8 10.5V8.2a4.2 4.2 0 0 1 8.4 0v2.3h-2.3V8.2a1.9 1.9 0 0 0-3.8 0v2.3z' },
    { d: 'M6.6 10.2h10.8c.9 0 1.6.7 1.6 1.6v7.6c0 .9-.7 1.6-1.6 1.6H6.6c-.9 0-1.6-.7-1.6-1.6v-7.6c0-.9.7-1.6 1.6-1.6z' },
    { d: 'M12 14.2v2.6', tone: 'light' },
  ],
  paw: [
    { d: ellipsePath(12, 16.2, 4.9, 4.2) },
    { d: ellipsePath(5.4, 11.2, 2.1, 2.6) },
    { d: ellipsePath(9.2, 6.6, 2.2, 2.8) },
    { d: ellipsePath(14.8, 6.6, 2.2, 2.8) },
    { d: ellipsePath(18.6, 11.2, 2.1, 2.6) },
  ],
  egg: [
    { d: 'M12 2.5c3.6 0 7 5.6 7 10.6 0 4.3-3.1 7.4-7 7.4s-7-3.1-7-7.4c0-5 3.4-10.6 7-10.6z' },
    { d: 'M8.9 10c-.6 1.1-.9 2.3-.9 3.4', tone: 'light' },
  ],
  crown: [
    { d: 'M3 7.5l4.6 3.8L12 4.6l4.4 6.7L21 7.5l-1.9 10.2H4.9z' },
    { d: 'M4.9 18.9h14.2v2H4.9z' },
    { d: circlePath(12, 13.6, 1.4), tone: 'light' },
  ],
  star: [{ d: starPath(12, 12.8, 10, 4.4) }],
  sparkle: [
    { d: 'M10.5 3c.8 4.6 3.4 7.2 8 8-4.6.8-7.2 3.4-8 8-.8-4.6-3.4-7.2-8-8 4.6-.8 7.2-3.4 8-8z' },
    { d: 'M18.5 14.5c.4 2 1.4 3 3.4 3.4-2 .4-3 1.4-3.4 3.4-.4-2-1.4-3-3.4-3.4 2-.4 3-1.4 3.4-3.4z' },
  ],
  coin: [
    { d: circlePath(12, 12, 9.5) },
    { d: 'M12 7a5 5 0 1 1-.1 0', tone: 'light' },
  ],
  info: [
    { d: circlePath(12, 12, 9.5) },
    { d: 'M12 10.8v5.6', tone: 'light' },
    { d: circlePath(12, 7.6, 1.3), tone: 'light' },
  ],
  heart: [{ d: 'M12 20.8s-8.6-5.1-8.6-11.2c0-2.8 2.1-4.9 4.7-4.9 1.6 0 3 .8 3.9 2.1.9-1.3 2.3-2.1 3.9-2.1 2.6 0 4.7 2.1 4.7 4.9 0 6.1-8.6 11.2-8.6 11.2z' }],
};

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An inline SVG icon that inherits `color`; decorative (hidden from screen readers). */
export function iconSvg(name: IconName, size = 24): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.classList.add('icon');
  for (const part of ICONS[name]) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', part.d);
    if (part.tone === 'light') {
      path.setAttribute('fill', 'none');
      path.setAttribute('stroke', 'rgba(255,255,255,0.85)');
      path.setAttribute('stroke-width', '1.4');
      path.setAttribute('stroke-linecap', 'round');
      // Closed highlight shapes read better filled than outlined.
      if (/z\s*$/i.test(part.d)) {
        path.setAttribute('fill', 'rgba(255,255,255,0.85)');
        path.removeAttribute('stroke');
      }
    } else {
      path.setAttribute('fill', 'currentColor');
    }
    svg.appendChild(path);
  }
  return svg;
}

/** Draws an icon on a canvas at (x, y) with side `size`, in `color`. */
export function drawIcon(ctx: CanvasRenderingContext2D, name: IconName, x: number, y: number, size: number, color: string): void {
  ctx.save();
  ctx.translate(x, y);
  ctx.scale(size / 24, size / 24);
  for (const part of ICONS[name]) {
    const path = new Path2D(part.d);
    if (part.tone === 'light') {
      if (/z\s*$/i.test(part.d)) {
        ctx.fillStyle = 'rgba(255,255,255,0.85)';
        ctx.fill(path);
      } else {
        ctx.strokeStyle = 'rgba(255,255,255,0.85)';
        ctx.lineWidth = 1.4;
        ctx.lineCap = 'round';
        ctx.stroke(path);
      }
    } else {
      ctx.fillStyle = color;
      ctx.fill(path);
    }
  }
  ctx.restore();
}
