/**
 * SVG → PNG with resvg (ADR 0018), off the event loop: `renderAsync` runs on libuv's thread
 * pool. Only the fonts shipped in `assets/fonts/` are given to it (no system fonts), so a
 * card's text is drawn the same on every machine.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAsync } from '@resvg/resvg-js';
import { CARD_FONT_FAMILY } from './card-svg.js';

/** Bump when the layout or renderer changes: part of every card's content hash. */
export const CARD_RENDERER_VERSION = 'cards-v1';

/** assets/fonts from this file, in the source tree (server/cards) or the build (dist/server/cards). */
function fontsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const dir = path.resolve(here, up, 'assets/fonts');
    if (existsSync(path.join(dir, 'DejaVuSans.ttf'))) return dir;
  }
  throw new Error(`assets/fonts/DejaVuSans.ttf not found near ${here}`);
}

let fontFiles: string[] | null = null;

/** The shipped font files (regular and bold DejaVu Sans). */
export function cardFontFiles(): string[] {
  if (!fontFiles) {
    const dir = fontsDir();
    fontFiles = [path.join(dir, 'DejaVuSans.ttf'), path.join(dir, 'DejaVuSans-Bold.ttf')];
  }
  return fontFiles;
}

/** Renders an SVG document to PNG bytes at its own size. */
export async function renderPng(svg: string, signal?: AbortSignal): Promise<Buffer> {
  const image = await renderAsync(
    svg,
    {
      font: { loadSystemFonts: false, fontFiles: cardFontFiles(), defaultFontFamily: CARD_FONT_FAMILY, sansSerifFamily: CARD_FONT_FAMILY },
      fitTo: { mode: 'original' },
      logLevel: 'off',
    },
    signal ?? null,
  );
  return image.asPng();
}
