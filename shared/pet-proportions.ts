/**
 * The procedural pet's proportions, one table for its two renderers: the client's canvas
 * portraits (client/src/art/pet-art.ts) and the server's SVG pictures
 * (server/images/procedural/pet.ts and egg.ts). Lengths are fractions of the picture's side
 * unless a field says otherwise.
 */
import type { StageName } from './balance.js';

export interface PetProportions {
  /** The head's radius. */
  headR: number;
  /** The body's width and height. */
  bodyW: number;
  bodyH: number;
  /** Scale of the ears. */
  ear: number;
  /** Scale of the eyes (PET_EYE.radius): young pets have big eyes. */
  eye: number;
  /**
   * Scale of the whole figure about the centre of the floor, so that small stages still fill
   * the server's picture card (the client's portrait draws the figure unscaled).
   */
  zoom: number;
}

/** Proportions of each hatched stage: a baby is all head and eyes, an adult long-bodied. */
export const PET_STAGE_PROPORTIONS: Readonly<Record<Exclude<StageName, 'egg'>, PetProportions>> = {
  baby: { headR: 0.19, bodyW: 0.3, bodyH: 0.21, ear: 0.8, eye: 1.3, zoom: 1.2 },
  child: { headR: 0.2, bodyW: 0.34, bodyH: 0.26, ear: 0.9, eye: 1.15, zoom: 1.12 },
  teen: { headR: 0.2, bodyW: 0.37, bodyH: 0.31, ear: 1, eye: 1.02, zoom: 1.03 },
  adult: { headR: 0.205, bodyW: 0.41, bodyH: 0.35, ear: 1.06, eye: 0.96, zoom: 0.98 },
};

/** The open eyes, as fractions of the head's radius (the radius also scales by the stage's `eye`). */
export const PET_EYE = {
  /** From the face's centre line to each eye's centre. */
  spacing: 0.43,
  /** The eyes' centre below the head's centre. */
  drop: 0.04,
  /** The eye's horizontal radius. */
  radius: 0.16,
  /** The eye's height over its width: a little taller than round. */
  tall: 1.14,
} as const;

/** The egg: narrow crown, broad base, with five spots. */
export const PET_EGG = {
  /** The shell's width and height. */
  width: 0.52,
  height: 0.6,
  /**
   * The shell's outline, two cubic curves from the crown down each side to the base: the
   * control points sit at these fractions of the width, at the crown's and the base's height.
   */
  crown: 0.42,
  base: 0.7,
  /**
   * The spots: x from the centre line in shell widths, y from the crown in shell heights,
   * radius in picture sides (the server jitters them per pet).
   */
  spots: [
    [-0.22, 0.3, 0.1],
    [0.2, 0.22, 0.07],
    [0.26, 0.62, 0.12],
    [-0.3, 0.72, 0.08],
    [0.02, 0.08, 0.06],
  ],
} as const;
