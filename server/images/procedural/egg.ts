/**
 * The egg stage: the client's speckled egg (client/src/art/pet-art.ts drawEgg; both take the
 * shell and its spots from shared/pet-proportions.ts) with a species pattern, a sleepy face
 * and a little nest.
 */
import { PET_EGG } from '../../../shared/pet-proportions.js';
import { lighten, mix } from './color.js';
import { INK } from './palette.js';
import { FLOOR, S, blossom, furPaint, type PetScene } from './pet.js';
import type { Rng } from './prng.js';
import { circle, cloud, d, el, ellipse, g, heart, num, path, sparkle, tuftedEllipse } from './svg.js';
import { daisy, mapleLeaf, snowflake } from './seasonal.js';

/** The cushion under the egg of a seasonal coat. */
const SEASONAL_NEST: Partial<Record<string, string>> = { maple: '#e9a15c', frost: '#dcecfb', meadow: '#b9df8e' };

export function drawEgg(scene: PetScene, rng: Rng): string {
  const { pal, species, traits, skin, defs } = scene;
  const cx = S * 0.5;
  const bottom = FLOOR - S * 0.015;
  const h = S * PET_EGG.height;
  const w = S * PET_EGG.width;
  const top = bottom - h;
  const outline = mix(pal.eggSpot, skin === 'midnight' ? '#141232' : INK, 0.55);
  const { crown, base } = PET_EGG;
  const eggD = d('M', cx, top, 'C', cx + w * crown, top, cx + w * base, bottom, cx, bottom, 'C', cx - w * base, bottom, cx - w * crown, top, cx, top, 'Z');
  const spot = pal.eggSpot;
  const dark = mix(spot, INK, 0.25);
  const X = (fx: number): number => cx + fx * w;
  const Y = (fy: number): number => top + fy * h;

  let pattern = '';
  const variant = traits.eggPattern;
  const spots = traits.spots;
  // The five spots, mirrored and jittered per pet.
  const spotField = (scale: number, fill: string): string =>
    PET_EGG.spots
      .map(([lx, ly, lr], i) => {
        const [jx, jy, jr] = spots[i] ?? [0, 0, 0.2];
        const r = lr * S * scale * (0.75 + jr * 1.4);
        return ellipse(X((lx + jx * 0.1) * traits.side), Y(ly + jy * 0.06), r, r * 0.85, jx, { fill });
      })
      .join('');
  switch (species) {
    case 'cat':
      if (variant === 0) {
        pattern = spotField(1, spot);
      } else {
        for (const [i, fy] of [0.18, 0.36, 0.56, 0.76].entries()) {
          const amp = h * 0.045 * traits.side;
          const y = Y(fy + (spots[i]?.[1] ?? 0) * 0.03);
          pattern += path(d('M', X(-0.7), y + amp, 'Q', X(-0.35), y - amp * 1.4, X(0), y, 'T', X(0.7), y - amp), {
            fill: 'none',
            stroke: spot,
            'stroke-width': S * (0.026 + (spots[i]?.[2] ?? 0.2) * 0.05),
          });
        }
      }
      break;
    case 'dog':
      if (variant === 0) {
        for (const [i, [x, y, r]] of spots.slice(0, 4).entries()) {
          // Big patches spread over the shell, one per quadrant.
          const qx = (i % 2 === 0 ? -0.32 : 0.3) + x * 0.12;
          const qy = (i < 2 ? 0.25 : 0.66) + y * 0.06;
          pattern += path(
            tuftedEllipse(X(qx), Y(qy), (0.5 + r) * w * 0.3, (0.5 + r) * w * 0.26, [
              { at: x * 3, width: 1.2, reach: 0.25 },
              { at: y * 3 + 2, width: 1, reach: -0.15 },
            ], 36),
            { fill: spot },
          );
        }
      } else {
        pattern = spotField(0.7, spot);
        // A paw print.
        const px = X(0.18);
        const py = Y(0.74);
        pattern += ellipse(px, py, 15, 12, 0, { fill: dark });
        for (const [tx, ty] of [[-15, -14], [-5, -22], [6, -22], [16, -14]] as const) pattern += circle(px + tx, py + ty, 5.5, { fill: dark });
      }
      break;
    case 'fox': {
      // An orange cap with a zigzag edge, like the fox's white-chinned face.
      const edge = variant === 0 ? 0.42 : 0.55;
      let zig = `M${num(X(-0.7))} ${num(Y(0))}`;
      const teeth = 7;
      for (let i = 0; i <= teeth * 2; i++) {
        const fx = -0.7 + (1.4 * i) / (teeth * 2);
        zig += `L${num(X(fx))} ${num(Y(edge + (i % 2 === 0 ? 0 : 0.07)))}`;
      }
      zig += `L${num(X(0.7))} ${num(Y(0))}Z`;
      pattern += path(zig, { fill: spot });
      if (variant === 1) for (const [x, y, r] of spots.slice(0, 3)) pattern += circle(X(x * 0.35), Y(0.74 + y * 0.08), 6 + r * 30, { fill: spot, opacity: 0.85 });
      else pattern += path(d('M', X(-0.05), Y(0.42), 'L', X(0), Y(0.2), 'L', X(0.05), Y(0.42), 'Z'), { fill: pal.shell });
      break;
    }
    case 'bunny':
      if (variant === 0) {
        pattern = spotField(0.9, spot);
      } else {
        pattern += el('rect', { x: X(-0.7), y: Y(0.6), width: w * 1.4, height: h * 0.1, fill: spot, opacity: 0.8 });
        for (const [x, y] of spots.slice(0, 4)) pattern += path(heart(X(x * 0.4), Y(0.2 + (y + 0.8) * 0.2), 14), { fill: spot });
      }
      break;
  }
  if (skin === 'midnight') {
    for (const [x, y, r] of spots) pattern += path(sparkle(X(x * 0.45), Y(0.15 + (y + 0.8) * 0.45), 4 + r * 12), { fill: '#fff6d6' });
  } else if (skin === 'sakura') {
    for (const [x, y, r] of spots.slice(0, 4)) pattern += blossom(X(x * 0.4), Y(0.15 + (y + 0.8) * 0.22), 10 + r * 20, '#ffffff', '#f27aa2', 0.9);
  } else if (skin === 'golden') {
    pattern += path(sparkle(X(-0.12), Y(0.3), 16), { fill: '#ffffff', opacity: 0.9 });
  } else if (skin === 'maple') {
    for (const [i, [x, y, r]] of spots.slice(0, 4).entries()) pattern += mapleLeaf(X(x * 0.4), Y(0.15 + (y + 0.8) * 0.22), 10 + r * 18, i * 35 - 40, i % 2 ? '#c2502a' : '#f2a53a', '#fff0d6', 0.9);
  } else if (skin === 'frost') {
    for (const [x, y, r] of spots.slice(0, 4)) pattern += snowflake(X(x * 0.42), Y(0.15 + (y + 0.8) * 0.3), 8 + r * 16, '#6fa8dc', 0.85);
  } else if (skin === 'meadow') {
    for (const [x, y, r] of spots.slice(0, 4)) pattern += daisy(X(x * 0.4), Y(0.15 + (y + 0.8) * 0.22), 10 + r * 16, '#ffffff', '#ffc933', 0.95);
  }

  const eggClip = defs.clip(path(eggD, {}));
  let egg = path(eggD, { fill: furPaint(defs, pal.shell, 0.35) });
  egg += g({ 'clip-path': eggClip }, pattern);
  egg += path(eggD, { fill: 'none', stroke: outline, 'stroke-width': S * 0.014 });
  // A glossy highlight.
  egg += ellipse(X(-0.24), Y(0.26), w * 0.07, h * 0.11, 0.45, { fill: '#ffffff', opacity: 0.75 });
  egg += circle(X(-0.16), Y(0.14), w * 0.025, { fill: '#ffffff', opacity: 0.75 });

  // A sleepy face peeking out of the shell.
  const fy = Y(0.52);
  const ink = skin === 'midnight' ? '#fff3d6' : INK;
  const line = { fill: 'none', stroke: ink, 'stroke-width': S * 0.012 };
  for (const side of [-1, 1]) {
    const ex = cx + side * w * 0.24;
    const open = traits.eggFace === 1 && side === traits.side;
    if (open) {
      egg += ellipse(ex, fy - 4, 9, 11, 0, { fill: ink });
      egg += circle(ex - 3, fy - 8, 3.5, { fill: skin === 'midnight' ? INK : '#ffffff' });
    } else {
      egg += path(d('M', ex - S * 0.028, fy - 4, 'Q', ex, fy + 10, ex + S * 0.028, fy - 4), line);
    }
    egg += ellipse(cx + side * w * 0.36, fy + S * 0.04, S * 0.035, S * 0.02, 0, { fill: pal.cheek, opacity: 0.45 });
  }
  if (traits.eggFace === 2) egg += path(d('M', cx - 8, fy + 16, 'Q', cx, fy + 24, cx + 8, fy + 16), line);

  // A nest of soft straw (or a skin-coloured cushion) under the egg.
  const nest = skin === 'midnight' ? '#6d72c4' : skin === 'sakura' ? '#ffc6d9' : skin === 'golden' ? '#f3c96a' : (SEASONAL_NEST[skin] ?? '#f2cf8a');
  const nestLine = mix(nest, INK, 0.45);
  const nestBack = ellipse(cx, bottom - 6, w * 0.6, h * 0.075, 0, { fill: mix(nest, INK, 0.25) });
  const nestFront =
    path(cloud(cx, bottom + 2, w * 0.62, h * 0.085, 11, 1.18, Math.PI / 2), { fill: furPaint(defs, nest, 0.3), stroke: nestLine, 'stroke-width': 5 }) +
    path(
      Array.from({ length: 5 }, (_, i) => d('M', cx - w * 0.44 + i * w * 0.22 + rng.range(-6, 6), bottom - 2 + rng.range(-4, 4), 'q', 12, 6, 24, -2)).join(''),
      { fill: 'none', stroke: lighten(nest, 0.4), 'stroke-width': 3.5 },
    );

  return g({ 'stroke-linejoin': 'round', 'stroke-linecap': 'round' }, nestBack + g({ transform: `rotate(${num((traits.eggTilt * 180) / Math.PI)} ${num(cx)} ${num(bottom)})` }, egg) + nestFront);
}
