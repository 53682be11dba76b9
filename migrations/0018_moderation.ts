import { sql, type Kysely } from 'kysely';

/**
 * Moderation and the anti-fraud review (docs/moderation.md).
 *
 * - `pet_reports`: a player reports a friend's pet (name, picture or other), once per
 *   reporter and pet (unique); open until a moderator acts on the pet or dismisses it.
 * - `name_attempts`: names the word filter refused, so moderators see who tries; at most a
 *   few per player and UTC day (the service counts before it inserts).
 * - `pet_images.hidden_at` / `hidden_by` / `hidden_reason`: a picture hidden by a moderator.
 *   The bytes stay (an appeal unhides it); nothing that lists or serves a pet's picture
 *   uses a hidden one.
 * - `fraud_flags`: behaviour the game noticed, one open flag per player and kind (a partial
 *   unique index) whose `count` and `last_seen_at` grow while it goes on; a decision closes it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('pet_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('pet_id', 'text', (c) => c.notNull().references('pets.id').onDelete('cascade'))
    .addColumn('owner_id', 'text', (c) => c.notNull())
    .addColumn('reporter_id', 'text', (c) => c.notNull().references('players.id'))
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('name', 'picture', 'other')`))
    .addColumn('note', 'text', (c) => c.check(sql`length(note) <= 200`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'resolved')`))
    // dismissed, picture_hidden, picture_unhidden.
    .addColumn('resolution', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('pet_reports_once', ['reporter_id', 'pet_id'])
    .execute();
  await db.schema.createIndex('pet_reports_status_idx').on('pet_reports').columns(['status', 'pet_id']).execute();
  await db.schema.createIndex('pet_reports_reporter_idx').on('pet_reports').columns(['reporter_id', 'created_at']).execute();

  await db.schema
    .createTable('name_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('player_id', 'text', (c) => c.notNull().references('players.id'))
    // Where it was typed: adopt or rename.
    .addColumn('context', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull().check(sql`length(text) <= 128`))
    // UTC day number (epoch ms / 86,400,000): the per-day cap counts by it.
    .addColumn('day', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'resolved')`))
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('name_attempts_player_day_idx').on('name_attempts').columns(['player_id', 'day']).execute();
  await db.schema.createIndex('name_attempts_status_idx').on('name_attempts').columns(['status', 'created_at']).execute();

  await db.schema.alterTable('pet_images').addColumn('hidden_at', 'bigint').execute();
  await db.schema.alterTable('pet_images').addColumn('hidden_by', 'text').execute();
  await db.schema.alterTable('pet_images').addColumn('hidden_reason', 'text').execute();

  await db.schema
    .createTable('fraud_flags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('player_id', 'text', (c) => c.notNull().references('players.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull().check(sql`severity in ('low', 'medium', 'high')`))
    // JSON, at most 2 KiB (the service cuts it): the latest evidence.
    .addColumn('evidence', 'text', (c) => c.notNull().check(sql`length(evidence) <= 4096`))
    .addColumn('count', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'cleared', 'warned', 'banned', 'excluded')`))
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('decision_reason', 'text')
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // One open flag per player and kind: a repeat raises its count instead of a new row.
  await sql`create unique index fraud_flags_open_uq on fraud_flags (player_id, kind) where status = 'open'`.execute(db);
  await db.schema.createIndex('fraud_flags_status_idx').on('fraud_flags').columns(['status', 'last_seen_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('fraud_flags').execute();
  await db.schema.alterTable('pet_images').dropColumn('hidden_reason').execute();
  await db.schema.alterTable('pet_images').dropColumn('hidden_by').execute();
  await db.schema.alterTable('pet_images').dropColumn('hidden_at').execute();
  await db.schema.dropTable('name_attempts').execute();
  await db.schema.dropTable('pet_reports').execute();
}
