/**
 * The shop: prices (per stage of the player's most grown pet, the player's price-experiment
 * variant, the best running promotion) and purchases with coins. A purchase moves the coins
 * and grants the items in one database transaction, keyed by the client's Idempotency-Key:
 * a replay returns the first purchase and changes nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { ITEMS, STAGES, type ItemDef, type ItemId, type ItemKind } from '../../shared/balance.js';
import type { AdminPromotionPreviewDto, PromotionDto, PurchaseDto, PurchaseResultDto, ShopDto } from '../../shared/dto.js';
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
} from '../../shared/shop.js';
import type { Database } from '../db/schema.js';
import { grantItemReturning, inventoryRows } from '../repositories/inventory-repository.js';
import { InsufficientFundsError, SYSTEM_ACCOUNTS, walletAccount, type LedgerRepository } from '../repositories/ledger-repository.js';
import {
  purchaseRowOf,
  unitPriceAt,
  type CoinPurchaseOrder,
  type CoinPurchaseWrite,
  type PromotionRow,
  type PurchaseRow,
  type ShopRepository,
} from '../repositories/shop-repository.js';
import { appendEvents } from '../repositories/events-repository.js';
import { currentSeason, onSaleAt, seasonOfItem, type SeasonDef } from '../../shared/seasons.js';
import { holdingsOf, inventoryDto, type InventoryService } from './inventory-service.js';

/** What a client may send as Idempotency-Key. */
const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
/**
 * Promotions are read at most this often (they change by admin action, rarely). An admin edit
 * also drops the cache of every process at once (AdminPromotionsService); this bounds a
 * missed invalidation.
 */
export const PROMOTIONS_TTL_MS = 10_000;

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

function seasonDto(season: SeasonDef): ShopDto['season'] {
  return { id: season.id, startsAt: season.startsAt, endsAt: season.endsAt, items: [...season.items] };
}

/** Whether every seasonal item a Stars product grants is in season at `nowMs`. */
export function productOnSale(items: Readonly<Partial<Record<ItemId, number>>> | undefined, nowMs: number): boolean {
  return Object.keys(items ?? {}).every((itemId) => onSaleAt(itemId, nowMs));
}

/** 409 NOT_IN_SEASON for a seasonal item outside its season, with the season's window. */
export function notInSeason(itemId: string): AppError {
  const season = seasonOfItem(itemId);
  const message = season ? `${itemId} is sold only in the season ${season.id}, from ${season.startsAt} until before ${season.endsAt}` : undefined;
  return new AppError('NOT_IN_SEASON', message, { itemId, seasonId: season?.id ?? null, startsAt: season?.startsAt ?? null, endsAt: season?.endsAt ?? null });
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

  /**
   * What a draft promotion would do to the prices players see: for every catalog item it
   * touches, at every stage and in every price-experiment variant, the base price, the price
   * now (with the promotions running now) and with the draft added to them (the best one
   * applies, as in `catalog`). `replacing` (an edit) is left out of the running ones.
   */
  async previewPrices(draft: Pick<PromotionRow, 'id' | 'item_id' | 'kind_filter' | 'discount_percent'>, replacing?: string): Promise<AdminPromotionPreviewDto> {
    const running = (await this.deps.shop.activePromotions(this.nowMs)).filter((p) => p.id !== replacing);
    const draftRow = { ...draft, title: '', starts_at: 0, ends_at: 0, created_at: 0 };
    const items = SHOP_ITEMS.filter((item) => this.discountsFor(item.itemId, [draftRow]).length > 0).map((item) => {
      const now = this.discountsFor(item.itemId, running);
      const withDraft = this.discountsFor(item.itemId, [...running, draftRow]);
      const prices = PRICE_EXPERIMENT.variants.flatMap((variant) =>
        STAGES.map((stageName, stage) => {
          const promoted = priceOf(item, stage, variant, withDraft);
          return {
            variant: variant.id,
            stage: stageName,
            basePrice: promoted.base,
            currentPrice: priceOf(item, stage, variant, now).unit,
            promotedPrice: promoted.unit,
            draftApplies: promoted.discount?.promotionId === draft.id,
          };
        }),
      );
      return { itemId: item.itemId, kind: ITEMS[item.itemId].kind, prices };
    });
    return { experimentId: PRICE_EXPERIMENT.id, items };
  }

  async catalog(playerId: string): Promise<ShopDto> {
    // One instant for the whole answer: what is in season and the banner agree.
    const nowMs = this.nowMs;
    const season = currentSeason(nowMs);
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
      // Seasonal items are listed only while their season runs.
      items: SHOP_ITEMS.filter((item) => onSaleAt(item.itemId, nowMs)).map((item) => {
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
          seasonId: seasonOfItem(item.itemId)?.id ?? null,
        };
      }),
      starsProducts: STARS_PRODUCTS.filter((p) => productOnSale(p.grants.items, nowMs)).map((p) => {
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
      season: season ? seasonDto(season) : null,
      serverTime: new Date(nowMs).toISOString(),
    };
  }

  /**
   * Buys `quantity` of `itemId` with coins. `clientKey` is the request's Idempotency-Key:
   * the same key again returns the first purchase (and changes nothing); the same key with a
   * different item or quantity is refused with IDEMPOTENCY_KEY_REUSED.
   *
   * One database transaction claims the key, prices the item at the stage read in it, moves
   * the coins, grants the item, writes the purchase row and its event, and reads the holdings
   * for the answer: on Postgres that is BEGIN, one statement, the event, COMMIT.
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
    // The server's clock decides the season, once: the same instant prices and stamps the purchase.
    const nowMs = this.nowMs;
    if (!onSaleAt(item.itemId, nowMs)) {
      // A replay of a purchase made in season still answers with that purchase.
      const first = await this.deps.ledger.findByKey(this.deps.db, idempotencyKey);
      if (first?.requestHash === requestHash) return this.replay(playerId, first.id);
      throw notInSeason(item.itemId);
    }

    // Priced for every stage here; the stage itself is read in the transaction.
    const variant = priceVariantFor(playerId);
    const discounts = this.discountsFor(item.itemId, await this.activePromotions());
    const prices = STAGES.map((_, stage) => priceOf(item, stage, variant, discounts));
    // The best promotion is the same at every stage.
    const discount = prices[0]?.discount ?? null;
    const order: CoinPurchaseOrder = {
      transactionId: randomUUID(),
      purchaseId: randomUUID(),
      idempotencyKey,
      requestHash,
      playerId,
      itemId: item.itemId,
      quantity,
      unique: isUnique(item.itemId),
      unitPrices: prices.map((p) => p.unit),
      promotionId: discount?.promotionId ?? null,
      discountPercent: discount?.percent ?? 0,
      experimentId: PRICE_EXPERIMENT.id,
      variant: variant.id,
      nowMs,
    };
    const written = await this.deps.db.transaction().execute(async (trx) => {
      const write = this.deps.shop.dialect === 'postgres' ? await this.deps.shop.writeCoinPurchase(trx, order) : await this.writeStepByStep(trx, order);
      // Thrown here, so the transaction rolls back what the write claimed.
      if (write.kind === 'insufficient_funds') throw new InsufficientFundsError(walletAccount(playerId), write.total);
      if (write.kind === 'already_owned') throw new AppError('ALREADY_OWNED', undefined, { itemId });
      if (write.kind === 'bought') {
        const { row } = write;
        await appendEvents(trx, [
          {
            kind: 'purchase',
            playerId,
            at: row.created_at,
            payload: { purchaseId: row.id, itemId: row.item_id, quantity, coins: row.total_price, promotionId: row.promotion_id, variant: row.variant },
          },
        ]);
      }
      return write;
    });
    // The key was used before, or by a concurrent request that won the race: answer with its purchase.
    if (written.kind !== 'bought') {
      const first = await this.deps.ledger.findByKey(this.deps.db, idempotencyKey);
      if (!first) throw new Error(`idempotency key ${idempotencyKey} was taken but is not visible`);
      if (first.requestHash !== requestHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
      return this.replay(playerId, first.id);
    }

    // The Postgres write is one statement beside LedgerRepository.post: count it here, committed.
    if (this.deps.shop.dialect === 'postgres') {
      const total = written.row.total_price;
      this.deps.ledger.observe('shop_purchase', [
        { accountId: walletAccount(playerId), amount: -total },
        { accountId: SYSTEM_ACCOUNTS.shop, amount: total },
      ]);
    }
    this.deps.inventory.changed(playerId);
    const inventory = inventoryDto({ coins: written.coins, debt: written.debt, items: holdingsOf(written.items) });
    return { purchase: toPurchaseDto(written.row), balances: { coins: written.coins, debt: written.debt }, inventory, replayed: false };
  }

  /**
   * SQLite (one writer, statements in process: round trips cost little): the purchase as the
   * ledger, the inventory and the shop write it step by step.
   */
  private async writeStepByStep(trx: Transaction<Database>, order: CoinPurchaseOrder): Promise<CoinPurchaseWrite> {
    const stage = await this.deps.shop.highestStage(order.playerId, trx);
    const total = unitPriceAt(order, stage) * order.quantity;
    const posted = await this.deps.ledger.post(trx, {
      idempotencyKey: order.idempotencyKey,
      reason: 'shop_purchase',
      playerId: order.playerId,
      requestHash: order.requestHash,
      meta: { itemId: order.itemId, quantity: order.quantity },
      postings: [
        { accountId: walletAccount(order.playerId), amount: -total },
        { accountId: SYSTEM_ACCOUNTS.shop, amount: total },
      ],
      nowMs: order.nowMs,
    });
    if (!posted.applied) return { kind: 'key_taken' };
    const held = await grantItemReturning(trx, order.playerId, order.itemId, order.quantity, order.nowMs, order.unique);
    if (held === null) return { kind: 'already_owned' };
    const row: PurchaseRow = { ...purchaseRowOf(order, stage, held), transaction_id: posted.transactionId };
    await this.deps.shop.insertPurchase(trx, row);
    const [items, balances] = await Promise.all([inventoryRows(trx, order.playerId), this.deps.ledger.balances(order.playerId, 'coins', trx)]);
    return { kind: 'bought', row, coins: balances.wallet, debt: balances.debt, items };
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
