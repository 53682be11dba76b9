import { sql, type Kysely } from 'kysely';

/**
 * Leaderboards (ADR 0015): `leaderboard_scores`, one row per board, period and player with the
 * player's score there (`period_key` 0 is all-time, otherwise the UTC game week), `hidden`
 * for players who are banned or removed from the boards (kept, so un-excluding restores them),
 * and `leaderboard_counts`, how many visible players have each score on a board and period:
 * a rank is one plus the counts of the better scores (a short range of the primary key)
 * instead of counting up to a million rows. A partial index serves the pages.
 *
 * The all-time boards are filled from what is already stored (best daily streak, finished
 * rounds that were not suspicious, achievements, the oldest pet's UTC birth day); the event
 * log's consumer keeps them, and the weekly boards, from then on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('leaderboard_scores')
    .addColumn('board', 'text', (c) => c.notNull())
    // 0: all-time; otherwise the week number of the UTC game day (shared/leaderboards.ts).
    .addColumn('period_key', 'integer', (c) => c.notNull())
    .addColumn('player_id', 'text', (c) => c.notNull().references('players.id'))
    .addColumn('score', 'bigint', (c) => c.notNull())
    // 1 while the player is banned or excluded from the boards: not shown, not counted.
    .addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0).check(sql`hidden in (0, 1)`))
    // When the score last improved (ties: who got there first comes first).
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('leaderboard_scores_pk', ['board', 'period_key', 'player_id'])
    .execute();
  await db.schema
    .createIndex('leaderboard_scores_rank_idx')
    .on('leaderboard_scores')
    .columns(['board', 'period_key', 'score desc', 'updated_at', 'player_id'])
    .where(sql.ref('hidden'), '=', 0)
    .execute();
  await db.schema.createIndex('leaderboard_scores_player_idx').on('leaderboard_scores').columns(['player_id']).execute();

  await db.schema
    .createTable('leaderboard_counts')
    .addColumn('board', 'text', (c) => c.notNull())
    .addColumn('period_key', 'integer', (c) => c.notNull())
    .addColumn('score', 'bigint', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull().check(sql`n >= 0`))
    .addPrimaryKeyConstraint('leaderboard_counts_pk', ['board', 'period_key', 'score'])
    .execute();

  await sql`insert into leaderboard_scores (board, period_key, player_id, score, hidden, updated_at)
    select 'streak', 0, player_id, daily_best, 0, updated_at from player_progress where daily_best > 0`.execute(db);
  await sql`insert into leaderboard_scores (board, period_key, player_id, score, hidden, updated_at)
    select 'game_' || kind, 0, player_id, max(score), 0, max(ended_at) from minigame_sessions
    where status = 'finished' and suspicious = 0 and score > 0 group by kind, player_id`.execute(db);
  await sql`insert into leaderboard_scores (board, period_key, player_id, score, hidden, updated_at)
    select 'achievements', 0, player_id, count(*), 0, max(awarded_at) from player_achievements group by player_id`.execute(db);
  // The oldest pet's birth day, negated (older is better); the production clock (1 game second a second).
  await sql`insert into leaderboard_scores (board, period_key, player_id, score, hidden, updated_at)
    select 'pet_age', 0, owner_id, -min(born_at / 86400000), 0, min(born_at) from pets group by owner_id`.execute(db);
  await sql`update leaderboard_scores set hidden = 1
    where player_id in (select id from players where banned_at is not null or leaderboard_excluded_at is not null)`.execute(db);
  await sql`insert into leaderboard_counts (board, period_key, score, n)
    select board, period_key, score, count(*) from leaderboard_scores where hidden = 0 group by board, period_key, score`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('leaderboard_counts').execute();
  await db.schema.dropIndex('leaderboard_scores_player_idx').execute();
  await db.schema.dropIndex('leaderboard_scores_rank_idx').execute();
  await db.schema.dropTable('leaderboard_scores').execute();
}
