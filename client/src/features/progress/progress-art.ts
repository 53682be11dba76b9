/**
 * Progression art as inline SVG: the streak flame (lit or waiting for today's care), the
 * achievements' medals on their ribbons, and which icon and colour each quest and
 * achievement wears. Drawn from the shared icon paths, so they match the rest of the HUD.
 */
import { mix, parseHex, toHex } from '../../../../shared/color.js';
import { ICONS, type IconName } from '../../art/icons.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Gradient ids must be unique in the document: one counter for every drawing. */
let nextId = 0;

function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string>): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  return el;
}

function gradient(id: string, stops: ReadonlyArray<readonly [number, string]>, attrs: Record<string, string> = { x1: '0', y1: '0', x2: '0', y2: '1' }): SVGLinearGradientElement {
  const g = svgEl('linearGradient', { id, ...attrs });
  for (const [offset, color] of stops) g.append(svgEl('stop', { offset: String(offset), 'stop-color': color }));
  return g;
}

function svgRoot(size: number, viewBox: string, className: string): SVGSVGElement {
  const svg = svgEl('svg', { viewBox, width: String(size), height: String(size), 'aria-hidden': 'true', focusable: 'false' });
  svg.classList.add(className);
  return svg;
}

const FLAME_OUTER = ICONS.flame[0]?.d ?? '';
const FLAME_CORE = 'M12 11.2c2 1.7 3.5 3.3 3.5 5.5 0 2-1.6 3.5-3.5 3.5s-3.5-1.5-3.5-3.5c0-2.2 1.6-3.8 3.5-5.5z';

/**
 * The streak flame: orange to red with a yellow core when today's care counted, ashen
 * when the day still waits for it.
 */
export function flameSvg(size: number, lit: boolean): SVGSVGElement {
  const id = `flame-${++nextId}`;
  const svg = svgRoot(size, '0 0 24 24', 'flame-art');
  const outer = lit
    ? ([
        [0, '#ffd84d'],
        [0.45, '#ff9a1f'],
        [1, '#f0452e'],
      ] as const)
    : ([
        [0, '#d9d0cc'],
        [1, '#a59c98'],
      ] as const);
  const core = lit
    ? ([
        [0, '#fffbe0'],
        [1, '#ffd23f'],
      ] as const)
    : ([
        [0, '#f4f0ee'],
        [1, '#d4ccc8'],
      ] as const);
  const defs = svgEl('defs', {});
  defs.append(gradient(`${id}-o`, outer), gradient(`${id}-c`, core));
  svg.append(
    defs,
    svgEl('path', { d: FLAME_OUTER, fill: `url(#${id}-o)`, stroke: lit ? '#c8361f' : '#8f8682', 'stroke-width': '0.9', 'stroke-linejoin': 'round' }),
    svgEl('path', { d: FLAME_CORE, fill: `url(#${id}-c)` }),
  );
  return svg;
}

/** Draws an icon's shapes into `parent` in `ink`, its highlights in `light`. */
function iconInto(parent: SVGElement, name: IconName, ink: string, light: string): void {
  for (const part of ICONS[name]) {
    const closed = /z\s*$/i.test(part.d);
    if (part.tone === 'light') {
      parent.append(
        closed
          ? svgEl('path', { d: part.d, fill: light })
          : svgEl('path', { d: part.d, fill: 'none', stroke: light, 'stroke-width': '1.5', 'stroke-linecap': 'round' }),
      );
    } else {
      parent.append(svgEl('path', { d: part.d, fill: ink }));
    }
  }
}

/**
 * An achievement's medal: a coin in its colour on two ribbon tails, the icon embossed in
 * white. Locked medals are greyed by CSS (`.medal.locked`), not redrawn.
 */
export function medalSvg(icon: IconName, color: string, size: number): SVGSVGElement {
  const id = `medal-${++nextId}`;
  const base = parseHex(color) ?? { r: 255, g: 122, b: 89 };
  const white = { r: 255, g: 255, b: 255 };
  const black = { r: 30, g: 20, b: 20 };
  const light = toHex(mix(base, white, 0.45));
  const dark = toHex(mix(base, black, 0.35));
  const ribbon = toHex(mix(base, black, 0.15));
  const svg = svgRoot(size, '0 0 64 64', 'medal-art');
  const defs = svgEl('defs', {});
  defs.append(
    gradient(`${id}-face`, [
      [0, light],
      [1, color],
    ], { x1: '0.2', y1: '0.1', x2: '0.8', y2: '0.95' }),
    gradient(`${id}-ribbon`, [
      [0, ribbon],
      [1, dark],
    ]),
  );
  svg.append(defs);
  // Ribbon tails behind the coin.
  svg.append(
    svgEl('path', { d: 'M22 38L15.5 60.5l7.6-3.6 4.6 6.2L33 42z', fill: `url(#${id}-ribbon)` }),
    svgEl('path', { d: 'M42 38l6.5 22.5-7.6-3.6-4.6 6.2L31 42z', fill: `url(#${id}-ribbon)` }),
  );
  svg.append(
    svgEl('circle', { cx: '32', cy: '28', r: '22', fill: dark }),
    svgEl('circle', { cx: '32', cy: '27', r: '20.5', fill: `url(#${id}-face)` }),
    svgEl('circle', { cx: '32', cy: '27', r: '16.5', fill: 'none', stroke: 'rgba(255,255,255,0.45)', 'stroke-width': '1.4', 'stroke-dasharray': '2.2 2.4' }),
    svgEl('ellipse', { cx: '24.5', cy: '16.5', rx: '7', ry: '3.4', fill: 'rgba(255,255,255,0.4)', transform: 'rotate(-32 24.5 16.5)' }),
  );
  const glyph = svgEl('g', { transform: 'translate(20.5 15.5) scale(0.96)' });
  // A soft shadow under the white glyph, so it reads on pale medals too.
  const shadow = svgEl('g', { transform: 'translate(0 0.9)', opacity: '0.35' });
  iconInto(shadow, icon, dark, dark);
  glyph.append(shadow);
  iconInto(glyph, icon, '#ffffff', color);
  svg.append(glyph);
  return svg;
}

interface Look {
  icon: IconName;
  color: string;
}

/** Each achievement's icon and medal colour (unknown ids get a trophy). */
const ACHIEVEMENT_LOOKS: Readonly<Record<string, Look>> = {
  first_pet: { icon: 'paw', color: '#ff8a5c' },
  first_care: { icon: 'feed', color: '#ffa24c' },
  first_game: { icon: 'games', color: '#8b6cf0' },
  hatched: { icon: 'egg', color: '#f2b134' },
  adult: { icon: 'sprout', color: '#3fb27f' },
  radiant: { icon: 'sparkle', color: '#f0b400' },
  streak_7: { icon: 'flame', color: '#ff7a1a' },
  streak_30: { icon: 'crown', color: '#e8483a' },
  first_purchase: { icon: 'bag', color: '#3ea6e8' },
  coins_1000: { icon: 'coin', color: '#e3a600' },
  care_100: { icon: 'heart', color: '#ff5d96' },
  treats_80: { icon: 'star', color: '#e0609e' },
  collector: { icon: 'palette', color: '#a35cf0' },
};

export function achievementLook(id: string): Look {
  return ACHIEVEMENT_LOOKS[id] ?? { icon: 'trophy', color: '#f0a500' };
}

/** Each quest's icon and tint (CSS colours: the care colours follow the theme's variables). */
const QUEST_LOOKS: Readonly<Record<string, Look>> = {
  feed_3: { icon: 'feed', color: 'var(--feed)' },
  play_2: { icon: 'play', color: 'var(--play)' },
  clean_1: { icon: 'clean', color: 'var(--clean)' },
  care_5: { icon: 'heart', color: '#ff5d96' },
  game_1: { icon: 'games', color: '#8b6cf0' },
  treats_50: { icon: 'star', color: '#e0609e' },
  good_care_6h: { icon: 'shield', color: 'var(--heal)' },
  care_30: { icon: 'heart', color: '#ff5d96' },
  games_7: { icon: 'games', color: '#8b6cf0' },
  coins_200: { icon: 'coin', color: '#e3a600' },
  care_days_5: { icon: 'flame', color: '#ff7a1a' },
  grow_1: { icon: 'sprout', color: '#3fb27f' },
};

export function questLook(templateId: string): Look {
  return QUEST_LOOKS[templateId] ?? { icon: 'trophy', color: '#f0a500' };
}
