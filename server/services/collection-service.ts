/**
 * The collection book (ADR 0017): every skin with whether I own it and how to get it, by
 * rarity and by season, and the sets with their one-time rewards.
 *
 * Owning a skin means holding its skin item (an `inventory` row with quantity > 0), as the
 * shop, Stars and `PATCH /pets/:petId/skin` (migration 0007) read it. A claim pays a set's
 * reward once per player: the ledger's idempotency key `collection:<player>:<set>` is taken
 * first (a concurrent claim waits for it, then finds it taken), the set's skins are read again
 * in the same transaction (locked on Postgres, so a Stars refund cannot take one away
 * between the check and the payment), then the claim row (primary key player and set) and the
 * event are written. A claim that finds the set incomplete or claimed writes nothing.
 */
import type { Kysely, Transaction } from 'kysely';
import { ITEMS, type ItemDef, type ItemId } from '../../shared/balance.js';
import { BOOK_RARITIES, COLLECTION_SETS, SKIN_ITEMS, collectionSet, skinSource, type CollectionSetDef } from '../../shared/collection.js';
import type { CollectionClaimDto, CollectionDto, CollectionSetDto } from '../../shared/dto.js';
import { AppError } from '../../shared/errors.js';
import { SEASONS, seasonStatus } from '../../shared/seasons.js';
import type { Dialect } from '../db/database.js';
import type { Database } from '../db/schema.js';
import { appendEvents } from '../repositories/events-repository.js';
import { walletAccount, type LedgerRepository } from '../repositories/ledger-repository.js';
import type { InventoryService } from './inventory-service.js';

interface CollectionServiceDeps {
  db: Kysely<Database>;
  dialect: Dialect;
  ledger: LedgerRepository;
  inventory: InventoryService;
  now?: () => number;
}

interface ClaimRow {
  set_id: string;
  claimed_at: number;
}

/** The ledger reason of a set's reward (analytics count coins by reason). */
export const COLLECTION_REWARD_REASON = 'collection_reward';

export const claimKey = (playerId: string, setId: string): string => `collection:${playerId}:${setId}`;

function setDto(set: CollectionSetDef, items: Partial<Record<ItemId, number>>, claim: ClaimRow | undefined): CollectionSetDto {
  const owned = set.items.filter((id) => (items[id] ?? 0) > 0).length;
  return {
    id: set.id,
    seasonId: set.seasonId,
    itemIds: [...set.items],
    owned,
    total: set.items.length,
    rewardCoins: set.rewardCoins,
    complete: owned === set.items.length,
    claimed: claim !== undefined,
    claimedAt: claim ? new Date(Number(claim.claimed_at)).toISOString() : null,
  };
}

export class CollectionService {
  constructor(private readonly deps: CollectionServiceDeps) {}

  private get nowMs(): number {
    return (this.deps.now ?? Date.now)();
  }

  private claims(playerId: string, db: Kysely<Database> | Transaction<Database> = this.deps.db): Promise<ClaimRow[]> {
    return db.selectFrom('collection_claims').select(['set_id', 'claimed_at']).where('player_id', '=', playerId).execute();
  }

  /** My collection book now: skins, rarities, seasons and sets. */
  async book(playerId: string): Promise<CollectionDto> {
    const nowMs = this.nowMs;
    const [holdings, claims] = await Promise.all([this.deps.inventory.holdings(playerId), this.claims(playerId)]);
    const claimed = new Map(claims.map((c) => [c.set_id, c]));
    const skins = SKIN_ITEMS.map((s) => ({
      itemId: s.itemId,
      skin: s.skin,
      rarity: s.rarity,
      seasonId: s.seasonId,
      owned: (holdings.items[s.itemId] ?? 0) > 0,
      source: skinSource(s.itemId, nowMs),
    }));
    const isSkin = (id: ItemId): boolean => (ITEMS[id] as ItemDef).kind === 'skin';
    return {
      skins,
      rarities: BOOK_RARITIES.map((rarity) => ({ rarity, itemIds: SKIN_ITEMS.filter((s) => s.rarity === rarity).map((s) => s.itemId) })).filter((r) => r.itemIds.length > 0),
      seasons: SEASONS.map((s) => ({ id: s.id, startsAt: s.startsAt, endsAt: s.endsAt, status: seasonStatus(s, nowMs), itemIds: s.items.filter(isSkin) })),
      sets: COLLECTION_SETS.map((set) => setDto(set, holdings.items, claimed.get(set.id))),
      owned: skins.filter((s) => s.owned).length,
      total: skins.length,
      serverTime: new Date(nowMs).toISOString(),
    };
  }

  /**
   * Pays a complete set's reward, once: again → 409 ALREADY_CLAIMED (also for the losers of
   * concurrent claims); a skin missing → 409 SET_INCOMPLETE; an unknown set → 404
   * SET_NOT_FOUND. Nothing is written unless the reward is paid.
   */
  async claim(playerId: string, setId: string): Promise<CollectionClaimDto> {
    const set = collectionSet(setId);
    if (!set) throw new AppError('SET_NOT_FOUND', undefined, { setId });
    // Cheap refusals first, outside any transaction; the transaction checks both again.
    const [holdings, claims] = await Promise.all([this.deps.inventory.holdings(playerId), this.claims(playerId)]);
    if (claims.some((c) => c.set_id === set.id)) throw new AppError('ALREADY_CLAIMED', undefined, { setId });
    if (set.items.some((id) => (holdings.items[id] ?? 0) <= 0)) throw new AppError('SET_INCOMPLETE', undefined, { setId });

    const nowMs = this.nowMs;
    const { coins, items } = await this.deps.db.transaction().execute(async (trx) => {
      // The key first: a concurrent claim of the same set waits here for this one, then finds it taken.
      const posted = await this.deps.ledger.post(trx, {
        idempotencyKey: claimKey(playerId, set.id),
        reason: COLLECTION_REWARD_REASON,
        playerId,
        meta: { setId: set.id },
        postings: await this.deps.ledger.creditPostings(trx, playerId, set.rewardCoins),
        nowMs,
      });
      if (!posted.applied) throw new AppError('ALREADY_CLAIMED', undefined, { setId });
      // Inventory last (the ledger's lock order): still holding every skin of the set?
      let held = trx
        .selectFrom('inventory')
        .select(['item_id', 'quantity'])
        .where('player_id', '=', playerId)
        .where('item_id', 'in', [...set.items]);
      if (this.deps.dialect === 'postgres') held = held.forShare();
      const rows = await held.execute();
      const now: Partial<Record<ItemId, number>> = Object.fromEntries(rows.map((r) => [r.item_id, r.quantity]));
      if (set.items.some((id) => (now[id] ?? 0) <= 0)) throw new AppError('SET_INCOMPLETE', undefined, { setId });
      await trx
        .insertInto('collection_claims')
        .values({ player_id: playerId, set_id: set.id, transaction_id: posted.transactionId, reward_coins: set.rewardCoins, claimed_at: nowMs })
        .execute();
      await appendEvents(trx, [{ kind: 'collection', playerId, at: nowMs, payload: { setId: set.id, coins: set.rewardCoins, transactionId: posted.transactionId } }]);
      const wallet = posted.entries.find((e) => e.accountId === walletAccount(playerId))?.balanceAfter ?? null;
      return { coins: wallet, items: now };
    });
    this.deps.inventory.changed(playerId);
    const balances = await this.deps.ledger.balances(playerId);
    return {
      set: setDto(set, items, { set_id: set.id, claimed_at: nowMs }),
      rewardCoins: set.rewardCoins,
      balances: { coins: coins ?? balances.wallet, debt: balances.debt },
    };
  }
}
