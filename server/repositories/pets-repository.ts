import { sql, type Kysely, type Selectable } from 'kysely';
import type { PetUtcOffset } from '../../sim/index.js';
import type { Dialect } from '../db/database.js';
import type { Database, PetsTable } from '../db/schema.js';
import { petOffsetColumns } from '../sim-host/pet-rows.js';
import { consumeItem, grantItems } from './inventory-repository.js';

/** What storing a care with its item came to. */
type CareWrite = 'stored' | 'item_missing' | 'stale';

/** Rolls the care transaction back when the pet's stored snapshot is newer than the care's. */
class StaleSnapshot extends Error {}

export type PetRow = Selectable<PetsTable>;

/** A pet's record as the simulation writes it (care, snapshots): the columns the simulation owns. */
export type PetRecord = Pick<
  PetRow,
  | 'id'
  | 'stage'
  | 'hunger'
  | 'mood'
  | 'cleanliness'
  | 'health'
  | 'sick'
  | 'age_seconds'
  | 'stage_seconds'
  | 'feed_count'
  | 'play_count'
  | 'clean_count'
  | 'heal_count'
  | 'overfeed_count'
  | 'cooldowns'
  | 'care_mistakes'
  | 'care_bonus'
  | 'hunger_critical_s'
  | 'mood_critical_s'
  | 'cleanliness_critical_s'
  | 'good_care_s'
  | 'adult_form'
  | 'awake_until'
  | 'last_snapshot_at'
>;

interface PetPageCursor {
  createdAt: number;
  id: string;
}

/** Rows per UPDATE statement in a snapshot flush. */
const SNAPSHOT_CHUNK = 20_000;

/** A Postgres array literal of numbers: `{1,2.5,3}`. */
function numberArray(values: readonly number[]): string {
  return `{${values.join(',')}}`;
}

/** A Postgres array literal of strings, each quoted and escaped: `{"a","b\"c"}`. */
function textArray(values: readonly string[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    out += `"${(values[i] as string).replace(/["\\]/g, '\\$&')}"`;
  }
  return `${out}}`;
}

export class PetsRepository {
  /** `batch` takes the snapshot flushes (the database's batch handle, with its longer deadline). */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly batch: Kysely<Database> = db,
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
   * Inserts a pet only if the owner has fewer than `maxPets`, and grants `items` to the owner
   * in the same transaction (the starter pack comes with the pet or not at all). Postgres
   * serialises concurrent adoptions on the owner's row; SQLite serialises all writes.
   */
  async insertWithinLimit(row: PetRow, maxPets: number, items: Readonly<Record<string, number>> = {}): Promise<boolean> {
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
      await grantItems(trx, row.owner_id, items, row.created_at);
      return true;
    });
  }

  async setSkin(petId: string, skin: string, nowMs: number): Promise<void> {
    await this.db.updateTable('pets').set({ skin, updated_at: nowMs }).where('id', '=', petId).execute();
  }

  /** Takes a skin off every pet of an owner that wears it (a refund took it back); returns their ids. */
  async resetSkin(ownerId: string, skin: string, nowMs: number): Promise<string[]> {
    const rows = await this.db
      .updateTable('pets')
      .set({ skin: 'default', updated_at: nowMs })
      .where('owner_id', '=', ownerId)
      .where('skin', '=', skin)
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Gives every pet of the owner the owner's UTC offset and its planned change. */
  async setOwnerUtcOffset(ownerId: string, offset: PetUtcOffset): Promise<void> {
    await this.db
      .updateTable('pets')
      .set(petOffsetColumns(offset))
      .where('owner_id', '=', ownerId)
      .execute();
  }

  /**
   * Spends one `itemId` of `playerId` and stores the pet's snapshot with the care it paid for,
   * in one transaction: after a crash at any moment either both are there or neither.
   * 'item_missing' (nothing written) when the player holds none; 'stale' (nothing written)
   * when the stored snapshot is already newer than `snapshot`.
   */
  async saveCare(playerId: string, itemId: string, snapshot: PetRecord, nowMs: number): Promise<CareWrite> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        if (!(await consumeItem(trx, playerId, itemId, nowMs))) return 'item_missing' as const;
        const { id, ...values } = snapshot;
        const result = await trx
          .updateTable('pets')
          .set({ ...values, updated_at: nowMs })
          .where('id', '=', id)
          .where('owner_id', '=', playerId)
          .where('last_snapshot_at', '<=', snapshot.last_snapshot_at)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) !== 1) throw new StaleSnapshot();
        return 'stored' as const;
      });
    } catch (err) {
      if (err instanceof StaleSnapshot) return 'stale';
      throw err;
    }
  }

  /**
   * Writes many snapshots in few round trips. A row is only overwritten by a snapshot that is
   * not older than the stored one, so an out-of-order flush can never move a pet back in time.
   */
  async saveSnapshots(snapshots: readonly PetRecord[], nowMs: number): Promise<number> {
    if (this.dialect === 'sqlite') {
      let written = 0;
      for (let i = 0; i < snapshots.length; i += SNAPSHOT_CHUNK) {
        written += await this.saveChunkSqlite(snapshots.slice(i, i + SNAPSHOT_CHUNK), nowMs);
      }
      return written;
    }
    // Postgres: chunks go out on separate pool connections while the next one is being
    // built, so building parameters here overlaps with the database applying the last chunk.
    const running: Array<Promise<number>> = [];
    for (let i = 0; i < snapshots.length; i += SNAPSHOT_CHUNK) {
      const chunk = this.saveChunkPostgres(snapshots.slice(i, i + SNAPSHOT_CHUNK), nowMs);
      // Observed right away so a failing chunk is not an unhandled rejection while the
      // next one is built; Promise.all below still reports it.
      chunk.catch(() => undefined);
      running.push(chunk);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const written = await Promise.all(running);
    return written.reduce((a, b) => a + b, 0);
  }

  private async saveChunkPostgres(chunk: readonly PetRecord[], nowMs: number): Promise<number> {
    // Array literals are built here rather than by the driver: for 100k rows that is several
    // times cheaper than pg's generic array serialisation.
    const num = (key: Exclude<keyof PetRecord, 'id' | 'cooldowns'>) => numberArray(chunk.map((s) => s[key]));
    const text = (key: 'id' | 'cooldowns') => textArray(chunk.map((s) => s[key]));
    const result = await sql`
      update pets as p set
        stage = v.stage, hunger = v.hunger, mood = v.mood, cleanliness = v.cleanliness, health = v.health,
        sick = v.sick, age_seconds = v.age_seconds, stage_seconds = v.stage_seconds,
        feed_count = v.feed_count, play_count = v.play_count, clean_count = v.clean_count,
        heal_count = v.heal_count, overfeed_count = v.overfeed_count, cooldowns = v.cooldowns,
        care_mistakes = v.care_mistakes, care_bonus = v.care_bonus, hunger_critical_s = v.hunger_critical_s,
        mood_critical_s = v.mood_critical_s, cleanliness_critical_s = v.cleanliness_critical_s,
        good_care_s = v.good_care_s, adult_form = v.adult_form, awake_until = v.awake_until,
        last_snapshot_at = v.last_snapshot_at, updated_at = ${nowMs}
      from unnest(
        ${text('id')}::text[], ${num('stage')}::int[], ${num('hunger')}::float8[], ${num('mood')}::float8[],
        ${num('cleanliness')}::float8[], ${num('health')}::float8[], ${num('sick')}::int[],
        ${num('age_seconds')}::float8[], ${num('stage_seconds')}::float8[], ${num('feed_count')}::int[],
        ${num('play_count')}::int[], ${num('clean_count')}::int[], ${num('heal_count')}::int[],
        ${num('overfeed_count')}::int[], ${text('cooldowns')}::text[], ${num('care_mistakes')}::int[],
        ${num('care_bonus')}::int[], ${num('hunger_critical_s')}::float8[], ${num('mood_critical_s')}::float8[],
        ${num('cleanliness_critical_s')}::float8[], ${num('good_care_s')}::float8[], ${num('adult_form')}::int[],
        ${num('awake_until')}::float8[], ${num('last_snapshot_at')}::int8[]
      ) as v(id, stage, hunger, mood, cleanliness, health, sick, age_seconds, stage_seconds, feed_count,
             play_count, clean_count, heal_count, overfeed_count, cooldowns, care_mistakes, care_bonus,
             hunger_critical_s, mood_critical_s, cleanliness_critical_s, good_care_s, adult_form, awake_until,
             last_snapshot_at)
      where p.id = v.id and p.last_snapshot_at <= v.last_snapshot_at
    `.execute(this.batch);
    return Number(result.numAffectedRows ?? 0);
  }

  private async saveChunkSqlite(chunk: readonly PetRecord[], nowMs: number): Promise<number> {
    return this.batch.transaction().execute(async (trx) => {
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
