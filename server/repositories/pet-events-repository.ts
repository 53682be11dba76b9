import type { Insertable, Kysely } from 'kysely';
import type { Database, PetEventsTable } from '../db/schema.js';

export type PetEventRow = Insertable<PetEventsTable>;

/** Facts about pets (stage changes, sickness, adult forms) recorded for progression and images. */
export class PetEventsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Inserts events; one already recorded (a stage reached twice by a replay) is skipped. */
  async insertMany(rows: readonly PetEventRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    let written = 0;
    for (let i = 0; i < rows.length; i += 500) {
      const inserted = await this.db
        .insertInto('pet_events')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .execute();
      written += inserted.length;
    }
    return written;
  }

  list(petId: string, limit = 50) {
    return this.db
      .selectFrom('pet_events')
      .selectAll()
      .where('pet_id', '=', petId)
      .orderBy('game_clock', 'desc')
      .limit(limit)
      .execute();
  }
}
