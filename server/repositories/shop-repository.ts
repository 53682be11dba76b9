import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, PromotionsTable, PurchasesTable } from '../db/schema.js';
import type { Dialect } from '../db/database.js';

export type PromotionRow = Selectable<PromotionsTable>;
export type PurchaseRow = Selectable<PurchasesTable>;

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
  async highestStage(playerId: string): Promise<number> {
    const row = await this.db
      .selectFrom('pets')
      .select((eb) => eb.fn.max<number>('stage').as('stage'))
      .where('owner_id', '=', playerId)
      .executeTakeFirst();
    return Number(row?.stage ?? 0);
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
