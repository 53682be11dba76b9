/**
 * Share cards as SVG (ADR 0018): the pet's picture in a white frame on a sunset gradient,
 * its name, stage and age, and the game's name; resvg turns it into a PNG. Pure and
 * deterministic: the same content gives the same text, so the same PNG bytes.
 *
 * Text is laid out without measuring glyphs: a line's font size shrinks with its length
 * (DejaVu Sans advances are at most about 0.7 em for letters), and a name too long even at
 * the smallest size is cut with an ellipsis. Every interpolated string is XML-escaped.
 */

export type CardFormat = 'story' | 'preview';

export const CARD_FORMATS: readonly CardFormat[] = ['story', 'preview'];

/** Pixel size of each format: a 9:16 story and a 1.91:1 link preview. */
export const CARD_SIZE: Record<CardFormat, { width: number; height: number }> = {
  story: { width: 1080, height: 1920 },
  preview: { width: 1200, height: 630 },
};

/** The font resvg is given (assets/fonts/, loaded by card-renderer.ts). */
export const CARD_FONT_FAMILY = 'DejaVu Sans';

/** Picture formats embedded as they are; anything else is replaced by the procedural picture. */
export const EMBEDDABLE_MIME = new Set(['image/png', 'image/jpeg', 'image/svg+xml']);

export interface CardContent {
  format: CardFormat;
  /** The game's name, on top. */
  gameName: string;
  name: string;
  /** "Adult · Day 12" */
  subtitle: string;
  /** The call to action near the bottom. */
  cta: string;
  /** "@bot_username" under the call to action, or null. */
  handle: string | null;
  picture: { mime: string; bytes: Buffer };
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** Control and format characters would only draw boxes: dropped from text on a card. */
function printable(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}]/gu, '').trim();
}

/** A font size that fits `text` into `maxWidth` (between `min` and `max`), and the text cut to fit at `min`. */
export function fitLine(text: string, maxWidth: number, max: number, min: number, em = 0.7): { text: string; size: number } {
  const chars = [...printable(text)];
  const size = Math.floor(Math.min(max, maxWidth / Math.max(1, chars.length * em)));
  if (size >= min) return { text: chars.join(''), size };
  const fit = Math.max(1, Math.floor(maxWidth / (min * em)) - 1);
  return { text: `${chars.slice(0, fit).join('')}…`, size: min };
}

/**
 * A pet's name in one line, or in two split at the space nearest the middle when one line
 * would be too small (below 3/4 of `max`) or cut.
 */
export function fitName(text: string, maxWidth: number, max: number, min: number, em = 0.66): { lines: string[]; size: number } {
  const one = fitLine(text, maxWidth, max, min, em);
  if (!one.text.endsWith('…') && one.size >= max * 0.75) return { lines: [one.text], size: one.size };
  const words = printable(text).split(/\s+/);
  if (words.length < 2) return { lines: [one.text], size: one.size };
  let best = 1;
  let bestWidth = Infinity;
  for (let i = 1; i < words.length; i++) {
    const width = Math.max([...words.slice(0, i).join(' ')].length, [...words.slice(i).join(' ')].length);
    if (width < bestWidth) {
      best = i;
      bestWidth = width;
    }
  }
  const top = fitLine(words.slice(0, best).join(' '), maxWidth, max * 0.8, min, em);
  const bottom = fitLine(words.slice(best).join(' '), maxWidth, max * 0.8, min, em);
  const size = Math.min(top.size, bottom.size);
  // Both lines at the smaller size: each re-cut to it if needed.
  return { lines: [fitLine(top.text, maxWidth, size, size, em).text, fitLine(bottom.text, maxWidth, size, size, em).text], size };
}

const GRADIENT = `<linearGradient id="bg" x1="0" y1="0" x2="1" y2="1">
<stop offset="0" stop-color="#FFB86B"/><stop offset="0.5" stop-color="#FF6F91"/><stop offset="1" stop-color="#7B5CF0"/>
</linearGradient>`;

function pictureHref(picture: CardContent['picture']): string {
  return `data:${picture.mime};base64,${picture.bytes.toString('base64')}`;
}

/** The framed picture: a soft shadow, a white frame and the image clipped to rounded corners. */
function framedPicture(picture: CardContent['picture'], x: number, y: number, side: number, pad: number, radius: number): string {
  const frame = side + 2 * pad;
  return [
    `<rect x="${x - pad}" y="${y - pad + Math.round(pad * 0.9)}" width="${frame}" height="${frame}" rx="${radius + pad}" fill="#2B1145" fill-opacity="0.22"/>`,
    `<rect x="${x - pad}" y="${y - pad}" width="${frame}" height="${frame}" rx="${radius + pad}" fill="#FFFFFF"/>`,
    `<clipPath id="pic"><rect x="${x}" y="${y}" width="${side}" height="${side}" rx="${radius}"/></clipPath>`,
    `<rect x="${x}" y="${y}" width="${side}" height="${side}" rx="${radius}" fill="#FFF4E8"/>`,
    `<image x="${x}" y="${y}" width="${side}" height="${side}" preserveAspectRatio="xMidYMid slice" clip-path="url(#pic)" href="${pictureHref(picture)}"/>`,
  ].join('\n');
}

/** Text with a faint shadow under it, so white stays readable on the light end of the gradient. */
function text(x: number, y: number, body: string, size: number, options: { bold?: boolean; anchor?: 'start' | 'middle'; opacity?: number; spacing?: number }): string {
  const attrs = [
    `font-family="${CARD_FONT_FAMILY}"`,
    `font-size="${size}"`,
    options.bold ? 'font-weight="bold"' : '',
    `text-anchor="${options.anchor ?? 'middle'}"`,
    options.spacing ? `letter-spacing="${options.spacing}"` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const escaped = escapeXml(body);
  const shadowOffset = Math.max(2, Math.round(size / 24));
  return [
    `<text x="${x}" y="${y + shadowOffset}" ${attrs} fill="#2B1145" fill-opacity="0.25">${escaped}</text>`,
    `<text x="${x}" y="${y}" ${attrs} fill="#FFFFFF"${options.opacity !== undefined ? ` fill-opacity="${options.opacity}"` : ''}>${escaped}</text>`,
  ].join('\n');
}

/** A translucent pill behind a line of text centred at `cx` (or starting at `x` for 'start'). */
function pill(x: number, y: number, width: number, height: number): string {
  return `<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="${height / 2}" fill="#FFFFFF" fill-opacity="0.22"/>`;
}

function decorations(width: number, height: number): string {
  const r = Math.round(Math.min(width, height) * 0.35);
  return [
    `<circle cx="${Math.round(width * 0.92)}" cy="${Math.round(height * 0.08)}" r="${r}" fill="#FFFFFF" fill-opacity="0.10"/>`,
    `<circle cx="${Math.round(width * 0.04)}" cy="${Math.round(height * 0.9)}" r="${Math.round(r * 1.2)}" fill="#FFFFFF" fill-opacity="0.08"/>`,
    `<circle cx="${Math.round(width * 0.18)}" cy="${Math.round(height * 0.14)}" r="${Math.round(r * 0.18)}" fill="#FFFFFF" fill-opacity="0.14"/>`,
  ].join('\n');
}

function storySvg(c: CardContent): string {
  const { width, height } = CARD_SIZE.story;
  const cx = width / 2;
  const game = fitLine(c.gameName.toUpperCase(), 760, 56, 28);
  const name = fitName(c.name, 940, 120, 56);
  const lineHeight = Math.round(name.size * 1.15);
  const nameTop = name.lines.length === 1 ? 1360 : 1330;
  const pillTop = nameTop + (name.lines.length - 1) * lineHeight + 58;
  const subtitle = fitLine(c.subtitle, 780, 54, 30, 0.62);
  const cta = fitLine(c.cta, 960, 48, 26, 0.6);
  const subtitleWidth = Math.min(960, Math.round([...subtitle.text].length * subtitle.size * 0.56 + 96));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<defs>${GRADIENT}</defs>`,
    `<rect width="${width}" height="${height}" fill="url(#bg)"/>`,
    decorations(width, height),
    text(cx, 200, game.text, game.size, { bold: true, spacing: 10 }),
    framedPicture(c.picture, 120, 320, 840, 26, 48),
    ...name.lines.map((line, i) => text(cx, nameTop + i * lineHeight, line, name.size, { bold: true })),
    pill(Math.round(cx - subtitleWidth / 2), pillTop, subtitleWidth, Math.round(subtitle.size * 1.7)),
    text(cx, pillTop + Math.round(subtitle.size * 1.2), subtitle.text, subtitle.size, {}),
    text(cx, 1700, cta.text, cta.size, { opacity: 0.95 }),
    c.handle ? text(cx, 1780, fitLine(c.handle, 900, 52, 26).text, fitLine(c.handle, 900, 52, 26).size, { bold: true }) : '',
    '</svg>',
  ].join('\n');
}

function previewSvg(c: CardContent): string {
  const { width, height } = CARD_SIZE.preview;
  const x = 600;
  const game = fitLine(c.gameName.toUpperCase(), 540, 38, 22);
  const name = fitName(c.name, 540, 84, 40);
  const lineHeight = Math.round(name.size * 1.15);
  const nameTop = name.lines.length === 1 ? 290 : 250;
  const pillTop = nameTop + (name.lines.length - 1) * lineHeight + 40;
  const subtitle = fitLine(c.subtitle, 480, 38, 22, 0.62);
  const cta = fitLine(c.cta, 540, 30, 18, 0.6);
  const subtitleWidth = Math.min(560, Math.round([...subtitle.text].length * subtitle.size * 0.56 + 64));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<defs>${GRADIENT}</defs>`,
    `<rect width="${width}" height="${height}" fill="url(#bg)"/>`,
    decorations(width, height),
    framedPicture(c.picture, 84, 84, 462, 18, 30),
    text(x, 140, game.text, game.size, { bold: true, anchor: 'start', spacing: 6 }),
    ...name.lines.map((line, i) => text(x, nameTop + i * lineHeight, line, name.size, { bold: true, anchor: 'start' })),
    pill(x - 4, pillTop, subtitleWidth, Math.round(subtitle.size * 1.7)),
    text(x + 28, pillTop + Math.round(subtitle.size * 1.2), subtitle.text, subtitle.size, { anchor: 'start' }),
    text(x, 500, cta.text, cta.size, { anchor: 'start', opacity: 0.95 }),
    c.handle ? text(x, 552, fitLine(c.handle, 540, 34, 20).text, fitLine(c.handle, 540, 34, 20).size, { bold: true, anchor: 'start' }) : '',
    '</svg>',
  ].join('\n');
}

/** The complete SVG document of a card. */
export function cardSvg(content: CardContent): string {
  return content.format === 'story' ? storySvg(content) : previewSvg(content);
}
