/**
 * What a player owns: items (consumed by care) and coins (the ledger wallet, and any debt
 * left by a refund). A change is announced on the owner bus (a `holdings` event) so the
 * owner's home room, on whichever process, reads the balances again.
 */
import { ITEMS, isItemId, type ItemId } from '../../shared/balance.js';
import type { InventoryDto } from '../../shared/dto.js';
import type { InventoryRepository, InventoryRow } from '../repositories/inventory-repository.js';
import type { LedgerRepository } from '../repositories/ledger-repository.js';
import type { OwnerBus } from '../bus/owner-bus.js';

export interface Holdings {
  coins: number;
  /** Coins owed after a refund of something already spent; paid back from the next earnings. */
  debt: number;
  items: Partial<Record<ItemId, number>>;
}

/** Items by id from inventory rows (rows of items the game no longer knows are left out). */
export function holdingsOf(rows: readonly InventoryRow[]): Holdings['items'] {
  const items: Partial<Record<ItemId, number>> = {};
  for (const row of rows) if (isItemId(row.item_id)) items[row.item_id] = row.quantity;
  return items;
}

export function inventoryDto({ coins, debt, items }: Holdings): InventoryDto {
  return {
    coins,
    debt,
    items: (Object.keys(items) as ItemId[]).map((itemId) => ({ itemId, kind: ITEMS[itemId].kind, quantity: items[itemId] ?? 0 })),
  };
}

export class InventoryService {
  constructor(
    private readonly deps: { inventory: InventoryRepository; ledger: LedgerRepository; bus: OwnerBus; now?: () => number },
  ) {}

  private get nowMs(): number {
    return (this.deps.now ?? Date.now)();
  }

  async holdings(playerId: string): Promise<Holdings> {
    const [rows, balances] = await Promise.all([this.deps.inventory.list(playerId), this.deps.ledger.balances(playerId)]);
    return { coins: balances.wallet, debt: balances.debt, items: holdingsOf(rows) };
  }

  async list(playerId: string): Promise<InventoryDto> {
    return inventoryDto(await this.holdings(playerId));
  }

  /** Takes one item; false when the player has none (nothing changes then). */
  async consume(playerId: string, itemId: ItemId): Promise<boolean> {
    const taken = await this.deps.inventory.consume(playerId, itemId, this.nowMs);
    if (taken) this.changed(playerId);
    return taken;
  }

  async grant(playerId: string, items: Partial<Record<ItemId, number>>): Promise<void> {
    await this.deps.inventory.grant(playerId, items, this.nowMs);
    this.changed(playerId);
  }

  /** Tells whoever shows the player's coins and items (on any process) that they changed. */
  changed(playerId: string): void {
    this.deps.bus.publish(playerId, { kind: 'holdings' });
  }
}
