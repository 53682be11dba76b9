import type { Kysely } from 'kysely';

/**
 * Bot notifications (docs/events.md). `notify_players` holds what a player allows and whether
 * they are in the app; `notifications` is the send ledger: one row per notification, unique
 * by its `dedupe_key` (at most one per kind, pet and absence), with its due time and state:
 *
 *   pending → sending → sent | failed | unreachable
 *   pending → skipped (a rule said no) | cancelled (the owner came back)
 *   sending, its process gone → lost (never sent again: at most once)
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notify_players')
    .addColumn('player_id', 'text', (c) => c.primaryKey().references('players.id'))
    .addColumn('allowed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('muted', 'integer', (c) => c.notNull().defaultTo(0))
    // JSON array of the switches turned off.
    .addColumn('switches_off', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('unreachable_at', 'bigint')
    // The owner is in the app until then (epoch ms, refreshed while their home has them).
    .addColumn('present_until', 'bigint', (c) => c.notNull().defaultTo(0))
    // When the owner last came back to the app (one notification per kind and pet per absence).
    .addColumn('back_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('player_id', 'text', (c) => c.notNull().references('players.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('pet_id', 'text')
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    // Small JSON the message needs (ids and numbers: a visitor's id, a payment's Stars).
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    // The player's local day (game clock) it was sent on: the daily cap counts these.
    .addColumn('local_day', 'integer')
    .addColumn('holder', 'text')
    .addColumn('lease_until', 'bigint')
    .addColumn('sent_at', 'bigint')
    .addColumn('message_id', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notifications_due_idx').on('notifications').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('notifications_player_idx').on('notifications').columns(['player_id', 'status', 'local_day']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notifications').execute();
  await db.schema.dropTable('notify_players').execute();
}
