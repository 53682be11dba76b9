import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Analytics (docs/events.md, "Analytics"): `analytics_ui_events`, the Mini App's UI events
 * with a keyed hash of the player instead of any id (every other column is an enum), and
 * `analytics_daily`, one row of aggregates per UTC day, recomputed in place. Indexes by time
 * on the tables a day's aggregates and export read.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('analytics_ui_events')
    .addColumn('seq', postgres ? 'bigint' : 'integer', (c) => (postgres ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement()))
    // HMAC-SHA256 of the player id (hex) under ANALYTICS_HASH_KEY.
    .addColumn('player_hash', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('screen', 'text')
    .addColumn('action', 'text')
    .addColumn('game', 'text')
    .addColumn('code', 'text')
    // The player's price-experiment variant when the event arrived.
    .addColumn('variant', 'text', (c) => c.notNull())
    // Server time of arrival (epoch ms): clients' clocks are not trusted.
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('analytics_ui_events_time_idx').on('analytics_ui_events').columns(['created_at', 'seq']).execute();

  await db.schema
    .createTable('analytics_daily')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('dau', 'integer', (c) => c.notNull())
    .addColumn('wau', 'integer', (c) => c.notNull())
    // Players who signed up this day: the cohort of the returns and the funnel.
    .addColumn('new_players', 'integer', (c) => c.notNull())
    .addColumn('d1_returned', 'integer', (c) => c.notNull())
    .addColumn('d7_returned', 'integer', (c) => c.notNull())
    .addColumn('funnel_adopted', 'integer', (c) => c.notNull())
    .addColumn('funnel_cared', 'integer', (c) => c.notNull())
    .addColumn('funnel_minigame', 'integer', (c) => c.notNull())
    .addColumn('funnel_purchased', 'integer', (c) => c.notNull())
    .addColumn('stars_payments', 'integer', (c) => c.notNull())
    .addColumn('stars_payers', 'integer', (c) => c.notNull())
    .addColumn('stars_gross', 'bigint', (c) => c.notNull())
    .addColumn('stars_refunded', 'bigint', (c) => c.notNull())
    .addColumn('coins_earned', 'bigint', (c) => c.notNull())
    .addColumn('coins_spent', 'bigint', (c) => c.notNull())
    // JSON objects: coins by ledger reason, the price experiment by variant, UI events by type.
    .addColumn('faucets', 'text', (c) => c.notNull())
    .addColumn('sinks', 'text', (c) => c.notNull())
    .addColumn('price_experiment', 'text', (c) => c.notNull())
    .addColumn('ui_events', 'text', (c) => c.notNull())
    // 1 once computed after every window the row depends on had ended.
    .addColumn('final', 'integer', (c) => c.notNull().check(sql`final in (0, 1)`))
    .addColumn('computed_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createIndex('analytics_events_time_idx').on('events').columns(['created_at', 'seq']).execute();
  await db.schema.createIndex('analytics_players_created_idx').on('players').columns(['created_at']).execute();
  await db.schema.createIndex('analytics_ledger_tx_created_idx').on('ledger_transactions').columns(['created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('analytics_ledger_tx_created_idx').execute();
  await db.schema.dropIndex('analytics_players_created_idx').execute();
  await db.schema.dropIndex('analytics_events_time_idx').execute();
  await db.schema.dropTable('analytics_daily').execute();
  await db.schema.dropTable('analytics_ui_events').execute();
}
