/**
 * Procedural pet portraits as SVG: the art every player sees when no AI image is available
 * (no Hugging Face token, or generation failed). It ports the client's Phaser look
 * (client/src/art/pet-art.ts) so server images and in-game art feel like one game.
 *
 * Pure and deterministic: the same input gives the same bytes. All variety comes from the
 * 32-bit seed through mulberry32; numbers are printed with at most two decimals.
 */
import { ADULT_FORMS, SPECIES, STAGE_ADULT, STAGE_EGG, type Species } from '../../../shared/balance.js';
import { drawBackdrop } from './backdrop.js';
import { drawEgg } from './egg.js';
import { backdropPalette, petPalette, skinOf } from './palette.js';
import { drawPet, FORM_ORDINARY, S, type PetScene } from './pet.js';
import { deriveSeed, hashString, normalizeSeed, Rng } from './prng.js';
import { Defs, el } from './svg.js';
import { drawTraits } from './traits.js';

export interface ProceduralPetInput {
  species: 'cat' | 'dog' | 'fox' | 'bunny';
  /** 0 egg, 1 baby, 2 child, 3 teen, 4 adult (shared/balance.ts STAGES). */
  stage: number;
  /** 0 none (not adult), 1 radiant, 2 ordinary, 3 scruffy (shared/balance.ts ADULT_FORMS); only meaningful for adults. */
  adultForm: number;
  /** Cosmetic skin id; 'default' for now. Unknown skins render as default. Supported: 'default', 'midnight', 'golden', 'sakura', and the seasonal 'maple', 'frost', 'meadow'. */
  skin: string;
  /** 32-bit seed: varies details deterministically (markings, tuft, eye shine, background accents, small colour shifts). */
  seed: number;
  /** Output size in pixels (square); default 512. */
  size?: number;
}

const DEFAULT_PROCEDURAL_SIZE = 512;

function clampInt(value: number, min: number, max: number, fallback: number): number {
  if (!Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}

/** Renders a complete standalone SVG document (no scripts, fonts or external references). */
export function renderPetSvg(input: ProceduralPetInput): string {
  const species: Species = (SPECIES as readonly string[]).includes(input.species) ? input.species : 'cat';
  const stage = clampInt(input.stage, STAGE_EGG, STAGE_ADULT, STAGE_EGG);
  let form = 0;
  if (stage === STAGE_ADULT) {
    // An adult always has a form; a missing or unknown one looks ordinary.
    const f = clampInt(input.adultForm, 0, ADULT_FORMS.length - 1, 0);
    form = f === 0 ? FORM_ORDINARY : f;
  }
  const skin = skinOf(input.skin);
  const seed = normalizeSeed(input.seed);
  const size = clampInt(input.size ?? DEFAULT_PROCEDURAL_SIZE, 16, 4096, DEFAULT_PROCEDURAL_SIZE);

  // Ids are unique per look, so several portraits can be inlined into one HTML page.
  const prefix = `p${hashString(`${species}|${stage}|${form}|${skin}|${seed}`).toString(36)}`;
  const defs = new Defs(prefix);
  const traits = drawTraits(seed);
  const scene: PetScene = { defs, species, stage, form, skin, pal: petPalette(species, skin, form, traits), traits };
  const rng = new Rng(deriveSeed(seed, 2 + stage * 7 + form * 31));

  const shadow = stage === STAGE_EGG ? S * 0.2 : S * (0.2 + stage * 0.015);
  const backdrop = drawBackdrop({ defs, bd: backdropPalette(species, skin, form, traits.hue * 1.5), rng, species, skin, form, shadow });
  const figure = stage === STAGE_EGG ? drawEgg(scene, rng) : drawPet(scene);

  const body = backdrop.back + figure + backdrop.front;
  return (
    el('svg', { xmlns: 'http://www.w3.org/2000/svg', width: size, height: size, viewBox: `0 0 ${S} ${S}` }, defs.toString() + body) +
    '\n'
  );
}
