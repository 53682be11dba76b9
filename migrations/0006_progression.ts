import { sql, type Kysely } from 'kysely';

/**
 * Progression: recorded progress events (each once, by key), a player's running totals and
 * streaks, quests per local day and week, and achievements (each awarded once).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('progress_events')
    // The event's key: recording the same event again (a replay) is a no-op.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('player_id', 'text', (c) => c.notNull().references('players.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('game_day', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('progress_events_player_idx').on('progress_events').columns(['player_id', 'created_at']).execute();

  await db.schema
    .createTable('player_progress')
    .addColumn('player_id', 'text', (c) => c.primaryKey().references('players.id'))
    .addColumn('care_total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('games_finished', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('best_treats_score', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('coins_earned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('purchases', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_stage', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('radiant_adults', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('daily_streak', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('daily_best', 'integer', (c) => c.notNull().defaultTo(0))
    // The last local game day that counted (-1: none). Days only ever move forward.
    .addColumn('daily_last_day', 'integer', (c) => c.notNull().defaultTo(-1))
    .addColumn('freezes_used', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('weekly_streak', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('weekly_best', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('weekly_last_week', 'integer', (c) => c.notNull().defaultTo(-1))
    .addColumn('week', 'integer', (c) => c.notNull().defaultTo(-1))
    .addColumn('week_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('player_quests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('player_id', 'text', (c) => c.notNull().references('players.id'))
    .addColumn('period', 'text', (c) => c.notNull().check(sql`period in ('daily', 'weekly')`))
    .addColumn('period_key', 'integer', (c) => c.notNull())
    .addColumn('template_id', 'text', (c) => c.notNull())
    .addColumn('target', 'integer', (c) => c.notNull().check(sql`target > 0`))
    .addColumn('progress', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reward_coins', 'integer', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addColumn('claimed_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addCheckConstraint('player_quests_progress', sql`progress >= 0 and progress <= target`)
    .addCheckConstraint('player_quests_claim_after_completion', sql`claimed_at is null or completed_at is not null`)
    .execute();
  await db.schema
    .createIndex('player_quests_once')
    .on('player_quests')
    .columns(['player_id', 'period', 'period_key', 'template_id'])
    .unique()
    .execute();

  await db.schema
    .createTable('player_achievements')
    .addColumn('player_id', 'text', (c) => c.notNull().references('players.id'))
    .addColumn('achievement_id', 'text', (c) => c.notNull())
    .addColumn('awarded_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('player_achievements_pk', ['player_id', 'achievement_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('player_achievements').execute();
  await db.schema.dropTable('player_quests').execute();
  await db.schema.dropTable('player_progress').execute();
  await db.schema.dropTable('progress_events').execute();
}
