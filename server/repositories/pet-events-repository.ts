import type { Insertable, Kysely } from 'kysely';
import type { Database, PetEventsTable } from '../db/schema.js';
import type { GameEvent } from '../events/event-kinds.js';
import { appendEvents, type Executor } from './events-repository.js';

export type PetEventRow = Insertable<PetEventsTable>;

/** A fact about a pet: its `pet_events` row, and the event of the log it makes (under the row's id). */
export interface PetFact {
  row: PetEventRow & { id: string };
  event: GameEvent;
}

/**
 * Inserts facts in the caller's transaction and appends the event of each one inserted. A
 * fact already recorded (the same row again: a retried flush, or a care that stored it
 * first; a stage reached twice by a replay) is skipped with its event. Returns how many
 * were inserted.
 */
export async function recordPetFacts(executor: Executor, facts: readonly PetFact[]): Promise<number> {
  if (facts.length === 0) return 0;
  const inserted = await executor
    .insertInto('pet_events')
    .values(facts.map((f) => f.row))
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .execute();
  const ids = new Set(inserted.map((r) => r.id));
  await appendEvents(
    executor,
    facts.filter((f) => ids.has(f.row.id)).map((f) => ({ ...f.event, id: f.row.id })),
  );
  return inserted.length;
}

/** Facts about pets (stage changes, sickness, adult forms) recorded for progression and images. */
export class PetEventsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records facts (`recordPetFacts`), each chunk with its events in one transaction. */
  async insertMany(facts: readonly PetFact[]): Promise<number> {
    let written = 0;
    for (let i = 0; i < facts.length; i += 500) {
      const chunk = facts.slice(i, i + 500);
      written += await this.db.transaction().execute((trx) => recordPetFacts(trx, chunk));
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
