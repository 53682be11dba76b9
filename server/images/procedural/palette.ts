/**
 * Colours: the species palettes shared with the client's Phaser art (shared/species-colors.ts),
 * the cosmetic skins layered on top, and the card backdrops.
 */
import type { Species } from '../../../shared/balance.js';
import { SPECIES_COLORS, type SpeciesColors } from '../../../shared/species-colors.js';
import { mix, nudge } from './color.js';

export const INK = '#3d2c29';

export type SkinId = 'default' | 'midnight' | 'golden' | 'sakura' | 'maple' | 'frost' | 'meadow';
const SKINS: readonly SkinId[] = ['default', 'midnight', 'golden', 'sakura', 'maple', 'frost', 'meadow'];

export function skinOf(id: string): SkinId {
  return (SKINS as readonly string[]).includes(id) ? (id as SkinId) : 'default';
}

/** Everything the pet drawing needs, after species, skin, form and seed are applied. */
export interface PetPalette extends SpeciesColors {
  outline: string;
  /** Iris tint at the bottom of the eyes. */
  iris: string;
  /** Pupil colour (the eye's dark). */
  pupil: string;
  /** Blush on the cheeks (with opacity). */
  cheek: string;
  cheekOpacity: number;
  /** Colour of seeded markings (stripes, patches, spots). */
  marking: string;
  /** Egg shell. */
  shell: string;
  /** Highlight strength of the fur gradient (0..1). */
  gloss: number;
}

interface SkinTint {
  fur: string;
  belly: string;
  accent: string;
  innerEar: string;
  nose: string;
  eggSpot: string;
  shell: string;
  /** How strongly fur/accent move to the skin (0..1); belly and ears follow at a fraction. */
  strength: number;
  outlineInk: string;
  iris: readonly string[];
  cheek: string;
  gloss: number;
}

const SKIN_TINTS: Record<Exclude<SkinId, 'default'>, SkinTint> = {
  midnight: {
    fur: '#4a4f96',
    belly: '#b9bdf0',
    accent: '#2c2f66',
    innerEar: '#b7a6ff',
    nose: '#c7a8ff',
    eggSpot: '#7b7fe0',
    shell: '#3e4284',
    strength: 0.9,
    outlineInk: '#171634',
    iris: ['#7fe7ff', '#c39bff', '#ffe08a'],
    cheek: '#c9a6ff',
    gloss: 0.34,
  },
  golden: {
    fur: '#f6c84b',
    belly: '#fff5d6',
    accent: '#dc9a1f',
    innerEar: '#ffbf7a',
    nose: '#e07a5a',
    eggSpot: '#f2b233',
    shell: '#fff3cc',
    strength: 0.78,
    outlineInk: '#5a3a10',
    iris: ['#8a5a12', '#6b3f0d', '#a0671a'],
    cheek: '#ff9a7a',
    gloss: 0.5,
  },
  sakura: {
    fur: '#f9b8cc',
    belly: '#fff2f6',
    accent: '#ea86a6',
    innerEar: '#ff94b6',
    nose: '#e3607f',
    eggSpot: '#f58fb0',
    shell: '#fff4f7',
    strength: 0.8,
    outlineInk: '#5c2a3a',
    iris: ['#a8406a', '#7c3a6e', '#5a4aa0'],
    cheek: '#ff6f96',
    gloss: 0.34,
  },
  // Seasonal coats (shared/seasons.ts).
  maple: {
    fur: '#e0773a',
    belly: '#ffe7c9',
    accent: '#b8461f',
    innerEar: '#ffb38a',
    nose: '#8a3a1c',
    eggSpot: '#d9622b',
    shell: '#fff0de',
    strength: 0.82,
    outlineInk: '#4a2210',
    iris: ['#7a4a12', '#5f6e1c', '#8a3a1c'],
    cheek: '#ff7f5a',
    gloss: 0.32,
  },
  frost: {
    fur: '#cfe6fa',
    belly: '#ffffff',
    accent: '#8dbfe8',
    innerEar: '#bcd8f5',
    nose: '#7b9cc9',
    eggSpot: '#9ccaf0',
    shell: '#f4fbff',
    strength: 0.85,
    outlineInk: '#2a4466',
    iris: ['#3f7fc0', '#5aa6c9', '#6a6ad0'],
    cheek: '#ff9ab8',
    gloss: 0.5,
  },
  meadow: {
    fur: '#a9d67e',
    belly: '#f4fbe6',
    accent: '#6fae4a',
    innerEar: '#ffd0dc',
    nose: '#d0707e',
    eggSpot: '#8cc866',
    shell: '#fbfff2',
    strength: 0.72,
    outlineInk: '#2f4a1c',
    iris: ['#4f7a2a', '#8a6a2a', '#3f6a8a'],
    cheek: '#ff8fa0',
    gloss: 0.34,
  },
};

const DEFAULT_IRIS: Record<Species, readonly string[]> = {
  cat: ['#6aa84f', '#c98a2a', '#4f8fc0'],
  dog: ['#7a4a2a', '#5a3a26', '#8a5a34'],
  fox: ['#c9741a', '#8a5a20', '#6a8a3a'],
  bunny: ['#a0506a', '#6a5aa0', '#7a4a3a'],
};

const SCRUFFY_DUST = '#a39284';

export interface PaletteTraits {
  /** Small hue shift of the fur, degrees. */
  hue: number;
  /** Small lightness shift of the fur. */
  light: number;
  /** 0..1 pick among iris tints. */
  iris: number;
}

export function petPalette(species: Species, skin: SkinId, form: number, traits: PaletteTraits): PetPalette {
  const base = SPECIES_COLORS[species];
  let c: SpeciesColors = { ...base };
  let outlineInk = INK;
  let irisList = DEFAULT_IRIS[species];
  let cheek = '#ff7a8c';
  let gloss = 0.3;
  let shell = '#fff6e8';
  if (skin !== 'default') {
    const t = SKIN_TINTS[skin];
    const s = t.strength;
    c = {
      fur: mix(base.fur, t.fur, s),
      belly: mix(base.belly, t.belly, s * 0.9),
      innerEar: mix(base.innerEar, t.innerEar, 0.85),
      nose: mix(base.nose, t.nose, 0.7),
      accent: mix(base.accent, t.accent, s),
      eggSpot: mix(base.eggSpot, t.eggSpot, 0.8),
    };
    outlineInk = t.outlineInk;
    irisList = t.iris;
    cheek = t.cheek;
    gloss = t.gloss;
    shell = t.shell;
  }
  // Seeded small colour shifts keep siblings apart without leaving the species' palette.
  c.fur = nudge(c.fur, traits.hue, 0, traits.light);
  c.accent = nudge(c.accent, traits.hue, 0, traits.light * 0.6);
  let cheekOpacity = 0.42;
  if (form === 1) {
    // Radiant: a touch warmer and glossier.
    c.fur = nudge(c.fur, 0, 0.06, 0.02);
    gloss += 0.12;
    cheekOpacity = 0.55;
  } else if (form === 3) {
    // Scruffy: dusty and a little faded.
    c.fur = mix(c.fur, SCRUFFY_DUST, 0.22);
    c.belly = mix(c.belly, SCRUFFY_DUST, 0.18);
    c.accent = mix(c.accent, SCRUFFY_DUST, 0.2);
    gloss -= 0.12;
    cheekOpacity = 0.28;
  }
  const marking = species === 'bunny' && skin === 'default' ? '#bda79a' : species === 'dog' && skin === 'default' ? mix(c.accent, '#7a4f33', 0.35) : c.accent;
  return {
    ...c,
    outline: mix(c.fur, outlineInk, 0.62),
    iris: irisList[Math.min(irisList.length - 1, Math.floor(traits.iris * irisList.length))] ?? '#6a4a3a',
    pupil: skin === 'midnight' ? '#1c1838' : '#2e211f',
    cheek,
    cheekOpacity,
    marking,
    shell,
    gloss,
  };
}

export interface Backdrop {
  top: string;
  bottom: string;
  /** The ground / rug colour. */
  floor: string;
  /** Small decorations. */
  accent: string;
  /** Glow behind the pet. */
  glow: string;
  glowOpacity: number;
  dark: boolean;
}

const SPECIES_BACKDROP: Record<Species, readonly [string, string, string]> = {
  // top, bottom, accent
  cat: ['#fff0e0', '#ffd6b8', '#ff9f6e'],
  dog: ['#e7f6ef', '#c4e8d8', '#5cbf98'],
  fox: ['#e4f4f7', '#bfe2ea', '#4fb0c6'],
  bunny: ['#f4ecfd', '#ddcdf6', '#a88be6'],
};

export function backdropPalette(species: Species, skin: SkinId, form: number, hue: number): Backdrop {
  let [top, bottom, accent] = SPECIES_BACKDROP[species];
  let glow = '#ffffff';
  let glowOpacity = 0.7;
  let dark = false;
  if (skin === 'midnight') {
    [top, bottom, accent] = ['#2a2d66', '#141536', '#ffe9a8'];
    glow = '#8f95ff';
    glowOpacity = 0.35;
    dark = true;
  } else if (skin === 'golden') {
    [top, bottom, accent] = ['#fff6d8', '#f7d98a', '#f0a818'];
  } else if (skin === 'sakura') {
    [top, bottom, accent] = ['#fff0f5', '#f9cfe0', '#f27aa2'];
  } else if (skin === 'maple') {
    [top, bottom, accent] = ['#fff3e2', '#f8cf9f', '#d9622b'];
  } else if (skin === 'frost') {
    [top, bottom, accent] = ['#f2f9ff', '#cfe3f7', '#6fa8dc'];
    glow = '#e6f4ff';
  } else if (skin === 'meadow') {
    [top, bottom, accent] = ['#f3fbe8', '#d3ecb6', '#7cbf4f'];
  }
  if (form === 1) {
    if (!dark) {
      top = mix(top, '#fff6cf', 0.7);
      bottom = mix(bottom, '#ffd36e', 0.6);
      accent = mix(accent, '#f5a524', 0.7);
    }
    glow = dark ? '#ffd98a' : '#fff3b0';
    glowOpacity = dark ? 0.45 : 0.95;
  } else if (form === 3) {
    top = mix(top, '#efe6dc', 0.55);
    bottom = mix(bottom, '#d7c5b2', 0.55);
    accent = mix(accent, '#a0785a', 0.6);
    glowOpacity *= 0.6;
  }
  top = nudge(top, hue);
  bottom = nudge(bottom, hue);
  const floor = dark ? mix(bottom, '#6a5fb8', 0.35) : mix(bottom, accent, 0.22);
  return { top, bottom, floor, accent, glow, glowOpacity, dark };
}
