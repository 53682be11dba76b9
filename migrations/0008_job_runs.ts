import type { Kysely } from 'kysely';

/**
 * When a periodic job (Stars reconciliation) last started: with several server processes, the
 * one that moves `last_started_at` forward runs it and the others skip that round.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('job_runs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('last_started_at', 'bigint', (c) => c.notNull())
    // Which process claimed the last run (host:pid), for the operator.
    .addColumn('holder', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('job_runs').execute();
}
