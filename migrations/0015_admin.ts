import type { Kysely } from 'kysely';

/**
 * Stub of the admin migration (issue #13): only the two player flags the leaderboards read.
 * The admin branch's real `0015_admin` replaces this file at merge time.
 * - `players.banned_at`: when the player was banned (epoch ms), null when not banned;
 * - `players.leaderboard_excluded_at`: when a moderator removed them from the leaderboards.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('players').addColumn('banned_at', 'bigint').execute();
  await db.schema.alterTable('players').addColumn('leaderboard_excluded_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('players').dropColumn('leaderboard_excluded_at').execute();
  await db.schema.alterTable('players').dropColumn('banned_at').execute();
}
