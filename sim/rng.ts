/**
 * A small seeded PRNG (mulberry32) kept on the world, so systems that need chance stay
 * deterministic for a given seed. Returns floats in [0, 1).
 */
export interface Rng {
  next(): number;
  /** Integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  readonly seed: number;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    int: (maxExclusive) => Math.floor(next() * maxExclusive),
  };
}
