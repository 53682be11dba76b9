/**
 * Pet images: asking for them (idempotent by key, per-player limits), pre-generating the
 * next stage's picture, warming the pictures of loaded pets, listing and serving them, and
 * passing status changes on to the owner's home room.
 */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ADULT_FORMS, STAGES, STAGE_ADULT, adultFormFor, isSpecies, stageName, type Species } from '../../shared/balance.js';
import type { AlbumDto, ImageDto, PetDto } from '../../shared/dto.js';
import { AppError } from '../../shared/errors.js';
import { stageDurationSeconds } from '../../sim/index.js';
import type { OwnerBus } from '../bus/owner-bus.js';
import { publishImageEvent } from '../images/events.js';
import { imageJobId, imageKey, systemSeed, type ImageJobData } from '../images/image-jobs.js';
import { QUALITY_PRESETS, buildPrompt, isQualityPreset, type QualityPreset } from '../images/prompts.js';
import { createProceduralProvider } from '../images/providers/procedural.js';
import type { JobQueue, QueueCounts } from '../images/queue/job-queue.js';
import type { AlbumPosition, ImageMeta, ImagesRepository, NewImage } from '../repositories/images-repository.js';
import { encodeAlbumCursor, toAlbumPicture } from './album.js';
import type { PetsRepository } from '../repositories/pets-repository.js';
import type { LivePet, SimHost } from '../sim-host/sim-host.js';
import type { FriendService } from './friend-service.js';

export interface ImageServiceOptions {
  preset: QualityPreset;
  jobAttempts: number;
  jobBackoffMs: number;
  jobTimeoutMs: number;
  pregenShare: number;
  maxInFlightPerPlayer: number;
  dailyBudgetPerPlayer: number;
}

export interface ImageServiceDeps {
  images: ImagesRepository;
  pets: PetsRepository;
  queue: JobQueue<ImageJobData>;
  /** Where status changes are announced (the owner's home room). */
  bus: OwnerBus;
  sim: SimHost;
  friends: FriendService;
  logger: Logger;
  options: ImageServiceOptions;
  now?: () => number;
}


/** What a home room shows for a pet's current picture. */
export interface ImageView {
  status: 'none' | ImageMeta['status'];
  url: string;
}

interface PetForImage {
  id: string;
  ownerId: string;
  species: Species;
  stage: number;
  variant: number;
  /** The coat it wears ('default' or a skin id): part of the picture's key. */
  skin: string;
}

const PREGEN_SCAN_MS = 5000;
/** `requested_by` (and key suffix) of the procedural picture a pet shows while its picture is hidden. */
export const FALLBACK = 'moderation';
const DAY_MS = 86_400_000;
/** What a player refused for pictures in flight is told to wait. */
const IN_FLIGHT_RETRY_S = 15;

/** Which picture of a stage a pet wears: adults one per form, every younger stage just one (0). */
export function pictureVariant(stage: number, adultForm: number): number {
  return stage === STAGE_ADULT ? adultForm : 0;
}

export function imageUrl(id: string): string {
  return `/api/v1/images/${id}`;
}

export interface ServedImage {
  body: Buffer;
  mime: string;
  etag: string;
}

/** Decoded image bytes kept in memory for serving. */
const SERVED_CACHE_BYTES = 64 * 1024 * 1024;

export class ImageService {
  private readonly served = new Map<string, ServedImage>();
  private servedBytes = 0;
  private readonly pregenerated = new Set<string>();
  private scanTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(private readonly deps: ImageServiceDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** Starts pre-generating next-stage images of loaded pets. */
  start(): void {
    if (this.scanTimer) return;
    this.scanTimer = setInterval(() => {
      this.pregenerate().catch((err: unknown) => this.deps.logger.warn({ err }, 'image pre-generation scan failed'));
    }, PREGEN_SCAN_MS);
  }

  stop(): void {
    if (this.scanTimer) clearInterval(this.scanTimer);
    this.scanTimer = null;
  }

  /**
   * Makes sure the picture of `stage` (and adult form) exists or is on its way. System
   * pictures have a seed derived from the pet (one per stage by the key), so asking again is a no-op.
   */
  async ensure(pet: PetForImage): Promise<ImageMeta> {
    return this.request(pet, { seed: systemSeed(pet.id, pet.variant), requestedBy: 'system' });
  }

  /** The current stage's picture of every loaded pet of the owner (a room opened: warm them). */
  warm(ownerId: string): void {
    for (const pet of this.deps.sim.ownerPets(ownerId)) {
      this.ensure(forImage(pet, pet.stats.stage)).catch((err: unknown) => this.deps.logger.warn({ err, petId: pet.id }, 'image warm-up failed'));
    }
  }

  /** A pet changed stage: its new picture (usually pre-generated already). */
  stageChanged(petId: string): void {
    const pet = this.deps.sim.live(petId);
    if (!pet) return;
    this.ensure(forImage(pet, pet.stats.stage)).catch((err: unknown) => this.deps.logger.warn({ err, petId }, 'stage image failed'));
  }

  /**
   * Queues the next stage's picture of every loaded pet that is far enough into its stage,
   * so the stage change shows the new picture at once. An adult's form is not known before it
   * grows up: the form its care would give right now is made, and the real one at the change.
   */
  async pregenerate(): Promise<number> {
    let queued = 0;
    for (const petId of this.deps.sim.loadedPetIds()) {
      const pet = this.deps.sim.live(petId);
      if (!pet || pet.stats.stage >= STAGE_ADULT) continue;
      const share = pet.stats.stageSeconds / stageDurationSeconds(pet.stats.stage);
      if (share < this.deps.options.pregenShare) continue;
      const next = forImage(pet, pet.stats.stage + 1);
      const marker = `${pet.id}:${next.stage}:${next.variant}:${next.skin}`;
      if (this.pregenerated.has(marker)) continue;
      this.pregenerated.add(marker);
      await this.ensure(next);
      queued++;
    }
    return queued;
  }

  /** A new picture of a pet's stage with a fresh seed (player request: limited). */
  async regenerate(playerId: string, petId: string, stage?: number): Promise<ImageDto> {
    const pet = await this.ownedPet(playerId, petId, stage);
    return toDto(await this.request(pet, { seed: randomInt(2 ** 31), requestedBy: 'player' }));
  }

  /** The picture of a given seed again: the procedural provider gives the same bytes. */
  async rerun(playerId: string, petId: string, seed: number, stage?: number): Promise<ImageDto> {
    const pet = await this.ownedPet(playerId, petId, stage);
    const existing = await this.deps.images.findByKey(
      imageKey({ petId: pet.id, stage: pet.stage, variant: pet.variant, skin: pet.skin, seed, preset: this.deps.options.preset }),
    );
    if (existing) return toDto(existing);
    return toDto(await this.request(pet, { seed, requestedBy: 'player' }));
  }

  async list(viewerId: string, petId: string): Promise<ImageDto[]> {
    await this.visiblePet(viewerId, petId);
    return (await this.deps.images.listByPet(petId)).map(toDto);
  }

  /** The ready picture of a stage (the pet's current stage by default). */
  async current(viewerId: string, petId: string, stage?: number): Promise<ImageDto> {
    const pet = await this.visiblePet(viewerId, petId);
    const s = stage ?? pet.stage;
    const image = await this.deps.images.currentFor(petId, s, s === STAGE_ADULT ? pet.adultForm : undefined, pet.skin);
    if (!image) throw new AppError('IMAGE_NOT_FOUND', `No ready image for stage ${stageName(s)} yet`);
    return toDto(image);
  }

  /** What the room shows for a pet: its current stage's ready picture, or the latest one's status. */
  async viewFor(petId: string, stage: number, variant: number, skin = 'default'): Promise<ImageView> {
    const ready = await this.deps.images.currentFor(petId, stage, stage === STAGE_ADULT ? variant : undefined, skin);
    if (ready) return { status: 'ready', url: imageUrl(ready.id) };
    const latest = await this.deps.images.latestFor(petId, stage, skin);
    return latest ? { status: latest.status, url: '' } : { status: 'none', url: '' };
  }

  /**
   * The bytes of a ready image. Ready images never change, so decoded bytes are kept in a
   * small LRU cache (by total size): a popular picture is read from the database once.
   */
  async bytes(imageId: string): Promise<ServedImage> {
    const cached = this.served.get(imageId);
    if (cached) {
      this.served.delete(imageId);
      this.served.set(imageId, cached);
      return cached;
    }
    const row = await this.deps.images.findBytes(imageId);
    // A picture a moderator hid is served to nobody (its bytes stay for an appeal).
    if (!row || row.hidden_at !== null) throw new AppError('IMAGE_NOT_FOUND');
    if (row.status !== 'ready' || row.image_b64 === null) throw new AppError('IMAGE_NOT_READY');
    const image = { body: Buffer.from(row.image_b64, 'base64'), mime: row.mime ?? 'application/octet-stream', etag: row.etag ?? '' };
    this.served.set(imageId, image);
    this.servedBytes += image.body.length;
    while (this.servedBytes > SERVED_CACHE_BYTES) {
      const oldest = this.served.entries().next();
      if (oldest.done) break;
      this.served.delete(oldest.value[0]);
      this.servedBytes -= oldest.value[1].body.length;
    }
    return image;
  }

  /**
   * The bytes of any stored ready image, hidden ones included, for moderators (an appeal needs
   * to see what was hidden). Read from the database each time: never cached, so a hidden
   * picture's bytes do not come back into the public route's cache.
   */
  async bytesForModeration(imageId: string): Promise<ServedImage & { hidden: boolean }> {
    const row = await this.deps.images.findBytes(imageId);
    if (!row) throw new AppError('IMAGE_NOT_FOUND');
    if (row.status !== 'ready' || row.image_b64 === null) throw new AppError('IMAGE_NOT_READY');
    return { body: Buffer.from(row.image_b64, 'base64'), mime: row.mime ?? 'application/octet-stream', etag: row.etag ?? '', hidden: row.hidden_at !== null };
  }

  /**
   * The picture a pet shows now, whoever asks (moderation): its current stage's newest ready
   * picture that is not hidden, or null.
   */
  async shownPicture(petId: string): Promise<{ pet: PetForImage; image: ImageMeta | null }> {
    const p = await this.petIdentity(petId);
    const pet = { id: p.id, ownerId: p.ownerId, species: p.species, stage: p.stage, variant: pictureVariant(p.stage, p.adultForm), skin: p.skin };
    const image = await this.deps.images.currentFor(petId, pet.stage, pet.stage === STAGE_ADULT ? pet.variant : undefined, pet.skin);
    return { pet, image: image ?? null };
  }

  /**
   * A moderator hid `image` (committed): its bytes are no longer served from this process's
   * cache, and the pet falls back to its procedural picture of the same stage, made here at
   * once (no provider, no queue) and shown in the owner's room. The hidden row keeps its image
   * key, so the system never queues that picture again; the owner may still ask for a new one.
   */
  async pictureHidden(image: ImageMeta, species: Species): Promise<ImageMeta | null> {
    this.forget(image.id);
    try {
      const fallback = await this.fallbackFor(image, species);
      this.announceReady(fallback);
      return fallback;
    } catch (err) {
      // The Mini App draws the pet itself when there is no picture: nothing breaks.
      this.deps.logger.error({ err, imageId: image.id, petId: image.pet_id }, 'could not make the procedural picture of a hidden one');
      return null;
    }
  }

  /** An appeal brought `image` back (committed): the fallbacks of its stage go, the room shows it again. */
  async pictureUnhidden(image: ImageMeta): Promise<void> {
    await this.deps.images.deleteFallbacks(image.pet_id, image.stage, image.variant, image.skin);
    this.announceReady(image);
  }

  /** Drops an image's bytes from this process's cache. */
  forget(imageId: string): void {
    const cached = this.served.get(imageId);
    if (!cached) return;
    this.served.delete(imageId);
    this.servedBytes -= cached.body.length;
  }

  private async fallbackFor(hidden: ImageMeta, species: Species): Promise<ImageMeta> {
    const seed = systemSeed(hidden.pet_id, hidden.variant);
    const preset = isQualityPreset(hidden.preset) ? hidden.preset : this.deps.options.preset;
    const size = QUALITY_PRESETS[preset];
    const prompt = buildPrompt({ species, stage: hidden.stage, adultForm: hidden.variant, skin: hidden.skin, preset });
    const made = await createProceduralProvider().generate(
      {
        prompt: prompt.prompt,
        negativePrompt: prompt.negativePrompt,
        seed,
        width: size.width,
        height: size.height,
        steps: size.steps,
        guidance: size.guidance,
        species,
        stage: hidden.stage,
        adultForm: hidden.variant,
        skin: hidden.skin,
      },
      AbortSignal.timeout(5000),
    );
    const nowMs = this.now();
    const key = `${imageKey({ petId: hidden.pet_id, stage: hidden.stage, variant: hidden.variant, skin: hidden.skin, seed, preset })}:${FALLBACK}`;
    const { image } = await this.deps.images.insertIfAbsent({
      id: randomUUID(),
      pet_id: hidden.pet_id,
      owner_id: hidden.owner_id,
      stage: hidden.stage,
      variant: hidden.variant,
      skin: hidden.skin,
      seed,
      preset,
      image_key: key,
      status: 'ready',
      reason: null,
      provider: 'procedural',
      model: 'telepets-procedural-svg-v1',
      mime: made.mime,
      size_bytes: made.bytes.length,
      etag: `"${createHash('sha256').update(made.bytes).digest('base64url').slice(0, 32)}"`,
      image_b64: made.bytes.toString('base64'),
      prompt: prompt.prompt,
      negative_prompt: prompt.negativePrompt,
      requested_by: FALLBACK,
      created_at: nowMs,
      updated_at: nowMs,
      completed_at: nowMs,
    });
    return image;
  }

  private announceReady(image: ImageMeta): void {
    publishImageEvent(this.deps.bus, {
      imageId: image.id,
      petId: image.pet_id,
      ownerId: image.owner_id,
      stage: image.stage,
      variant: image.variant,
      skin: image.skin,
      status: 'ready',
      provider: image.provider,
      reason: null,
    });
  }

  /** Whether the queue is a service of its own (Redis) that readiness checks. */
  get queueIsExternal(): boolean {
    return this.deps.queue.kind === 'bull';
  }

  /** Resolves when the queue's Redis answers within `timeoutMs`; rejects with the reason. */
  pingQueue(timeoutMs: number): Promise<void> {
    return this.deps.queue.ping(timeoutMs);
  }

  /** The job queue's counts (the admin dashboard): Bull's are the cluster's, the in-process queue's this process's. */
  async queueCounts(): Promise<QueueCounts & { kind: 'bull' | 'memory' }> {
    return { kind: this.deps.queue.kind, ...(await this.deps.queue.counts()) };
  }

  experiments(filter: { imageId?: string; outcome?: string; limit: number }) {
    return this.deps.images.experiments(filter);
  }

  /** Re-queues images left queued or running when the in-process queue was lost (a restart). */
  async resumeUnfinished(): Promise<number> {
    let queued = 0;
    for (const image of await this.deps.images.unfinished()) {
      const { added } = await this.deps.queue.add({ imageId: image.id }, this.jobSpec(image.id));
      if (added) queued++;
    }
    return queued;
  }

  /**
   * Stores the image row (a player's request only within the limits, counted and inserted in
   * one step) and adds its job. A player's new row whose job the queue refused is taken back.
   */
  private async request(pet: PetForImage, how: { seed: number; requestedBy: 'system' | 'player' }): Promise<ImageMeta> {
    const preset = this.deps.options.preset;
    const identity = { petId: pet.id, stage: pet.stage, variant: pet.variant, skin: pet.skin, seed: how.seed, preset };
    const key = imageKey(identity);
    const prompt = buildPrompt({ species: pet.species, stage: pet.stage, adultForm: pet.variant, skin: pet.skin, preset });
    const nowMs = this.now();
    const row: NewImage = {
      id: randomUUID(),
      pet_id: pet.id,
      owner_id: pet.ownerId,
      stage: pet.stage,
      variant: pet.variant,
      skin: pet.skin,
      seed: how.seed,
      preset,
      image_key: key,
      status: 'queued',
      reason: null,
      provider: null,
      model: null,
      mime: null,
      size_bytes: null,
      etag: null,
      image_b64: null,
      prompt: prompt.prompt,
      negative_prompt: prompt.negativePrompt,
      requested_by: how.requestedBy,
      created_at: nowMs,
      updated_at: nowMs,
      completed_at: null,
    };
    const { image, created } = how.requestedBy === 'player' ? await this.insertWithinLimits(row, nowMs) : await this.deps.images.insertIfAbsent(row);
    if (image.status === 'queued' || image.status === 'running') {
      try {
        await this.deps.queue.add({ imageId: image.id }, this.jobSpec(image.id));
      } catch (err) {
        await this.enqueueFailed(image, created && how.requestedBy === 'player', err);
      }
    }
    if (created) {
      publishImageEvent(this.deps.bus, {
        imageId: image.id,
        petId: pet.id,
        ownerId: pet.ownerId,
        stage: pet.stage,
        variant: pet.variant,
        skin: pet.skin,
        status: 'queued',
        provider: null,
        reason: null,
      });
    }
    return image;
  }

  private jobSpec(imageId: string) {
    return {
      jobId: imageJobId(imageId),
      attempts: this.deps.options.jobAttempts,
      backoffMs: this.deps.options.jobBackoffMs,
      timeoutMs: this.deps.options.jobTimeoutMs,
    };
  }

  /** A player's request within their limits (per UTC day); over either → RATE_LIMITED with the seconds to wait. */
  private async insertWithinLimits(row: NewImage, nowMs: number): Promise<{ image: ImageMeta; created: boolean }> {
    const dayStart = Math.floor(nowMs / DAY_MS) * DAY_MS;
    const outcome = await this.deps.images.insertWithinLimits(row, {
      maxInFlight: this.deps.options.maxInFlightPerPlayer,
      dailyBudget: this.deps.options.dailyBudgetPerPlayer,
      sinceMs: dayStart,
    });
    if (!('refused' in outcome)) return outcome;
    if (outcome.refused === 'in_flight') {
      throw new AppError('RATE_LIMITED', 'Wait for your pictures in progress to finish', { retryAfterSeconds: IN_FLIGHT_RETRY_S });
    }
    const retryAfterSeconds = Math.ceil((dayStart + DAY_MS - nowMs) / 1000);
    throw new AppError('RATE_LIMITED', `Daily picture budget used; more in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }

  /**
   * The queue refused a job (its Redis is down or does not answer in time): 503 NOT_READY.
   * A player's new request is taken back, so a refused request uses no quota. A system
   * picture's row stays queued: the next ask for it (or the next start) adds its job.
   */
  private async enqueueFailed(image: ImageMeta, takeBack: boolean, err: unknown): Promise<never> {
    this.deps.logger.warn({ err, imageId: image.id }, 'image job could not be queued');
    if (takeBack) {
      await this.deps.images.deleteQueued(image.id).catch((e: unknown) => {
        // Left queued, it is made at the next start (its quota then buys a picture).
        this.deps.logger.error({ err: e, imageId: image.id }, 'could not take back an image request that was not queued');
      });
    }
    throw new AppError('NOT_READY', 'Pictures cannot be queued right now; try again shortly');
  }

  private async ownedPet(playerId: string, petId: string, stage?: number): Promise<PetForImage> {
    const pet = await this.visiblePet(playerId, petId);
    if (pet.ownerId !== playerId) throw new AppError('FORBIDDEN', 'Only the owner can ask for new pictures');
    // The stage and coat to paint are the live ones: asked of the process that simulates the pet.
    await this.deps.sim.assertServedHere(pet.ownerId);
    const s = stage ?? pet.stage;
    if (s > pet.stage) throw new AppError('VALIDATION_FAILED', 'The pet has not reached that stage');
    return { id: pet.id, ownerId: pet.ownerId, species: pet.species, stage: s, variant: pictureVariant(s, pet.adultForm), skin: pet.skin };
  }

  /** The pet's identity if the viewer may see it (owner or friend). */
  private async visiblePet(viewerId: string, petId: string) {
    const pet = await this.petIdentity(petId);
    if (pet.ownerId !== viewerId && !(await this.deps.friends.areFriends(viewerId, pet.ownerId))) throw new AppError('FORBIDDEN');
    return pet;
  }

  /** The pet's identity now: live from the simulation when loaded, else its row. */
  private async petIdentity(petId: string) {
    const live = this.deps.sim.live(petId);
    const row = live ? null : await this.deps.pets.findById(petId);
    if (!live && !row) throw new AppError('PET_NOT_FOUND');
    const ownerId = live?.ownerId ?? (row as { owner_id: string }).owner_id;
    const speciesName = live?.species ?? row?.species;
    return {
      id: petId,
      ownerId,
      species: isSpecies(speciesName) ? speciesName : ('cat' as Species),
      stage: live?.stats.stage ?? row?.stage ?? 0,
      adultForm: live?.stats.adultForm ?? row?.adult_form ?? 0,
      skin: live?.skin ?? row?.skin ?? 'default',
    };
  }

  /**
   * A page of the pet's album (#14): its ready pictures that are not hidden, newest ready
   * first, after `after`; `pet` is the pet as its viewer may see it (PetService checked the
   * owner-or-friend rule). The picture it shows now is marked, and named in the header even
   * when it is on another page.
   */
  async album(pet: PetDto, limit: number, after: AlbumPosition | null): Promise<AlbumDto> {
    const stage = STAGES.indexOf(pet.stage);
    const adultForm = Math.max(0, ADULT_FORMS.indexOf(pet.adultForm));
    const [rows, total, shown] = await Promise.all([
      this.deps.images.album(pet.id, limit + 1, after),
      this.deps.images.albumCount(pet.id),
      this.deps.images.currentFor(pet.id, stage, stage === STAGE_ADULT ? pictureVariant(stage, adultForm) : undefined, pet.skin),
    ]);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const currentId = shown?.id ?? null;
    return {
      pet: {
        id: pet.id,
        ownerId: pet.ownerId,
        name: pet.name,
        species: pet.species,
        stage: pet.stage,
        adultForm: pet.adultForm,
        skin: pet.skin,
        ageSeconds: pet.ageSeconds,
        bornAt: pet.bornAt,
        picture: shown ? { id: shown.id, url: imageUrl(shown.id) } : null,
      },
      items: page.map((image) => toAlbumPicture(image, imageUrl(image.id), currentId)),
      total,
      nextCursor: rows.length > limit && last ? encodeAlbumCursor({ readyAt: Number(last.completed_at), id: last.id }) : null,
    };
  }
}

/** The picture a loaded pet needs for `stage`: adults by their form (predicted before they grow up). */
function forImage(pet: LivePet, stage: number): PetForImage {
  const s = pet.stats;
  const variant = stage < STAGE_ADULT ? 0 : s.stage >= STAGE_ADULT ? s.adultForm : adultFormFor(s.careMistakes, s.careBonus);
  return { id: pet.id, ownerId: pet.ownerId, species: isSpecies(pet.species) ? pet.species : 'cat', stage, variant, skin: pet.skin };
}

function toDto(image: ImageMeta): ImageDto {
  return {
    id: image.id,
    petId: image.pet_id,
    stage: stageName(image.stage),
    variant: ADULT_FORMS[image.variant] ?? 'none',
    skin: image.skin,
    seed: image.seed,
    preset: image.preset,
    status: image.status,
    reason: image.reason,
    provider: image.provider,
    model: image.model,
    mime: image.mime,
    sizeBytes: image.size_bytes,
    url: image.status === 'ready' && image.hidden_at === null ? imageUrl(image.id) : null,
    prompt: image.prompt,
    negativePrompt: image.negative_prompt,
    requestedBy: image.requested_by === 'player' ? 'player' : 'system',
    createdAt: new Date(image.created_at).toISOString(),
    completedAt: image.completed_at === null ? null : new Date(image.completed_at).toISOString(),
  };
}
