import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, StarOrdersTable, StarPaymentsTable } from '../db/schema.js';
import type { Dialect } from '../db/database.js';
import type { Executor } from './ledger-repository.js';

export type StarOrderRow = Selectable<StarOrdersTable>;
export type StarPaymentRow = Selectable<StarPaymentsTable>;

export class StarsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async insertOrder(row: StarOrderRow): Promise<void> {
    await this.db.insertInto('star_orders').values(row).execute();
  }

  async setInvoiceLink(orderId: string, link: string): Promise<void> {
    await this.db.updateTable('star_orders').set({ invoice_link: link }).where('id', '=', orderId).execute();
  }

  findOrder(orderId: string): Promise<StarOrderRow | undefined> {
    return this.db.selectFrom('star_orders').selectAll().where('id', '=', orderId).executeTakeFirst();
  }

  /** The order an invoice payload belongs to; locked on Postgres when inside a transaction. */
  async orderByPayload(db: Executor, payload: string, lock = false): Promise<StarOrderRow | undefined> {
    let query = db.selectFrom('star_orders').selectAll().where('payload', '=', payload);
    if (lock && this.dialect === 'postgres') query = query.forUpdate();
    return query.executeTakeFirst();
  }

  /** pending → paid; false when the order was not pending. */
  async markPaid(trx: Transaction<Database>, orderId: string, chargeId: string, atMs: number): Promise<boolean> {
    const rows = await trx
      .updateTable('star_orders')
      .set({ status: 'paid', charge_id: chargeId, paid_at: atMs })
      .where('id', '=', orderId)
      .where('status', '=', 'pending')
      .returning('id')
      .execute();
    return rows.length === 1;
  }

  async markOrderRefunded(trx: Transaction<Database>, orderId: string, atMs: number): Promise<void> {
    await trx.updateTable('star_orders').set({ status: 'refunded', refunded_at: atMs }).where('id', '=', orderId).execute();
  }

  /**
   * Records a payment by its Telegram charge id. Returns false when that charge was recorded
   * before: the caller must credit nothing. On Postgres a concurrent insert of the same charge
   * waits for the first transaction and then finds the conflict.
   */
  async insertPayment(trx: Transaction<Database>, row: StarPaymentRow): Promise<boolean> {
    const inserted = await trx
      .insertInto('star_payments')
      .values(row)
      .onConflict((oc) => oc.column('charge_id').doNothing())
      .returning('charge_id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async setPaymentTransaction(trx: Transaction<Database>, chargeId: string, transactionId: string): Promise<void> {
    await trx.updateTable('star_payments').set({ transaction_id: transactionId }).where('charge_id', '=', chargeId).execute();
  }

  async payment(db: Executor, chargeId: string, lock = false): Promise<StarPaymentRow | undefined> {
    let query = db.selectFrom('star_payments').selectAll().where('charge_id', '=', chargeId);
    if (lock && this.dialect === 'postgres') query = query.forUpdate();
    return query.executeTakeFirst();
  }

  async markPaymentRefunded(trx: Transaction<Database>, chargeId: string, refundTransactionId: string, atMs: number): Promise<void> {
    await trx
      .updateTable('star_payments')
      .set({ refunded_at: atMs, refund_transaction_id: refundTransactionId })
      .where('charge_id', '=', chargeId)
      .execute();
  }

  payments(limit: number, playerId?: string): Promise<StarPaymentRow[]> {
    let query = this.db.selectFrom('star_payments').selectAll().orderBy('created_at', 'desc').limit(limit);
    if (playerId) query = query.where('player_id', '=', playerId);
    return query.execute();
  }

  allPayments(): Promise<Array<Pick<StarPaymentRow, 'charge_id' | 'amount' | 'telegram_id' | 'refunded_at' | 'created_at'>>> {
    return this.db.selectFrom('star_payments').select(['charge_id', 'amount', 'telegram_id', 'refunded_at', 'created_at']).execute();
  }

  async transactionMeta(db: Executor, transactionId: string): Promise<Record<string, unknown>> {
    const row = await db.selectFrom('ledger_transactions').select('meta').where('id', '=', transactionId).executeTakeFirst();
    return row ? (JSON.parse(row.meta) as Record<string, unknown>) : {};
  }

  /** The player with a Telegram id, if any. */
  async playerByTelegramId(db: Executor, telegramId: number): Promise<{ id: string; language_code: string } | undefined> {
    return db.selectFrom('players').select(['id', 'language_code']).where('telegram_id', '=', telegramId).executeTakeFirst();
  }

  async walletBalance(trx: Transaction<Database>, accountId: string): Promise<number> {
    let query = trx.selectFrom('ledger_accounts').select('balance').where('id', '=', accountId);
    if (this.dialect === 'postgres') query = query.forUpdate();
    return (await query.executeTakeFirst())?.balance ?? 0;
  }
}
