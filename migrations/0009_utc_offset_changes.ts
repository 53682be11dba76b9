import { sql, type Kysely } from 'kysely';

/**
 * A changed UTC offset waits for the end of the player's day (shared/local-day.ts), so the
 * player's day cannot be replayed: players keep the planned offset, when it takes effect
 * (game clock), the day that lasts until then, and the day numbers eastward moves skipped;
 * pets keep the planned offset and its time (their quiet hours switch then); the daily
 * streak remembers the skipped days as of the day it last counted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('players')
    .addColumn('next_utc_offset_minutes', 'integer', (c) => c.check(sql`next_utc_offset_minutes between -720 and 840`))
    .execute();
  await db.schema.alterTable('players').addColumn('utc_offset_changes_at', 'double precision').execute();
  // All three set (a change is pending) or none.
  await db.schema
    .alterTable('players')
    .addColumn('utc_offset_last_day', 'integer', (c) =>
      c.check(
        sql`(next_utc_offset_minutes is null) = (utc_offset_changes_at is null) and (utc_offset_changes_at is null) = (utc_offset_last_day is null)`,
      ),
    )
    .execute();
  await db.schema
    .alterTable('players')
    .addColumn('utc_offset_skipped_days', 'integer', (c) => c.notNull().defaultTo(0).check(sql`utc_offset_skipped_days >= 0`))
    .execute();
  await db.schema
    .alterTable('player_progress')
    .addColumn('daily_last_skipped', 'integer', (c) => c.notNull().defaultTo(0).check(sql`daily_last_skipped >= 0`))
    .execute();
  await db.schema
    .alterTable('pets')
    .addColumn('next_utc_offset_minutes', 'integer', (c) => c.check(sql`next_utc_offset_minutes between -720 and 840`))
    .execute();
  await db.schema
    .alterTable('pets')
    .addColumn('utc_offset_changes_at', 'double precision', (c) => c.check(sql`(utc_offset_changes_at is null) = (next_utc_offset_minutes is null)`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('pets').dropColumn('utc_offset_changes_at').execute();
  await db.schema.alterTable('pets').dropColumn('next_utc_offset_minutes').execute();
  await db.schema.alterTable('player_progress').dropColumn('daily_last_skipped').execute();
  await db.schema.alterTable('players').dropColumn('utc_offset_skipped_days').execute();
  await db.schema.alterTable('players').dropColumn('utc_offset_last_day').execute();
  await db.schema.alterTable('players').dropColumn('utc_offset_changes_at').execute();
  await db.schema.alterTable('players').dropColumn('next_utc_offset_minutes').execute();
}
