/**
 * Small procedural textures for effects: particles and the pet's "needs" thought bubble.
 * Drawn once per game on canvases, like the pet portraits, so nothing is downloaded.
 */
import type Phaser from 'phaser';
import { drawIcon, type IconName } from './icons.js';

export type FxTexture = 'heart' | 'star' | 'bubble' | 'crumb' | 'cross' | 'dot' | 'confetti';

export const FX_KEY = (name: FxTexture): string => `fx:${name}`;
export const NEED_KEY = (icon: IconName): string => `need:${icon}`;

function canvas(size: number, draw: (ctx: CanvasRenderingContext2D, s: number) => void): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = size;
  c.height = size;
  const ctx = c.getContext('2d');
  if (ctx) draw(ctx, size);
  return c;
}

const DRAWERS: Record<FxTexture, (ctx: CanvasRenderingContext2D, s: number) => void> = {
  heart: (ctx, s) => drawIcon(ctx, 'heal', 0, 0, s, '#ff6f91'),
  star: (ctx, s) => {
    ctx.fillStyle = '#ffd43b';
    ctx.beginPath();
    for (let i = 0; i < 10; i++) {
      const r = i % 2 === 0 ? s * 0.48 : s * 0.2;
      const a = -Math.PI / 2 + (i * Math.PI) / 5;
      ctx.lineTo(s / 2 + Math.cos(a) * r, s / 2 + Math.sin(a) * r);
    }
    ctx.closePath();
    ctx.fill();
  },
  bubble: (ctx, s) => {
    ctx.fillStyle = 'rgba(173, 224, 255, 0.35)';
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.95)';
    ctx.lineWidth = s * 0.08;
    ctx.beginPath();
    ctx.arc(s / 2, s / 2, s * 0.42, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
    ctx.beginPath();
    ctx.arc(s * 0.36, s * 0.34, s * 0.09, 0, Math.PI * 2);
    ctx.fill();
  },
  crumb: (ctx, s) => {
    ctx.fillStyle = '#e5a35a';
    ctx.beginPath();
    ctx.arc(s / 2, s / 2, s * 0.4, 0, Math.PI * 2);
    ctx.fill();
  },
  cross: (ctx, s) => {
    ctx.fillStyle = '#4cc38a';
    const w = s * 0.3;
    ctx.beginPath();
    ctx.roundRect((s - w) / 2, s * 0.08, w, s * 0.84, w * 0.3);
    ctx.roundRect(s * 0.08, (s - w) / 2, s * 0.84, w, w * 0.3);
    ctx.fill();
  },
  dot: (ctx, s) => {
    ctx.fillStyle = '#3d2c29';
    ctx.beginPath();
    ctx.arc(s / 2, s / 2, s * 0.32, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = 'rgba(255,255,255,0.7)';
    ctx.beginPath();
    ctx.ellipse(s * 0.3, s * 0.3, s * 0.2, s * 0.12, -0.5, 0, Math.PI * 2);
    ctx.ellipse(s * 0.7, s * 0.3, s * 0.2, s * 0.12, 0.5, 0, Math.PI * 2);
    ctx.fill();
  },
  confetti: (ctx, s) => {
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(s * 0.2, s * 0.35, s * 0.6, s * 0.3);
  },
};

/** A thought bubble holding a need icon, shown above a pet that lacks something. */
function needBubble(icon: IconName, color: string): HTMLCanvasElement {
  return canvas(128, (ctx, s) => {
    ctx.fillStyle = '#ffffff';
    ctx.strokeStyle = 'rgba(61, 44, 41, 0.18)';
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.ellipse(s * 0.5, s * 0.42, s * 0.4, s * 0.34, 0, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
    for (const [x, y, r] of [
      [0.3, 0.84, 0.07],
      [0.2, 0.95, 0.04],
    ] as const) {
      ctx.beginPath();
      ctx.arc(s * x, s * y, s * r, 0, Math.PI * 2);
      ctx.fill();
      ctx.stroke();
    }
    drawIcon(ctx, icon, s * 0.28, s * 0.2, s * 0.44, color);
  });
}

const NEED_COLORS: Partial<Record<IconName, string>> = {
  feed: '#ff9f43',
  play: '#ff6fa3',
  clean: '#4db7f5',
  heal: '#4cc38a',
};

/** Creates every effect texture once per game. */
export function ensureFxTextures(scene: Phaser.Scene): void {
  for (const name of Object.keys(DRAWERS) as FxTexture[]) {
    const key = FX_KEY(name);
    if (!scene.textures.exists(key)) scene.textures.addCanvas(key, canvas(48, DRAWERS[name]));
  }
  for (const icon of ['feed', 'play', 'clean', 'heal'] as const) {
    const key = NEED_KEY(icon);
    if (!scene.textures.exists(key)) scene.textures.addCanvas(key, needBubble(icon, NEED_COLORS[icon] ?? '#3d2c29'));
  }
}
