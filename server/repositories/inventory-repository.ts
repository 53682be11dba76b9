import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

export interface InventoryRow {
  item_id: string;
  quantity: number;
}

/** A player's inventory rows in item order, read through `db` (a transaction or not). */
export function inventoryRows(db: Kysely<Database> | Transaction<Database>, playerId: string): Promise<InventoryRow[]> {
  return db.selectFrom('inventory').select(['item_id', 'quantity']).where('player_id', '=', playerId).orderBy('item_id').execute();
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

/**
 * Adds `quantity` of one item inside `trx` and returns how many the player holds now. A
 * `unique` item (a skin) is only added when the player holds none: null means already owned.
 * The conflict clause makes concurrent grants of a unique item give it once.
 */
export async function grantItemReturning(
  trx: Transaction<Database>,
  playerId: string,
  itemId: string,
  quantity: number,
  nowMs: number,
  unique = false,
): Promise<number | null> {
  const row = await trx
    .insertInto('inventory')
    .values({ player_id: playerId, item_id: itemId, quantity, updated_at: nowMs })
    .onConflict((oc) => {
      const update = oc.columns(['player_id', 'item_id']).doUpdateSet((eb) => ({
        quantity: eb('inventory.quantity', '+', eb.ref('excluded.quantity')),
        updated_at: eb.ref('excluded.updated_at'),
      }));
      return unique ? update.where('inventory.quantity', '=', 0) : update;
    })
    .returning('quantity')
    .executeTakeFirst();
  return row ? row.quantity : null;
}

/**
 * Takes up to `quantity` of an item back inside `trx` (a refund) and returns how many were
 * taken; the rest was used up already. The row is locked first on Postgres.
 */
export async function revokeItemUpTo(
  trx: Transaction<Database>,
  postgres: boolean,
  playerId: string,
  itemId: string,
  quantity: number,
  nowMs: number,
): Promise<number> {
  let query = trx.selectFrom('inventory').select('quantity').where('player_id', '=', playerId).where('item_id', '=', itemId);
  if (postgres) query = query.forUpdate();
  const held = (await query.executeTakeFirst())?.quantity ?? 0;
  const taken = Math.min(held, quantity);
  if (taken > 0) {
    await trx
      .updateTable('inventory')
      .set({ quantity: held - taken, updated_at: nowMs })
      .where('player_id', '=', playerId)
      .where('item_id', '=', itemId)
      .execute();
  }
  return taken;
}

/**
 * Takes one of `itemId` if the player has any: a single conditional update, so concurrent
 * uses can never take the count below zero (the CHECK constraint backs it up).
 */
export async function consumeItem(db: Kysely<Database> | Transaction<Database>, playerId: string, itemId: string, nowMs: number): Promise<boolean> {
  const result = await db
    .updateTable('inventory')
    .set((eb) => ({ quantity: eb('quantity', '-', 1), updated_at: nowMs }))
    .where('player_id', '=', playerId)
    .where('item_id', '=', itemId)
    .where('quantity', '>', 0)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export class InventoryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(playerId: string): Promise<InventoryRow[]> {
    return inventoryRows(this.db, playerId);
  }

  /** Takes one of `itemId` if the player has any (see `consumeItem`). */
  consume(playerId: string, itemId: string, nowMs: number): Promise<boolean> {
    return consumeItem(this.db, playerId, itemId, nowMs);
  }

  grant(playerId: string, items: Readonly<Record<string, number>>, nowMs: number): Promise<void> {
    return grantItems(this.db, playerId, items, nowMs);
  }
}
