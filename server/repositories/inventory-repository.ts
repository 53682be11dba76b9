import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

export interface InventoryRow {
  item_id: string;
  quantity: number;
}

/** Adds `items` (item id → quantity) to a player's inventory inside `db` (a transaction or not). */
export async function grantItems(
  db: Kysely<Database> | Transaction<Database>,
  playerId: string,
  items: Readonly<Record<string, number>>,
  nowMs: number,
): Promise<void> {
  const rows = Object.entries(items)
    .filter(([, quantity]) => quantity > 0)
    .map(([item_id, quantity]) => ({ player_id: playerId, item_id, quantity, updated_at: nowMs }));
  if (rows.length === 0) return;
  await db
    .insertInto('inventory')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['player_id', 'item_id']).doUpdateSet((eb) => ({
        quantity: eb('inventory.quantity', '+', eb.ref('excluded.quantity')),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

export class InventoryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(playerId: string): Promise<InventoryRow[]> {
    return this.db
      .selectFrom('inventory')
      .select(['item_id', 'quantity'])
      .where('player_id', '=', playerId)
      .orderBy('item_id')
      .execute();
  }

  /**
   * Takes one of `itemId` if the player has any: a single conditional update, so concurrent
   * uses can never take the count below zero (the CHECK constraint backs it up).
   */
  async consume(playerId: string, itemId: string, nowMs: number): Promise<boolean> {
    const result = await this.db
      .updateTable('inventory')
      .set((eb) => ({ quantity: eb('quantity', '-', 1), updated_at: nowMs }))
      .where('player_id', '=', playerId)
      .where('item_id', '=', itemId)
      .where('quantity', '>', 0)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  grant(playerId: string, items: Readonly<Record<string, number>>, nowMs: number): Promise<void> {
    return grantItems(this.db, playerId, items, nowMs);
  }
}
