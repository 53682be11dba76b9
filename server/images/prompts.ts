/**
 * The prompt builder: per-stage presets and negative prompts, species, adult-form and skin
 * descriptors, and quality presets (size, steps, guidance). Realistic photographs of a cute
 * pet, one look per stage.
 */
import { ADULT_FORMS, STAGES, type Species } from '../../shared/balance.js';

export const QUALITY_PRESETS = {
  fast: { width: 512, height: 512, steps: 12, guidance: 5 },
  standard: { width: 768, height: 768, steps: 28, guidance: 7 },
  high: { width: 1024, height: 1024, steps: 40, guidance: 7.5 },
} as const;
export type QualityPreset = keyof typeof QUALITY_PRESETS;

const STYLE =
  'realistic photograph, soft natural studio lighting, shallow depth of field, 85mm lens, centered, full body, ' +
  'plain pastel background, wholesome, adorable, highly detailed fur';

const NEGATIVE_COMMON =
  'blurry, lowres, jpeg artifacts, deformed, disfigured, extra limbs, extra eyes, mutated paws, text, watermark, logo, ' +
  'signature, frame, border, human, hands, scary, gore, nsfw';

const SPECIES: Readonly<Record<Species, string>> = {
  cat: 'domestic cat with soft whiskers and triangular ears',
  dog: 'small dog with floppy ears and a wet nose',
  fox: 'red fox with a bushy white-tipped tail and pointed ears',
  bunny: 'rabbit with long upright ears and a cotton tail',
};

const STAGE: readonly { prompt: string; negative: string }[] = [
  {
    prompt: 'a single smooth speckled egg patterned like a {species} coat, resting in a cosy nest of soft moss, a faint warm glow inside',
    negative: 'animal, face, eyes, legs, cracked shell, broken egg',
  },
  { prompt: 'a newborn baby {species}, tiny and round, huge curious eyes, fluffy down, sitting', negative: 'adult, large, old' },
  { prompt: 'a young {species} kitten-sized child, playful pose, big eyes, fluffy coat', negative: 'adult, old, newborn' },
  { prompt: 'a teenage {species}, lanky and energetic, slightly oversized paws, bright eyes', negative: 'baby, newborn, old' },
  { prompt: 'a fully grown adult {species}, calm and confident pose', negative: 'baby, newborn, kitten, puppy' },
];

const ADULT_FORM: readonly string[] = [
  '',
  'radiant: glossy luminous coat, sparkling eyes, healthy glow, tiny floating sparkles, golden hour light',
  'ordinary: neat everyday coat, content relaxed expression',
  'scruffy: messy tousled fur with a few tangles, a sleepy look, slightly dusty, still very cute',
];

const SKINS: Readonly<Record<string, string>> = {
  default: '',
  midnight: 'deep midnight-blue fur with silvery star-like speckles',
  golden: 'shimmering golden fur',
  sakura: 'soft pink cherry-blossom tinted fur with petal-shaped markings',
  // Seasonal coats (shared/seasons.ts).
  maple: 'warm russet-orange autumn fur with small maple-leaf markings, a red maple leaf tucked behind one ear, falling autumn leaves',
  frost: 'icy pale-blue frosted fur with white snowflake markings, a cosy red knitted scarf, gentle falling snow',
  meadow: 'fresh spring-green meadow-tinted fur with tiny daisy markings, a white daisy behind one ear',
};

interface PromptInput {
  species: Species;
  stage: number;
  adultForm: number;
  skin: string;
  preset: QualityPreset;
}

interface BuiltPrompt {
  prompt: string;
  negativePrompt: string;
  width: number;
  height: number;
  steps: number;
  guidance: number;
}

export function buildPrompt(input: PromptInput): BuiltPrompt {
  const stage = STAGE[Math.min(Math.max(input.stage, 0), STAGES.length - 1)] ?? STAGE[0]!;
  const parts = [stage.prompt.replaceAll('{species}', SPECIES[input.species])];
  if (input.stage === STAGES.length - 1 && input.adultForm > 0) parts.push(ADULT_FORM[input.adultForm] ?? '');
  const skin = SKINS[input.skin] ?? '';
  if (skin) parts.push(skin);
  parts.push(STYLE);
  const preset = QUALITY_PRESETS[input.preset];
  return {
    prompt: parts.filter(Boolean).join(', '),
    negativePrompt: `${NEGATIVE_COMMON}, ${stage.negative}`,
    width: preset.width,
    height: preset.height,
    steps: preset.steps,
    guidance: preset.guidance,
  };
}

export function isQualityPreset(value: unknown): value is QualityPreset {
  return typeof value === 'string' && Object.hasOwn(QUALITY_PRESETS, value);
}

export { ADULT_FORMS };
