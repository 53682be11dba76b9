/**
 * Shapes of the seasonal coats' motifs, one table for their two renderers: the client's
 * canvas swatches (client/src/art/item-art.ts) and the server's SVG pictures
 * (server/images/procedural/seasonal.ts). Points are in units of the motif's radius.
 */

/** Half a maple leaf, from its top tip down to its stem: lobe tips and notches in turn. */
const MAPLE_HALF: ReadonlyArray<readonly [number, number]> = [
  [0, -1],
  [0.22, -0.45],
  [0.62, -0.72],
  [0.5, -0.2],
  [1, -0.05],
  [0.56, 0.22],
  [0.66, 0.62],
  [0.12, 0.42],
  [0, 0.55],
];

/** The whole five-lobed leaf's outline: the half above and its mirror image back up. */
export const MAPLE_LEAF_OUTLINE: ReadonlyArray<readonly [number, number]> = [
  ...MAPLE_HALF,
  ...[...MAPLE_HALF].reverse().slice(1, -1).map(([x, y]) => [-x, y] as const),
];

/** The leaf's veins as line segments [x1, y1, x2, y2]: the midrib and two side veins. */
export const MAPLE_LEAF_VEINS: ReadonlyArray<readonly [number, number, number, number]> = [
  [0, 0.95, 0, -0.7],
  [0, 0.1, 0.6, -0.45],
  [0, 0.1, -0.6, -0.45],
];
