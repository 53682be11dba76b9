/**
 * Motifs of the seasonal coats (shared/seasons.ts): maple leaves (autumn), snowflakes (winter)
 * and daisies (spring), drawn on the pet, the egg and the backdrop like the sakura's blossoms.
 */
import { MAPLE_LEAF_OUTLINE, MAPLE_LEAF_VEINS } from '../../../shared/motifs.js';
import { circle, d, ellipse, g, num, path } from './svg.js';

/** A five-lobed maple leaf about 2r across, centred on (x, y), turned `rot` degrees, with its stem. */
export function mapleLeaf(x: number, y: number, r: number, rot: number, fill: string, vein: string, opacity = 1): string {
  let shape = '';
  MAPLE_LEAF_OUTLINE.forEach(([px, py], i) => {
    shape += d(i === 0 ? 'M' : 'L', x + px * r, y + py * r);
  });
  shape += 'Z';
  const veins = MAPLE_LEAF_VEINS.map(([x1, y1, x2, y2]) => d('M', x + x1 * r, y + y1 * r, 'L', x + x2 * r, y + y2 * r)).join('');
  return g(
    { transform: rot ? `rotate(${num(rot)} ${num(x)} ${num(y)})` : undefined, opacity: opacity < 1 ? opacity : undefined },
    path(shape, { fill, 'stroke-linejoin': 'round' }) + path(veins, { fill: 'none', stroke: vein, 'stroke-width': Math.max(1, r * 0.09), 'stroke-linecap': 'round' }),
  );
}

/** A six-armed snowflake of radius r with little branches. */
export function snowflake(x: number, y: number, r: number, stroke: string, opacity = 1): string {
  let arms = '';
  for (let i = 0; i < 6; i++) {
    const a = (i * Math.PI) / 3 - Math.PI / 2;
    const cos = Math.cos(a);
    const sin = Math.sin(a);
    arms += d('M', x, y, 'L', x + cos * r, y + sin * r);
    // A V of branches two thirds out.
    const bx = x + cos * r * 0.6;
    const by = y + sin * r * 0.6;
    for (const side of [-1, 1]) {
      const b = a + side * 0.7;
      arms += d('M', bx, by, 'L', bx + Math.cos(b) * r * 0.3, by + Math.sin(b) * r * 0.3);
    }
  }
  return path(arms, { fill: 'none', stroke, 'stroke-width': Math.max(1.2, r * 0.16), 'stroke-linecap': 'round', opacity: opacity < 1 ? opacity : undefined });
}

/** A daisy: white petals around a golden centre. */
export function daisy(x: number, y: number, r: number, petal = '#ffffff', centre = '#ffc933', opacity = 1): string {
  let out = '';
  for (let i = 0; i < 6; i++) {
    const a = (i * Math.PI) / 3;
    out += ellipse(x + Math.cos(a) * r * 0.55, y + Math.sin(a) * r * 0.55, r * 0.45, r * 0.24, a, { fill: petal });
  }
  out += circle(x, y, r * 0.3, { fill: centre });
  return g({ opacity: opacity < 1 ? opacity : undefined }, out);
}
