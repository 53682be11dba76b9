/**
 * A pet's seeded traits: drawn once from the seed in a fixed order, independent of stage,
 * form and skin, so the same pet keeps its markings, tuft and eye shine as it grows.
 */
import { deriveSeed, Rng } from './prng.js';
import type { PaletteTraits } from './palette.js';

export interface Traits extends PaletteTraits {
  /** Marking variant 0..2; its meaning depends on the species. */
  marking: number;
  /** Which side asymmetric markings sit on (-1 left, 1 right). */
  side: number;
  /** Size multiplier for markings. */
  markingSize: number;
  /** Unit-space spots (x, y in -1..1, r in 0..1) reused by spotty patterns. */
  spots: ReadonlyArray<readonly [number, number, number]>;
  /** 0 none, 1 curl, 2 little spikes. */
  tuft: number;
  tuftLean: number;
  /** Eye shine offset (fractions of the eye radius) and size. */
  shineX: number;
  shineY: number;
  shineSize: number;
  /** A third tiny glint in the eye. */
  glint: boolean;
  /** Bunny: one lop ear. Dog: one ear perked up. */
  earQuirk: boolean;
  tailBend: number;
  /** Egg pattern variant 0..1 and tilt (radians). */
  eggPattern: number;
  eggTilt: number;
  /** Egg face: 0 asleep, 1 peeking one eye, 2 content smile. */
  eggFace: number;
  /** Per-pet jitter for messy tufts (scruffy) and lush fluff (radiant). */
  fluff: readonly number[];
}

export function drawTraits(seed: number): Traits {
  const rng = new Rng(deriveSeed(seed, 1));
  const hue = rng.range(-7, 7);
  const light = rng.range(-0.045, 0.045);
  const iris = rng.next();
  const marking = rng.int(0, 2);
  const side = rng.sign();
  const markingSize = rng.range(0.82, 1.2);
  const spots: Array<readonly [number, number, number]> = [];
  for (let i = 0; i < 6; i++) spots.push([rng.range(-0.85, 0.85), rng.range(-0.8, 0.8), rng.range(0.12, 0.26)]);
  const tuft = rng.pick([0, 1, 1, 2, 2]);
  const tuftLean = rng.range(-1, 1);
  const shineX = rng.range(-0.42, -0.22);
  const shineY = rng.range(-0.48, -0.3);
  const shineSize = rng.range(0.32, 0.42);
  const glint = rng.chance(0.5);
  const earQuirk = rng.chance(0.3);
  const tailBend = rng.range(-1, 1);
  const eggPattern = rng.int(0, 1);
  const eggTilt = rng.range(-0.07, 0.07);
  const eggFace = rng.int(0, 2);
  const fluff: number[] = [];
  for (let i = 0; i < 12; i++) fluff.push(rng.next());
  return {
    hue,
    light,
    iris,
    marking,
    side,
    markingSize,
    spots,
    tuft,
    tuftLean,
    shineX,
    shineY,
    shineSize,
    glint,
    earQuirk,
    tailBend,
    eggPattern,
    eggTilt,
    eggFace,
    fluff,
  };
}
