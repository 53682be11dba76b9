/** Hex-string colour helpers for the SVG renderer: shared/color.ts on strings, plus HSL nudges. */
import { mix as mixRgb, parseHex, toHex, type Rgb } from '../../../shared/color.js';

const BLACK: Rgb = { r: 0, g: 0, b: 0 };
const parse = (hex: string): Rgb => parseHex(hex) ?? BLACK;

/** Linear mix: `amount` 0 gives `a`, 1 gives `b`. */
export function mix(a: string, b: string, amount: number): string {
  return toHex(mixRgb(parse(a), parse(b), amount));
}

export const lighten = (hex: string, amount: number): string => mix(hex, '#ffffff', amount);

function toHsl({ r, g, b }: Rgb): [number, number, number] {
  const R = r / 255;
  const G = g / 255;
  const B = b / 255;
  const max = Math.max(R, G, B);
  const min = Math.min(R, G, B);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  let h: number;
  if (max === R) h = (G - B) / d + (G < B ? 6 : 0);
  else if (max === G) h = (B - R) / d + 2;
  else h = (R - G) / d + 4;
  return [h * 60, s, l];
}

function fromHsl(h: number, s: number, l: number): Rgb {
  const hue = (((h % 360) + 360) % 360) / 360;
  if (s === 0) return { r: l * 255, g: l * 255, b: l * 255 };
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const channel = (t0: number): number => {
    let t = t0;
    if (t < 0) t += 1;
    if (t > 1) t -= 1;
    if (t < 1 / 6) return p + (q - p) * 6 * t;
    if (t < 1 / 2) return q;
    if (t < 2 / 3) return p + (q - p) * (2 / 3 - t) * 6;
    return p;
  };
  return { r: channel(hue + 1 / 3) * 255, g: channel(hue) * 255, b: channel(hue - 1 / 3) * 255 };
}

/** Nudges hue (degrees), saturation and lightness (both -1..1 additive, clamped). */
export function nudge(hex: string, dh: number, ds = 0, dl = 0): string {
  const [h, s, l] = toHsl(parse(hex));
  const clamp = (v: number): number => Math.min(1, Math.max(0, v));
  return toHex(fromHsl(h + dh, clamp(s + ds), clamp(l + dl)));
}
