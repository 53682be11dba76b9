/**
 * The public share page `/p/:shareCode` (ADR 0018): static HTML with Open Graph and Twitter
 * card tags, the preview card, the pet's name and stage, and a button opening the bot with
 * the owner's referral. No script at all; the one inline style is allowed by its hash in the
 * Content-Security-Policy. Every interpolated value is HTML-escaped.
 *
 * Shown: the pet's name, species-free stage, age in days and its current (never hidden)
 * picture inside the card, and the owner's invite code inside the bot link. Never shown:
 * the owner's Telegram id, username, names, coins, the pet's meters or health.
 */
import { createHash } from 'node:crypto';
import { stageName } from '../../shared/balance.js';
import { translate, type Language } from '../../shared/i18n.js';

export interface SharePageView {
  lang: Language;
  name: string;
  stage: number;
  ageDays: number;
  pageUrl: string;
  previewCardUrl: string;
  /** Where the button goes: the bot link with the referral, or the app's own URL. */
  openUrl: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' })[c] ?? c);
}

const STYLE = `
:root{color-scheme:light dark;--bg:#fff7f0;--fg:#2b1145;--muted:#6d5a80;--card:#ffffff;--accent:#ff6f91;--accent-fg:#ffffff}
@media (prefers-color-scheme:dark){:root{--bg:#1b1226;--fg:#f6eefc;--muted:#b9a8cc;--card:#271a36;--accent:#ff7aa0;--accent-fg:#1b1226}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;background:var(--bg);color:var(--fg);font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;display:flex;justify-content:center}
main{width:100%;max-width:640px;padding:20px 16px 32px;display:flex;flex-direction:column;gap:16px}
.brand{font-weight:700;letter-spacing:.18em;text-transform:uppercase;font-size:14px;color:var(--muted);text-align:center}
.card{background:var(--card);border-radius:20px;overflow:hidden;box-shadow:0 8px 28px rgba(43,17,69,.18)}
.card img{display:block;width:100%;height:auto;aspect-ratio:1200/630}
h1{margin:4px 0 0;font-size:28px;line-height:1.2;overflow-wrap:anywhere;text-align:center}
.meta{margin:0;color:var(--muted);text-align:center}
.open{display:block;text-align:center;text-decoration:none;background:var(--accent);color:var(--accent-fg);font-weight:700;font-size:18px;padding:14px 20px;border-radius:14px}
.tagline{margin:0;text-align:center;color:var(--muted);font-size:14px}
`.trim();

/** The CSP hash of the page's one inline style. */
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** A strict policy: no script, no frames, no forms, images from this origin and the card origin only. */
export function sharePageCsp(imageOrigin: string | null): string {
  return [
    "default-src 'none'",
    `img-src 'self'${imageOrigin ? ` ${imageOrigin}` : ''}`,
    `style-src ${STYLE_HASH}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function page(lang: Language, title: string, head: string[], body: string[]): string {
  return [
    '<!doctype html>',
    `<html lang="${lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${escapeHtml(title)}</title>`,
    ...head,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body><main>',
    ...body,
    '</main></body>',
    '</html>',
  ].join('\n');
}

const meta = (attr: 'property' | 'name', key: string, value: string) => `<meta ${attr}="${key}" content="${escapeHtml(value)}">`;

export function sharePageHtml(v: SharePageView): string {
  const stage = translate(v.lang, `stage.${stageName(v.stage)}`);
  const game = translate(v.lang, 'app.title');
  const title = translate(v.lang, 'sharePage.title', { name: v.name });
  const description = translate(v.lang, 'sharePage.description', { name: v.name, stage, day: v.ageDays + 1 });
  const alt = translate(v.lang, 'sharePage.alt', { name: v.name });
  const head = [
    meta('name', 'description', description),
    meta('property', 'og:type', 'website'),
    meta('property', 'og:site_name', game),
    meta('property', 'og:title', title),
    meta('property', 'og:description', description),
    meta('property', 'og:url', v.pageUrl),
    meta('property', 'og:image', v.previewCardUrl),
    meta('property', 'og:image:type', 'image/png'),
    meta('property', 'og:image:width', '1200'),
    meta('property', 'og:image:height', '630'),
    meta('property', 'og:image:alt', alt),
    meta('property', 'og:locale', v.lang === 'ru' ? 'ru_RU' : 'en_US'),
    meta('name', 'twitter:card', 'summary_large_image'),
    meta('name', 'twitter:title', title),
    meta('name', 'twitter:description', description),
    meta('name', 'twitter:image', v.previewCardUrl),
    meta('name', 'twitter:image:alt', alt),
    `<link rel="canonical" href="${escapeHtml(v.pageUrl)}">`,
  ];
  const body = [
    `<div class="brand">${escapeHtml(game)}</div>`,
    `<div class="card"><img src="${escapeHtml(v.previewCardUrl)}" width="1200" height="630" alt="${escapeHtml(alt)}"></div>`,
    `<h1 data-testid="share-name">${escapeHtml(v.name)}</h1>`,
    `<p class="meta" data-testid="share-stage">${escapeHtml(translate(v.lang, 'card.subtitle', { stage, day: v.ageDays + 1 }))}</p>`,
    `<a class="open" data-testid="share-open" href="${escapeHtml(v.openUrl)}" rel="noopener">${escapeHtml(translate(v.lang, 'sharePage.open'))}</a>`,
    `<p class="tagline">${escapeHtml(translate(v.lang, 'sharePage.tagline'))}</p>`,
  ];
  return page(v.lang, title, head, body);
}

/** The "not available" page: unknown code, a banned owner's pet. Nothing about any pet. */
export function shareNotFoundHtml(lang: Language, homeUrl: string): string {
  const title = translate(lang, 'sharePage.notAvailable');
  return page(lang, title, [meta('name', 'robots', 'noindex')], [
    `<div class="brand">${escapeHtml(translate(lang, 'app.title'))}</div>`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="meta">${escapeHtml(translate(lang, 'sharePage.notAvailableText'))}</p>`,
    `<a class="open" href="${escapeHtml(homeUrl)}" rel="noopener">${escapeHtml(translate(lang, 'sharePage.open'))}</a>`,
  ]);
}

/** The preferred supported language of an Accept-Language header (en when none is). */
export function languageFromHeader(header: string | undefined): Language {
  if (!header) return 'en';
  const ranked = header
    .slice(0, 256)
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([01](?:\.\d{0,3})?)\s*$/.exec(p)?.[1]).find((x) => x !== undefined);
      return { base: tag.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q), index };
    })
    .filter((r) => r.q > 0 && (r.base === 'en' || r.base === 'ru'))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return ranked[0]?.base === 'ru' ? 'ru' : 'en';
}
