/** Promotions as the admin panel edits them (the shop reads running ones: ShopRepository). */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { PromotionRow } from './shop-repository.js';

type Executor = Kysely<Database> | Transaction<Database>;

export type PromotionPatch = Partial<Pick<PromotionRow, 'title' | 'item_id' | 'kind_filter' | 'discount_percent' | 'starts_at' | 'ends_at'>>;

export class PromotionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Every promotion, newest first (a few hundred at most: they are made by hand). */
  list(limit: number): Promise<PromotionRow[]> {
    return this.db.selectFrom('promotions').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  }

  /** One promotion; inside a transaction on Postgres it is locked until the edit commits. */
  async find(id: string, db: Executor = this.db, lock = false): Promise<PromotionRow | undefined> {
    let q = db.selectFrom('promotions').selectAll().where('id', '=', id);
    if (lock) q = q.forUpdate();
    return q.executeTakeFirst();
  }

  async insert(row: PromotionRow, db: Executor = this.db): Promise<void> {
    await db.insertInto('promotions').values(row).execute();
  }

  async update(id: string, patch: PromotionPatch, db: Executor = this.db): Promise<void> {
    await db.updateTable('promotions').set(patch).where('id', '=', id).execute();
  }
}
