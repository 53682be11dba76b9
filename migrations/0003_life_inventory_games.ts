import { sql, type Kysely } from 'kysely';

/**
 * Pet life in depth (care quality, quiet hours, adult form), the player's time zone, coins
 * and inventory, recorded pet events, and minigame sessions with idempotent payouts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('players')
    .addColumn('utc_offset_minutes', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('players')
    .addColumn('coins', 'integer', (c) => c.notNull().defaultTo(0).check(sql`coins >= 0`))
    .execute();

  const petColumns: Array<[string, 'integer' | 'double precision', number]> = [
    ['care_mistakes', 'integer', 0],
    ['care_bonus', 'integer', 0],
    ['hunger_critical_s', 'double precision', 0],
    ['mood_critical_s', 'double precision', 0],
    ['cleanliness_critical_s', 'double precision', 0],
    ['good_care_s', 'double precision', 0],
    ['adult_form', 'integer', 0],
    ['awake_until', 'double precision', 0],
    ['utc_offset_minutes', 'integer', 0],
  ];
  for (const [name, type, fallback] of petColumns) {
    await db.schema
      .alterTable('pets')
      .addColumn(name, type, (c) => c.notNull().defaultTo(fallback))
      .execute();
  }

  await db.schema
    .createTable('inventory')
    .addColumn('player_id', 'text', (c) => c.notNull().references('players.id').onDelete('cascade'))
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().check(sql`quantity >= 0`))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('inventory_pk', ['player_id', 'item_id'])
    .execute();

  await db.schema
    .createTable('pet_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pet_id', 'text', (c) => c.notNull().references('pets.id').onDelete('cascade'))
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('stage', 'integer')
    .addColumn('data', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('game_clock', 'double precision', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('pet_events_pet_idx').on('pet_events').columns(['pet_id', 'game_clock']).execute();
  // A pet reaches each stage once: recording it again (a replayed catch-up) is a no-op.
  await db.schema
    .createIndex('pet_events_stage_once')
    .on('pet_events')
    .columns(['pet_id', 'stage'])
    .unique()
    .where(sql.ref('kind'), '=', 'stage')
    .execute();

  await db.schema
    .createTable('minigame_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('player_id', 'text', (c) => c.notNull().references('players.id').onDelete('cascade'))
    .addColumn('pet_id', 'text', (c) => c.notNull().references('pets.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('seed', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('taps', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('suspicious', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reward_coins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reward_points', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reward_bonus', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('game_day', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('minigame_sessions_player_day_idx')
    .on('minigame_sessions')
    .columns(['player_id', 'game_day'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('minigame_sessions').execute();
  await db.schema.dropTable('pet_events').execute();
  await db.schema.dropTable('inventory').execute();
  for (const name of [
    'utc_offset_minutes',
    'awake_until',
    'adult_form',
    'good_care_s',
    'cleanliness_critical_s',
    'mood_critical_s',
    'hunger_critical_s',
    'care_bonus',
    'care_mistakes',
  ]) {
    await db.schema.alterTable('pets').dropColumn(name).execute();
  }
  await db.schema.alterTable('players').dropColumn('coins').execute();
  await db.schema.alterTable('players').dropColumn('utc_offset_minutes').execute();
}
