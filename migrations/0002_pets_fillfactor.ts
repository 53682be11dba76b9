import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Pet rows are rewritten by every snapshot flush. On Postgres, leaving half of each page
 * free lets those updates stay on the same page (HOT updates: no index writes), which made
 * a 100k-row flush about 3× faster here. SQLite has no such setting; nothing to do there.
 * Only new pages use the setting; `VACUUM FULL pets` rewrites existing ones.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table pets set (fillfactor = 50)`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table pets reset (fillfactor)`.execute(db);
  }
}
