import { sql, type Kysely, type Selectable } from 'kysely';
import type { Dialect } from '../db/database.js';
import type { Database, PetsTable } from '../db/schema.js';

export type PetRow = Selectable<PetsTable>;

/** The columns the simulation owns, written by snapshots. */
export interface PetSnapshot {
  id: string;
  stage: number;
  hunger: number;
  mood: number;
  cleanliness: number;
  health: number;
  sick: number;
  age_seconds: number;
  stage_seconds: number;
  feed_count: number;
  play_count: number;
  clean_count: number;
  heal_count: number;
  overfeed_count: number;
  cooldowns: string;
  last_snapshot_at: number;
}

export interface PetPageCursor {
  createdAt: number;
  id: string;
}

/** Rows per UPDATE statement in a snapshot flush. */
const SNAPSHOT_CHUNK = 5000;

export class PetsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async insert(row: PetRow): Promise<void> {
    await this.db.insertInto('pets').values(row).execute();
  }

  findById(id: string): Promise<PetRow | undefined> {
    return this.db.selectFrom('pets').selectAll().where('id', '=', id).executeTakeFirst();
  }

  listAllByOwner(ownerId: string): Promise<PetRow[]> {
    return this.db
      .selectFrom('pets')
      .selectAll()
      .where('owner_id', '=', ownerId)
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
  }

  /** One page of an owner's pets in creation order, keyset-paginated. */
  listPage(ownerId: string, limit: number, after: PetPageCursor | null): Promise<PetRow[]> {
    let q = this.db.selectFrom('pets').selectAll().where('owner_id', '=', ownerId);
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb('created_at', '>', after.createdAt),
          eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)]),
        ]),
      );
    }
    return q.orderBy('created_at', 'asc').orderBy('id', 'asc').limit(limit).execute();
  }

  async countByOwner(ownerId: string): Promise<number> {
    const row = await this.db
      .selectFrom('pets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('owner_id', '=', ownerId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Inserts a pet only if the owner has fewer than `maxPets`, atomically: the check and the
   * insert are one statement, so concurrent creations cannot overshoot the limit by racing.
   * Postgres additionally serialises on the owner's row.
   */
  async insertWithinLimit(row: PetRow, maxPets: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      if (this.dialect === 'postgres') {
        await trx.selectFrom('players').select('id').where('id', '=', row.owner_id).forUpdate().execute();
      }
      const count = await trx
        .selectFrom('pets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('owner_id', '=', row.owner_id)
        .executeTakeFirstOrThrow();
      if (Number(count.n) >= maxPets) return false;
      await trx.insertInto('pets').values(row).execute();
      return true;
    });
  }

  /**
   * Writes many snapshots in few round trips. A row is only overwritten by a snapshot that is
   * not older than the stored one, so an out-of-order flush can never move a pet back in time.
   */
  async saveSnapshots(snapshots: readonly PetSnapshot[], nowMs: number): Promise<number> {
    let written = 0;
    for (let i = 0; i < snapshots.length; i += SNAPSHOT_CHUNK) {
      const chunk = snapshots.slice(i, i + SNAPSHOT_CHUNK);
      written += this.dialect === 'postgres' ? await this.saveChunkPostgres(chunk, nowMs) : await this.saveChunkSqlite(chunk, nowMs);
    }
    return written;
  }

  private async saveChunkPostgres(chunk: readonly PetSnapshot[], nowMs: number): Promise<number> {
    const col = <K extends keyof PetSnapshot>(key: K) => chunk.map((s) => s[key]);
    const result = await sql`
      update pets as p set
        stage = v.stage, hunger = v.hunger, mood = v.mood, cleanliness = v.cleanliness, health = v.health,
        sick = v.sick, age_seconds = v.age_seconds, stage_seconds = v.stage_seconds,
        feed_count = v.feed_count, play_count = v.play_count, clean_count = v.clean_count,
        heal_count = v.heal_count, overfeed_count = v.overfeed_count, cooldowns = v.cooldowns,
        last_snapshot_at = v.last_snapshot_at, updated_at = ${nowMs}
      from unnest(
        ${col('id')}::text[], ${col('stage')}::int[], ${col('hunger')}::float8[], ${col('mood')}::float8[],
        ${col('cleanliness')}::float8[], ${col('health')}::float8[], ${col('sick')}::int[],
        ${col('age_seconds')}::float8[], ${col('stage_seconds')}::float8[], ${col('feed_count')}::int[],
        ${col('play_count')}::int[], ${col('clean_count')}::int[], ${col('heal_count')}::int[],
        ${col('overfeed_count')}::int[], ${col('cooldowns')}::text[], ${col('last_snapshot_at')}::int8[]
      ) as v(id, stage, hunger, mood, cleanliness, health, sick, age_seconds, stage_seconds, feed_count,
             play_count, clean_count, heal_count, overfeed_count, cooldowns, last_snapshot_at)
      where p.id = v.id and p.last_snapshot_at <= v.last_snapshot_at
    `.execute(this.db);
    return Number(result.numAffectedRows ?? 0);
  }

  private async saveChunkSqlite(chunk: readonly PetSnapshot[], nowMs: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      let written = 0;
      for (const s of chunk) {
        const { id, ...values } = s;
        const result = await trx
          .updateTable('pets')
          .set({ ...values, updated_at: nowMs })
          .where('id', '=', id)
          .where('last_snapshot_at', '<=', s.last_snapshot_at)
          .executeTakeFirst();
        written += Number(result.numUpdatedRows);
      }
      return written;
    });
  }
}
