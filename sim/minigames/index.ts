export * from './game-world.js';
export * from './systems.js';
export * from './tap.js';
