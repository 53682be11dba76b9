import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Indexes for the admin panel's player search and player page (docs/admin.md).
 *
 * - `players_username_lower_idx`, `pets_name_lower_idx`: case-insensitive prefix search on
 *   `lower(username)` and `lower(name)`. On Postgres with `text_pattern_ops`, so that
 *   `lower(x) LIKE 'pre%'` uses the index under any collation; on SQLite a plain expression
 *   index, searched as a range (`>= 'pre' and < 'pre' || U+10FFFF`), since SQLite's LIKE
 *   optimisation does not apply to expressions. SQLite's `lower()` folds ASCII only.
 *   The pets index leaves snapshot flushes HOT: they never change `name`.
 * - `star_payments_player_idx`: a player's payments, newest first.
 *
 * Telegram ids and invite codes already have unique indexes (invite codes are stored upper-case).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const ops = sql.raw(pg ? ' text_pattern_ops' : '');
  await sql`create index players_username_lower_idx on players (lower(username)${ops})`.execute(db);
  await sql`create index pets_name_lower_idx on pets (lower(name)${ops})`.execute(db);
  await db.schema.createIndex('star_payments_player_idx').on('star_payments').columns(['player_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('star_payments_player_idx').execute();
  await db.schema.dropIndex('pets_name_lower_idx').execute();
  await db.schema.dropIndex('players_username_lower_idx').execute();
}
