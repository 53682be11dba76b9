/**
 * Procedural item art: the bag's items, coins and the minigames' targets, drawn on canvases
 * like the pet portraits (nothing is downloaded). The same drawings serve DOM images (the
 * bag, the food picker, care buttons) and Phaser textures (treats, bubbles, the ball).
 */
import type Phaser from 'phaser';
import type { ItemId } from '../../../shared/balance.js';

export type ArtName = ItemId | 'coin' | 'bubble';

const INK = '#3d2c29';

/** Each item's main colour, also used for DOM accents. */
export const ITEM_COLORS: Record<ArtName, string> = {
  kibble: '#d4904f',
  fish: '#5aa9e6',
  cake: '#ff8fb1',
  soap: '#7fcff0',
  ball: '#ff6fa3',
  medicine: '#4cc38a',
  coin: '#f5b700',
  bubble: '#9bd9ff',
};

function circle(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, Math.PI * 2);
}

function outlined(ctx: CanvasRenderingContext2D, fill: string | CanvasGradient, line: number, stroke = INK): void {
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = line;
  ctx.strokeStyle = stroke;
  ctx.stroke();
}

function shine(ctx: CanvasRenderingContext2D, x: number, y: number, rx: number, ry: number, rot = -0.6): void {
  ctx.fillStyle = 'rgba(255,255,255,0.55)';
  ctx.beginPath();
  ctx.ellipse(x, y, rx, ry, rot, 0, Math.PI * 2);
  ctx.fill();
}

/** A bone-shaped biscuit. */
function kibble(ctx: CanvasRenderingContext2D, s: number): void {
  const line = s * 0.045;
  const knob = s * 0.13;
  const half = s * 0.26;
  ctx.save();
  ctx.translate(s / 2, s / 2);
  ctx.rotate(-0.55);
  // The union of a bar and four knobs: outlined first, filled on top, so no seams show.
  const shape = new Path2D();
  shape.rect(-half, -s * 0.085, half * 2, s * 0.17);
  for (const [x, y] of [
    [-half, -knob * 0.8],
    [-half, knob * 0.8],
    [half, -knob * 0.8],
    [half, knob * 0.8],
  ] as const) {
    shape.moveTo(x + knob, y);
    shape.arc(x, y, knob, 0, Math.PI * 2);
  }
  ctx.lineWidth = line * 2;
  ctx.strokeStyle = '#8a5a2e';
  ctx.stroke(shape);
  const g = ctx.createLinearGradient(0, -s * 0.2, 0, s * 0.2);
  g.addColorStop(0, '#f1b574');
  g.addColorStop(1, '#c47d3e');
  ctx.fillStyle = g;
  ctx.fill(shape);
  ctx.fillStyle = 'rgba(255,255,255,0.45)';
  ctx.beginPath();
  ctx.roundRect(-half * 0.8, -s * 0.05, half * 1.6, s * 0.035, s * 0.02);
  ctx.fill();
  ctx.fillStyle = 'rgba(138, 90, 46, 0.55)';
  for (const x of [-0.1, 0.05, 0.18]) {
    circle(ctx, x * s, s * 0.03, s * 0.016);
    ctx.fill();
  }
  ctx.restore();
}

function fish(ctx: CanvasRenderingContext2D, s: number): void {
  const line = s * 0.045;
  const cx = s * 0.46;
  const cy = s * 0.52;
  // Tail first, so the body overlaps it.
  ctx.beginPath();
  ctx.moveTo(cx + s * 0.24, cy);
  ctx.lineTo(cx + s * 0.44, cy - s * 0.17);
  ctx.quadraticCurveTo(cx + s * 0.38, cy, cx + s * 0.44, cy + s * 0.17);
  ctx.closePath();
  outlined(ctx, '#3f8fd0', line, '#265d8a');
  ctx.beginPath();
  ctx.ellipse(cx, cy, s * 0.3, s * 0.19, 0, 0, Math.PI * 2);
  const g = ctx.createLinearGradient(0, cy - s * 0.2, 0, cy + s * 0.2);
  g.addColorStop(0, '#8cc9f2');
  g.addColorStop(1, '#4a98d8');
  outlined(ctx, g, line, '#265d8a');
  // Gill and fin.
  ctx.strokeStyle = '#265d8a';
  ctx.lineWidth = line * 0.8;
  ctx.lineCap = 'round';
  ctx.beginPath();
  ctx.arc(cx - s * 0.12, cy, s * 0.1, -0.9, 0.9);
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(cx + s * 0.02, cy - s * 0.18);
  ctx.quadraticCurveTo(cx + s * 0.1, cy - s * 0.3, cx + s * 0.18, cy - s * 0.14);
  ctx.stroke();
  ctx.fillStyle = '#ffffff';
  circle(ctx, cx - s * 0.19, cy - s * 0.04, s * 0.05);
  ctx.fill();
  ctx.fillStyle = INK;
  circle(ctx, cx - s * 0.2, cy - s * 0.04, s * 0.027);
  ctx.fill();
  shine(ctx, cx - s * 0.02, cy - s * 0.09, s * 0.1, s * 0.03, -0.1);
}

function cake(ctx: CanvasRenderingContext2D, s: number): void {
  const line = s * 0.045;
  const cx = s / 2;
  // A cupcake: striped wrapper, pink frosting, a cherry.
  ctx.beginPath();
  ctx.moveTo(cx - s * 0.27, s * 0.5);
  ctx.lineTo(cx + s * 0.27, s * 0.5);
  ctx.lineTo(cx + s * 0.2, s * 0.86);
  ctx.lineTo(cx - s * 0.2, s * 0.86);
  ctx.closePath();
  outlined(ctx, '#ffc76b', line, '#a86a2a');
  ctx.strokeStyle = 'rgba(168, 106, 42, 0.6)';
  ctx.lineWidth = line * 0.7;
  for (const k of [-0.12, 0, 0.12]) {
    ctx.beginPath();
    ctx.moveTo(cx + k * s * 1.25, s * 0.53);
    ctx.lineTo(cx + k * s, s * 0.83);
    ctx.stroke();
  }
  ctx.beginPath();
  ctx.moveTo(cx - s * 0.32, s * 0.52);
  ctx.bezierCurveTo(cx - s * 0.36, s * 0.3, cx - s * 0.12, s * 0.2, cx, s * 0.22);
  ctx.bezierCurveTo(cx + s * 0.12, s * 0.2, cx + s * 0.36, s * 0.3, cx + s * 0.32, s * 0.52);
  ctx.quadraticCurveTo(cx, s * 0.6, cx - s * 0.32, s * 0.52);
  ctx.closePath();
  const g = ctx.createLinearGradient(0, s * 0.2, 0, s * 0.56);
  g.addColorStop(0, '#ffc1d6');
  g.addColorStop(1, '#ff82ab');
  outlined(ctx, g, line, '#b84a72');
  for (const [x, y, c] of [
    [-0.14, 0.4, '#7cc3f2'],
    [0.1, 0.44, '#ffd43b'],
    [0.02, 0.34, '#8fdc9a'],
    [0.17, 0.36, '#ffffff'],
  ] as const) {
    ctx.fillStyle = c;
    ctx.beginPath();
    ctx.roundRect(cx + x * s, y * s, s * 0.045, s * 0.02, s * 0.01);
    ctx.fill();
  }
  circle(ctx, cx + s * 0.02, s * 0.17, s * 0.075);
  outlined(ctx, '#e5484d', line * 0.8, '#8d2a2d');
  shine(ctx, cx - s * 0.005, s * 0.145, s * 0.022, s * 0.014);
  ctx.strokeStyle = '#5c8a3a';
  ctx.lineWidth = line * 0.7;
  ctx.beginPath();
  ctx.moveTo(cx + s * 0.04, s * 0.1);
  ctx.quadraticCurveTo(cx + s * 0.07, s * 0.04, cx + s * 0.12, s * 0.04);
  ctx.stroke();
}

function soap(ctx: CanvasRenderingContext2D, s: number): void {
  const line = s * 0.045;
  ctx.beginPath();
  ctx.roundRect(s * 0.14, s * 0.42, s * 0.6, s * 0.36, s * 0.12);
  const g = ctx.createLinearGradient(0, s * 0.42, 0, s * 0.78);
  g.addColorStop(0, '#b6e6fa');
  g.addColorStop(1, '#5fb8e4');
  outlined(ctx, g, line, '#2f7aa6');
  shine(ctx, s * 0.3, s * 0.52, s * 0.1, s * 0.03, -0.05);
  for (const [x, y, r] of [
    [0.72, 0.3, 0.1],
    [0.52, 0.24, 0.07],
    [0.84, 0.14, 0.055],
  ] as const) {
    circle(ctx, x * s, y * s, r * s);
    ctx.fillStyle = 'rgba(190, 235, 255, 0.55)';
    ctx.fill();
    ctx.lineWidth = line * 0.7;
    ctx.strokeStyle = '#4aa3d6';
    ctx.stroke();
    shine(ctx, (x - r * 0.35) * s, (y - r * 0.35) * s, r * 0.3 * s, r * 0.18 * s);
  }
}

function ball(ctx: CanvasRenderingContext2D, s: number): void {
  const line = s * 0.045;
  const cx = s / 2;
  const cy = s / 2;
  const r = s * 0.38;
  circle(ctx, cx, cy, r);
  const g = ctx.createRadialGradient(cx - r * 0.4, cy - r * 0.4, r * 0.1, cx, cy, r * 1.1);
  g.addColorStop(0, '#ffb3cf');
  g.addColorStop(1, '#f0508a');
  ctx.fillStyle = g;
  ctx.fill();
  // Two yellow bands, clipped to the ball.
  ctx.save();
  circle(ctx, cx, cy, r);
  ctx.clip();
  ctx.strokeStyle = '#ffd43b';
  ctx.lineWidth = s * 0.09;
  ctx.beginPath();
  ctx.ellipse(cx, cy + r * 1.1, r * 1.5, r * 0.9, 0, Math.PI * 1.1, Math.PI * 1.9);
  ctx.stroke();
  ctx.beginPath();
  ctx.ellipse(cx, cy - r * 1.1, r * 1.5, r * 0.9, 0, Math.PI * 0.1, Math.PI * 0.9);
  ctx.stroke();
  ctx.restore();
  circle(ctx, cx, cy, r);
  ctx.lineWidth = line;
  ctx.strokeStyle = '#9b2f5a';
  ctx.stroke();
  shine(ctx, cx - r * 0.42, cy - r * 0.45, r * 0.22, r * 0.12);
}

function medicine(ctx: CanvasRenderingContext2D, s: number): void {
  const line = s * 0.045;
  ctx.save();
  ctx.translate(s / 2, s / 2);
  ctx.rotate(-Math.PI / 4);
  const w = s * 0.7;
  const h = s * 0.3;
  ctx.beginPath();
  ctx.roundRect(-w / 2, -h / 2, w / 2, h, [h / 2, 0, 0, h / 2]);
  outlined(ctx, '#ffffff', line, '#2c7a55');
  ctx.beginPath();
  ctx.roundRect(0, -h / 2, w / 2, h, [0, h / 2, h / 2, 0]);
  const g = ctx.createLinearGradient(0, -h / 2, 0, h / 2);
  g.addColorStop(0, '#7fdcae');
  g.addColorStop(1, '#35a873');
  outlined(ctx, g, line, '#2c7a55');
  shine(ctx, -w * 0.22, -h * 0.22, w * 0.12, h * 0.09, 0);
  shine(ctx, w * 0.22, -h * 0.22, w * 0.12, h * 0.09, 0);
  ctx.restore();
}

function coin(ctx: CanvasRenderingContext2D, s: number): void {
  const line = s * 0.05;
  const cx = s / 2;
  const cy = s / 2;
  circle(ctx, cx, cy, s * 0.4);
  const g = ctx.createRadialGradient(cx - s * 0.12, cy - s * 0.14, s * 0.04, cx, cy, s * 0.45);
  g.addColorStop(0, '#ffe680');
  g.addColorStop(1, '#f0a800');
  outlined(ctx, g, line, '#a86f00');
  circle(ctx, cx, cy, s * 0.28);
  ctx.lineWidth = line * 0.7;
  ctx.strokeStyle = 'rgba(168, 111, 0, 0.55)';
  ctx.stroke();
  // A paw print in the middle.
  ctx.fillStyle = '#c98a00';
  ctx.beginPath();
  ctx.ellipse(cx, cy + s * 0.06, s * 0.09, s * 0.07, 0, 0, Math.PI * 2);
  ctx.fill();
  for (const [x, y] of [
    [-0.1, -0.04],
    [-0.035, -0.1],
    [0.035, -0.1],
    [0.1, -0.04],
  ] as const) {
    circle(ctx, cx + x * s, cy + y * s, s * 0.032);
    ctx.fill();
  }
  shine(ctx, cx - s * 0.17, cy - s * 0.18, s * 0.06, s * 0.035);
}

function bubble(ctx: CanvasRenderingContext2D, s: number): void {
  const cx = s / 2;
  const cy = s / 2;
  const r = s * 0.45;
  const g = ctx.createRadialGradient(cx - r * 0.3, cy - r * 0.3, r * 0.1, cx, cy, r);
  g.addColorStop(0, 'rgba(255,255,255,0.12)');
  g.addColorStop(0.75, 'rgba(170, 220, 255, 0.28)');
  g.addColorStop(0.92, 'rgba(255, 190, 240, 0.55)');
  g.addColorStop(1, 'rgba(150, 230, 255, 0.8)');
  circle(ctx, cx, cy, r);
  ctx.fillStyle = g;
  ctx.fill();
  // A blue rim under a white one: the bubble reads on light and dark water alike.
  ctx.lineWidth = s * 0.05;
  ctx.strokeStyle = 'rgba(70, 150, 215, 0.55)';
  ctx.stroke();
  ctx.lineWidth = s * 0.022;
  ctx.strokeStyle = 'rgba(255,255,255,0.95)';
  ctx.stroke();
  shine(ctx, cx - r * 0.42, cy - r * 0.42, r * 0.22, r * 0.12);
  ctx.fillStyle = 'rgba(255,255,255,0.8)';
  circle(ctx, cx + r * 0.45, cy + r * 0.4, r * 0.06);
  ctx.fill();
}

const DRAW: Record<ArtName, (ctx: CanvasRenderingContext2D, s: number) => void> = {
  kibble,
  fish,
  cake,
  soap,
  ball,
  medicine,
  coin,
  bubble,
};

/** Draws `name` into a `size`×`size` square at the origin of `ctx`. */
export function drawItem(ctx: CanvasRenderingContext2D, name: ArtName, size: number): void {
  ctx.save();
  ctx.lineJoin = 'round';
  ctx.lineCap = 'round';
  DRAW[name](ctx, size);
  ctx.restore();
}

/** A DOM canvas showing `name` at `cssSize` CSS pixels, crisp on dense screens; decorative. */
export function itemImage(name: ArtName, cssSize: number, className = 'item-art'): HTMLCanvasElement {
  const dpr = Math.min(3, Math.max(1, window.devicePixelRatio || 1));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(cssSize * dpr);
  canvas.height = Math.round(cssSize * dpr);
  canvas.style.width = `${cssSize}px`;
  canvas.style.height = `${cssSize}px`;
  canvas.className = className;
  canvas.setAttribute('aria-hidden', 'true');
  const ctx = canvas.getContext('2d');
  if (ctx) drawItem(ctx, name, canvas.width);
  return canvas;
}

export const ITEM_TEXTURE = (name: ArtName): string => `item:${name}`;

/** Creates the Phaser texture for `name` once per game and returns its key. */
export function ensureItemTexture(scene: Phaser.Scene, name: ArtName, size = 128): string {
  const key = ITEM_TEXTURE(name);
  if (scene.textures.exists(key)) return key;
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (ctx) drawItem(ctx, name, size);
  scene.textures.addCanvas(key, canvas);
  return key;
}
