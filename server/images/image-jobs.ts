/**
 * Image jobs: what a job carries, how its id is derived (so a repeated request never makes a
 * second image), and the worker side that turns a queued image into bytes in the database.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { isSpecies, type Species } from '../../shared/balance.js';
import type { Metrics } from '../metrics.js';
import type { ImageMeta, ImagesRepository } from '../repositories/images-repository.js';
import type { OwnerBus } from '../bus/owner-bus.js';
import { publishImageEvent } from './events.js';
import type { ImageGenerator } from './generator.js';
import { QUALITY_PRESETS, isQualityPreset } from './prompts.js';
import type { QueueJob } from './queue/job-queue.js';

export interface ImageJobData {
  imageId: string;
}

interface ImageIdentity {
  petId: string;
  stage: number;
  variant: number;
  skin: string;
  seed: number;
  preset: string;
}

/** The unique key of an image: the same inputs always name the same image. */
export function imageKey(id: ImageIdentity): string {
  return `${id.petId}:${id.stage}:${id.variant}:${id.skin}:${id.seed}:${id.preset}`;
}

/**
 * The queue job id of an image row (one row per key, so one job per key). Of the row, not of
 * the key: a row taken back after a failed add and made again gets a job of its own, even if
 * the abandoned add reached Redis late (Bull ids must not contain ':').
 */
export function imageJobId(imageId: string): string {
  return `img-${createHash('sha1').update(imageId).digest('hex')}`;
}

/**
 * The seed of a pet's system pictures. It depends only on the pet, not on the stage (the stage is
 * part of the image key), so a system picture is made once per stage and the pet keeps its
 * markings from egg to adult: the procedural renderer takes every stable detail from the seed,
 * and a diffusion model given the same seed keeps more of its composition.
 */
export function systemSeed(petId: string, variant: number): number {
  return createHash('sha1').update(`${petId}:${variant}`).digest().readUInt32BE(0) >>> 1;
}

interface ImageProcessorDeps {
  images: ImagesRepository;
  generator: ImageGenerator;
  /** Status changes go to the owner's room, on whichever process it is. */
  bus: OwnerBus;
  logger: Logger;
  /** The species of a pet (the worker may run in a process without the pets loaded). */
  speciesOf(petId: string): Promise<string | undefined>;
  /** Job durations, failures by reason and pictures by provider (server/metrics.ts). */
  metrics: Pick<Metrics, 'imageJobDuration' | 'imageJobFailures' | 'imageJobsCompleted'>;
  now?: () => number;
}

/**
 * Processes one image job. Idempotent: an image already made is not made again, and a
 * second completion of the same image (a job retried after its worker died) writes nothing.
 */
export function createImageProcessor(deps: ImageProcessorDeps) {
  const now = deps.now ?? Date.now;
  return {
    async handle(job: QueueJob<ImageJobData>): Promise<void> {
      const meta = await deps.images.findMeta(job.data.imageId);
      if (!meta || meta.status === 'ready') return;
      if (!(await deps.images.markRunning(meta.id, now()))) return;
      // A duration, not a date: the monotonic clock, whatever the injected one says.
      const started = performance.now();
      try {
        await this.make(meta);
        deps.metrics.imageJobDuration.observe({ outcome: 'ready' }, (performance.now() - started) / 1000);
      } catch (err) {
        deps.metrics.imageJobDuration.observe({ outcome: 'failed' }, (performance.now() - started) / 1000);
        throw err;
      }
    },

    /** Makes the picture of a row marked running, stores it and tells the owner's room. */
    async make(meta: ImageMeta): Promise<void> {
      publishImageEvent(deps.bus, { ...eventOf(meta), status: 'running', provider: null, reason: null });
      const speciesName = await deps.speciesOf(meta.pet_id);
      const species: Species = isSpecies(speciesName) ? speciesName : 'cat';
      const preset = meta.preset;
      const result = await deps.generator.generate(
        {
          prompt: meta.prompt,
          negativePrompt: meta.negative_prompt,
          seed: meta.seed,
          ...presetSize(preset),
          species,
          stage: meta.stage,
          adultForm: meta.variant,
          skin: meta.skin,
        },
        { imageId: meta.id, preset },
      );
      const stored = await deps.images.markReady(
        meta.id,
        {
          b64: result.bytes.toString('base64'),
          mime: result.mime,
          sizeBytes: result.bytes.length,
          etag: `"${createHash('sha256').update(result.bytes).digest('base64url').slice(0, 32)}"`,
          provider: result.provider,
          model: result.model,
        },
        now(),
      );
      if (stored) {
        deps.metrics.imageJobsCompleted.inc({ provider: result.provider });
        publishImageEvent(deps.bus, { ...eventOf(meta), status: 'ready', provider: result.provider, reason: null });
        deps.logger.info({ imageId: meta.id, petId: meta.pet_id, stage: meta.stage, provider: result.provider }, 'image ready');
      }
    },

    async failed(job: QueueJob<ImageJobData>, err: Error, final: boolean): Promise<void> {
      deps.logger.warn({ imageId: job.data.imageId, attempt: job.attemptsMade, final, err: err.message }, 'image job failed');
      const reason = reasonCode(err);
      deps.metrics.imageJobFailures.inc({ reason, final: String(final) });
      if (!final) return;
      const meta = await deps.images.findMeta(job.data.imageId);
      if (!meta || meta.status === 'ready') return;
      await deps.images.markFailed(meta.id, reason, now());
      publishImageEvent(deps.bus, { ...eventOf(meta), status: 'failed', provider: null, reason });
    },
  };
}

function eventOf(meta: { id: string; pet_id: string; owner_id: string; stage: number; variant: number; skin: string }) {
  return { imageId: meta.id, petId: meta.pet_id, ownerId: meta.owner_id, stage: meta.stage, variant: meta.variant, skin: meta.skin };
}

function presetSize(preset: string): { width: number; height: number; steps: number; guidance: number } {
  const p = QUALITY_PRESETS[isQualityPreset(preset) ? preset : 'standard'];
  return { width: p.width, height: p.height, steps: p.steps, guidance: p.guidance };
}

/** A short code for why an image failed (stored with it). */
function reasonCode(err: Error): string {
  const outcome = (err as { outcome?: unknown }).outcome;
  if (typeof outcome === 'string') return `PROVIDER_${outcome.toUpperCase()}`;
  if (err.name === 'JobTimeoutError' || /timed out/i.test(err.message)) return 'JOB_TIMEOUT';
  if (/ECONNREFUSED|Connection terminated|database/i.test(err.message)) return 'STORAGE_UNAVAILABLE';
  return 'GENERATION_FAILED';
}
