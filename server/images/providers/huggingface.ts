/**
 * Hugging Face text-to-image through `@huggingface/inference`: a model on a provider, or a
 * dedicated endpoint (`HF_ENDPOINT_URL`; tests point it at a local fake). The library's own
 * retry on 503 is off: the generator retries with its own backoff and records every attempt.
 */
import { InferenceClient, InferenceClientProviderApiError } from '@huggingface/inference';
import { ProviderError, type GeneratedImage, type GenerationRequest, type ImageProvider } from './types.js';

interface HuggingFaceOptions {
  name: string;
  token: string;
  model: string;
  /** Inference provider, e.g. hf-inference, fal-ai, replicate. */
  provider: string;
  /** A dedicated endpoint; `{model}` in it is replaced by the model (a gateway serving several). */
  endpointUrl: string | null;
}

export function createHuggingFaceProvider(options: HuggingFaceOptions): ImageProvider {
  const endpointUrl = options.endpointUrl?.replaceAll('{model}', encodeURIComponent(options.model)) ?? null;
  const client = new InferenceClient(options.token, endpointUrl ? { endpointUrl } : {});
  return {
    name: options.name,
    model: options.model,
    async generate(request: GenerationRequest, signal: AbortSignal): Promise<GeneratedImage> {
      try {
        const blob = await client.textToImage(
          {
            model: options.model,
            // A dedicated endpoint is its own provider: the library refuses both.
            ...(endpointUrl ? {} : { provider: options.provider as never }),
            inputs: request.prompt,
            parameters: {
              negative_prompt: request.negativePrompt,
              num_inference_steps: request.steps,
              guidance_scale: request.guidance,
              width: request.width,
              height: request.height,
              seed: request.seed,
            },
          },
          { signal, retry_on_error: false, outputType: 'blob' },
        );
        const bytes = Buffer.from(await blob.arrayBuffer());
        if (bytes.length === 0) throw new ProviderError('error', 'empty image');
        return { bytes, mime: blob.type || sniffMime(bytes) };
      } catch (err) {
        throw classify(err, signal);
      }
    },
  };
}

function classify(err: unknown, signal: AbortSignal): ProviderError {
  if (err instanceof ProviderError) return err;
  if (signal.aborted) return new ProviderError('timeout', 'timed out');
  if (err instanceof InferenceClientProviderApiError) {
    const status = err.httpResponse.status;
    const outcome = status === 429 ? 'http_429' : status >= 500 ? 'http_5xx' : status >= 400 ? 'http_4xx' : 'error';
    return new ProviderError(outcome, `HTTP ${status}: ${err.message.slice(0, 200)}`);
  }
  const e = err as { name?: string; message?: string; cause?: { code?: string } };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return new ProviderError('timeout', 'timed out');
  if (e?.name === 'TypeError' || e?.cause?.code) return new ProviderError('network', (e.message ?? 'network error').slice(0, 200));
  return new ProviderError('error', String(e?.message ?? err).slice(0, 200));
}

function sniffMime(bytes: Buffer): string {
  if (bytes[0] === 0x89 && bytes[1] === 0x50) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return 'image/jpeg';
  if (bytes.subarray(0, 4).toString() === 'RIFF') return 'image/webp';
  return 'application/octet-stream';
}
