export * from './rules.js';
export * from './world.js';
export * from './care.js';
export { tickWorld } from './tick.js';
export type { Rng } from './rng.js';
