/**
 * The palette: Telegram's theme inside Telegram, a warm fallback outside it. Applied as CSS
 * variables for the DOM and exposed as numbers for Phaser, so both layers always agree.
 */
import { luminance, mix, parseHex, toHex, toNumber, type Rgb } from '../../shared/color.js';
import { onThemeChanged, setChromeColors, telegramTheme } from './telegram.js';

export interface Palette {
  dark: boolean;
  bg: Rgb;
  surface: Rgb;
  surface2: Rgb;
  text: Rgb;
  hint: Rgb;
  accent: Rgb;
  accentText: Rgb;
  link: Rgb;
  danger: Rgb;
  /** Backdrop of the pet stage, top and floor. */
  stageWall: Rgb;
  stageFloor: Rgb;
}

const rgb = (hex: string): Rgb => parseHex(hex) ?? { r: 0, g: 0, b: 0 };

const WARM_LIGHT = {
  bg: rgb('#fff4e8'),
  surface: rgb('#ffffff'),
  surface2: rgb('#ffe9d6'),
  text: rgb('#3d2c29'),
  hint: rgb('#9b8377'),
  accent: rgb('#ff7a59'),
  accentText: rgb('#ffffff'),
  link: rgb('#e8603c'),
  danger: rgb('#e5484d'),
};

const WARM_DARK = {
  bg: rgb('#1f1a24'),
  surface: rgb('#2b2431'),
  surface2: rgb('#372e3e'),
  text: rgb('#f6eee9'),
  hint: rgb('#a89aa6'),
  accent: rgb('#ff8a65'),
  accentText: rgb('#ffffff'),
  link: rgb('#ff9b7a'),
  danger: rgb('#ff6369'),
};

function derive(base: typeof WARM_LIGHT, dark: boolean): Palette {
  const warm = rgb('#ffb37a');
  return {
    ...base,
    dark,
    stageWall: mix(base.surface2, warm, dark ? 0.08 : 0.18),
    // In the dark the rug is lighter than the room, as if lit by a lamp.
    stageFloor: mix(base.surface2, warm, dark ? 0.14 : 0.45),
  };
}

function buildPalette(): Palette {
  const tg = telegramTheme();
  const prefersDark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
  if (!tg) return derive(prefersDark ? WARM_DARK : WARM_LIGHT, prefersDark);

  const fallback = tg.dark ? WARM_DARK : WARM_LIGHT;
  const bg = parseHex(tg.secondaryBg) ?? parseHex(tg.bg) ?? fallback.bg;
  const surface = parseHex(tg.sectionBg) ?? parseHex(tg.bg) ?? fallback.surface;
  const dark = luminance(bg) < 0.45;
  return derive(
    {
      bg,
      surface,
      surface2: mix(surface, bg, 0.5),
      text: parseHex(tg.text) ?? fallback.text,
      hint: parseHex(tg.hint) ?? fallback.hint,
      accent: parseHex(tg.button) ?? fallback.accent,
      accentText: parseHex(tg.buttonText) ?? fallback.accentText,
      link: parseHex(tg.link) ?? fallback.link,
      danger: parseHex(tg.destructive) ?? fallback.danger,
    },
    dark,
  );
}

let palette = buildPalette();
const listeners = new Set<(p: Palette) => void>();

export function currentPalette(): Palette {
  return palette;
}

export function paletteNumber(color: Rgb): number {
  return toNumber(color);
}

/** Calls `listener` whenever the theme changes (Telegram theme switch, system dark mode). */
export function onPaletteChange(listener: (p: Palette) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function applyCss(p: Palette): void {
  const root = document.documentElement.style;
  const set = (name: string, color: Rgb): void => root.setProperty(name, toHex(color));
  set('--bg', p.bg);
  set('--surface', p.surface);
  set('--surface-2', p.surface2);
  set('--text', p.text);
  set('--hint', p.hint);
  set('--accent', p.accent);
  set('--accent-text', p.accentText);
  set('--accent-soft', mix(p.surface, p.accent, p.dark ? 0.25 : 0.14));
  set('--link', p.link);
  set('--danger', p.danger);
  set('--line', mix(p.surface, p.text, 0.1));
  set('--stage-wall', p.stageWall);
  root.setProperty('color-scheme', p.dark ? 'dark' : 'light');
  document.documentElement.dataset.theme = p.dark ? 'dark' : 'light';
  setChromeColors(toHex(p.bg));
}

/** Applies the palette now and keeps it in sync with later theme changes. */
export function installTheme(): void {
  applyCss(palette);
  const refresh = (): void => {
    palette = buildPalette();
    applyCss(palette);
    for (const listener of listeners) listener(palette);
  };
  onThemeChanged(refresh);
  if (typeof matchMedia === 'function') {
    matchMedia('(prefers-color-scheme: dark)').addEventListener('change', refresh);
  }
}
