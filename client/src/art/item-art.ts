/**
 * Procedural item art: the bag's items, coins and the minigames' targets, drawn on canvases
 * like the pet portraits (nothing is downloaded). The same drawings serve DOM images (the
 * bag, the food picker, care buttons) and Phaser textures (treats, bubbles, the ball).
 */
import type Phaser from 'phaser';
import type { ItemId } from '../../../shared/balance.js';
import { MAPLE_LEAF_OUTLINE, MAPLE_LEAF_VEINS } from '../../../shared/motifs.js';

export type ArtName = ItemId | 'coin' | 'bubble' | 'star' | 'coins' | 'gift';

const INK = '#3d2c29';

/** Each item's main colour, also used for DOM accents. */
export const ITEM_COLORS: Record<ArtName, string> = {
  kibble: '#d4904f',
  fish: '#5aa9e6',
  cake: '#ff8fb1',
  soap: '#7fcff0',
  ball: '#ff6fa3',
  medicine: '#4cc38a',
  berries: '#e0457b',
  steak: '#c8553d',
  bubble_bath: '#b48cf2',
  plush: '#c98b5a',
  vitamins: '#f59f00',
  streak_freeze: '#5fb8e4',
  skin_sakura: '#f48fb1',
  skin_midnight: '#3f43a0',
  skin_golden: '#f0b400',
  skin_maple: '#e0773a',
  skin_frost: '#7fb8e8',
  cocoa: '#9a5b3a',
  skin_meadow: '#7cbf4f',
  coin: '#f5b700',
  bubble: '#9bd9ff',
  star: '#ffb300',
  coins: '#f5b700',
  gift: '#ff6f9f',
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

/** Two blueberries behind a glossy red berry, with leaves. */
function berries(ctx: CanvasRenderingContext2D, s: number): void {
  const line = s * 0.045;
  // Leaves first: the berries overlap their stems.
  for (const [x, rot] of [
    [0.42, -0.7],
    [0.6, 0.6],
  ] as const) {
    ctx.save();
    ctx.translate(x * s, s * 0.24);
    ctx.rotate(rot);
    ctx.beginPath();
    ctx.ellipse(0, 0, s * 0.12, s * 0.055, 0, 0, Math.PI * 2);
    outlined(ctx, '#6cc070', line * 0.8, '#2f6b34');
    ctx.strokeStyle = 'rgba(47, 107, 52, 0.6)';
    ctx.lineWidth = line * 0.5;
    ctx.beginPath();
    ctx.moveTo(-s * 0.08, 0);
    ctx.lineTo(s * 0.08, 0);
    ctx.stroke();
    ctx.restore();
  }
  for (const [x, y, r] of [
    [0.31, 0.5, 0.16],
    [0.69, 0.5, 0.16],
  ] as const) {
    circle(ctx, x * s, y * s, r * s);
    const g = ctx.createRadialGradient((x - 0.06) * s, (y - 0.06) * s, s * 0.02, x * s, y * s, r * s);
    g.addColorStop(0, '#9aa9ff');
    g.addColorStop(1, '#3d4cc2');
    outlined(ctx, g, line, '#262f7a');
    // The blueberry's little crown, on its outer shoulder.
    const side = x < 0.5 ? -1 : 1;
    circle(ctx, (x + side * 0.06) * s, (y - 0.07) * s, s * 0.03);
    outlined(ctx, '#5563d6', line * 0.5, '#262f7a');
    shine(ctx, (x - 0.07) * s, (y + 0.02) * s, s * 0.03, s * 0.018, -1.2);
  }
  const cx = s * 0.5;
  const cy = s * 0.64;
  circle(ctx, cx, cy, s * 0.2);
  const g = ctx.createRadialGradient(cx - s * 0.07, cy - s * 0.08, s * 0.02, cx, cy, s * 0.21);
  g.addColorStop(0, '#ff9bb8');
  g.addColorStop(1, '#d6245a');
  outlined(ctx, g, line, '#8a1a3c');
  ctx.fillStyle = 'rgba(138, 26, 60, 0.35)';
  for (const [x, y] of [
    [-0.08, 0.03],
    [0.05, 0.08],
    [0.09, -0.03],
    [-0.02, 0.12],
  ] as const) {
    circle(ctx, cx + x * s, cy + y * s, s * 0.014);
    ctx.fill();
  }
  ctx.strokeStyle = '#2f6b34';
  ctx.lineWidth = line * 0.8;
  ctx.beginPath();
  ctx.moveTo(cx, cy - s * 0.19);
  ctx.quadraticCurveTo(cx + s * 0.02, cy - s * 0.3, cx + s * 0.08, cy - s * 0.34);
  ctx.stroke();
  shine(ctx, cx - s * 0.08, cy - s * 0.08, s * 0.06, s * 0.035);
}

/** A cartoon cut of meat on the bone. */
function steak(ctx: CanvasRenderingContext2D, s: number): void {
  const line = s * 0.045;
  ctx.save();
  ctx.translate(s / 2, s / 2);
  ctx.rotate(-0.6);
  // The bone runs through the meat and shows at both ends.
  const bone = new Path2D();
  bone.rect(-s * 0.4, -s * 0.04, s * 0.8, s * 0.08);
  for (const [x, y, r] of [
    [-0.4, -0.055, 0.065],
    [-0.4, 0.055, 0.065],
    [0.4, -0.045, 0.05],
    [0.4, 0.045, 0.05],
  ] as const) {
    bone.moveTo(x * s + r * s, y * s);
    bone.arc(x * s, y * s, r * s, 0, Math.PI * 2);
  }
  ctx.lineWidth = line * 2;
  ctx.strokeStyle = '#8c7a66';
  ctx.stroke(bone);
  ctx.fillStyle = '#fff8ec';
  ctx.fill(bone);
  ctx.beginPath();
  ctx.ellipse(s * 0.04, 0, s * 0.26, s * 0.22, 0, 0, Math.PI * 2);
  const g = ctx.createLinearGradient(0, -s * 0.22, 0, s * 0.22);
  g.addColorStop(0, '#ec8a64');
  g.addColorStop(1, '#b2462e');
  outlined(ctx, g, line, '#6e2a1c');
  // A rim of fat and a seared stripe.
  ctx.strokeStyle = 'rgba(255, 236, 214, 0.9)';
  ctx.lineWidth = line * 1.1;
  ctx.beginPath();
  ctx.ellipse(s * 0.04, 0, s * 0.18, s * 0.145, 0, Math.PI * 1.05, Math.PI * 1.75);
  ctx.stroke();
  ctx.strokeStyle = 'rgba(110, 42, 28, 0.45)';
  ctx.lineWidth = line * 0.7;
  for (const x of [-0.02, 0.1]) {
    ctx.beginPath();
    ctx.moveTo(x * s, s * 0.04);
    ctx.lineTo(x * s + s * 0.06, s * 0.12);
    ctx.stroke();
  }
  shine(ctx, -s * 0.06, -s * 0.1, s * 0.07, s * 0.03, 0.1);
  ctx.restore();
}

/** A footed tub overflowing with foam. */
function bubbleBath(ctx: CanvasRenderingContext2D, s: number): void {
  const line = s * 0.045;
  // Foam sits in the tub: drawn first, the rim cuts it off.
  const foam = new Path2D();
  for (const [x, y, r] of [
    [0.22, 0.5, 0.1],
    [0.35, 0.4, 0.12],
    [0.52, 0.36, 0.13],
    [0.68, 0.42, 0.11],
    [0.8, 0.5, 0.09],
  ] as const) {
    foam.moveTo((x + r) * s, y * s);
    foam.arc(x * s, y * s, r * s, 0, Math.PI * 2);
  }
  ctx.lineWidth = line * 2;
  ctx.strokeStyle = '#8b74c9';
  ctx.stroke(foam);
  ctx.fillStyle = '#ffffff';
  ctx.fill(foam);
  ctx.fillStyle = 'rgba(190, 170, 240, 0.35)';
  circle(ctx, s * 0.56, s * 0.42, s * 0.06);
  ctx.fill();
  for (const x of [0.27, 0.73]) {
    ctx.beginPath();
    ctx.roundRect((x - 0.05) * s, s * 0.76, s * 0.1, s * 0.12, s * 0.04);
    outlined(ctx, '#8b74c9', line * 0.8, '#4f3c8a');
  }
  ctx.beginPath();
  ctx.moveTo(s * 0.1, s * 0.52);
  ctx.lineTo(s * 0.9, s * 0.52);
  ctx.lineTo(s * 0.86, s * 0.66);
  ctx.quadraticCurveTo(s * 0.8, s * 0.84, s * 0.62, s * 0.84);
  ctx.lineTo(s * 0.38, s * 0.84);
  ctx.quadraticCurveTo(s * 0.2, s * 0.84, s * 0.14, s * 0.66);
  ctx.closePath();
  const g = ctx.createLinearGradient(0, s * 0.52, 0, s * 0.84);
  g.addColorStop(0, '#f1eaff');
  g.addColorStop(1, '#b9a2f0');
  outlined(ctx, g, line, '#4f3c8a');
  ctx.beginPath();
  ctx.roundRect(s * 0.07, s * 0.49, s * 0.86, s * 0.07, s * 0.035);
  outlined(ctx, '#ffffff', line * 0.8, '#4f3c8a');
  shine(ctx, s * 0.26, s * 0.63, s * 0.07, s * 0.025, 0);
  for (const [x, y, r] of [
    [0.84, 0.2, 0.06],
    [0.7, 0.12, 0.04],
  ] as const) {
    circle(ctx, x * s, y * s, r * s);
    ctx.fillStyle = 'rgba(220, 205, 255, 0.5)';
    ctx.fill();
    ctx.lineWidth = line * 0.6;
    ctx.strokeStyle = '#8b74c9';
    ctx.stroke();
    shine(ctx, (x - r * 0.35) * s, (y - r * 0.35) * s, r * 0.3 * s, r * 0.18 * s);
  }
}

/** A teddy bear's head. */
function plush(ctx: CanvasRenderingContext2D, s: number): void {
  const line = s * 0.045;
  const stroke = '#6b4226';
  for (const x of [0.27, 0.73]) {
    circle(ctx, x * s, s * 0.27, s * 0.12);
    outlined(ctx, '#c98b5a', line, stroke);
    circle(ctx, x * s, s * 0.27, s * 0.06);
    ctx.fillStyle = '#f5b3c4';
    ctx.fill();
  }
  circle(ctx, s * 0.5, s * 0.54, s * 0.32);
  const g = ctx.createRadialGradient(s * 0.42, s * 0.42, s * 0.05, s * 0.5, s * 0.54, s * 0.34);
  g.addColorStop(0, '#e9b886');
  g.addColorStop(1, '#b97a48');
  outlined(ctx, g, line, stroke);
  ctx.beginPath();
  ctx.ellipse(s * 0.5, s * 0.66, s * 0.14, s * 0.11, 0, 0, Math.PI * 2);
  ctx.fillStyle = '#f6dfc0';
  ctx.fill();
  ctx.fillStyle = INK;
  ctx.beginPath();
  ctx.ellipse(s * 0.5, s * 0.62, s * 0.05, s * 0.035, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.strokeStyle = INK;
  ctx.lineWidth = line * 0.6;
  ctx.beginPath();
  ctx.moveTo(s * 0.5, s * 0.655);
  ctx.lineTo(s * 0.5, s * 0.69);
  ctx.moveTo(s * 0.45, s * 0.71);
  ctx.quadraticCurveTo(s * 0.475, s * 0.735, s * 0.5, s * 0.69);
  ctx.quadraticCurveTo(s * 0.525, s * 0.735, s * 0.55, s * 0.71);
  ctx.stroke();
  for (const x of [0.39, 0.61]) {
    ctx.fillStyle = INK;
    circle(ctx, x * s, s * 0.5, s * 0.035);
    ctx.fill();
    ctx.fillStyle = '#ffffff';
    circle(ctx, (x - 0.012) * s, s * 0.488, s * 0.012);
    ctx.fill();
    ctx.fillStyle = 'rgba(255, 120, 150, 0.35)';
    circle(ctx, (x < 0.5 ? x - 0.06 : x + 0.06) * s, s * 0.62, s * 0.045);
    ctx.fill();
  }
  // A stitched patch: it is a toy.
  ctx.save();
  ctx.translate(s * 0.66, s * 0.36);
  ctx.rotate(0.3);
  ctx.beginPath();
  ctx.roundRect(-s * 0.055, -s * 0.04, s * 0.11, s * 0.08, s * 0.02);
  ctx.fillStyle = '#f5b3c4';
  ctx.fill();
  ctx.setLineDash([s * 0.015, s * 0.013]);
  ctx.lineWidth = line * 0.4;
  ctx.strokeStyle = stroke;
  ctx.stroke();
  ctx.restore();
  shine(ctx, s * 0.36, s * 0.36, s * 0.06, s * 0.03);
}

/** A jar of vitamins with a green cross on its label. */
function vitamins(ctx: CanvasRenderingContext2D, s: number): void {
  const line = s * 0.045;
  const stroke = '#8f5200';
  ctx.beginPath();
  ctx.roundRect(s * 0.23, s * 0.32, s * 0.54, s * 0.54, s * 0.12);
  const g = ctx.createLinearGradient(s * 0.23, 0, s * 0.77, 0);
  g.addColorStop(0, '#ffc35a');
  g.addColorStop(1, '#ee8a00');
  outlined(ctx, g, line, stroke);
  ctx.beginPath();
  ctx.roundRect(s * 0.19, s * 0.16, s * 0.62, s * 0.18, s * 0.06);
  const lid = ctx.createLinearGradient(0, s * 0.16, 0, s * 0.34);
  lid.addColorStop(0, '#ffffff');
  lid.addColorStop(1, '#e3e3e3');
  outlined(ctx, lid, line, stroke);
  ctx.strokeStyle = 'rgba(143, 82, 0, 0.35)';
  ctx.lineWidth = line * 0.5;
  for (const x of [0.3, 0.4, 0.5, 0.6, 0.7]) {
    ctx.beginPath();
    ctx.moveTo(x * s, s * 0.2);
    ctx.lineTo(x * s, s * 0.3);
    ctx.stroke();
  }
  ctx.beginPath();
  ctx.roundRect(s * 0.3, s * 0.45, s * 0.4, s * 0.28, s * 0.06);
  ctx.fillStyle = '#fff8e8';
  ctx.fill();
  ctx.fillStyle = '#35a873';
  ctx.beginPath();
  ctx.roundRect(s * 0.465, s * 0.5, s * 0.07, s * 0.18, s * 0.02);
  ctx.roundRect(s * 0.41, s * 0.555, s * 0.18, s * 0.07, s * 0.02);
  ctx.fill();
  shine(ctx, s * 0.3, s * 0.4, s * 0.025, s * 0.05, 0);
}

/** A calendar page frozen solid: the day you miss is kept. */
function streakFreeze(ctx: CanvasRenderingContext2D, s: number): void {
  const line = s * 0.045;
  const stroke = '#2b6f99';
  const x = s * 0.15;
  const y = s * 0.22;
  const w = s * 0.7;
  const hgt = s * 0.66;
  const r = s * 0.11;
  ctx.beginPath();
  ctx.roundRect(x, y, w, hgt, r);
  const g = ctx.createLinearGradient(0, y, 0, y + hgt);
  g.addColorStop(0, '#ffffff');
  g.addColorStop(1, '#c8ecff');
  ctx.fillStyle = g;
  ctx.fill();
  ctx.beginPath();
  ctx.roundRect(x, y, w, s * 0.19, [r, r, 0, 0]);
  const band = ctx.createLinearGradient(0, y, 0, y + s * 0.19);
  band.addColorStop(0, '#79c9f2');
  band.addColorStop(1, '#3d9bd6');
  ctx.fillStyle = band;
  ctx.fill();
  // Icicles hang from the header.
  ctx.fillStyle = '#8fd3f5';
  ctx.beginPath();
  for (const [ix, len] of [
    [0.26, 0.07],
    [0.38, 0.1],
    [0.56, 0.06],
    [0.7, 0.09],
  ] as const) {
    ctx.moveTo((ix - 0.035) * s, y + s * 0.19);
    ctx.lineTo((ix + 0.035) * s, y + s * 0.19);
    ctx.lineTo(ix * s, y + s * 0.19 + len * s);
    ctx.closePath();
  }
  ctx.fill();
  ctx.beginPath();
  ctx.roundRect(x, y, w, hgt, r);
  ctx.lineWidth = line;
  ctx.strokeStyle = stroke;
  ctx.stroke();
  for (const rx of [0.34, 0.66]) {
    ctx.beginPath();
    ctx.roundRect((rx - 0.03) * s, s * 0.13, s * 0.06, s * 0.16, s * 0.03);
    outlined(ctx, '#e9f6fd', line * 0.8, stroke);
  }
  // The snowflake: three bars with a chevron at each end.
  const cx = s * 0.5;
  const cy = s * 0.64;
  const arm = s * 0.16;
  ctx.strokeStyle = '#2f8fcf';
  ctx.lineWidth = line * 0.95;
  ctx.lineCap = 'round';
  for (let k = 0; k < 6; k++) {
    const a = (k * Math.PI) / 3 - Math.PI / 2;
    const ex = cx + Math.cos(a) * arm;
    const ey = cy + Math.sin(a) * arm;
    ctx.beginPath();
    ctx.moveTo(cx, cy);
    ctx.lineTo(ex, ey);
    const bx = cx + Math.cos(a) * arm * 0.62;
    const by = cy + Math.sin(a) * arm * 0.62;
    for (const side of [-1, 1]) {
      ctx.moveTo(bx, by);
      ctx.lineTo(bx + Math.cos(a + side * 0.8) * arm * 0.36, by + Math.sin(a + side * 0.8) * arm * 0.36);
    }
    ctx.stroke();
  }
  circle(ctx, cx, cy, s * 0.03);
  ctx.fillStyle = '#2f8fcf';
  ctx.fill();
  shine(ctx, x + s * 0.12, y + s * 0.3, s * 0.03, s * 0.07, 0.2);
}

interface SwatchStyle {
  light: string;
  dark: string;
  stroke: string;
  stitch: string;
  deco: (ctx: CanvasRenderingContext2D, s: number, fill: CanvasGradient) => void;
}

/** A four-pointed sparkle centred on (x, y) with radius r. */
function sparkle(ctx: CanvasRenderingContext2D, x: number, y: number, r: number): void {
  ctx.beginPath();
  ctx.moveTo(x, y - r);
  ctx.quadraticCurveTo(x, y, x + r, y);
  ctx.quadraticCurveTo(x, y, x, y + r);
  ctx.quadraticCurveTo(x, y, x - r, y);
  ctx.quadraticCurveTo(x, y, x, y - r);
  ctx.closePath();
}

/** A coat: a stitched swatch of fur in the skin's colours with its motif. */
function swatch(ctx: CanvasRenderingContext2D, s: number, style: SwatchStyle): void {
  const line = s * 0.045;
  ctx.save();
  ctx.translate(s / 2, s / 2);
  ctx.rotate(-0.14);
  ctx.translate(-s / 2, -s / 2);
  const x = s * 0.15;
  const w = s * 0.7;
  ctx.beginPath();
  ctx.roundRect(x, x, w, w, s * 0.16);
  const g = ctx.createLinearGradient(x, x, x + w, x + w);
  g.addColorStop(0, style.light);
  g.addColorStop(1, style.dark);
  outlined(ctx, g, line, style.stroke);
  // Soft fur strokes along the edge.
  ctx.save();
  ctx.beginPath();
  ctx.roundRect(x, x, w, w, s * 0.16);
  ctx.clip();
  ctx.fillStyle = 'rgba(255,255,255,0.16)';
  ctx.beginPath();
  ctx.ellipse(s * 0.36, s * 0.28, s * 0.34, s * 0.12, -0.5, 0, Math.PI * 2);
  ctx.fill();
  ctx.restore();
  ctx.beginPath();
  ctx.roundRect(x + s * 0.06, x + s * 0.06, w - s * 0.12, w - s * 0.12, s * 0.11);
  ctx.setLineDash([s * 0.045, s * 0.035]);
  ctx.lineWidth = line * 0.6;
  ctx.strokeStyle = style.stitch;
  ctx.stroke();
  ctx.setLineDash([]);
  style.deco(ctx, s, g);
  ctx.restore();
}

const SAKURA: SwatchStyle = {
  light: '#ffe0ea',
  dark: '#f48fb1',
  stroke: '#b4456f',
  stitch: 'rgba(255,255,255,0.85)',
  deco: (ctx, s) => {
    const line = s * 0.045;
    const blossom = (cx: number, cy: number, r: number): void => {
      for (let k = 0; k < 5; k++) {
        const a = (k * Math.PI * 2) / 5 - Math.PI / 2;
        ctx.save();
        ctx.translate(cx + Math.cos(a) * r * 0.55, cy + Math.sin(a) * r * 0.55);
        ctx.rotate(a + Math.PI / 2);
        ctx.beginPath();
        // A petal with the sakura's notch at its tip.
        ctx.moveTo(0, r * 0.55);
        ctx.bezierCurveTo(-r * 0.6, r * 0.2, -r * 0.5, -r * 0.55, -r * 0.12, -r * 0.5);
        ctx.lineTo(0, -r * 0.36);
        ctx.lineTo(r * 0.12, -r * 0.5);
        ctx.bezierCurveTo(r * 0.5, -r * 0.55, r * 0.6, r * 0.2, 0, r * 0.55);
        ctx.closePath();
        outlined(ctx, '#fff3f7', line * 0.6, '#d25a88');
        ctx.restore();
      }
      circle(ctx, cx, cy, r * 0.2);
      ctx.fillStyle = '#ffcf4d';
      ctx.fill();
    };
    blossom(s * 0.5, s * 0.5, s * 0.19);
    blossom(s * 0.73, s * 0.74, s * 0.08);
  },
};

const MIDNIGHT: SwatchStyle = {
  light: '#6a6fd6',
  dark: '#1f2257',
  stroke: '#14163a',
  stitch: 'rgba(200, 205, 255, 0.7)',
  deco: (ctx, s, fill) => {
    const cx = s * 0.46;
    const cy = s * 0.5;
    const r = s * 0.17;
    circle(ctx, cx, cy, r);
    ctx.fillStyle = '#ffe08a';
    ctx.fill();
    // The swatch's own gradient bites the crescent out of the moon.
    circle(ctx, cx + r * 0.5, cy - r * 0.3, r * 0.86);
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.fillStyle = '#fff6d0';
    for (const [x, y, k] of [
      [0.7, 0.33, 0.07],
      [0.68, 0.66, 0.05],
      [0.32, 0.74, 0.04],
    ] as const) {
      sparkle(ctx, x * s, y * s, k * s);
      ctx.fill();
    }
  },
};

const GOLDEN: SwatchStyle = {
  light: '#fff1a8',
  dark: '#e0a100',
  stroke: '#8a5a00',
  stitch: 'rgba(255, 255, 255, 0.8)',
  deco: (ctx, s) => {
    const line = s * 0.045;
    sparkle(ctx, s * 0.48, s * 0.5, s * 0.2);
    outlined(ctx, '#fffdf0', line * 0.6, '#c98a00');
    ctx.fillStyle = '#ffffff';
    sparkle(ctx, s * 0.7, s * 0.32, s * 0.07);
    ctx.fill();
    sparkle(ctx, s * 0.3, s * 0.72, s * 0.05);
    ctx.fill();
  },
};

/** A five-lobed maple leaf centred on (cx, cy), about 2r across, with its veins. */
function mapleLeaf(ctx: CanvasRenderingContext2D, cx: number, cy: number, r: number, rot: number, fill: string, stroke: string, line: number): void {
  ctx.save();
  ctx.translate(cx, cy);
  ctx.rotate(rot);
  ctx.beginPath();
  MAPLE_LEAF_OUTLINE.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x * r, y * r) : ctx.lineTo(x * r, y * r)));
  ctx.closePath();
  outlined(ctx, fill, line, stroke);
  ctx.beginPath();
  for (const [x1, y1, x2, y2] of MAPLE_LEAF_VEINS) {
    ctx.moveTo(x1 * r, y1 * r);
    ctx.lineTo(x2 * r, y2 * r);
  }
  ctx.lineWidth = line * 0.7;
  ctx.strokeStyle = stroke;
  ctx.stroke();
  ctx.restore();
}

/** A six-armed snowflake of radius r. */
function snowflake(ctx: CanvasRenderingContext2D, cx: number, cy: number, r: number, stroke: string, line: number): void {
  ctx.beginPath();
  for (let k = 0; k < 6; k++) {
    const a = (k * Math.PI) / 3 - Math.PI / 2;
    const [c, s] = [Math.cos(a), Math.sin(a)];
    ctx.moveTo(cx, cy);
    ctx.lineTo(cx + c * r, cy + s * r);
    const bx = cx + c * r * 0.6;
    const by = cy + s * r * 0.6;
    for (const side of [-1, 1]) {
      const b = a + side * 0.7;
      ctx.moveTo(bx, by);
      ctx.lineTo(bx + Math.cos(b) * r * 0.3, by + Math.sin(b) * r * 0.3);
    }
  }
  ctx.lineWidth = line;
  ctx.strokeStyle = stroke;
  ctx.stroke();
}

/** A daisy: white petals around a golden centre. */
function daisy(ctx: CanvasRenderingContext2D, cx: number, cy: number, r: number, line: number): void {
  for (let k = 0; k < 8; k++) {
    const a = (k * Math.PI) / 4;
    ctx.beginPath();
    ctx.ellipse(cx + Math.cos(a) * r * 0.55, cy + Math.sin(a) * r * 0.55, r * 0.45, r * 0.2, a, 0, Math.PI * 2);
    outlined(ctx, '#ffffff', line * 0.5, '#5f8f3a');
  }
  circle(ctx, cx, cy, r * 0.3);
  outlined(ctx, '#ffc933', line * 0.5, '#b07a00');
}

const MAPLE: SwatchStyle = {
  light: '#ffc98a',
  dark: '#d9622b',
  stroke: '#7a3210',
  stitch: 'rgba(255, 240, 214, 0.85)',
  deco: (ctx, s) => {
    const line = s * 0.04;
    mapleLeaf(ctx, s * 0.48, s * 0.48, s * 0.22, -0.2, '#c2381c', '#6e200c', line);
    mapleLeaf(ctx, s * 0.72, s * 0.72, s * 0.09, 0.6, '#ffb347', '#8a4a10', line * 0.7);
  },
};

const FROST: SwatchStyle = {
  light: '#ffffff',
  dark: '#8dbfe8',
  stroke: '#2a4466',
  stitch: 'rgba(255, 255, 255, 0.9)',
  deco: (ctx, s) => {
    snowflake(ctx, s * 0.48, s * 0.5, s * 0.2, '#ffffff', s * 0.05);
    snowflake(ctx, s * 0.48, s * 0.5, s * 0.2, '#4f86bf', s * 0.022);
    ctx.fillStyle = '#ffffff';
    for (const [x, y, k] of [
      [0.72, 0.3, 0.025],
      [0.3, 0.74, 0.02],
      [0.74, 0.7, 0.018],
    ] as const) {
      circle(ctx, x * s, y * s, k * s);
      ctx.fill();
    }
  },
};

const MEADOW: SwatchStyle = {
  light: '#dff3c4',
  dark: '#6fae4a',
  stroke: '#2f4a1c',
  stitch: 'rgba(255, 255, 255, 0.85)',
  deco: (ctx, s) => {
    const line = s * 0.045;
    daisy(ctx, s * 0.46, s * 0.48, s * 0.2, line);
    daisy(ctx, s * 0.72, s * 0.72, s * 0.09, line * 0.7);
  },
};

/** A mug of hot cocoa with a marshmallow and steam. */
function cocoa(ctx: CanvasRenderingContext2D, s: number): void {
  const line = s * 0.045;
  // Steam.
  ctx.beginPath();
  for (const x of [0.4, 0.56]) {
    ctx.moveTo(s * x, s * 0.3);
    ctx.bezierCurveTo(s * (x - 0.06), s * 0.22, s * (x + 0.06), s * 0.18, s * x, s * 0.1);
  }
  ctx.lineWidth = line * 0.8;
  ctx.strokeStyle = 'rgba(154, 91, 58, 0.45)';
  ctx.stroke();
  // Handle.
  ctx.beginPath();
  ctx.ellipse(s * 0.74, s * 0.56, s * 0.1, s * 0.12, 0, -Math.PI / 2, Math.PI / 2);
  ctx.lineWidth = line * 2.2;
  ctx.strokeStyle = INK;
  ctx.stroke();
  ctx.lineWidth = line * 1.1;
  ctx.strokeStyle = '#e2475a';
  ctx.stroke();
  // Mug.
  ctx.beginPath();
  ctx.moveTo(s * 0.22, s * 0.36);
  ctx.lineTo(s * 0.72, s * 0.36);
  ctx.lineTo(s * 0.68, s * 0.8);
  ctx.quadraticCurveTo(s * 0.47, s * 0.88, s * 0.26, s * 0.8);
  ctx.closePath();
  const g = ctx.createLinearGradient(s * 0.22, 0, s * 0.72, 0);
  g.addColorStop(0, '#ff8a8a');
  g.addColorStop(1, '#d8394e');
  outlined(ctx, g, line);
  // A white stripe with a snowflake.
  ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
  ctx.fillRect(s * 0.25, s * 0.52, s * 0.45, s * 0.08);
  snowflake(ctx, s * 0.47, s * 0.68, s * 0.06, '#ffffff', line * 0.5);
  // Cocoa and a marshmallow.
  ctx.beginPath();
  ctx.ellipse(s * 0.47, s * 0.36, s * 0.25, s * 0.06, 0, 0, Math.PI * 2);
  outlined(ctx, '#7a4128', line);
  ctx.beginPath();
  ctx.roundRect(s * 0.4, s * 0.28, s * 0.13, s * 0.09, s * 0.03);
  outlined(ctx, '#fff6f0', line * 0.7);
  shine(ctx, s * 0.3, s * 0.48, s * 0.03, s * 0.06, 0.2);
}

/** A Telegram Star: a plump gold five-pointed star. */
function star(ctx: CanvasRenderingContext2D, s: number): void {
  const line = s * 0.05;
  const cx = s / 2;
  const cy = s * 0.53;
  ctx.beginPath();
  for (let k = 0; k < 10; k++) {
    const a = (k * Math.PI) / 5 - Math.PI / 2;
    const r = k % 2 === 0 ? s * 0.42 : s * 0.2;
    const px = cx + Math.cos(a) * r;
    const py = cy + Math.sin(a) * r;
    if (k === 0) ctx.moveTo(px, py);
    else ctx.lineTo(px, py);
  }
  ctx.closePath();
  const g = ctx.createLinearGradient(0, cy - s * 0.42, 0, cy + s * 0.35);
  g.addColorStop(0, '#ffe27a');
  g.addColorStop(1, '#f59e00');
  ctx.lineJoin = 'round';
  outlined(ctx, g, line, '#b06a00');
  shine(ctx, cx - s * 0.08, cy - s * 0.1, s * 0.06, s * 0.03, -0.5);
}

/** A stack of coins with one standing in front. */
function coins(ctx: CanvasRenderingContext2D, s: number): void {
  const line = s * 0.04;
  const cx = s * 0.38;
  for (let k = 0; k < 4; k++) {
    const y = s * (0.76 - k * 0.11);
    ctx.beginPath();
    ctx.ellipse(cx, y + s * 0.05, s * 0.24, s * 0.08, 0, 0, Math.PI);
    ctx.lineTo(cx - s * 0.24, y);
    ctx.ellipse(cx, y, s * 0.24, s * 0.08, 0, Math.PI, 0, true);
    ctx.closePath();
    outlined(ctx, '#e09a00', line, '#a86f00');
    ctx.beginPath();
    ctx.ellipse(cx, y, s * 0.24, s * 0.08, 0, 0, Math.PI * 2);
    outlined(ctx, '#ffd95a', line, '#a86f00');
  }
  ctx.save();
  ctx.translate(s * 0.42, s * 0.36);
  ctx.scale(0.58, 0.58);
  coin(ctx, s);
  ctx.restore();
}

/** A gift box with a ribbon: a bundle of things. */
function gift(ctx: CanvasRenderingContext2D, s: number): void {
  const line = s * 0.045;
  const stroke = '#9b2f5a';
  for (const side of [-1, 1]) {
    ctx.beginPath();
    ctx.ellipse(s * 0.5 + side * s * 0.12, s * 0.24, s * 0.13, s * 0.08, side * -0.5, 0, Math.PI * 2);
    outlined(ctx, '#ffd43b', line * 0.8, '#a86f00');
  }
  ctx.beginPath();
  ctx.roundRect(s * 0.19, s * 0.44, s * 0.62, s * 0.42, s * 0.06);
  const g = ctx.createLinearGradient(0, s * 0.44, 0, s * 0.86);
  g.addColorStop(0, '#ff9cbd');
  g.addColorStop(1, '#e5487a');
  outlined(ctx, g, line, stroke);
  ctx.beginPath();
  ctx.roundRect(s * 0.13, s * 0.3, s * 0.74, s * 0.17, s * 0.05);
  const lid = ctx.createLinearGradient(0, s * 0.3, 0, s * 0.47);
  lid.addColorStop(0, '#ffb3cc');
  lid.addColorStop(1, '#f0628f');
  outlined(ctx, lid, line, stroke);
  ctx.fillStyle = '#ffd43b';
  ctx.fillRect(s * 0.45, s * 0.3 + line / 2, s * 0.1, s * 0.56 - line);
  circle(ctx, s * 0.5, s * 0.3, s * 0.05);
  outlined(ctx, '#ffd43b', line * 0.8, '#a86f00');
  shine(ctx, s * 0.28, s * 0.36, s * 0.06, s * 0.02, 0);
}

const DRAW: Record<ArtName, (ctx: CanvasRenderingContext2D, s: number) => void> = {
  kibble,
  fish,
  cake,
  soap,
  ball,
  medicine,
  berries,
  steak,
  bubble_bath: bubbleBath,
  plush,
  vitamins,
  streak_freeze: streakFreeze,
  skin_sakura: (ctx, s) => swatch(ctx, s, SAKURA),
  skin_midnight: (ctx, s) => swatch(ctx, s, MIDNIGHT),
  skin_golden: (ctx, s) => swatch(ctx, s, GOLDEN),
  skin_maple: (ctx, s) => swatch(ctx, s, MAPLE),
  skin_frost: (ctx, s) => swatch(ctx, s, FROST),
  cocoa,
  skin_meadow: (ctx, s) => swatch(ctx, s, MEADOW),
  coin,
  bubble,
  star,
  coins,
  gift,
};

/** Draws `name` into a `size`×`size` square at the origin of `ctx`. */
function drawItem(ctx: CanvasRenderingContext2D, name: ArtName, size: number): void {
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

/**
 * `name`'s shape filled with one flat colour: a locked item in the collection book (its
 * outline without its colours). Decorative.
 */
export function itemSilhouette(name: ArtName, cssSize: number, color: string, className = 'item-art silhouette'): HTMLCanvasElement {
  const canvas = itemImage(name, cssSize, className);
  const ctx = canvas.getContext('2d');
  if (ctx) {
    ctx.save();
    ctx.globalCompositeOperation = 'source-in';
    ctx.fillStyle = color;
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.restore();
  }
  return canvas;
}

const ITEM_TEXTURE = (name: ArtName): string => `item:${name}`;

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
