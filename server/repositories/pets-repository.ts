import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { CareAction } from '../../shared/balance.js';
import type { PetUtcOffset } from '../../sim/index.js';
import type { Dialect } from '../db/database.js';
import type { Database, PetsTable } from '../db/schema.js';
import { petOffsetColumns } from '../sim-host/pet-rows.js';
import { consumeItem, grantItems } from './inventory-repository.js';
import { appendEvents } from './events-repository.js';
import { recordPetFacts, type PetFact } from './pet-events-repository.js';

/** What storing a care with its item came to. */
type CareWrite = 'stored' | 'item_missing' | 'stale' | 'fenced';

/** Rolls the care transaction back when the pet's stored snapshot is newer than the care's. */
class StaleSnapshot extends Error {}

/** Rolls the care transaction back when another process took the owner (a newer writer fence). */
class FencedWrite extends Error {}

/**
 * A stored pet as the server uses it. The writer fence is not part of it: it belongs to the
 * owner as a process loaded them (the sim host's owner entry), not to the pet's values.
 */
export type PetRow = Omit<Selectable<PetsTable>, 'writer_fence'>;

/** What a batch of snapshot writes came to. */
export interface SnapshotWrite {
  /** Rows written. */
  written: number;
  /** Ids of pets whose write was refused because a newer writer fence is stored. */
  fenced: string[];
}

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
   * `alongside` runs in the same transaction after the pet is stored and before the items are
   * granted (a referral's reward: ledger accounts before inventory rows); its result comes back
   * with `inserted` (undefined when nothing was inserted).
   */
  async insertWithinLimit<T = undefined>(
    row: PetRow,
    maxPets: number,
    items: Readonly<Record<string, number>> = {},
    alongside?: (trx: Transaction<Database>) => Promise<T>,
  ): Promise<{ inserted: boolean; alongside: T | undefined }> {
    return this.db.transaction().execute(async (trx) => {
      if (this.dialect === 'postgres') {
        await trx.selectFrom('players').select('id').where('id', '=', row.owner_id).forUpdate().execute();
      }
      const count = await trx
        .selectFrom('pets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('owner_id', '=', row.owner_id)
        .executeTakeFirstOrThrow();
      if (Number(count.n) >= maxPets) return { inserted: false, alongside: undefined };
      await trx.insertInto('pets').values(row).execute();
      const extra = alongside ? await alongside(trx) : undefined;
      await grantItems(trx, row.owner_id, items, row.created_at);
      await appendEvents(trx, [{ kind: 'adopt', playerId: row.owner_id, at: row.created_at, payload: { petId: row.id, species: row.species } }]);
      return { inserted: true, alongside: extra };
    });
  }

  async setSkin(petId: string, skin: string, nowMs: number): Promise<void> {
    await this.db.updateTable('pets').set({ skin, updated_at: nowMs }).where('id', '=', petId).execute();
  }

  /** Renames a pet; `db` may be the transaction that audits it. */
  async setName(petId: string, name: string, nowMs: number, db: Kysely<Database> = this.db): Promise<void> {
    await db.updateTable('pets').set({ name, updated_at: nowMs }).where('id', '=', petId).execute();
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
   * Makes the caller the one writer of the owner's pets, in one transaction: takes the next
   * fence of the player and stamps it on their pets. Stamping row-locks the pets, so a write
   * of the previous writer under way finishes first and every later one carries an older
   * fence and is refused. 0 (nothing stamped) when there is no such player.
   */
  async takeWriterFence(ownerId: string): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('players')
        .set((eb) => ({ sim_fence: eb('sim_fence', '+', 1) }))
        .where('id', '=', ownerId)
        .returning('sim_fence')
        .executeTakeFirst();
      if (!row) return 0;
      const fence = Number(row.sim_fence);
      await trx.updateTable('pets').set({ writer_fence: fence }).where('owner_id', '=', ownerId).execute();
      return fence;
    });
  }

  /**
   * Spends one `itemId` of `playerId` and stores the pet's snapshot with the care it paid for,
   * in one transaction: after a crash at any moment either both are there or neither. The
   * pet's life events not written yet (`life.facts`) are stored with it, ahead of the care's
   * event, and a care that cures the pet (`life.cured`) appends a `sickness` event after it.
   * 'item_missing' (nothing written) when the player holds none; 'stale' (nothing written)
   * when the stored snapshot is already newer than `snapshot`; 'fenced' (nothing written)
   * when `writerFence` is given and another process has taken the owner since (a newer fence).
   */
  async saveCare(
    playerId: string,
    action: CareAction,
    itemId: string,
    snapshot: PetRecord,
    nowMs: number,
    writerFence?: number,
    life: { facts: readonly PetFact[]; cured: boolean } = { facts: [], cured: false },
  ): Promise<CareWrite> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        if (!(await consumeItem(trx, playerId, itemId, nowMs))) return 'item_missing' as const;
        await recordPetFacts(trx, life.facts);
        const petId = snapshot.id;
        await appendEvents(trx, [
          { kind: 'care', playerId, at: nowMs, payload: { petId, action, itemId } },
          ...(life.cured ? [{ kind: 'sickness', playerId, at: nowMs, payload: { petId, sick: false } } as const] : []),
        ]);
        const { id, ...values } = snapshot;
        let update = trx
          .updateTable('pets')
          .set(writerFence === undefined ? { ...values, updated_at: nowMs } : { ...values, writer_fence: writerFence, updated_at: nowMs })
          .where('id', '=', id)
          .where('owner_id', '=', playerId)
          .where('last_snapshot_at', '<=', snapshot.last_snapshot_at);
        if (writerFence !== undefined) update = update.where('writer_fence', '<=', writerFence);
        const result = await update.executeTakeFirst();
        if (Number(result.numUpdatedRows) === 1) return 'stored' as const;
        if (writerFence !== undefined) {
          const stored = await trx.selectFrom('pets').select('writer_fence').where('id', '=', id).executeTakeFirst();
          if (stored && Number(stored.writer_fence) > writerFence) throw new FencedWrite();
        }
        throw new StaleSnapshot();
      });
    } catch (err) {
      if (err instanceof StaleSnapshot) return 'stale';
      if (err instanceof FencedWrite) return 'fenced';
      throw err;
    }
  }

  /**
   * Writes many snapshots in few round trips; the number of rows written. A row is only
   * overwritten by a snapshot that is not older than the stored one, so an out-of-order flush
   * can never move a pet back in time. With `fences` (one per snapshot: the writer fence its
   * owner was loaded with) a row is only overwritten by the writer holding the newest fence.
   */
  async saveSnapshots(snapshots: readonly PetRecord[], nowMs: number, fences?: readonly number[]): Promise<number> {
    return (await this.writeSnapshots(snapshots, nowMs, fences)).written;
  }

  /** `saveSnapshots`, also telling which pets a newer writer fence refused. */
  async writeSnapshots(snapshots: readonly PetRecord[], nowMs: number, fences?: readonly number[]): Promise<SnapshotWrite> {
    if (fences && fences.length !== snapshots.length) throw new Error('one writer fence per snapshot');
    const total: SnapshotWrite = { written: 0, fenced: [] };
    if (this.dialect === 'sqlite') {
      for (let i = 0; i < snapshots.length; i += SNAPSHOT_CHUNK) {
        const done = await this.saveChunkSqlite(snapshots.slice(i, i + SNAPSHOT_CHUNK), fences?.slice(i, i + SNAPSHOT_CHUNK), nowMs);
        total.written += done.written;
        total.fenced.push(...done.fenced);
      }
      return total;
    }
    // Postgres: chunks go out on separate pool connections while the next one is being
    // built, so building parameters here overlaps with the database applying the last chunk.
    const running: Array<Promise<SnapshotWrite>> = [];
    for (let i = 0; i < snapshots.length; i += SNAPSHOT_CHUNK) {
      const chunk = this.saveChunkPostgres(snapshots.slice(i, i + SNAPSHOT_CHUNK), fences?.slice(i, i + SNAPSHOT_CHUNK), nowMs);
      // Observed right away so a failing chunk is not an unhandled rejection while the
      // next one is built; Promise.all below still reports it.
      chunk.catch(() => undefined);
      running.push(chunk);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    for (const done of await Promise.all(running)) {
      total.written += done.written;
      total.fenced.push(...done.fenced);
    }
    return total;
  }

  private async saveChunkPostgres(chunk: readonly PetRecord[], fences: readonly number[] | undefined, nowMs: number): Promise<SnapshotWrite> {
    // Array literals are built here rather than by the driver: for 100k rows that is several
    // times cheaper than pg's generic array serialisation.
    const num = (key: Exclude<keyof PetRecord, 'id' | 'cooldowns'>) => numberArray(chunk.map((s) => s[key]));
    const text = (key: 'id' | 'cooldowns') => textArray(chunk.map((s) => s[key]));
    // No fences (tools, benchmarks): nulls, which the fence check lets through.
    const fenceArray = fences ? numberArray(fences) : `{${chunk.map(() => 'NULL').join(',')}}`;
    const result = await sql`
      update pets as p set
        stage = v.stage, hunger = v.hunger, mood = v.mood, cleanliness = v.cleanliness, health = v.health,
        sick = v.sick, age_seconds = v.age_seconds, stage_seconds = v.stage_seconds,
        feed_count = v.feed_count, play_count = v.play_count, clean_count = v.clean_count,
        heal_count = v.heal_count, overfeed_count = v.overfeed_count, cooldowns = v.cooldowns,
        care_mistakes = v.care_mistakes, care_bonus = v.care_bonus, hunger_critical_s = v.hunger_critical_s,
        mood_critical_s = v.mood_critical_s, cleanliness_critical_s = v.cleanliness_critical_s,
        good_care_s = v.good_care_s, adult_form = v.adult_form, awake_until = v.awake_until,
        last_snapshot_at = v.last_snapshot_at, writer_fence = coalesce(v.writer_fence, p.writer_fence),
        updated_at = ${nowMs}
      from unnest(
        ${text('id')}::text[], ${num('stage')}::int[], ${num('hunger')}::float8[], ${num('mood')}::float8[],
        ${num('cleanliness')}::float8[], ${num('health')}::float8[], ${num('sick')}::int[],
        ${num('age_seconds')}::float8[], ${num('stage_seconds')}::float8[], ${num('feed_count')}::int[],
        ${num('play_count')}::int[], ${num('clean_count')}::int[], ${num('heal_count')}::int[],
        ${num('overfeed_count')}::int[], ${text('cooldowns')}::text[], ${num('care_mistakes')}::int[],
        ${num('care_bonus')}::int[], ${num('hunger_critical_s')}::float8[], ${num('mood_critical_s')}::float8[],
        ${num('cleanliness_critical_s')}::float8[], ${num('good_care_s')}::float8[], ${num('adult_form')}::int[],
        ${num('awake_until')}::float8[], ${num('last_snapshot_at')}::int8[], ${fenceArray}::int8[]
      ) as v(id, stage, hunger, mood, cleanliness, health, sick, age_seconds, stage_seconds, feed_count,
             play_count, clean_count, heal_count, overfeed_count, cooldowns, care_mistakes, care_bonus,
             hunger_critical_s, mood_critical_s, cleanliness_critical_s, good_care_s, adult_form, awake_until,
             last_snapshot_at, writer_fence)
      where p.id = v.id and p.last_snapshot_at <= v.last_snapshot_at
        and (v.writer_fence is null or p.writer_fence <= v.writer_fence)
    `.execute(this.batch);
    const written = Number(result.numAffectedRows ?? 0);
    if (!fences || written === chunk.length) return { written, fenced: [] };
    // Some rows were refused: by the snapshot time or by a newer fence. Only then is it worth
    // a second (cheap) look; a fence newer than ours means the owner is someone else's now.
    const refused = await sql<{ id: string }>`
      select p.id from unnest(${text('id')}::text[], ${fenceArray}::int8[]) as v(id, writer_fence)
      join pets p on p.id = v.id
      where p.writer_fence > v.writer_fence
    `.execute(this.batch);
    return { written, fenced: refused.rows.map((r) => r.id) };
  }

  private async saveChunkSqlite(chunk: readonly PetRecord[], fences: readonly number[] | undefined, nowMs: number): Promise<SnapshotWrite> {
    return this.batch.transaction().execute(async (trx) => {
      const done: SnapshotWrite = { written: 0, fenced: [] };
      for (let i = 0; i < chunk.length; i++) {
        const s = chunk[i] as PetRecord;
        const fence = fences?.[i];
        const { id, ...values } = s;
        let update = trx
          .updateTable('pets')
          .set(fence === undefined ? { ...values, updated_at: nowMs } : { ...values, writer_fence: fence, updated_at: nowMs })
          .where('id', '=', id)
          .where('last_snapshot_at', '<=', s.last_snapshot_at);
        if (fence !== undefined) update = update.where('writer_fence', '<=', fence);
        const written = Number((await update.executeTakeFirst()).numUpdatedRows);
        done.written += written;
        if (written === 0 && fence !== undefined) {
          const stored = await trx.selectFrom('pets').select('writer_fence').where('id', '=', id).executeTakeFirst();
          if (stored && Number(stored.writer_fence) > fence) done.fenced.push(id);
        }
      }
      return done;
    });
  }
}
