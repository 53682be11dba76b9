import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { appendEvents } from './events-repository.js';

export interface FriendRow {
  id: string;
  first_name: string;
  username: string | null;
  created_at: number;
  pet_count: number;
}

/** Friendships are symmetric and stored as two rows, so every lookup is one index probe. */
export class FriendsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Makes a and b friends; returns false when they already were. */
  async add(a: string, b: string, nowMs: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx
        .insertInto('friendships')
        .values([
          { player_id: a, friend_id: b, created_at: nowMs },
          { player_id: b, friend_id: a, created_at: nowMs },
        ])
        .onConflict((oc) => oc.columns(['player_id', 'friend_id']).doNothing())
        .returning('player_id')
        .execute();
      if (rows.length === 0) return false;
      await appendEvents(trx, [
        { kind: 'friend', playerId: a, at: nowMs, payload: { friendId: b } },
        { kind: 'friend', playerId: b, at: nowMs, payload: { friendId: a } },
      ]);
      return true;
    });
  }

  /** Whether `a` may see `b`'s pets: friends, and `b` is not banned (a banned player's pets are shown to nobody). */
  async areFriends(a: string, b: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('friendships as f')
      .innerJoin('players as p', 'p.id', 'f.friend_id')
      .select('f.player_id')
      .where('f.player_id', '=', a)
      .where('f.friend_id', '=', b)
      .where('p.banned_at', 'is', null)
      .executeTakeFirst();
    return row !== undefined;
  }

  async list(playerId: string): Promise<FriendRow[]> {
    const rows = await this.db
      .selectFrom('friendships as f')
      .innerJoin('players as p', 'p.id', 'f.friend_id')
      .select([
        'p.id as id',
        'p.first_name as first_name',
        'p.username as username',
        'f.created_at as created_at',
        sql<number>`(select count(*) from pets where pets.owner_id = p.id)`.as('pet_count'),
      ])
      .where('f.player_id', '=', playerId)
      .where('p.banned_at', 'is', null)
      .orderBy('f.created_at', 'asc')
      .orderBy('p.id', 'asc')
      .limit(500)
      .execute();
    return rows.map((r) => ({ ...r, pet_count: Number(r.pet_count) }));
  }
}
