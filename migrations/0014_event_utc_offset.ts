import type { Kysely } from 'kysely';

/**
 * Each event keeps its player's UTC offset schedule as it stood when it was appended (copied
 * from `players` by the insert): progression counts the event on the local day of its moment
 * from it, however the player's offset changed before the event is applied. Null for events
 * of no player and for events appended before this migration.
 */
const COLUMNS = [
  ['utc_offset_minutes', 'integer'],
  ['next_utc_offset_minutes', 'integer'],
  ['utc_offset_changes_at', 'double precision'],
  ['utc_offset_last_day', 'integer'],
  ['utc_offset_skipped_days', 'integer'],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, type] of COLUMNS) await db.schema.alterTable('events').addColumn(name, type).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [name] of [...COLUMNS].reverse()) await db.schema.alterTable('events').dropColumn(name).execute();
}
