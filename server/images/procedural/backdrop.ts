/**
 * The card behind the pet: a soft gradient, a glow, bokeh circles, a ground and a few seeded
 * accents (sparkles, dots, hearts, petals, stars) that keep clear of the pet.
 */
import type { Species } from '../../../shared/balance.js';
import { lighten, mix } from './color.js';
import type { Backdrop, SkinId } from './palette.js';
import { FLOOR, FORM_RADIANT, FORM_SCRUFFY, S } from './pet.js';
import type { Rng } from './prng.js';
import type { Defs} from './svg.js';
import { circle, d, el, ellipse, g, heart, num, path, sparkle, stops, type Point } from './svg.js';
import { daisy, mapleLeaf, snowflake } from './seasonal.js';

interface BackdropInput {
  defs: Defs;
  bd: Backdrop;
  rng: Rng;
  species: Species;
  skin: SkinId;
  form: number;
  /** Half-width of the pet's shadow. */
  shadow: number;
}

/** A spot away from the pet in the middle: along the top band or down the sides. */
function freeSpot(rng: Rng, margin: number): Point {
  for (let i = 0; i < 12; i++) {
    const x = rng.range(margin, S - margin);
    const y = rng.range(margin, S * 0.62);
    const inPet = x > S * 0.2 && x < S * 0.8 && y > S * 0.16;
    if (!inPet) return [x, y];
  }
  return [rng.pick([margin * 1.5, S - margin * 1.5]), rng.range(margin, S * 0.3)];
}

function petal(x: number, y: number, r: number, rot: number, fill: string, opacity: number): string {
  return path(d('M', x, y - r, 'Q', x + r * 0.9, y - r * 0.2, x, y + r, 'Q', x - r * 0.9, y - r * 0.2, x, y - r, 'Z'), {
    fill,
    opacity,
    transform: `rotate(${num(rot)} ${num(x)} ${num(y)})`,
  });
}

export function drawBackdrop(input: BackdropInput): { back: string; front: string } {
  const { defs, bd, rng, skin, form, species } = input;
  const bgId = defs.add('bg', (id) => el('linearGradient', { id, x1: 0, y1: 0, x2: 0, y2: 1 }, stops([[0, bd.top], [1, bd.bottom]])));
  const glowId = defs.add('glow', (id) => el('radialGradient', { id }, stops([[0, bd.glow, bd.glowOpacity], [0.55, bd.glow, bd.glowOpacity * 0.45], [1, bd.glow, 0]])));
  const floorId = defs.add('floor', (id) =>
    el('linearGradient', { id, x1: 0, y1: 0, x2: 0, y2: 1 }, stops([[0, lighten(bd.floor, bd.dark ? 0.05 : 0.18)], [1, mix(bd.floor, bd.bottom, 0.4)]])),
  );
  const shadowId = defs.add('shadow', (id) =>
    el('radialGradient', { id }, stops([[0, bd.dark ? '#05051a' : '#5a3a2a', bd.dark ? 0.45 : 0.28], [1, bd.dark ? '#05051a' : '#5a3a2a', 0]])),
  );

  let back = el('rect', { width: S, height: S, fill: `url(#${bgId})` });

  if (form === FORM_RADIANT) {
    // Soft sunburst rays.
    const cx = S / 2;
    const cy = S * 0.46;
    const rays = 16;
    const offset = rng.range(0, Math.PI / rays);
    let rayD = '';
    for (let i = 0; i < rays; i++) {
      const a0 = offset + (i * Math.PI * 2) / rays;
      const a1 = a0 + Math.PI / rays;
      rayD += d('M', cx, cy, 'L', cx + Math.cos(a0) * S, cy + Math.sin(a0) * S, 'L', cx + Math.cos(a1) * S, cy + Math.sin(a1) * S, 'Z');
    }
    back += path(rayD, { fill: bd.dark ? '#ffe9a8' : '#ffffff', opacity: bd.dark ? 0.08 : 0.28 });
  }

  // Bokeh: a few large soft circles near the edges.
  for (let i = 0; i < 4; i++) {
    const left = i % 2 === 0;
    const x = left ? rng.range(-S * 0.05, S * 0.22) : rng.range(S * 0.78, S * 1.05);
    const y = rng.range(S * 0.02, S * 0.62);
    back += circle(x, y, rng.range(S * 0.05, S * 0.13), { fill: bd.dark ? '#9aa0ff' : '#ffffff', opacity: bd.dark ? 0.1 : rng.range(0.22, 0.4) });
  }

  if (skin === 'midnight') {
    // A crescent moon and a sky of tiny stars.
    const mx = rng.pick([S * 0.16, S * 0.84]);
    const my = S * 0.14;
    const r = S * 0.055;
    const moonGlow = defs.add('moon', (id) => el('radialGradient', { id }, stops([[0, '#ffe9a8', 0.35], [1, '#ffe9a8', 0]])));
    back += circle(mx, my, r * 2.6, { fill: `url(#${moonGlow})` });
    back += path(d('M', mx, my - r, 'A', r, r, 0, 1, 0, mx, my + r, 'A', r * 0.8, r * 0.8, 0, 1, 1, mx, my - r, 'Z'), { fill: '#ffe9a8' });
    for (let i = 0; i < 22; i++) {
      back += circle(rng.range(8, S - 8), rng.range(8, S * 0.66), rng.range(0.8, 2.4), { fill: '#fff6d6', opacity: rng.range(0.4, 0.95) });
    }
  }

  // The pet's glow.
  back += circle(S / 2, S * 0.52, S * (form === FORM_RADIANT ? 0.5 : 0.42), { fill: `url(#${glowId})` });

  // The ground: a soft hill with a lighter rim.
  const groundY = FLOOR - S * 0.035;
  back += path(d('M', 0, groundY + S * 0.07, 'Q', S / 2, groundY - S * 0.06, S, groundY + S * 0.07, 'V', S, 'H', 0, 'Z'), { fill: `url(#${floorId})` });
  back += path(d('M', S * 0.04, groundY + S * 0.066, 'Q', S / 2, groundY - S * 0.052, S * 0.96, groundY + S * 0.066), {
    fill: 'none',
    stroke: '#ffffff',
    'stroke-width': 3,
    opacity: bd.dark ? 0.12 : 0.45,
    'stroke-linecap': 'round',
  });
  // Little tufts of grass or dots on the ground.
  for (let i = 0; i < 5; i++) {
    const x = rng.pick([rng.range(S * 0.05, S * 0.27), rng.range(S * 0.73, S * 0.95)]);
    const y = rng.range(FLOOR + S * 0.03, S * 0.97);
    back += ellipse(x, y, rng.range(5, 11), rng.range(2.5, 4.5), 0, { fill: '#ffffff', opacity: bd.dark ? 0.1 : 0.3 });
  }
  back += ellipse(S / 2, FLOOR + 2, input.shadow, S * 0.035, 0, { fill: `url(#${shadowId})` });

  // Seeded accents in the free space around the pet.
  const accent = bd.accent;
  let accents = '';
  const count = rng.int(6, 9);
  for (let i = 0; i < count; i++) {
    const [x, y] = freeSpot(rng, S * 0.06);
    const kind = rng.int(0, 3);
    const r = rng.range(S * 0.012, S * 0.028);
    const opacity = rng.range(0.45, 0.85);
    if (skin === 'sakura' && kind < 2) accents += petal(x, y, r * 1.2, rng.range(0, 360), rng.pick(['#ff9fbf', '#ffc2d6', '#ffffff']), opacity);
    else if (skin === 'maple' && kind < 2) accents += mapleLeaf(x, y, r * 1.4, rng.range(0, 360), rng.pick(['#e0773a', '#c2502a', '#f2a53a']), '#fff0d6', opacity);
    else if (skin === 'frost' && kind < 2) accents += snowflake(x, y, r * 1.3, rng.pick(['#ffffff', '#9cc8ee']), opacity);
    else if (skin === 'meadow' && kind < 1) accents += daisy(x, y, r * 1.2, '#ffffff', '#ffc933', opacity);
    else if (kind === 0 || skin === 'golden' || skin === 'midnight' || form === FORM_RADIANT) {
      accents += path(sparkle(x, y, r * 1.2), { fill: skin === 'midnight' ? '#fff6d6' : rng.pick([accent, '#ffffff', lighten(accent, 0.3)]), opacity });
    } else if (kind === 1 && (species === 'bunny' || skin === 'sakura')) accents += path(heart(x, y, r), { fill: accent, opacity: opacity * 0.7 });
    else if (kind === 1 && form !== FORM_SCRUFFY) accents += circle(x, y, r * 0.5, { fill: accent, opacity: opacity * 0.6 });
    else if (kind === 2) accents += circle(x, y, r * 0.7, { fill: 'none', stroke: accent, 'stroke-width': 3, opacity: opacity * 0.6 });
    else accents += circle(x, y, r * 0.35, { fill: form === FORM_SCRUFFY ? '#a0785a' : '#ffffff', opacity: opacity * 0.8 });
  }
  back += accents;

  let front = '';
  if (form === FORM_RADIANT) {
    // Sparkles around and over the pet.
    const spots: Point[] = [
      [S * 0.22, S * 0.3],
      [S * 0.8, S * 0.24],
      [S * 0.16, S * 0.64],
      [S * 0.85, S * 0.58],
      [S * 0.3, S * 0.14],
    ];
    for (const [x, y] of spots) {
      const r = rng.range(S * 0.022, S * 0.04);
      const jx = x + rng.range(-S * 0.03, S * 0.03);
      const jy = y + rng.range(-S * 0.03, S * 0.03);
      front += path(sparkle(jx, jy, r), { fill: '#fff8d0', stroke: '#f5a524', 'stroke-width': 2.5, 'stroke-linejoin': 'round' });
    }
  } else if (skin === 'sakura') {
    for (let i = 0; i < 3; i++) {
      const [x, y] = freeSpot(rng, S * 0.08);
      front += petal(x, y + S * 0.2, S * 0.02, rng.range(0, 360), '#ffb3cb', 0.9);
    }
  } else if (skin === 'maple') {
    // Leaves drifting down in front.
    for (let i = 0; i < 3; i++) {
      const [x, y] = freeSpot(rng, S * 0.08);
      front += mapleLeaf(x, y + S * 0.2, S * 0.028, rng.range(0, 360), rng.pick(['#e0773a', '#f2a53a']), '#fff0d6', 0.9);
    }
  } else if (skin === 'frost') {
    // Falling snow.
    for (let i = 0; i < 9; i++) front += circle(rng.range(S * 0.04, S * 0.96), rng.range(S * 0.04, S * 0.9), rng.range(2, 5), { fill: '#ffffff', opacity: rng.range(0.6, 0.95) });
  } else if (form === FORM_SCRUFFY) {
    // Dust motes drifting by.
    for (let i = 0; i < 5; i++) {
      const x = rng.pick([rng.range(S * 0.12, S * 0.28), rng.range(S * 0.72, S * 0.88)]);
      front += circle(x, rng.range(S * 0.55, S * 0.82), rng.range(2, 5), { fill: '#a0785a', opacity: rng.range(0.2, 0.4) });
    }
  }
  return { back, front: g({}, front) };
}
