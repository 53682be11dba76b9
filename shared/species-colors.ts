/**
 * The species colours every renderer uses (the client's Phaser art and the server's procedural
 * pictures), so both look like one game.
 */
import type { Species } from './balance.js';

export interface SpeciesColors {
  fur: string;
  belly: string;
  innerEar: string;
  nose: string;
  accent: string;
  eggSpot: string;
}

export const SPECIES_COLORS: Readonly<Record<Species, SpeciesColors>> = {
  cat: { fur: '#f4a85e', belly: '#ffe9cf', innerEar: '#ffb9ae', nose: '#e8707f', accent: '#d9803a', eggSpot: '#f4a85e' },
  dog: { fur: '#d8b48e', belly: '#fff3e2', innerEar: '#8e5b3a', nose: '#3b2a26', accent: '#a8764d', eggSpot: '#c4976b' },
  fox: { fur: '#f47b2e', belly: '#fff7ee', innerEar: '#3b2a26', nose: '#2f2220', accent: '#c9561a', eggSpot: '#f47b2e' },
  bunny: { fur: '#f2ece7', belly: '#ffffff', innerEar: '#ffc3d2', nose: '#f08aa3', accent: '#d8cdc4', eggSpot: '#f7b3c6' },
};
