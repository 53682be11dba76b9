/**
 * Share cards and share links (ADR 0018).
 *
 * A card is a PNG drawn from the pet's current picture (its newest ready picture that is
 * not hidden, else its procedural one: a hidden picture never reaches a card), its name,
 * stage and age, and the game's name, in the owner's language. Its content hash covers
 * every input (the picture's etag, the texts, the format, the renderer version), so a card
 * URL carrying the hash is immutable, and the same inputs give byte-identical PNGs.
 *
 * Rendered cards are kept in an LRU bounded by bytes; concurrent requests for one card
 * share one render; renders run at most `renderConcurrency` at once with at most
 * `renderQueue` waiting (more: 503 CARD_RENDER_BUSY), so a flood cannot stall the process.
 * Nothing of a banned player's pet is shown: its card and page are "not found".
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Api } from 'grammy';
import { STAGE_ADULT, isSpecies, stageName, type Species } from '../../shared/balance.js';
import type { CardFormatDto, PreparedShareDto, ShareInfoDto } from '../../shared/dto.js';
import { AppError } from '../../shared/errors.js';
import { pickLanguage, translate, type Language } from '../../shared/i18n.js';
import { CARD_RENDERER_VERSION, RenderPool } from '../cards/card-renderer.js';
import { CARD_SIZE, EMBEDDABLE_MIME, cardSvg, type CardContent } from '../cards/card-svg.js';
import { systemSeed } from '../images/image-jobs.js';
import { renderPetSvg } from '../images/procedural/index.js';
import type { ImagesRepository } from '../repositories/images-repository.js';
import type { PetsRepository } from '../repositories/pets-repository.js';
import type { PlayersRepository } from '../repositories/players-repository.js';
import type { ShareCodesRepository } from '../repositories/share-codes-repository.js';
import type { SimHost } from '../sim-host/sim-host.js';
import { pictureVariant, type ImageService } from './image-service.js';

/** What the server asks of the Bot API to share (the bot's grammY Api). */
export type ShareBotApi = Pick<Api, 'savePreparedInlineMessage'>;

export interface CardServiceOptions {
  cacheBytes: number;
  renderConcurrency: number;
  renderQueue: number;
  botUsername: string | null;
  miniAppName: string | null;
  /** One Bot API call, seconds. */
  apiTimeoutSeconds: number;
}

export interface CardServiceDeps {
  pets: PetsRepository;
  players: PlayersRepository;
  images: ImagesRepository;
  imageService: Pick<ImageService, 'bytes'>;
  shareCodes: ShareCodesRepository;
  sim: Pick<SimHost, 'live' | 'timeScale'>;
  /** The bot's API, or null while there is no ready bot. */
  botApi: () => ShareBotApi | null;
  logger: Logger;
  options: CardServiceOptions;
  now?: () => number;
}

/** What a pet shows publicly: no Telegram id, username, coins, meters or owner name. */
export interface PublicPet {
  petId: string;
  ownerId: string;
  name: string;
  species: Species;
  stage: number;
  ageDays: number;
  lang: Language;
  inviteCode: string;
  /** The picture's identity (etag of the stored image or hash of the procedural SVG) and how to get its bytes. */
  picture: { key: string; imageId: string | null; variant: number; skin: string };
}

export interface RenderedCard {
  hash: string;
  png: Buffer;
}

const DAY_S = 86_400;
/** Procedural pictures' hashes remembered (drawing the SVG to hash it costs ~5 ms). */
const PROCEDURAL_KEYS_MAX = 10_000;
const REF_PREFIX = 'ref_';

export function cardPath(petId: string, format: CardFormatDto, hash: string): string {
  return `/api/v1/pets/${petId}/card.png?format=${format}&v=${hash}`;
}

export class CardService {
  private readonly cache = new Map<string, Buffer>();
  private cacheBytes = 0;
  private readonly inflight = new Map<string, Promise<Buffer>>();
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly now: () => number;
  private readonly pool: RenderPool;
  private readonly proceduralKeys = new Map<string, string>();
  /** Renders done, cache hits (for the bench and tests). */
  readonly stats = { renders: 0, hits: 0, refused: 0 };

  constructor(private readonly deps: CardServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.pool = new RenderPool(deps.options.renderConcurrency);
  }

  /** Stops the render threads. */
  close(): Promise<void> {
    return this.pool.close();
  }

  /**
   * The pet as the public sees it, or PET_NOT_FOUND (no such pet, or its owner is banned).
   * Read from the simulation when loaded, else from its row (a public view never loads a pet).
   */
  async publicPet(petId: string): Promise<PublicPet> {
    const live = this.deps.sim.live(petId);
    const row = live ? null : await this.deps.pets.findById(petId);
    if (!live && !row) throw new AppError('PET_NOT_FOUND');
    const ownerId = live?.ownerId ?? row!.owner_id;
    const owner = await this.deps.players.findById(ownerId);
    if (!owner || owner.banned_at !== null) throw new AppError('PET_NOT_FOUND');
    const stage = live?.stats.stage ?? row!.stage;
    const adultForm = live?.stats.adultForm ?? row!.adult_form;
    const skin = live?.skin ?? row!.skin;
    const ageSeconds = live
      ? live.stats.ageSeconds
      : row!.age_seconds + Math.max(0, ((this.now() - row!.last_snapshot_at) / 1000) * this.deps.sim.timeScale);
    const speciesName = live?.species ?? row!.species;
    const species: Species = isSpecies(speciesName) ? speciesName : 'cat';
    const variant = pictureVariant(stage, adultForm);
    const image = await this.deps.images.currentFor(petId, stage, stage === STAGE_ADULT ? variant : undefined, skin);
    const stored = image && image.etag && image.mime && EMBEDDABLE_MIME.has(image.mime) ? image : null;
    return {
      petId,
      ownerId,
      name: live?.name ?? row!.name,
      species,
      stage,
      ageDays: Math.floor(ageSeconds / DAY_S),
      lang: pickLanguage(owner.language_code),
      inviteCode: owner.invite_code,
      picture: stored
        ? { key: `image:${stored.etag}`, imageId: stored.id, variant, skin }
        : { key: this.proceduralKey(petId, species, stage, variant, skin), imageId: null, variant, skin },
    };
  }

  /** The card's texts (everything but the picture bytes). */
  content(pet: PublicPet, format: CardFormatDto): Omit<CardContent, 'picture'> {
    const stage = translate(pet.lang, `stage.${stageName(pet.stage)}`);
    return {
      format,
      gameName: translate(pet.lang, 'app.title'),
      name: pet.name,
      subtitle: translate(pet.lang, 'card.subtitle', { stage, day: pet.ageDays + 1 }),
      cta: translate(pet.lang, 'card.cta'),
      handle: this.deps.options.botUsername ? `@${this.deps.options.botUsername}` : null,
    };
  }

  /** The content hash of a card: every input, the renderer's version included. */
  hash(pet: PublicPet, format: CardFormatDto): string {
    const inputs = { v: CARD_RENDERER_VERSION, picture: pet.picture.key, size: CARD_SIZE[format], ...this.content(pet, format) };
    return sha(JSON.stringify(inputs)).slice(0, 32);
  }

  /** The current hash of a pet's card (no rendering). */
  async currentHash(petId: string, format: CardFormatDto): Promise<string> {
    return this.hash(await this.publicPet(petId), format);
  }

  /** The pet's current card, from the cache or rendered (one render per card at a time). */
  async card(petId: string, format: CardFormatDto): Promise<RenderedCard> {
    const pet = await this.publicPet(petId);
    return { hash: this.hash(pet, format), png: await this.cardFor(pet, format) };
  }

  /** The card of an already resolved pet. */
  async cardFor(pet: PublicPet, format: CardFormatDto): Promise<Buffer> {
    const key = `${format}:${this.hash(pet, format)}`;
    const cached = this.cache.get(key);
    if (cached) {
      this.cache.delete(key);
      this.cache.set(key, cached);
      this.stats.hits++;
      return cached;
    }
    const running = this.inflight.get(key);
    if (running) return running;
    const render = this.render(pet, format).finally(() => this.inflight.delete(key));
    this.inflight.set(key, render);
    const png = await render;
    this.remember(key, png);
    return png;
  }

  /** Share links of a pet of mine: gives it a share code the first time. */
  async shareInfo(playerId: string, petId: string, baseUrl: string): Promise<ShareInfoDto> {
    const pet = await this.ownedPet(playerId, petId);
    const shareCode = await this.deps.shareCodes.ensure(petId, this.now());
    return {
      shareCode,
      pageUrl: `${baseUrl}/p/${shareCode}`,
      storyCardUrl: baseUrl + cardPath(petId, 'story', this.hash(pet, 'story')),
      previewCardUrl: baseUrl + cardPath(petId, 'preview', this.hash(pet, 'preview')),
      botLink: this.botLink(pet.inviteCode),
      inviteCode: pet.inviteCode,
    };
  }

  /** t.me link opening the Mini App with the owner's referral; null without a bot username. */
  botLink(inviteCode: string): string | null {
    const { botUsername, miniAppName } = this.deps.options;
    if (!botUsername) return null;
    const param = `${REF_PREFIX}${inviteCode}`;
    return miniAppName ? `https://t.me/${botUsername}/${miniAppName}?startapp=${param}` : `https://t.me/${botUsername}?startapp=${param}`;
  }

  /**
   * A message the owner can send from the Mini App (WebApp.shareMessage): the preview card
   * with a caption and a button opening the bot with their referral, saved through the Bot
   * API's savePreparedInlineMessage. Stores nothing; a Bot API failure is SHARE_UNAVAILABLE.
   */
  async prepared(player: { id: string; telegram_id: number }, petId: string, baseUrl: string): Promise<PreparedShareDto> {
    const pet = await this.ownedPet(player.id, petId);
    const api = this.deps.botApi();
    const botLink = this.botLink(pet.inviteCode);
    if (!api || !botLink) throw new AppError('SHARE_UNAVAILABLE', 'Sharing a message needs the Telegram bot (and TELEGRAM_BOT_USERNAME)');
    const previewUrl = baseUrl + cardPath(petId, 'preview', this.hash(pet, 'preview'));
    const stage = translate(pet.lang, `stage.${stageName(pet.stage)}`);
    const { width, height } = CARD_SIZE.preview;
    try {
      const prepared = await api.savePreparedInlineMessage(
        player.telegram_id,
        {
          type: 'photo',
          id: `card-${this.hash(pet, 'preview')}`.slice(0, 64),
          photo_url: previewUrl,
          thumbnail_url: previewUrl,
          photo_width: width,
          photo_height: height,
          caption: translate(pet.lang, 'share.caption', { name: pet.name, stage, day: pet.ageDays + 1 }).slice(0, 1024),
          reply_markup: { inline_keyboard: [[{ text: translate(pet.lang, 'share.open'), url: botLink }]] },
        },
        { allow_user_chats: true, allow_group_chats: true, allow_channel_chats: true },
        AbortSignal.timeout(this.deps.options.apiTimeoutSeconds * 1000) as unknown as Parameters<ShareBotApi['savePreparedInlineMessage']>[3],
      );
      return { preparedMessageId: prepared.id };
    } catch (err) {
      this.deps.logger.warn({ err: err instanceof Error ? err.message : String(err), petId }, 'savePreparedInlineMessage failed');
      throw new AppError('SHARE_UNAVAILABLE');
    }
  }

  /** The public page's pet by share code, or null (unknown code, or not shown). */
  async pageFor(shareCode: string): Promise<PublicPet | null> {
    const petId = await this.deps.shareCodes.petOf(shareCode);
    if (!petId) return null;
    try {
      return await this.publicPet(petId);
    } catch (err) {
      if (err instanceof AppError && err.code === 'PET_NOT_FOUND') return null;
      throw err;
    }
  }

  private async ownedPet(playerId: string, petId: string): Promise<PublicPet> {
    const pet = await this.publicPet(petId);
    if (pet.ownerId !== playerId) throw new AppError('FORBIDDEN', 'Only the owner can share a pet');
    return pet;
  }

  private async render(pet: PublicPet, format: CardFormatDto): Promise<Buffer> {
    await this.slot();
    try {
      const picture = await this.pictureBytes(pet);
      const png = await this.pool.render(cardSvg({ ...this.content(pet, format), picture }));
      this.stats.renders++;
      return png;
    } finally {
      this.release();
    }
  }

  /**
   * The picture's bytes. A stored picture hidden (or gone) since `publicPet` read it is
   * replaced by the procedural one: the image service never serves a hidden picture's bytes.
   */
  async pictureBytes(pet: PublicPet): Promise<CardContent['picture']> {
    if (pet.picture.imageId) {
      try {
        const image = await this.deps.imageService.bytes(pet.picture.imageId);
        if (EMBEDDABLE_MIME.has(image.mime)) return { mime: image.mime, bytes: image.body };
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
      }
    }
    const svg = proceduralSvg(pet.petId, pet.species, pet.stage, pet.picture.variant, pet.picture.skin);
    return { mime: 'image/svg+xml', bytes: Buffer.from(svg, 'utf8') };
  }

  /** The procedural picture's identity: a hash of its SVG, remembered (bounded). */
  private proceduralKey(petId: string, species: Species, stage: number, variant: number, skin: string): string {
    const id = `${petId}:${species}:${stage}:${variant}:${skin}`;
    let key = this.proceduralKeys.get(id);
    if (key === undefined) {
      key = `procedural:${sha(proceduralSvg(petId, species, stage, variant, skin))}`;
      if (this.proceduralKeys.size >= PROCEDURAL_KEYS_MAX) this.proceduralKeys.delete(this.proceduralKeys.keys().next().value!);
      this.proceduralKeys.set(id, key);
    }
    return key;
  }

  private slot(): Promise<void> {
    const { renderConcurrency, renderQueue } = this.deps.options;
    if (this.active < renderConcurrency) {
      this.active++;
      return Promise.resolve();
    }
    if (this.waiting.length >= renderQueue) {
      this.stats.refused++;
      return Promise.reject(new AppError('CARD_RENDER_BUSY', undefined, { retryAfterSeconds: 1 }));
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  private remember(key: string, png: Buffer): void {
    if (png.length > this.deps.options.cacheBytes || this.cache.has(key)) return;
    this.cache.set(key, png);
    this.cacheBytes += png.length;
    while (this.cacheBytes > this.deps.options.cacheBytes) {
      const oldest = this.cache.entries().next();
      if (oldest.done) break;
      this.cache.delete(oldest.value[0]);
      this.cacheBytes -= oldest.value[1].length;
    }
  }

  /** Bytes of rendered cards kept now. */
  get cachedBytes(): number {
    return this.cacheBytes;
  }
}

function proceduralSvg(petId: string, species: Species, stage: number, variant: number, skin: string): string {
  return renderPetSvg({ species, stage, adultForm: variant, skin, seed: systemSeed(petId, variant), size: 512 });
}

function sha(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}
