import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, PromotionsTable, PurchasesTable } from '../db/schema.js';
import type { Dialect } from '../db/database.js';
import { PREPARED } from '../db/prepared.js';
import type { InventoryRow } from './inventory-repository.js';
import { SYSTEM_ACCOUNTS, debtAccount, walletAccount } from './ledger-repository.js';

export type PromotionRow = Selectable<PromotionsTable>;
export type PurchaseRow = Selectable<PurchasesTable>;
type Executor = Kysely<Database> | Transaction<Database>;

/** A coin purchase to write, priced for every stage: the stage is read as it is written. */
export interface CoinPurchaseOrder {
  transactionId: string;
  purchaseId: string;
  idempotencyKey: string;
  requestHash: string;
  playerId: string;
  itemId: string;
  quantity: number;
  /** A unique item (a skin) is only granted to a player who holds none. */
  unique: boolean;
  /** One unit's price at each stage; a later stage pays the last. */
  unitPrices: readonly number[];
  promotionId: string | null;
  discountPercent: number;
  experimentId: string;
  variant: string;
  nowMs: number;
}

/** What writing a coin purchase came to. Only `bought` wrote anything the caller may commit. */
export type CoinPurchaseWrite =
  /** The purchase, the wallet right after it, and the debt and items (this item as granted). */
  | { kind: 'bought'; row: PurchaseRow; coins: number; debt: number; items: InventoryRow[] }
  /** The idempotency key was taken (by an earlier or a concurrent request): nothing written. */
  | { kind: 'key_taken' }
  | { kind: 'insufficient_funds'; total: number }
  | { kind: 'already_owned' };

/** The purchase row of `order` once priced at `stage`. */
export function purchaseRowOf(order: CoinPurchaseOrder, stage: number, quantityAfter: number): PurchaseRow {
  const unit = unitPriceAt(order, stage);
  return {
    id: order.purchaseId,
    player_id: order.playerId,
    transaction_id: order.transactionId,
    item_id: order.itemId,
    quantity: order.quantity,
    unit_price: unit,
    total_price: unit * order.quantity,
    currency: 'coins',
    pet_stage: stage,
    promotion_id: order.promotionId,
    discount_percent: order.discountPercent,
    experiment_id: order.experimentId,
    variant: order.variant,
    quantity_after: quantityAfter,
    created_at: order.nowMs,
  };
}

export function unitPriceAt(order: CoinPurchaseOrder, stage: number): number {
  const unit = order.unitPrices[Math.min(Math.max(stage, 0), order.unitPrices.length - 1)];
  if (unit === undefined) throw new Error('a coin purchase needs a price per stage');
  return unit;
}

export class ShopRepository {
  constructor(
    private readonly db: Kysely<Database>,
    readonly dialect: Dialect,
  ) {}

  /** Promotions running at `nowMs` (start inclusive, end exclusive). */
  activePromotions(nowMs: number): Promise<PromotionRow[]> {
    return this.db
      .selectFrom('promotions')
      .selectAll()
      .where('starts_at', '<=', nowMs)
      .where('ends_at', '>', nowMs)
      .orderBy('id')
      .execute();
  }

  /** The stage of the player's most grown pet (egg when there is none). */
  async highestStage(playerId: string, db: Executor = this.db): Promise<number> {
    const row = await db
      .selectFrom('pets')
      .select((eb) => eb.fn.max<number>('stage').as('stage'))
      .where('owner_id', '=', playerId)
      .executeTakeFirst();
    return Number(row?.stage ?? 0);
  }

  /**
   * Postgres only: a coin purchase in one statement inside `trx`, with the rules of
   * `LedgerRepository.post` (the idempotency key claimed first, the wallet debited by a
   * conditional update, entries summing to zero with the balance after each) and of
   * `grantItemReturning`: reads the stage, claims the key, debits the wallet, writes the two
   * entries, grants the item, writes the purchase row, and reads the debt and the other items.
   * Each write runs only if the one before it did, in the lock order of the ledger (wallet,
   * then inventory). `insufficient_funds` and `already_owned` leave the claimed key and
   * whatever followed it: the caller must roll back.
   */
  async writeCoinPurchase(trx: Transaction<Database>, order: CoinPurchaseOrder): Promise<CoinPurchaseWrite> {
    const wallet = walletAccount(order.playerId);
    const last = order.unitPrices.length - 1;
    const meta = JSON.stringify({ itemId: order.itemId, quantity: order.quantity });
    const onConflict = order.unique
      ? sql`do update set quantity = inventory.quantity + excluded.quantity, updated_at = excluded.updated_at where inventory.quantity = 0`
      : sql`do update set quantity = inventory.quantity + excluded.quantity, updated_at = excluded.updated_at`;
    const result = await sql<{
      claimed: string | null;
      stage: number;
      coins: number | null;
      held: number | null;
      debt: number | null;
      items: InventoryRow[];
    }>`${sql.raw(PREPARED)}
      with priced as (
        select stage, unit, unit * ${order.quantity} as total
        from (
          select s.stage, (${sql.val(order.unitPrices)}::int[])[least(greatest(s.stage, 0), ${last}) + 1] as unit
          from (select coalesce(max(stage), 0)::int as stage from pets where owner_id = ${order.playerId}) s
        ) u
      ),
      claimed as (
        insert into ledger_transactions (id, idempotency_key, reason, player_id, request_hash, meta, created_at)
        values (${order.transactionId}, ${order.idempotencyKey}, 'shop_purchase', ${order.playerId}, ${order.requestHash}, ${meta}, ${order.nowMs})
        on conflict (idempotency_key) do nothing
        returning id
      ),
      shop_account as (
        insert into ledger_accounts (id, player_id, currency, kind, balance, created_at)
        values (${SYSTEM_ACCOUNTS.shop}, null, 'coins', 'system', 0, ${order.nowMs})
        on conflict do nothing
      ),
      debited as (
        update ledger_accounts set balance = balance - (select total from priced)
        where id = ${wallet} and balance >= (select total from priced) and exists (select 1 from claimed)
        returning balance
      ),
      entries as (
        insert into ledger_entries (transaction_id, seq, account_id, currency, amount, balance_after)
        select ${order.transactionId}, 0, ${wallet}, 'coins', -p.total, d.balance from debited d, priced p
        union all
        select ${order.transactionId}, 1, ${SYSTEM_ACCOUNTS.shop}, 'coins', p.total, null from debited d, priced p
      ),
      granted as (
        insert into inventory (player_id, item_id, quantity, updated_at)
        select ${order.playerId}, ${order.itemId}, ${order.quantity}, ${order.nowMs} from debited
        on conflict (player_id, item_id) ${onConflict}
        returning quantity
      ),
      bought as (
        insert into purchases (id, player_id, transaction_id, item_id, quantity, unit_price, total_price, currency, pet_stage,
          promotion_id, discount_percent, experiment_id, variant, quantity_after, created_at)
        select ${order.purchaseId}, ${order.playerId}, ${order.transactionId}, ${order.itemId}, ${order.quantity},
          p.unit, p.total, 'coins', p.stage, ${order.promotionId}, ${order.discountPercent},
          ${order.experimentId}, ${order.variant}, g.quantity, ${order.nowMs}
        from priced p, granted g
      )
      select
        (select id from claimed) as claimed,
        (select stage from priced) as stage,
        (select balance from debited) as coins,
        (select quantity from granted) as held,
        (select balance from ledger_accounts where id = ${debtAccount(order.playerId)}) as debt,
        (select coalesce(json_agg(json_build_object('item_id', h.item_id, 'quantity', h.quantity) order by h.item_id), '[]'::json)
          from (
            select item_id, quantity from inventory where player_id = ${order.playerId} and item_id <> ${order.itemId}
            union all
            select ${order.itemId}::text, quantity from granted
          ) h) as items
    `.execute(trx);
    const row = result.rows[0];
    if (!row) throw new Error('a coin purchase statement returned no row');
    if (row.claimed === null) return { kind: 'key_taken' };
    const stage = Number(row.stage);
    if (row.coins === null) return { kind: 'insufficient_funds', total: unitPriceAt(order, stage) * order.quantity };
    if (row.held === null) return { kind: 'already_owned' };
    return {
      kind: 'bought',
      row: purchaseRowOf(order, stage, Number(row.held)),
      coins: Number(row.coins),
      debt: row.debt === null ? 0 : -Number(row.debt),
      items: row.items,
    };
  }

  insertPurchase(trx: Transaction<Database>, row: PurchaseRow): Promise<unknown> {
    return trx.insertInto('purchases').values(row).execute();
  }

  purchaseByTransaction(db: Kysely<Database> | Transaction<Database>, transactionId: string): Promise<PurchaseRow | undefined> {
    return db.selectFrom('purchases').selectAll().where('transaction_id', '=', transactionId).executeTakeFirst();
  }

  recentPurchases(playerId: string, limit: number): Promise<PurchaseRow[]> {
    return this.db
      .selectFrom('purchases')
      .selectAll()
      .where('player_id', '=', playerId)
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
  }

  async countPurchases(playerId: string): Promise<number> {
    const row = await this.db
      .selectFrom('purchases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('player_id', '=', playerId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
