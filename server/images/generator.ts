/**
 * Runs the provider chain for one image: primary model → fallback model → procedural. Each
 * call has a timeout; transient failures (timeouts, 429, 5xx, network) are retried with
 * exponential backoff, others (4xx) move straight to the next provider. Every attempt is
 * recorded as an experiment (model, preset, prompt, negative prompt, seed, duration, outcome).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ExperimentRow } from '../repositories/images-repository.js';
import { ProviderError, type GeneratedImage, type GenerationRequest, type ImageProvider } from './providers/types.js';

interface GeneratorOptions {
  /** Per call. */
  timeoutMs: number;
  /** Calls per provider before moving on (transient failures only). */
  attemptsPerProvider: number;
  /** First retry delay; doubles each time. */
  backoffMs: number;
}

interface GenerationResult extends GeneratedImage {
  provider: string;
  model: string;
}

export class ImageGenerator {
  constructor(
    readonly providers: readonly ImageProvider[],
    private readonly options: GeneratorOptions,
    private readonly deps: {
      record(row: ExperimentRow): Promise<void>;
      logger: Logger;
      now?: () => number;
      sleep?: (ms: number) => Promise<void>;
    },
  ) {}

  async generate(request: GenerationRequest, meta: { imageId: string; preset: string }): Promise<GenerationResult> {
    const now = this.deps.now ?? Date.now;
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    let last: ProviderError = new ProviderError('error', 'no provider configured');
    let attemptNo = 0;
    for (const provider of this.providers) {
      const attempts = provider.name === 'procedural' ? 1 : this.options.attemptsPerProvider;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        attemptNo++;
        const started = now();
        const signal = AbortSignal.timeout(this.options.timeoutMs);
        try {
          const image = await provider.generate(request, signal);
          await this.record(meta, request, provider, attemptNo, now() - started, 'ok', null, now());
          return { ...image, provider: provider.name, model: provider.model };
        } catch (err) {
          last = err instanceof ProviderError ? err : new ProviderError('error', String((err as Error)?.message ?? err));
          await this.record(meta, request, provider, attemptNo, now() - started, last.outcome, last.message, now());
          if (!last.transient) break;
          if (attempt < attempts) await sleep(this.options.backoffMs * 2 ** (attempt - 1));
        }
      }
      this.deps.logger.warn({ imageId: meta.imageId, provider: provider.name, outcome: last.outcome }, 'image provider gave up; trying the next');
    }
    throw last;
  }

  private async record(
    meta: { imageId: string; preset: string },
    request: GenerationRequest,
    provider: ImageProvider,
    attempt: number,
    durationMs: number,
    outcome: string,
    error: string | null,
    at: number,
  ): Promise<void> {
    try {
      await this.deps.record({
        id: randomUUID(),
        image_id: meta.imageId,
        attempt,
        provider: provider.name,
        model: provider.model,
        preset: meta.preset,
        prompt: request.prompt,
        negative_prompt: request.negativePrompt,
        seed: request.seed,
        duration_ms: Math.round(durationMs),
        outcome,
        error,
        created_at: at,
      });
    } catch (err) {
      // The experiment log must never cost an image.
      this.deps.logger.warn({ err, imageId: meta.imageId }, 'could not record an image experiment');
    }
  }
}
