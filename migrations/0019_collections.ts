import type { Kysely } from 'kysely';

/**
 * The collection book (ADR 0017): `collection_claims`, one row per player and set whose
 * one-time reward was paid, with the ledger transaction that paid it. The primary key makes a
 * second claim of the same set impossible whatever the service does; the ledger's unique
 * idempotency key (`collection:<player>:<set>`) backs it up on the money side.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('collection_claims')
    .addColumn('player_id', 'text', (c) => c.notNull().references('players.id'))
    .addColumn('set_id', 'text', (c) => c.notNull())
    .addColumn('transaction_id', 'text', (c) => c.notNull().references('ledger_transactions.id'))
    .addColumn('reward_coins', 'integer', (c) => c.notNull())
    .addColumn('claimed_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('collection_claims_pk', ['player_id', 'set_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('collection_claims').execute();
}
