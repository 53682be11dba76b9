/** My coins and items as the bag, the HUD and the shop read them, from the room or from REST. */
import { ITEM_IDS, type ItemId } from '../../../../shared/balance.js';
import type { InventoryDto } from '../../../../shared/dto.js';
import type { Holdings } from './bag-panel.js';

export function holdingsOf(coins: number, items: Partial<Record<ItemId, number>>): Holdings {
  return {
    coins,
    items: Object.fromEntries(ITEM_IDS.map((itemId) => [itemId, items[itemId] ?? 0])) as Record<ItemId, number>,
  };
}

export function holdingsFromDto(dto: InventoryDto): Holdings {
  const items: Partial<Record<ItemId, number>> = {};
  for (const item of dto.items) items[item.itemId] = (items[item.itemId] ?? 0) + item.quantity;
  return holdingsOf(dto.coins, items);
}
