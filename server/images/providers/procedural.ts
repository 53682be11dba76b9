/** The procedural renderer as a provider: no network, deterministic SVG; the last fallback. */
import { renderPetSvg } from '../procedural/index.js';
import type { GeneratedImage, GenerationRequest, ImageProvider } from './types.js';

const PROCEDURAL_MODEL = 'telepets-procedural-svg-v1';

export function createProceduralProvider(): ImageProvider {
  return {
    name: 'procedural',
    model: PROCEDURAL_MODEL,
    generate(request: GenerationRequest): Promise<GeneratedImage> {
      const svg = renderPetSvg({
        species: request.species,
        stage: request.stage,
        adultForm: request.adultForm,
        skin: request.skin,
        seed: request.seed,
        size: Math.min(request.width, request.height),
      });
      return Promise.resolve({ bytes: Buffer.from(svg, 'utf8'), mime: 'image/svg+xml' });
    },
  };
}
