import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Dialect } from '../db/database.js';
import type { Database, ImageExperimentsTable, ImageStatus, PetImagesTable } from '../db/schema.js';

type ImageRow = Selectable<PetImagesTable>;
export type NewImage = Insertable<PetImagesTable>;
export type ExperimentRow = Insertable<ImageExperimentsTable>;

/** The columns listing and status need (everything but the bytes). */
const META = [
  'id', 'pet_id', 'owner_id', 'stage', 'variant', 'skin', 'seed', 'preset', 'image_key', 'status', 'reason', 'provider', 'model',
  'mime', 'size_bytes', 'etag', 'prompt', 'negative_prompt', 'requested_by', 'created_at', 'updated_at', 'completed_at',
  'hidden_at', 'hidden_by', 'hidden_reason',
] as const;
export type ImageMeta = Omit<ImageRow, 'image_b64'>;

/** A player's picture limits: unfinished at once, and asked for since `sinceMs` (the start of the UTC day). */
interface PlayerImageLimits {
  maxInFlight: number;
  dailyBudget: number;
  sinceMs: number;
}

type LimitedInsert = { image: ImageMeta; created: boolean } | { refused: 'in_flight' | 'daily' };

export class ImagesRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** Inserts the image unless one with the same key exists; returns the stored row's meta and whether it was new. */
  insertIfAbsent(row: NewImage): Promise<{ image: ImageMeta; created: boolean }> {
    return insertOrFind(this.db, row);
  }

  /**
   * A player's request: the image is inserted only while the player is under both limits,
   * and the count and the insert are one step. Postgres serialises a player's requests on
   * their `players` row (a lock taken before counting, held to commit); SQLite has one
   * connection that a transaction holds from begin to commit, so nothing interleaves. An
   * image whose key exists already is returned as it is and uses no quota.
   */
  insertWithinLimits(row: NewImage, limits: PlayerImageLimits): Promise<LimitedInsert> {
    return this.db.transaction().execute(async (trx) => {
      if (this.dialect === 'postgres') {
        // NO KEY UPDATE: does not block inserts elsewhere that only reference the player.
        await trx.selectFrom('players').select('id').where('id', '=', row.owner_id).forNoKeyUpdate().execute();
      }
      const existing = await trx.selectFrom('pet_images').select(META).where('image_key', '=', row.image_key).executeTakeFirst();
      if (existing) return { image: existing, created: false };
      const usage = await playerUsage(trx, row.owner_id, limits.sinceMs);
      if (usage.inFlight >= limits.maxInFlight) return { refused: 'in_flight' as const };
      if (usage.today >= limits.dailyBudget) return { refused: 'daily' as const };
      return insertOrFind(trx, row);
    });
  }

  /**
   * Takes back a player's request that never reached the queue: the row goes, and with it
   * the quota it used. Only a row still `queued` (no worker has seen it).
   */
  async deleteQueued(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('pet_images').where('id', '=', id).where('status', '=', 'queued').executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  findByKey(key: string): Promise<ImageMeta | undefined> {
    return this.db.selectFrom('pet_images').select(META).where('image_key', '=', key).executeTakeFirst();
  }

  findMeta(id: string): Promise<ImageMeta | undefined> {
    return this.db.selectFrom('pet_images').select(META).where('id', '=', id).executeTakeFirst();
  }

  /** The bytes of a ready image (and whether a moderator hid it). */
  findBytes(id: string): Promise<Pick<ImageRow, 'image_b64' | 'mime' | 'etag' | 'status' | 'hidden_at'> | undefined> {
    return this.db.selectFrom('pet_images').select(['image_b64', 'mime', 'etag', 'status', 'hidden_at']).where('id', '=', id).executeTakeFirst();
  }

  /** A pet's images, newest first, without those a moderator hid. */
  listByPet(petId: string, limit = 100): Promise<ImageMeta[]> {
    return this.db
      .selectFrom('pet_images')
      .select(META)
      .where('pet_id', '=', petId)
      .where('hidden_at', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
  }

  /**
   * Hides a ready image (moderation), in `db` (the transaction that audits it); the bytes
   * stay. Null when there is no such image or it is hidden already.
   */
  async hide(db: Kysely<Database>, id: string, by: string, reason: string, nowMs: number): Promise<ImageMeta | null> {
    const row = await db
      .updateTable('pet_images')
      .set({ hidden_at: nowMs, hidden_by: by, hidden_reason: reason, updated_at: nowMs })
      .where('id', '=', id)
      .where('hidden_at', 'is', null)
      .returning(META)
      .executeTakeFirst();
    return row ?? null;
  }

  /** Shows a hidden image again (an appeal); null when it was not hidden. */
  async unhide(db: Kysely<Database>, id: string, nowMs: number): Promise<ImageMeta | null> {
    const row = await db
      .updateTable('pet_images')
      .set({ hidden_at: null, hidden_by: null, hidden_reason: null, updated_at: nowMs })
      .where('id', '=', id)
      .where('hidden_at', 'is not', null)
      .returning(META)
      .executeTakeFirst();
    return row ?? null;
  }

  /** Drops the procedural stand-ins of a stage made while a picture was hidden (an appeal brought it back). */
  async deleteFallbacks(petId: string, stage: number, variant: number, skin: string): Promise<void> {
    await this.db
      .deleteFrom('pet_images')
      .where('pet_id', '=', petId)
      .where('stage', '=', stage)
      .where('variant', '=', variant)
      .where('skin', '=', skin)
      .where('requested_by', '=', 'moderation')
      .execute();
  }

  /** The hidden images of a pet, newest hidden first (what an appeal may bring back). */
  hiddenOf(petId: string, db: Kysely<Database> = this.db): Promise<ImageMeta[]> {
    return db.selectFrom('pet_images').select(META).where('pet_id', '=', petId).where('hidden_at', 'is not', null).orderBy('hidden_at', 'desc').execute();
  }

  /** The newest ready image of a pet's stage (and variant, for adults) that is not hidden. */
  currentFor(petId: string, stage: number, variant?: number, skin = 'default'): Promise<ImageMeta | undefined> {
    let q = this.db
      .selectFrom('pet_images')
      .select(META)
      .where('pet_id', '=', petId)
      .where('stage', '=', stage)
      .where('skin', '=', skin)
      .where('status', '=', 'ready')
      .where('hidden_at', 'is', null);
    if (variant !== undefined) q = q.where('variant', '=', variant);
    return q.orderBy('completed_at', 'desc').limit(1).executeTakeFirst();
  }

  /** The newest image of a stage in any status, not hidden (what the room shows while it is being made). */
  latestFor(petId: string, stage: number, skin = 'default'): Promise<ImageMeta | undefined> {
    return this.db
      .selectFrom('pet_images')
      .select(META)
      .where('pet_id', '=', petId)
      .where('stage', '=', stage)
      .where('skin', '=', skin)
      .where('hidden_at', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Moves a queued (or stalled running) image to running; false when it is already done. */
  async markRunning(id: string, nowMs: number): Promise<boolean> {
    const rows = await this.db
      .updateTable('pet_images')
      .set({ status: 'running', updated_at: nowMs })
      .where('id', '=', id)
      .where('status', 'in', ['queued', 'running', 'failed'] as ImageStatus[])
      .returning('id')
      .execute();
    return rows.length === 1;
  }

  /** Stores the bytes once: a second completion of the same image (a retried job) changes nothing. */
  async markReady(
    id: string,
    result: { b64: string; mime: string; sizeBytes: number; etag: string; provider: string; model: string },
    nowMs: number,
  ): Promise<boolean> {
    const rows = await this.db
      .updateTable('pet_images')
      .set({
        status: 'ready',
        reason: null,
        image_b64: result.b64,
        mime: result.mime,
        size_bytes: result.sizeBytes,
        etag: result.etag,
        provider: result.provider,
        model: result.model,
        updated_at: nowMs,
        completed_at: nowMs,
      })
      .where('id', '=', id)
      .where('status', '!=', 'ready')
      .returning('id')
      .execute();
    return rows.length === 1;
  }

  async markFailed(id: string, reason: string, nowMs: number): Promise<void> {
    await this.db
      .updateTable('pet_images')
      .set({ status: 'failed', reason, updated_at: nowMs })
      .where('id', '=', id)
      .where('status', '!=', 'ready')
      .execute();
  }

  async recordExperiment(row: ExperimentRow): Promise<void> {
    await this.db.insertInto('image_experiments').values(row).execute();
  }

  experiments(filter: { imageId?: string; outcome?: string; limit: number }) {
    let q = this.db.selectFrom('image_experiments').selectAll();
    if (filter.imageId) q = q.where('image_id', '=', filter.imageId);
    if (filter.outcome) q = q.where('outcome', '=', filter.outcome);
    return q.orderBy('created_at', 'desc').limit(filter.limit).execute();
  }

  /** Queued or running images with no job behind them any more (a restart of the in-process queue). */
  unfinished(limit = 1000): Promise<ImageMeta[]> {
    return this.db
      .selectFrom('pet_images')
      .select(META)
      .where('status', 'in', ['queued', 'running'] as ImageStatus[])
      .orderBy('created_at')
      .limit(limit)
      .execute();
  }

  /** A page of the pet's album (see `albumPage`). */
  album(petId: string, limit: number, after: AlbumPosition | null): Promise<ImageMeta[]> {
    return albumPage(this.db, petId, limit, after);
  }

  albumCount(petId: string): Promise<number> {
    return albumCount(this.db, petId);
  }
}

/** Where an album page starts: after the picture ready at `readyAt` with id `id` (newest first). */
export interface AlbumPosition {
  readyAt: number;
  id: string;
}

/** The album's pictures: ready, not hidden. */
function albumRows(db: Kysely<Database>, petId: string) {
  return db
    .selectFrom('pet_images')
    .where('pet_id', '=', petId)
    .where('status', '=', 'ready')
    .where('hidden_at', 'is', null)
    .where('completed_at', 'is not', null);
}

/**
 * A page of a pet's album: its ready pictures that are not hidden, newest ready first (ties by
 * id), strictly after `after`. A picture made while someone pages is ready later than every
 * picture already listed, so it sorts before the first page and never shifts the pages after.
 */
function albumPage(db: Kysely<Database>, petId: string, limit: number, after: AlbumPosition | null): Promise<ImageMeta[]> {
  let q = albumRows(db, petId).select(META);
  if (after) {
    q = q.where((eb) => eb.or([eb('completed_at', '<', after.readyAt), eb.and([eb('completed_at', '=', after.readyAt), eb('id', '<', after.id)])]));
  }
  return q.orderBy('completed_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** How many pictures a pet's album has. */
async function albumCount(db: Kysely<Database>, petId: string): Promise<number> {
  const row = await albumRows(db, petId)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function insertOrFind(db: Kysely<Database> | Transaction<Database>, row: NewImage): Promise<{ image: ImageMeta; created: boolean }> {
  const inserted = await db
    .insertInto('pet_images')
    .values(row)
    .onConflict((oc) => oc.column('image_key').doNothing())
    .returning(META)
    .executeTakeFirst();
  if (inserted) return { image: inserted, created: true };
  const existing = await db.selectFrom('pet_images').select(META).where('image_key', '=', row.image_key).executeTakeFirst();
  if (!existing) throw new Error(`image ${row.image_key} vanished`);
  return { image: existing, created: false };
}

/** Images a player asked for that are not finished, and those asked for since `sinceMs`. */
async function playerUsage(db: Kysely<Database> | Transaction<Database>, ownerId: string, sinceMs: number): Promise<{ inFlight: number; today: number }> {
  const row = await db
    .selectFrom('pet_images')
    .select((eb) => [
      eb.fn.sum<number>(eb.case().when('status', 'in', ['queued', 'running'] as ImageStatus[]).then(1).else(0).end()).as('in_flight'),
      eb.fn.sum<number>(eb.case().when('created_at', '>=', sinceMs).then(1).else(0).end()).as('today'),
    ])
    .where('owner_id', '=', ownerId)
    .where('requested_by', '=', 'player')
    .executeTakeFirstOrThrow();
  return { inFlight: Number(row.in_flight ?? 0), today: Number(row.today ?? 0) };
}
