import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The economy: an append-only double-entry ledger (accounts, transactions, entries), shop
 * purchases, time-windowed promotions, and Telegram Stars orders and payments.
 *
 * Coins move from `players.coins` into the ledger: every player with coins gets a wallet
 * account and an opening transaction from the issuance account, then the column goes.
 * Going down puts each wallet's balance back into the column.
 */

/** The launch promotions. Windows are real time (epoch ms, UTC). */
const SEED_PROMOTIONS = [
  { id: 'launch-food-2026', title: 'Launch week: food', kind_filter: 'food', item_id: null, percent: 20, from: '2026-11-20', to: '2027-01-10' },
  { id: 'winter-skins-2026', title: 'Winter skins', kind_filter: 'skin', item_id: null, percent: 15, from: '2026-12-01', to: '2027-03-01' },
  { id: 'soap-bubbles-2026', title: 'Bubble days', kind_filter: null, item_id: 'bubble_bath', percent: 30, from: '2026-11-25', to: '2026-12-08' },
  { id: 'halloween-2026', title: 'Halloween treats', kind_filter: 'food', item_id: null, percent: 30, from: '2026-10-25', to: '2026-11-02' },
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const now = Date.now();

  await db.schema
    .createTable('ledger_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('player_id', 'text', (c) => c.references('players.id'))
    .addColumn('currency', 'text', (c) => c.notNull())
    // wallet: a player's spendable balance (never below zero); debt: what a player owes after a
    // refund of something already spent (never above zero); system: issuance, shop, Stars.
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('wallet', 'debt', 'system')`))
    .addColumn('balance', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('ledger_accounts_wallet_not_negative', sql`kind <> 'wallet' or balance >= 0`)
    .addCheckConstraint('ledger_accounts_debt_not_positive', sql`kind <> 'debt' or balance <= 0`)
    // System accounts keep no running balance (it is derived from entries): a hot shared row
    // would serialise every purchase in the game.
    .addCheckConstraint('ledger_accounts_system_untracked', sql`kind <> 'system' or balance = 0`)
    .execute();
  await db.schema
    .createIndex('ledger_accounts_player_idx')
    .on('ledger_accounts')
    .columns(['player_id', 'currency', 'kind'])
    .unique()
    .execute();

  await db.schema
    .createTable('ledger_transactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // Applying a request twice is impossible: its key can only be inserted once.
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('player_id', 'text')
    // A hash of what the request asked for: the same key with a different request is refused.
    .addColumn('request_hash', 'text')
    .addColumn('meta', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ledger_transactions_player_idx')
    .on('ledger_transactions')
    .columns(['player_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('ledger_entries')
    .addColumn('transaction_id', 'text', (c) => c.notNull().references('ledger_transactions.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('ledger_accounts.id'))
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('amount', 'integer', (c) => c.notNull().check(sql`amount <> 0`))
    // The account's balance right after this entry (null for system accounts).
    .addColumn('balance_after', 'integer')
    .addPrimaryKeyConstraint('ledger_entries_pk', ['transaction_id', 'seq'])
    .execute();
  await db.schema.createIndex('ledger_entries_account_idx').on('ledger_entries').columns(['account_id']).execute();

  // Append-only: entries and transactions are never changed or removed; corrections are new
  // transactions (refunds reverse entries).
  if (postgres) {
    await sql`
      create function ledger_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'ledger rows are append-only (% on %)', tg_op, tg_table_name;
      end $$`.execute(db);
    for (const table of ['ledger_entries', 'ledger_transactions']) {
      await sql`create trigger ${sql.raw(`${table}_append_only`)} before update or delete on ${sql.table(table)}
        for each row execute function ledger_append_only()`.execute(db);
    }
  } else {
    for (const table of ['ledger_entries', 'ledger_transactions']) {
      for (const op of ['update', 'delete']) {
        await sql`create trigger ${sql.raw(`${table}_no_${op}`)} before ${sql.raw(op)} on ${sql.table(table)}
          begin select raise(abort, 'ledger rows are append-only'); end`.execute(db);
      }
    }
  }

  // Opening balances: what players had in players.coins.
  await sql`insert into ledger_accounts (id, player_id, currency, kind, balance, created_at)
    values ('system:issuance:coins', null, 'coins', 'system', 0, ${now})`.execute(db);
  await sql`insert into ledger_accounts (id, player_id, currency, kind, balance, created_at)
    select 'wallet:' || id || ':coins', id, 'coins', 'wallet', coins, ${now} from players where coins > 0`.execute(db);
  await sql`insert into ledger_transactions (id, idempotency_key, reason, player_id, request_hash, meta, created_at)
    select 'opening:' || id, 'opening:' || id, 'opening_balance', id, null, '{}', ${now} from players where coins > 0`.execute(db);
  await sql`insert into ledger_entries (transaction_id, seq, account_id, currency, amount, balance_after)
    select 'opening:' || id, 0, 'system:issuance:coins', 'coins', -coins, null from players where coins > 0`.execute(db);
  await sql`insert into ledger_entries (transaction_id, seq, account_id, currency, amount, balance_after)
    select 'opening:' || id, 1, 'wallet:' || id || ':coins', 'coins', coins, coins from players where coins > 0`.execute(db);
  await db.schema.alterTable('players').dropColumn('coins').execute();

  await db.schema
    .createTable('purchases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('player_id', 'text', (c) => c.notNull().references('players.id'))
    .addColumn('transaction_id', 'text', (c) => c.notNull().unique().references('ledger_transactions.id'))
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity > 0`))
    .addColumn('unit_price', 'integer', (c) => c.notNull().check(sql`unit_price > 0`))
    .addColumn('total_price', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('pet_stage', 'integer', (c) => c.notNull())
    .addColumn('promotion_id', 'text')
    .addColumn('discount_percent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('experiment_id', 'text', (c) => c.notNull())
    .addColumn('variant', 'text', (c) => c.notNull())
    // How many of the item the player held right after (the replayed response shows it).
    .addColumn('quantity_after', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('purchases_total', sql`total_price = unit_price * quantity`)
    .execute();
  await db.schema.createIndex('purchases_player_idx').on('purchases').columns(['player_id', 'created_at']).execute();

  await db.schema
    .createTable('promotions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    // What it applies to: one item, or every item of a kind (exactly one of the two).
    .addColumn('item_id', 'text')
    .addColumn('kind_filter', 'text')
    .addColumn('discount_percent', 'integer', (c) => c.notNull().check(sql`discount_percent between 1 and 90`))
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('promotions_window', sql`ends_at > starts_at`)
    .addCheckConstraint('promotions_target', sql`(item_id is null) <> (kind_filter is null)`)
    .execute();
  await db.schema.createIndex('promotions_window_idx').on('promotions').columns(['ends_at', 'starts_at']).execute();
  for (const p of SEED_PROMOTIONS) {
    await sql`insert into promotions (id, title, item_id, kind_filter, discount_percent, starts_at, ends_at, created_at)
      values (${p.id}, ${p.title}, ${p.item_id}, ${p.kind_filter}, ${p.percent}, ${Date.parse(`${p.from}T00:00:00Z`)}, ${Date.parse(`${p.to}T00:00:00Z`)}, ${now})`.execute(db);
  }

  await db.schema
    .createTable('star_orders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('player_id', 'text', (c) => c.notNull().references('players.id'))
    .addColumn('telegram_id', 'bigint', (c) => c.notNull())
    .addColumn('product_id', 'text', (c) => c.notNull())
    .addColumn('amount', 'integer', (c) => c.notNull().check(sql`amount > 0`))
    .addColumn('currency', 'text', (c) => c.notNull())
    // The invoice payload: unique, bound to this order (and through it to player and product).
    .addColumn('payload', 'text', (c) => c.notNull().unique())
    .addColumn('invoice_link', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'paid', 'refunded')`))
    .addColumn('experiment_id', 'text', (c) => c.notNull())
    .addColumn('variant', 'text', (c) => c.notNull())
    .addColumn('charge_id', 'text', (c) => c.unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('paid_at', 'bigint')
    .addColumn('refunded_at', 'bigint')
    .execute();
  await db.schema.createIndex('star_orders_player_idx').on('star_orders').columns(['player_id', 'created_at']).execute();

  await db.schema
    .createTable('star_payments')
    // Telegram's id of the charge: a payment is credited once whatever number of deliveries.
    .addColumn('charge_id', 'text', (c) => c.primaryKey())
    .addColumn('provider_charge_id', 'text')
    .addColumn('order_id', 'text', (c) => c.references('star_orders.id'))
    .addColumn('player_id', 'text', (c) => c.references('players.id'))
    .addColumn('telegram_id', 'bigint', (c) => c.notNull())
    .addColumn('amount', 'integer', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('update_id', 'bigint')
    .addColumn('transaction_id', 'text', (c) => c.references('ledger_transactions.id'))
    .addColumn('refund_transaction_id', 'text', (c) => c.references('ledger_transactions.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('refunded_at', 'bigint')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.dropTable('star_payments').execute();
  await db.schema.dropTable('star_orders').execute();
  await db.schema.dropTable('promotions').execute();
  await db.schema.dropTable('purchases').execute();

  await db.schema
    .alterTable('players')
    .addColumn('coins', 'integer', (c) => c.notNull().defaultTo(0).check(sql`coins >= 0`))
    .execute();
  await sql`update players set coins = coalesce((select balance from ledger_accounts a
    where a.player_id = players.id and a.kind = 'wallet' and a.currency = 'coins'), 0)`.execute(db);

  if (postgres) {
    await sql`drop table ledger_entries`.execute(db);
    await sql`drop table ledger_transactions`.execute(db);
    await sql`drop function ledger_append_only()`.execute(db);
  } else {
    await db.schema.dropTable('ledger_entries').execute();
    await db.schema.dropTable('ledger_transactions').execute();
  }
  await db.schema.dropTable('ledger_accounts').execute();
}
