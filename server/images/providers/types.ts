import type { Species } from '../../../shared/balance.js';

/** Everything a provider may use to make one image. */
export interface GenerationRequest {
  prompt: string;
  negativePrompt: string;
  seed: number;
  width: number;
  height: number;
  steps: number;
  guidance: number;
  species: Species;
  stage: number;
  adultForm: number;
  skin: string;
}

export interface GeneratedImage {
  bytes: Buffer;
  mime: string;
}

export interface ImageProvider {
  /** huggingface-primary, huggingface-fallback, procedural */
  readonly name: string;
  readonly model: string;
  generate(request: GenerationRequest, signal: AbortSignal): Promise<GeneratedImage>;
}

type AttemptOutcome = 'ok' | 'timeout' | 'http_429' | 'http_5xx' | 'http_4xx' | 'network' | 'error';

/** A failed attempt, classified: transient ones are retried with backoff, others move on. */
export class ProviderError extends Error {
  constructor(
    readonly outcome: Exclude<AttemptOutcome, 'ok'>,
    message: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }

  get transient(): boolean {
    return this.outcome === 'timeout' || this.outcome === 'http_429' || this.outcome === 'http_5xx' || this.outcome === 'network';
  }
}
