/**
 * The hatched pet (baby to adult), ported from the client's Phaser portraits
 * (client/src/art/pet-art.ts): a front-facing, sitting sticker with soft radial shading and a
 * warm outline, plus what the card needs beyond the client: seeded markings, adult forms and
 * skins.
 */
import { stageName, type Species } from '../../../shared/balance.js';
import { PET_EYE, PET_STAGE_PROPORTIONS, type PetProportions } from '../../../shared/pet-proportions.js';
import { lighten, mix } from './color.js';
import { INK, type PetPalette, type SkinId } from './palette.js';
import {
  circle,
  cloud,
  cubicLength,
  d,
  dashes,
  el,
  ellipse,
  frac,
  g,
  num,
  path,
  quadLength,
  sparkle,
  stops,
  tuftedEllipse,
  type Attrs,
  type Bump,
  type Defs,
  type Point,
} from './svg.js';
import type { Traits } from './traits.js';
import { daisy, mapleLeaf, snowflake } from './seasonal.js';

export const S = 512;
export const FLOOR = S * 0.885;
const LINE = S * 0.014;

export const FORM_RADIANT = 1;
export const FORM_ORDINARY = 2;
export const FORM_SCRUFFY = 3;

export interface PetScene {
  defs: Defs;
  species: Species;
  stage: number;
  form: number;
  skin: SkinId;
  pal: PetPalette;
  traits: Traits;
}

interface Geo {
  bx: number;
  by: number;
  bw: number;
  bh: number;
  hx: number;
  hy: number;
  headR: number;
  shape: PetProportions;
}

/** A radial "fur" gradient: highlight up-left, shade down-right (the client's furFill). */
export function furPaint(defs: Defs, color: string, gloss: number): string {
  const id = defs.add(`fur${color}${gloss}`, (gid) =>
    el(
      'radialGradient',
      { id: gid, cx: 0.5, cy: 0.5, r: 0.7, fx: 0.34, fy: 0.26 },
      stops([
        [0, lighten(color, gloss)],
        [0.6, color],
        [1, mix(color, INK, 0.2)],
      ]),
    ),
  );
  return `url(#${id})`;
}

function furred(scene: PetScene, color: string, extra: Attrs = {}): Attrs {
  return { fill: furPaint(scene.defs, color, scene.pal.gloss), stroke: scene.pal.outline, 'stroke-width': LINE, ...extra };
}

function pointedEarPath(w: number, h: number): string {
  return d('M', -w / 2, 0, 'Q', -w * 0.2, -h * 0.75, -w * 0.05, -h, 'Q', 0, -h * 1.04, w * 0.05, -h, 'Q', w * 0.2, -h * 0.75, w / 2, 0, 'Z');
}

const at = (x: number, y: number, rot = 0): string => `translate(${num(x)} ${num(y)})${rot ? ` rotate(${num((rot * 180) / Math.PI)})` : ''}`;

/* ------------------------------------------------------------------------------------------ */
/* Tail                                                                                        */

function tail(scene: PetScene, geo: Geo): string {
  const { pal, traits, species, form, stage } = scene;
  const { bx, by, bw, bh } = geo;
  const x0 = bx + bw * 0.42;
  const y0 = by + bh * 0.3;
  const bend = traits.tailBend;
  const adultish = stage >= 3 ? 1 : 0;
  switch (species) {
    case 'cat': {
      const tip: Point = [x0 + bw * (0.2 + bend * 0.08), y0 - bh * (1.05 + adultish * 0.1)];
      const c: [Point, Point, Point, Point] = [[x0 - bw * 0.1, y0], [x0 + bw * 0.52, y0 + bh * 0.1], [x0 + bw * (0.45 + bend * 0.06), y0 - bh * 0.9], tip];
      const p = d('M', ...c[0], 'C', ...c[1], ...c[2], ...c[3]);
      const len = cubicLength(...c);
      const width = S * 0.07;
      let out = path(p, { fill: 'none', stroke: pal.outline, 'stroke-width': width + LINE * 2 });
      out += path(p, { fill: 'none', stroke: pal.fur, 'stroke-width': width });
      // A soft highlight along the tail.
      out += path(p, { fill: 'none', stroke: lighten(pal.fur, 0.35), 'stroke-width': width * 0.28, opacity: 0.55, transform: 'translate(-5 -3)' });
      if (traits.marking === 0) {
        out += path(p, { fill: 'none', stroke: pal.marking, 'stroke-width': width, 'stroke-linecap': 'butt', ...dashes(len, [7, 11], -14) });
      } else if (traits.marking === 1) {
        out += path(p, { fill: 'none', stroke: pal.belly, 'stroke-width': width, ...dashes(len, [16, 84], -84) });
      }
      if (form === FORM_SCRUFFY) {
        out += path(d('M', tip[0] - 8, tip[1] - 12, 'l', -6, -12, 'M', tip[0] + 4, tip[1] - 14, 'l', 4, -12), { stroke: pal.outline, 'stroke-width': 4, fill: 'none' });
      }
      return out;
    }
    case 'dog': {
      const tip: Point = [x0 + bw * (0.38 + bend * 0.06), y0 - bh * 0.6];
      const q: [Point, Point, Point] = [[x0 - bw * 0.05, y0 + bh * 0.05], [x0 + bw * 0.47, y0 - bh * 0.02], tip];
      const p = d('M', ...q[0], 'Q', ...q[1], ...q[2]);
      const len = quadLength(...q);
      const width = S * 0.062;
      let out = path(p, { fill: 'none', stroke: pal.outline, 'stroke-width': width + LINE * 2 });
      out += path(p, { fill: 'none', stroke: pal.fur, 'stroke-width': width });
      if (traits.marking !== 1) {
        out += path(p, { fill: 'none', stroke: pal.belly, 'stroke-width': width, ...dashes(len, [14, 86], -86) });
      }
      // Wag lines: a happy dog.
      if (form !== FORM_SCRUFFY) {
        const wx = tip[0] + 18;
        const wy = tip[1] - 4;
        out += path(d('M', wx, wy - 16, 'q', 10, 8, 4, 20, 'M', wx + 12, wy - 22, 'q', 12, 12, 4, 28), {
          fill: 'none',
          stroke: pal.outline,
          'stroke-width': 4,
          opacity: 0.45,
        });
      }
      return out;
    }
    case 'fox': {
      const tx = x0 + bw * 0.24;
      const ty = y0 - bh * 0.38;
      const rx = bw * 0.36;
      const ry = bh * (0.62 + adultish * 0.03);
      const rot = 0.55 + bend * 0.1;
      const bumps: Bump[] = [{ at: -Math.PI / 2, width: 0.7, reach: 0.16 }];
      const tailSteps = 40;
      if (form === FORM_SCRUFFY) {
        bumps.push({ at: 0.2, width: 0.3, reach: 0.14 }, { at: Math.PI - 0.3, width: 0.25, reach: 0.12 }, { at: -0.6, width: 0.2, reach: 0.12 });
      } else if (form === FORM_RADIANT || scene.stage === 4) {
        for (let i = 0; i < 4; i++) bumps.push({ at: -0.3 + i * 0.55, width: 0.22, reach: 0.06 });
      }
      const shape = tuftedEllipse(0, 0, rx, ry, bumps, tailSteps);
      const clipId = scene.defs.clip(path(shape, {}));
      const tipSize = 0.42 + traits.markingSize * 0.1;
      return g(
        { transform: at(tx, ty, rot) },
        path(shape, furred(scene, pal.fur)) +
          g({ 'clip-path': clipId }, ellipse(0, -ry * (1.02 - tipSize * 0.25), rx * 1.2, ry * tipSize, 0, { fill: pal.belly })) +
          path(shape, { fill: 'none', stroke: pal.outline, 'stroke-width': LINE }),
      );
    }
    case 'bunny': {
      const tx = x0 + bw * 0.06;
      const ty = y0 + bh * 0.08;
      const r = bw * 0.19;
      return path(cloud(tx, ty, r, r * 0.92, 7, 1.25), furred(scene, lighten(pal.belly, 0.2)));
    }
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Ears                                                                                        */

function ears(scene: PetScene, geo: Geo): string {
  const { pal, species, form, traits, stage } = scene;
  const { hx, hy, headR, shape } = geo;
  if (species === 'dog') return '';
  const droop = form === FORM_SCRUFFY;
  let out = '';
  for (const side of [-1, 1]) {
    if (species === 'bunny') {
      const headTop = hy - headR;
      const ey = headTop + headR * 0.45;
      // Keep the tips inside the card once the figure is zoomed about the floor.
      const highest = FLOOR - (FLOOR - S * 0.035) / shape.zoom;
      const length = Math.min(headR * 1.55 * shape.ear, (ey - highest) / Math.cos(0.16));
      const lop = (traits.earQuirk && side === traits.side) || (droop && side === traits.side);
      const ex = hx + side * headR * (lop ? 0.62 : 0.42);
      const tilt = lop ? side * 2.25 : side * (droop ? 0.4 : 0.16);
      const rx = headR * 0.27;
      const len = lop ? length * 0.82 : length;
      out += g(
        { transform: at(ex, lop ? ey - headR * 0.2 : ey, tilt) },
        ellipse(0, -len / 2, rx, len / 2, 0, furred(scene, pal.fur)) +
          ellipse(0, -len / 2 + len * 0.04, rx * 0.5, len * 0.38, 0, { fill: furPaint(scene.defs, pal.innerEar, 0.25) }),
      );
      continue;
    }
    const fox = species === 'fox';
    const w = headR * (fox ? 0.8 : 0.72);
    const h = headR * (fox ? 1 : 0.78) * shape.ear;
    const bx = hx + side * headR * 0.58;
    const by = hy - headR * 0.6;
    const tilt = side * (droop ? 0.72 : 0.36);
    const outer = pointedEarPath(w, h);
    let body = path(outer, furred(scene, pal.fur));
    if (fox && scene.skin !== 'sakura') {
      // Dark ear tips, clipped to the ear.
      const clipId = scene.defs.add(`eartip${w}${h}`, (id) => el('clipPath', { id }, path(outer, {})));
      body += g({ 'clip-path': `url(#${clipId})` }, el('rect', { x: -w, y: -h * 1.1, width: w * 2, height: h * 0.34, fill: mix(pal.innerEar, pal.fur, 0.15) }));
      body += path(outer, { fill: 'none', stroke: pal.outline, 'stroke-width': LINE });
    }
    body += g({ transform: `translate(0 ${num(h * 0.04)})` }, path(pointedEarPath(w * 0.5, h * 0.68), { fill: pal.innerEar }));
    // Fluffy tufts inside the ear (cats and foxes, from the teen stage on).
    if (stage >= 3) {
      body += path(d('M', -w * 0.12, -h * 0.05, 'q', w * 0.05, -h * 0.25, w * 0.2, -h * 0.36, 'M', w * 0.05, -h * 0.04, 'q', w * 0.04, -h * 0.18, w * 0.14, -h * 0.26), {
        fill: 'none',
        stroke: lighten(pal.belly, 0.3),
        'stroke-width': 3.5,
      });
    }
    if (form === FORM_SCRUFFY && side === traits.side) {
      // A little nick out of one ear.
      body += circle(w * 0.3, -h * 0.55, w * 0.1, { fill: pal.outline });
    }
    out += g({ transform: at(bx, by, tilt) }, body);
  }
  return out;
}

function floppyEars(scene: PetScene, geo: Geo): string {
  const { pal, form, traits } = scene;
  const { hx, hy, headR, shape } = geo;
  let out = '';
  const ear = traits.marking === 2 ? mix(pal.innerEar, pal.fur, 0.55) : pal.innerEar;
  for (const side of [-1, 1]) {
    const perky = traits.earQuirk && side === traits.side && form !== FORM_SCRUFFY;
    // Hung from the top of the head; a perky ear flips up and out.
    const swing = form === FORM_SCRUFFY ? -0.02 : perky ? 2.5 : 0.22;
    const ex = hx + side * headR * 0.74;
    const ey = hy - headR * 0.62;
    const w = headR * 0.32 * shape.ear;
    const len = headR * 1.12 * shape.ear;
    out += g(
      { transform: at(ex, ey, -side * swing) },
      path(d('M', -w * 0.55, 0, 'C', -w * 1.35, len * 0.2, -w * 1.25, len * 0.95, 0, len, 'C', w * 1.25, len * 0.95, w * 1.35, len * 0.2, w * 0.55, 0, 'Q', 0, -len * 0.12, -w * 0.55, 0, 'Z'), furred(scene, ear)),
    );
  }
  return out;
}

/* ------------------------------------------------------------------------------------------ */
/* Head shape and markings                                                                     */

function headOutline(scene: PetScene, geo: Geo): string {
  const { form, species, stage, traits } = scene;
  const { hx, hy, headR } = geo;
  const bumps: Bump[] = [];
  const f = traits.fluff;
  const jitter = (i: number): number => f[i % f.length] ?? 0.5;
  if ((species === 'cat' || species === 'fox') && stage >= 3) {
    // Cheek fluff: two small points each side, lusher on adults.
    const reach = stage === 4 ? 0.1 : 0.07;
    for (const side of [-1, 1]) {
      const base = side < 0 ? Math.PI * 0.8 : Math.PI * 0.2;
      bumps.push({ at: base, width: 0.2, reach }, { at: base + side * -0.28, width: 0.18, reach: reach * 0.8 });
    }
  }
  if (form === FORM_RADIANT) {
    for (const side of [-1, 1]) {
      const base = side < 0 ? Math.PI * 0.72 : Math.PI * 0.28;
      bumps.push({ at: base, width: 0.2, reach: 0.08 });
    }
  }
  if (form === FORM_SCRUFFY) {
    // Messy fur: tufts sticking out on top and at the cheeks.
    const top = -Math.PI / 2;
    bumps.push(
      { at: top - 0.42 + jitter(0) * 0.1, width: 0.16, reach: 0.2 + jitter(1) * 0.08 },
      { at: top - 0.08 + jitter(2) * 0.12, width: 0.15, reach: 0.24 + jitter(3) * 0.08 },
      { at: top + 0.3 + jitter(4) * 0.1, width: 0.14, reach: 0.18 + jitter(5) * 0.08 },
      { at: Math.PI * (0.86 + jitter(6) * 0.05), width: 0.17, reach: 0.16 },
      { at: Math.PI * (0.1 + jitter(7) * 0.05), width: 0.16, reach: 0.15 },
      { at: Math.PI * (1.1 + jitter(8) * 0.05), width: 0.14, reach: 0.12 },
    );
  }
  if (!bumps.length) return el('ellipse', { cx: hx, cy: hy, rx: headR * 1.1, ry: headR });
  return path(tuftedEllipse(hx, hy, headR * 1.1, headR, bumps, 72), {});
}

/** Swaps the tag-less geometry string into a filled/outlined element. */
function styled(shape: string, attrs: Attrs): string {
  const extra = Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? (k.endsWith('opacity') ? frac(v) : num(v)) : String(v)}"`)
    .join('');
  return shape.replace(/\/>$/, `${extra}/>`);
}

function faceMarkings(scene: PetScene, geo: Geo): string {
  const { pal, species, traits, skin } = scene;
  const { hx, hy, headR } = geo;
  const side = traits.side;
  const size = traits.markingSize;
  let out = '';
  switch (species) {
    case 'cat': {
      if (traits.marking === 0) {
        for (const dx of [-0.24, 0, 0.24]) {
          out += path(d('M', hx + dx * headR, hy - headR * 1.02, 'L', hx + dx * headR * 0.8, hy - headR * (dx === 0 ? 0.6 : 0.7)), {
            stroke: pal.marking,
            'stroke-width': S * 0.017,
            fill: 'none',
          });
        }
        for (const s of [-1, 1]) {
          out += path(d('M', hx + s * headR * 1.12, hy - headR * 0.1, 'l', -s * headR * 0.22, headR * 0.05, 'M', hx + s * headR * 1.1, hy + headR * 0.08, 'l', -s * headR * 0.18, headR * 0.02), {
            stroke: pal.marking,
            'stroke-width': S * 0.014,
            fill: 'none',
          });
        }
      } else if (traits.marking === 1) {
        // White muzzle and blaze.
        out += ellipse(hx, hy + headR * 0.45, headR * 0.5, headR * 0.34, 0, { fill: pal.belly });
        out += path(d('M', hx - headR * 0.1, hy + headR * 0.2, 'Q', hx, hy - headR * 0.9, hx + headR * 0.1, hy + headR * 0.2, 'Z'), { fill: pal.belly });
      } else {
        // Calico patch over one eye and ear side.
        const patch = mix(pal.marking, '#6b4a3a', skin === 'default' ? 0.45 : 0.2);
        out += ellipse(hx + side * headR * 0.62, hy - headR * 0.42, headR * 0.55 * size, headR * 0.48 * size, side * 0.5, { fill: patch });
        out += ellipse(hx, hy + headR * 0.48, headR * 0.42, headR * 0.28, 0, { fill: pal.belly });
      }
      break;
    }
    case 'dog': {
      if (traits.marking !== 1) {
        out += ellipse(hx + side * headR * 0.42, hy - headR * 0.02, headR * 0.3 * size, headR * 0.34 * size, side * 0.3, { fill: pal.marking });
      }
      if (traits.marking === 1) {
        out += path(d('M', hx - headR * 0.14, hy + headR * 0.2, 'Q', hx, hy - headR * 1.1, hx + headR * 0.14, hy + headR * 0.2, 'Z'), { fill: pal.belly });
      }
      out += ellipse(hx, hy + headR * 0.42, headR * 0.44, headR * 0.31, 0, { fill: pal.belly });
      break;
    }
    case 'fox': {
      for (const s of [-1, 1]) {
        out += ellipse(hx + s * headR * 0.55, hy + headR * 0.52, headR * 0.64, headR * 0.42, s * -0.35, { fill: pal.belly });
      }
      if (traits.marking === 1) {
        out += path(d('M', hx - headR * 0.08, hy + headR * 0.1, 'Q', hx, hy - headR * 0.75, hx + headR * 0.08, hy + headR * 0.1, 'Z'), { fill: lighten(pal.fur, 0.45) });
      } else if (traits.marking === 2) {
        out += path(d('M', hx - headR * 0.2, hy - headR * 1.02, 'L', hx, hy - headR * 0.62, 'L', hx + headR * 0.2, hy - headR * 1.02, 'Z'), { fill: pal.accent });
      }
      break;
    }
    case 'bunny': {
      if (traits.marking === 0) {
        out += ellipse(hx + side * headR * 0.45, hy - headR * 0.05, headR * 0.42 * size, headR * 0.46 * size, side * 0.2, { fill: pal.marking });
      } else if (traits.marking === 1) {
        for (const [x, y, r] of traits.spots.slice(0, 3)) {
          out += circle(hx + x * headR * 0.9, hy - headR * 0.55 + y * headR * 0.25, headR * r * 0.45, { fill: pal.marking, opacity: 0.7 });
        }
      }
      out += ellipse(hx, hy + headR * 0.47, headR * 0.5, headR * 0.32, 0, { fill: pal.belly });
      break;
    }
  }
  if (skin === 'midnight') {
    // A pale crescent moon on the forehead.
    const mx = hx;
    const my = hy - headR * 0.62;
    const r = headR * 0.17;
    out += path(d('M', mx - r * 0.2, my - r, 'A', r, r, 0, 1, 0, mx - r * 0.2, my + r, 'A', r * 0.78, r * 0.78, 0, 1, 1, mx - r * 0.2, my - r, 'Z'), { fill: '#ffe9a8' });
  } else if (skin === 'golden') {
    out += path(sparkle(hx, hy - headR * 0.62, headR * 0.16), { fill: '#fffbe6' });
  } else if (skin === 'frost') {
    out += snowflake(hx, hy - headR * 0.6, headR * 0.16, '#ffffff', 0.95);
  } else if (skin === 'maple') {
    out += mapleLeaf(hx, hy - headR * 0.62, headR * 0.15, 0, '#b8461f', '#ffd7a8', 0.8);
  }
  return out;
}

function bodyMarkings(scene: PetScene, geo: Geo): string {
  const { pal, species, traits, skin } = scene;
  const { bx, by, bw, bh } = geo;
  let out = '';
  if (species === 'cat' && traits.marking === 0) {
    for (const s of [-1, 1]) {
      for (const k of [0, 1]) {
        const y = by - bh * 0.18 + k * bh * 0.24;
        out += path(d('M', bx + s * bw * 0.52, y, 'q', -s * bw * 0.12, bh * 0.02, -s * bw * 0.16, bh * 0.1), { stroke: pal.marking, 'stroke-width': S * 0.016, fill: 'none' });
      }
    }
  } else if (species === 'cat' && traits.marking === 2) {
    out += ellipse(bx - traits.side * bw * 0.4, by - bh * 0.2, bw * 0.22, bh * 0.22, 0.3, { fill: mix(pal.marking, '#6b4a3a', skin === 'default' ? 0.45 : 0.2) });
  } else if (species === 'dog' && traits.marking === 2) {
    // Saddle-like spots.
    for (const [x, y, r] of traits.spots.slice(0, 3)) {
      out += ellipse(bx + x * bw * 0.45, by + y * bh * 0.35 - bh * 0.05, bw * r * 0.45, bw * r * 0.4, 0, { fill: pal.marking });
    }
  } else if (species === 'dog' && traits.marking === 0) {
    out += ellipse(bx + traits.side * bw * 0.38, by - bh * 0.12, bw * 0.2, bh * 0.24, 0, { fill: pal.marking });
  } else if (species === 'bunny' && traits.marking === 1) {
    for (const [x, y, r] of traits.spots.slice(3, 6)) {
      out += circle(bx + x * bw * 0.42, by + y * bh * 0.3, bw * r * 0.3, { fill: pal.marking, opacity: 0.7 });
    }
  } else if (species === 'bunny' && traits.marking === 0) {
    out += ellipse(bx - traits.side * bw * 0.35, by - bh * 0.05, bw * 0.2, bh * 0.26, 0, { fill: pal.marking });
  }
  if (skin === 'midnight') {
    for (const [x, y, r] of traits.spots) {
      out += path(sparkle(bx + x * bw * 0.45, by + y * bh * 0.4, 3 + r * 14), { fill: '#fff6d6', opacity: 0.85 });
    }
  } else if (skin === 'sakura') {
    for (const [x, y, r] of traits.spots.slice(0, 4)) out += blossom(bx + x * bw * 0.42, by + y * bh * 0.32, 6 + r * 14, '#fff0f5', '#f27aa2', 0.85);
  } else if (skin === 'maple') {
    for (const [i, [x, y, r]] of traits.spots.slice(0, 3).entries()) {
      out += mapleLeaf(bx + x * bw * 0.42, by + y * bh * 0.32, 7 + r * 14, (i * 47 + x * 90) % 60 - 30, i % 2 ? '#c2502a' : '#f2a53a', '#fff0d6', 0.85);
    }
  } else if (skin === 'frost') {
    for (const [x, y, r] of traits.spots.slice(0, 3)) out += snowflake(bx + x * bw * 0.44, by + y * bh * 0.34, 5 + r * 12, '#ffffff', 0.9);
  } else if (skin === 'meadow') {
    for (const [x, y, r] of traits.spots.slice(0, 3)) out += daisy(bx + x * bw * 0.42, by + y * bh * 0.32, 6 + r * 12, '#ffffff', '#ffc933', 0.9);
  }
  return out;
}

/** A five-petal cherry blossom. */
export function blossom(x: number, y: number, r: number, petal: string, center: string, opacity = 1): string {
  let out = '';
  for (let i = 0; i < 5; i++) {
    const a = -Math.PI / 2 + (i * Math.PI * 2) / 5;
    out += ellipse(x + Math.cos(a) * r * 0.5, y + Math.sin(a) * r * 0.5, r * 0.36, r * 0.52, a + Math.PI / 2, { fill: petal });
  }
  out += circle(x, y, r * 0.2, { fill: center });
  return g({ opacity: opacity < 1 ? opacity : undefined }, out);
}

/* ------------------------------------------------------------------------------------------ */
/* Face                                                                                        */

function eyes(scene: PetScene, geo: Geo): string {
  const { pal, form, traits, stage, defs } = scene;
  const { hx, hy, headR, shape } = geo;
  const dx = headR * PET_EYE.spacing;
  const ey = hy + headR * PET_EYE.drop;
  const r = headR * PET_EYE.radius * shape.eye * (form === FORM_RADIANT ? 1.08 : 1);
  const ry = r * PET_EYE.tall;
  const eyePaint = defs.add(`eye${pal.iris}${pal.pupil}`, (id) =>
    el(
      'linearGradient',
      { id, x1: 0, y1: 0, x2: 0, y2: 1 },
      stops([
        [0, pal.pupil],
        [scene.skin === 'midnight' ? 0.3 : 0.5, pal.pupil],
        [1, mix(pal.iris, pal.pupil, scene.skin === 'midnight' ? 0 : 0.15)],
      ]),
    ),
  );
  let out = '';
  for (const side of [-1, 1]) {
    const ex = hx + side * dx;
    if (form === FORM_SCRUFFY) {
      // Tired: heavy lids over the top half and little bags underneath.
      const lidY = ey - ry * 0.05;
      out += path(d('M', ex - r, lidY, 'A', r, ry, 0, 0, 0, ex + r, lidY, 'Q', ex, lidY + ry * 0.16, ex - r, lidY, 'Z'), { fill: `url(#${eyePaint})` });
      out += circle(ex + r * 0.3, lidY + ry * 0.42, r * 0.16, { fill: '#ffffff', opacity: 0.85 });
      const outer = ry * 0.22;
      out += path(d('M', ex - r * 1.02, lidY + (side < 0 ? outer : 0), 'Q', ex, lidY + ry * 0.04, ex + r * 1.02, lidY + (side > 0 ? outer : 0)), {
        fill: 'none',
        stroke: pal.pupil,
        'stroke-width': S * 0.011,
      });
      out += path(d('M', ex - r * 0.75, ey + ry * 1.05, 'Q', ex, ey + ry * 1.5, ex + r * 0.75, ey + ry * 1.05), { fill: 'none', stroke: mix(pal.fur, INK, 0.4), 'stroke-width': 3.5, opacity: 0.75 });
      continue;
    }
    const rim = scene.skin === 'midnight' ? { stroke: '#e6e3ff', 'stroke-width': 3 } : {};
    out += ellipse(ex, ey, r, ry, 0, { fill: `url(#${eyePaint})`, ...rim });
    const sx = ex + r * traits.shineX;
    const sy = ey + ry * traits.shineY;
    out += circle(sx, sy, r * traits.shineSize, { fill: '#ffffff' });
    out += circle(ex + r * 0.36, ey + ry * 0.36, r * 0.16, { fill: '#ffffff', opacity: 0.9 });
    if (traits.glint) out += circle(ex - r * 0.05, ey + ry * 0.55, r * 0.08, { fill: '#ffffff', opacity: 0.7 });
    if (form === FORM_RADIANT) out += path(sparkle(ex + r * 0.32, ey - ry * 0.1, r * 0.32), { fill: '#ffffff' });
    if (stage >= 3) {
      // A little lash flick at the outer corner.
      out += path(d('M', ex + side * r * 0.82, ey - ry * 0.55, 'q', side * r * 0.3, -r * 0.12, side * r * 0.42, -r * 0.4), { fill: 'none', stroke: pal.pupil, 'stroke-width': 4 });
    }
  }
  return out;
}

function muzzle(scene: PetScene, geo: Geo): string {
  const { pal, species, form, traits } = scene;
  const { hx, hy, headR } = geo;
  const dog = species === 'dog';
  const ny = hy + headR * 0.3;
  const nr = headR * (dog ? 0.11 : 0.075);
  let out = '';
  // Nose: a rounded inverted triangle (the client's), with a tiny shine.
  out += path(d('M', hx - nr * 1.3, ny - nr * 0.6, 'Q', hx, ny - nr * 1.15, hx + nr * 1.3, ny - nr * 0.6, 'Q', hx, ny + nr * 1.5, hx - nr * 1.3, ny - nr * 0.6, 'Z'), { fill: pal.nose });
  out += ellipse(hx - nr * 0.35, ny - nr * 0.55, nr * 0.35, nr * 0.2, 0, { fill: '#ffffff', opacity: 0.55 });
  const my = ny + nr * 1.15;
  const w = headR * 0.16;
  const ink = { fill: 'none', stroke: INK, 'stroke-width': S * 0.01 };
  if (form === FORM_RADIANT) {
    // A big open smile.
    out += path(d('M', hx - w * 1.35, my, 'Q', hx, my + w * 2.6, hx + w * 1.35, my, 'Q', hx, my + w * 0.35, hx - w * 1.35, my, 'Z'), { fill: '#c8505f', stroke: INK, 'stroke-width': S * 0.01 });
    out += ellipse(hx, my + w * 1.05, w * 0.6, w * 0.38, 0, { fill: '#ff8a9a' });
  } else if (form === FORM_SCRUFFY) {
    // A small wobbly, tired mouth.
    out += path(d('M', hx - w * 1, my + w * 0.55, 'Q', hx - w * 0.5, my + w * 0.25, hx, my + w * 0.55, 'Q', hx + w * 0.5, my + w * 0.85, hx + w * 1, my + w * 0.5), ink);
  } else {
    // The little "w" of a content animal.
    out += path(d('M', hx - w * 1.1, my + w * 0.1, 'Q', hx - w * 0.55, my + w * 0.95, hx, my, 'Q', hx + w * 0.55, my + w * 0.95, hx + w * 1.1, my + w * 0.1), ink);
    if (dog && traits.marking === 0 && scene.stage >= 2) {
      // A tongue peeking out.
      out += path(d('M', hx + w * 0.05, my + w * 0.55, 'q', w * 0.05, w * 1.1, w * 0.55, w * 0.9, 'q', w * 0.35, -w * 0.2, w * 0.2, -w * 0.9, 'Z'), { fill: '#ff8a9a', stroke: INK, 'stroke-width': 3 });
    }
  }
  if (species === 'bunny' && form !== FORM_RADIANT) {
    // Buck teeth.
    out += el('rect', { x: hx - w * 0.42, y: my + w * 0.42, width: w * 0.84, height: w * 0.7, rx: w * 0.18, fill: '#ffffff', stroke: INK, 'stroke-width': 3 });
    out += path(d('M', hx, my + w * 0.45, 'v', w * 0.62), { stroke: INK, 'stroke-width': 2.5 });
  }
  if (species === 'cat' || species === 'fox') {
    const wcol = mix(pal.fur, INK, 0.45);
    let lines = '';
    for (const side of [-1, 1]) {
      for (const k of [-1, 1]) {
        const droop = form === FORM_SCRUFFY ? 0.12 : 0;
        lines += d('M', hx + side * headR * 0.78, hy + headR * 0.36 + k * headR * 0.05, 'L', hx + side * headR * 1.24, hy + headR * (0.3 + droop) + k * headR * 0.14);
      }
    }
    out += path(lines, { fill: 'none', stroke: wcol, 'stroke-width': S * 0.006 });
  }
  return out;
}

function cheeks(scene: PetScene, geo: Geo): string {
  const { pal } = scene;
  const { hx, hy, headR } = geo;
  let out = '';
  for (const side of [-1, 1]) {
    out += ellipse(hx + side * headR * 0.68, hy + headR * 0.33, headR * 0.18, headR * 0.11, 0, { fill: pal.cheek, opacity: pal.cheekOpacity });
  }
  return out;
}

function headTuft(scene: PetScene, geo: Geo): string {
  const { pal, traits, form, stage } = scene;
  const { hx, hy, headR } = geo;
  const top = hy - headR;
  const lean = traits.tuftLean * 6;
  // Babies always get a curl; scruffy heads already have messy tufts.
  const kind = form === FORM_SCRUFFY ? 0 : stage === 1 ? Math.max(1, traits.tuft) : traits.tuft;
  if (kind === 1) {
    const p = d('M', hx - 6, top + 10, 'C', hx - 10 + lean, top - 26, hx + 24 + lean, top - 24, hx + 14 + lean, top - 8, 'C', hx + 6 + lean, top + 2, hx - 2 + lean, top - 10, hx + 6 + lean, top - 16);
    return path(p, { fill: 'none', stroke: pal.outline, 'stroke-width': 13 }) + path(p, { fill: 'none', stroke: pal.fur, 'stroke-width': 6 });
  }
  if (kind === 2) {
    const p = d('M', hx - 16, top + 8, 'Q', hx - 14 + lean, top - 16, hx - 4 + lean, top - 22, 'Q', hx - 6 + lean, top - 8, hx + 2, top - 4, 'Q', hx + 6 + lean, top - 22, hx + 18 + lean, top - 18, 'Q', hx + 12, top - 2, hx + 16, top + 8, 'Z');
    return path(p, furred(scene, pal.fur));
  }
  return '';
}

/* ------------------------------------------------------------------------------------------ */
/* Extras                                                                                      */

function scruffyPatch(scene: PetScene, geo: Geo): string {
  const { traits, pal } = scene;
  const { bx, by, bw, bh } = geo;
  const side = -traits.side;
  const px = bx + side * bw * 0.27;
  const py = by + bh * 0.02;
  const s = bw * 0.2;
  const fabric = scene.skin === 'midnight' ? '#e6b86a' : '#8fbad6';
  let out = el('rect', { x: -s / 2, y: -s / 2, width: s, height: s, rx: s * 0.18, fill: fabric, stroke: pal.outline, 'stroke-width': 4 });
  out += el('rect', { x: -s / 2 + 5, y: -s / 2 + 5, width: s - 10, height: s - 10, rx: s * 0.12, fill: 'none', stroke: '#ffffff', 'stroke-width': 2.5, 'stroke-dasharray': '5 4', opacity: 0.9 });
  out += path(d('M', -s / 2 + 6, 0, 'H', s / 2 - 6, 'M', 0, -s / 2 + 6, 'V', s / 2 - 6), { stroke: mix(fabric, INK, 0.2), 'stroke-width': 2.5, opacity: 0.6 });
  return g({ transform: at(px, py, side * 0.22) }, out);
}

function bandage(x: number, y: number, rot: number, w: number): string {
  const h = w * 0.36;
  return g(
    { transform: at(x, y, rot) },
    el('rect', { x: -w / 2, y: -h / 2, width: w, height: h, rx: h / 2, fill: '#f6d7b0', stroke: mix('#f6d7b0', INK, 0.45), 'stroke-width': 3 }) +
      el('rect', { x: -w * 0.16, y: -h / 2, width: w * 0.32, height: h, fill: '#ecc79c' }) +
      circle(-w * 0.06, -h * 0.15, 1.6, { fill: '#c9a27a' }) +
      circle(w * 0.06, h * 0.15, 1.6, { fill: '#c9a27a' }),
  );
}

function smudges(scene: PetScene, geo: Geo): string {
  const { traits } = scene;
  const { bx, by, bw, bh } = geo;
  let out = '';
  for (const [x, y, r] of traits.spots.slice(0, 3)) {
    out += ellipse(bx + x * bw * 0.3, by + bh * 0.1 + y * bh * 0.25, bw * r * 0.22, bw * r * 0.14, x, { fill: '#7a5230', opacity: 0.22 });
  }
  return out;
}

function chestRuff(scene: PetScene, geo: Geo): string {
  const { pal } = scene;
  const { bx, by, bw, bh } = geo;
  // A lush tuft of chest fur with soft points hanging down.
  const bumps: Bump[] = [0.22, 0.4, 0.6, 0.78].map((k) => ({ at: Math.PI * k, width: 0.24, reach: 0.3 }));
  const cy = by - bh * 0.22;
  const shape = tuftedEllipse(bx, cy, bw * 0.3, bh * 0.24, bumps, 48);
  const shade = mix(pal.belly, pal.fur, 0.35);
  return (
    path(shape, { fill: shade, transform: 'translate(0 4)', opacity: 0.6 }) +
    path(shape, { fill: lighten(pal.belly, 0.4) })
  );
}

function sakuraFlower(scene: PetScene, geo: Geo): string {
  const { hx, hy, headR } = geo;
  const side = scene.traits.side;
  return blossom(hx + side * headR * 0.72, hy - headR * 0.7, headR * 0.3, '#ffd3e2', '#e3607f') + circle(hx + side * headR * 0.72, hy - headR * 0.7, headR * 0.05, { fill: '#ffe28a' });
}

/** A maple leaf or a daisy tucked behind the ear, where the sakura wears its flower. */
function seasonalHeadpiece(scene: PetScene, geo: Geo): string {
  const { hx, hy, headR } = geo;
  const side = scene.traits.side;
  const x = hx + side * headR * 0.72;
  const y = hy - headR * 0.7;
  if (scene.skin === 'maple') return mapleLeaf(x, y, headR * 0.3, side * 25, '#d9482a', '#ffd08a') + circle(x, y + headR * 0.05, headR * 0.04, { fill: '#ffd08a' });
  return daisy(x, y, headR * 0.3) + daisy(x - side * headR * 0.3, y + headR * 0.12, headR * 0.17);
}

/** A knitted winter scarf under the head, its end hanging to one side. */
function frostScarf(scene: PetScene, geo: Geo): string {
  const { hx, hy, headR, bh } = geo;
  const side = scene.traits.side;
  const y = hy + headR * 0.86;
  const w = headR * 0.82;
  const wool = '#e2475a';
  const stripe = '#ffffff';
  let out = path(d('M', hx - w, y - headR * 0.1, 'Q', hx, y + headR * 0.22, hx + w, y - headR * 0.1, 'L', hx + w * 0.96, y + headR * 0.12, 'Q', hx, y + headR * 0.44, hx - w * 0.96, y + headR * 0.12, 'Z'), {
    fill: wool,
    stroke: mix(wool, INK, 0.5),
    'stroke-width': 3,
    'stroke-linejoin': 'round',
  });
  const ex = hx + side * w * 0.55;
  out += path(d('M', ex - headR * 0.12, y + headR * 0.15, 'L', ex + side * headR * 0.05, y + bh * 0.42, 'L', ex + side * headR * 0.3, y + bh * 0.38, 'L', ex + headR * 0.16, y + headR * 0.12, 'Z'), {
    fill: wool,
    stroke: mix(wool, INK, 0.5),
    'stroke-width': 3,
    'stroke-linejoin': 'round',
  });
  for (const k of [0.3, 0.62]) {
    out += path(d('M', ex - headR * 0.1 + side * headR * 0.1 * k, y + headR * 0.15 + bh * 0.27 * k, 'l', side * headR * 0.22 + headR * 0.05, -headR * 0.02), { fill: 'none', stroke: stripe, 'stroke-width': 4, 'stroke-linecap': 'round' });
  }
  out += path(d('M', hx - w * 0.7, y + headR * 0.08, 'Q', hx, y + headR * 0.36, hx + w * 0.7, y + headR * 0.08), { fill: 'none', stroke: stripe, 'stroke-width': 4, 'stroke-linecap': 'round', opacity: 0.9 });
  return out;
}

/* ------------------------------------------------------------------------------------------ */

export function drawPet(scene: PetScene): string {
  const { pal, species, form, skin, stage } = scene;
  const name = stageName(stage);
  const shape = PET_STAGE_PROPORTIONS[name === 'egg' ? 'baby' : name];
  const bw = S * shape.bodyW;
  const bh = S * shape.bodyH;
  const bx = S * 0.5;
  const by = FLOOR - bh / 2;
  const headR = S * shape.headR;
  const hx = S * 0.5;
  const hy = FLOOR - bh * 0.82 - headR * 0.72;
  const geo: Geo = { bx, by, bw, bh, hx, hy, headR, shape };

  let out = tail(scene, geo);

  // Back feet peeking out at the sides.
  for (const side of [-1, 1]) {
    out += ellipse(bx + side * bw * 0.36, FLOOR - bh * 0.08, bw * 0.2, bh * 0.13, 0, furred(scene, pal.fur));
  }

  // Body, with scruffy tufts at the sides.
  const bodyShape =
    form === FORM_SCRUFFY
      ? path(
          tuftedEllipse(bx, by, bw / 2, bh / 2, [
            { at: Math.PI * 0.95, width: 0.18, reach: 0.1 },
            { at: Math.PI * 1.1, width: 0.15, reach: 0.08 },
            { at: Math.PI * 0.05, width: 0.18, reach: 0.1 },
            { at: -Math.PI * 0.12, width: 0.15, reach: 0.07 },
          ]),
          {},
        )
      : el('ellipse', { cx: bx, cy: by, rx: bw / 2, ry: bh / 2 });
  out += styled(bodyShape, furred(scene, pal.fur));
  const bodyClip = scene.defs.clip(bodyShape);
  out += g(
    { 'clip-path': bodyClip },
    ellipse(bx, by + bh * 0.1, bw * 0.3, bh * 0.36, 0, { fill: furPaint(scene.defs, pal.belly, 0.3) }) + bodyMarkings(scene, geo),
  );
  if (form === FORM_RADIANT) out += chestRuff(scene, geo);
  if (form === FORM_SCRUFFY) out += smudges(scene, geo) + scruffyPatch(scene, geo);

  // Front paws with little toe lines.
  const fox = species === 'fox';
  const catSocks = species === 'cat' && scene.traits.marking === 1;
  const pawColor = fox && skin === 'default' ? mix(pal.fur, '#3b2a26', 0.55) : catSocks ? pal.belly : pal.fur;
  for (const side of [-1, 1]) {
    const px = bx + side * bw * 0.17;
    const py = FLOOR - bh * 0.06;
    const pw = bw * 0.12;
    out += ellipse(px, py, pw, bh * 0.1, 0, furred(scene, pawColor));
    out += path(d('M', px - pw * 0.3, py + bh * 0.03, 'v', -bh * 0.045, 'M', px + pw * 0.3, py + bh * 0.03, 'v', -bh * 0.045), { stroke: pal.outline, 'stroke-width': 3, fill: 'none', opacity: 0.7 });
  }

  out += ears(scene, geo);

  const head = headOutline(scene, geo);
  out += styled(head, furred(scene, pal.fur));
  const headClip = scene.defs.clip(head);
  out += g({ 'clip-path': headClip }, faceMarkings(scene, geo));
  if (form === FORM_RADIANT || skin === 'golden') {
    // A glossy sheen on the crown.
    out += path(d('M', hx - headR * 0.7, hy - headR * 0.45, 'Q', hx - headR * 0.35, hy - headR * 0.92, hx + headR * 0.15, hy - headR * 0.88), {
      fill: 'none',
      stroke: '#ffffff',
      'stroke-width': 7,
      opacity: 0.55,
    });
  }

  if (species === 'dog') out += floppyEars(scene, geo);
  out += headTuft(scene, geo);
  if (skin === 'sakura') out += sakuraFlower(scene, geo);
  else if (skin === 'maple' || skin === 'meadow') out += seasonalHeadpiece(scene, geo);
  else if (skin === 'frost') out += frostScarf(scene, geo);

  out += cheeks(scene, geo) + eyes(scene, geo) + muzzle(scene, geo);

  if (form === FORM_SCRUFFY) {
    // A plaster on the head and a stray hair.
    out += bandage(hx + scene.traits.side * headR * 0.55, hy - headR * 0.6, scene.traits.side * 0.6, headR * 0.55);
    const sx = hx - scene.traits.side * headR * 0.2;
    out += path(d('M', sx, hy - headR * 1.05, 'q', 8, -26, 22, -22, 'q', -10, 6, -4, 16), { fill: 'none', stroke: pal.outline, 'stroke-width': 3.5 });
  }

  const zoom = shape.zoom;
  const transform = zoom === 1 ? undefined : `translate(${num(S / 2)} ${num(FLOOR)}) scale(${num(zoom)}) translate(${num(-S / 2)} ${num(-FLOOR)})`;
  return g({ transform, 'stroke-linejoin': 'round', 'stroke-linecap': 'round' }, out);
}

