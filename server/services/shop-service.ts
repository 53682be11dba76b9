/**
 * The shop: prices (per stage of the player's most grown pet, the player's price-experiment
 * variant, the best running promotion) and purchases with coins. A purchase moves the coins
 * and grants the items in one database transaction, keyed by the client's Idempotency-Key:
 * a replay returns the first purchase and changes nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ITEMS, STAGES, type ItemDef, type ItemId, type ItemKind } from '../../shared/balance.js';
import type { PromotionDto, PurchaseDto, PurchaseResultDto, ShopDto } from '../../shared/dto.js';
import { AppError } from '../../shared/errors.js';
import {
  PRICE_EXPERIMENT,
  SHOP_ITEMS,
  STARS_PRODUCTS,
  isUnique,
  priceOf,
  priceVariantFor,
  shopItem,
  type Discount,
  type Price,
  type ShopItemDef,
} from '../../shared/shop.js';
import type { Database } from '../db/schema.js';
import { grantItemReturning } from '../repositories/inventory-repository.js';
import { SYSTEM_ACCOUNTS, walletAccount, type LedgerRepository } from '../repositories/ledger-repository.js';
import type { PromotionRow, PurchaseRow, ShopRepository } from '../repositories/shop-repository.js';
import { appendEvents } from '../repositories/events-repository.js';
import type { InventoryService } from './inventory-service.js';

/** What a client may send as Idempotency-Key. */
const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
/** Promotions are read at most this often (they change by admin action, rarely). */
const PROMOTIONS_TTL_MS = 10_000;

interface ShopServiceDeps {
  db: Kysely<Database>;
  shop: ShopRepository;
  ledger: LedgerRepository;
  inventory: InventoryService;
  now?: () => number;
}

function toPromotionDto(p: PromotionRow): PromotionDto {
  return {
    id: p.id,
    title: p.title,
    discountPercent: p.discount_percent,
    itemId: (p.item_id as ItemId | null) ?? null,
    kind: (p.kind_filter as ItemKind | null) ?? null,
    startsAt: new Date(p.starts_at).toISOString(),
    endsAt: new Date(p.ends_at).toISOString(),
  };
}

function toPurchaseDto(row: PurchaseRow): PurchaseDto {
  return {
    id: row.id,
    itemId: row.item_id as ItemId,
    quantity: row.quantity,
    unitPrice: row.unit_price,
    totalPrice: row.total_price,
    currency: 'coins',
    promotionId: row.promotion_id,
    discountPercent: row.discount_percent,
    experimentId: row.experiment_id,
    variant: row.variant,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export class ShopService {
  private promotions: { at: number; rows: PromotionRow[] } | null = null;

  constructor(private readonly deps: ShopServiceDeps) {}

  private get nowMs(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** Running promotions, cached briefly. */
  async activePromotions(): Promise<PromotionRow[]> {
    const now = this.nowMs;
    const cached = this.promotions;
    if (cached && now - cached.at < PROMOTIONS_TTL_MS && cached.rows.every((p) => p.ends_at > now)) {
      return cached.rows.filter((p) => p.starts_at <= now);
    }
    const rows = await this.deps.shop.activePromotions(now);
    this.promotions = { at: now, rows };
    return rows;
  }

  /** Forget cached promotions (after an edit). */
  invalidatePromotions(): void {
    this.promotions = null;
  }

  private discountsFor(itemId: ItemId, promotions: readonly PromotionRow[]): Discount[] {
    const def: ItemDef = ITEMS[itemId];
    return promotions
      .filter((p) => p.item_id === itemId || p.kind_filter === def.kind)
      .map((p) => ({ promotionId: p.id, percent: p.discount_percent }));
  }

  private async priceFor(playerId: string, item: ShopItemDef): Promise<{ price: Price; stage: number; variant: string }> {
    const [stage, promotions] = await Promise.all([this.deps.shop.highestStage(playerId), this.activePromotions()]);
    const variant = priceVariantFor(playerId);
    return { price: priceOf(item, stage, variant, this.discountsFor(item.itemId, promotions)), stage, variant: variant.id };
  }

  async catalog(playerId: string): Promise<ShopDto> {
    const [stage, promotions, holdings] = await Promise.all([
      this.deps.shop.highestStage(playerId),
      this.activePromotions(),
      this.deps.inventory.holdings(playerId),
    ]);
    const variant = priceVariantFor(playerId);
    return {
      stage: STAGES[stage] ?? 'egg',
      experimentId: PRICE_EXPERIMENT.id,
      variant: variant.id,
      balances: { coins: holdings.coins, debt: holdings.debt },
      items: SHOP_ITEMS.map((item) => {
        const price = priceOf(item, stage, variant, this.discountsFor(item.itemId, promotions));
        const def: ItemDef = ITEMS[item.itemId];
        return {
          itemId: item.itemId,
          kind: def.kind,
          rarity: def.rarity ?? null,
          unitPrice: price.unit,
          basePrice: price.base,
          promotionId: price.discount?.promotionId ?? null,
          discountPercent: price.discount?.percent ?? 0,
          maxPerPurchase: item.maxPerPurchase,
          owned: holdings.items[item.itemId] ?? 0,
        };
      }),
      starsProducts: STARS_PRODUCTS.map((p) => {
        const items = Object.entries(p.grants.items ?? {}).map(([itemId, quantity]) => ({ itemId: itemId as ItemId, quantity: quantity ?? 0 }));
        return {
          productId: p.productId,
          stars: p.stars,
          coins: p.grants.coins ?? 0,
          items,
          owned: items.some((i) => isUnique(i.itemId) && (holdings.items[i.itemId] ?? 0) > 0),
        };
      }),
      promotions: promotions.map(toPromotionDto),
    };
  }

  /**
   * Buys `quantity` of `itemId` with coins. `clientKey` is the request's Idempotency-Key:
   * the same key again returns the first purchase (and changes nothing); the same key with a
   * different item or quantity is refused with IDEMPOTENCY_KEY_REUSED.
   */
  async purchase(playerId: string, itemId: string, quantity: number, clientKey: string | undefined): Promise<PurchaseResultDto> {
    if (clientKey === undefined || !IDEMPOTENCY_KEY_PATTERN.test(clientKey)) throw new AppError('IDEMPOTENCY_KEY_REQUIRED');
    const item = shopItem(itemId);
    if (!item) throw new AppError('ITEM_NOT_FOR_SALE', undefined, { itemId });
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > item.maxPerPurchase) {
      throw new AppError('VALIDATION_FAILED', `quantity must be 1-${item.maxPerPurchase} for ${itemId}`);
    }
    const idempotencyKey = `purchase:${playerId}:${clientKey}`;
    const requestHash = createHash('sha1').update(`${itemId}x${quantity}`).digest('base64url');

    // A replay needs no pricing: answer it from what the first request stored.
    const earlier = await this.deps.ledger.findByKey(this.deps.db, idempotencyKey);
    if (earlier) {
      if (earlier.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
      return this.replay(playerId, earlier.id);
    }

    const { price, stage, variant } = await this.priceFor(playerId, item);
    const total = price.unit * quantity;
    const nowMs = this.nowMs;
    const outcome = await this.deps.db.transaction().execute(async (trx) => {
      const posted = await this.deps.ledger.post(trx, {
        idempotencyKey,
        reason: 'shop_purchase',
        playerId,
        requestHash,
        meta: { itemId, quantity },
        postings: [
          { accountId: walletAccount(playerId), amount: -total },
          { accountId: SYSTEM_ACCOUNTS.shop, amount: total },
        ],
        nowMs,
      });
      if (!posted.applied) return { replayed: true, transactionId: posted.transactionId } as const;
      const held = await grantItemReturning(trx, playerId, item.itemId, quantity, nowMs, isUnique(item.itemId));
      if (held === null) throw new AppError('ALREADY_OWNED', undefined, { itemId });
      const row: PurchaseRow = {
        id: randomUUID(),
        player_id: playerId,
        transaction_id: posted.transactionId,
        item_id: item.itemId,
        quantity,
        unit_price: price.unit,
        total_price: total,
        currency: 'coins',
        pet_stage: stage,
        promotion_id: price.discount?.promotionId ?? null,
        discount_percent: price.discount?.percent ?? 0,
        experiment_id: PRICE_EXPERIMENT.id,
        variant,
        quantity_after: held,
        created_at: nowMs,
      };
      await this.deps.shop.insertPurchase(trx, row);
      await appendEvents(trx, [
        {
          kind: 'purchase',
          playerId,
          at: nowMs,
          payload: { purchaseId: row.id, itemId: row.item_id, quantity, coins: total, promotionId: row.promotion_id, variant },
        },
      ]);
      const coins = posted.entries.find((e) => e.accountId === walletAccount(playerId))?.balanceAfter ?? 0;
      return { replayed: false, row, coins } as const;
    });
    // A concurrent request with the same key won the race: answer with its purchase.
    if (outcome.replayed) return this.replay(playerId, outcome.transactionId);

    this.deps.inventory.changed(playerId);
    const holdings = await this.deps.inventory.list(playerId);
    return { purchase: toPurchaseDto(outcome.row), balances: { coins: outcome.coins, debt: holdings.debt }, inventory: holdings, replayed: false };
  }

  private async replay(playerId: string, transactionId: string): Promise<PurchaseResultDto> {
    const [row, entries, holdings] = await Promise.all([
      this.deps.shop.purchaseByTransaction(this.deps.db, transactionId),
      this.deps.ledger.entries(this.deps.db, transactionId),
      this.deps.inventory.list(playerId),
    ]);
    if (!row) throw new Error(`purchase transaction ${transactionId} has no purchase row`);
    const coins = entries.find((e) => e.accountId === walletAccount(playerId))?.balanceAfter ?? 0;
    return { purchase: toPurchaseDto(row), balances: { coins, debt: holdings.debt }, inventory: holdings, replayed: true };
  }
}
