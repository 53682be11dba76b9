import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The event log: every change that matters is appended to `events` in the transaction that
 * makes it, and never changed or removed. A relay hands new events to each consumer in order,
 * at least once; `event_cursors` holds each consumer's position and the lease of the process
 * delivering to it, `event_deliveries` the events a consumer has applied (its idempotency).
 *
 * Order: on SQLite (one writer) `seq` is commit order. On Postgres sequence numbers are taken
 * before commit, so a transaction may commit a lower `seq` after a higher one was read; each
 * event also stores its transaction id (`tx_id`, from `pg_current_xact_id()`), and the relay
 * reads only events of transactions older than every running one, in (`tx_id`, `seq`) order,
 * so nothing can appear behind its cursor (docs/events.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('events')
    .addColumn('seq', postgres ? 'bigint' : 'integer', (c) =>
      postgres ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement(),
    )
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('player_id', 'text')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('tx_id', 'bigint', (c) => (postgres ? c.notNull().defaultTo(sql`pg_current_xact_id()::text::bigint`) : c.notNull().defaultTo(0)))
    .execute();
  await db.schema.createIndex('events_relay_idx').on('events').columns(['tx_id', 'seq']).execute();
  await db.schema.createIndex('events_player_idx').on('events').columns(['player_id', 'seq']).execute();

  if (postgres) {
    await sql`
      create function events_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'events are append-only (% on %)', tg_op, tg_table_name;
      end $$`.execute(db);
    await sql`create trigger events_append_only before update or delete on events
      for each row execute function events_append_only()`.execute(db);
  } else {
    for (const op of ['update', 'delete']) {
      await sql`create trigger ${sql.raw(`events_no_${op}`)} before ${sql.raw(op)} on events
        begin select raise(abort, 'events are append-only'); end`.execute(db);
    }
  }

  await db.schema
    .createTable('event_cursors')
    .addColumn('consumer', 'text', (c) => c.primaryKey())
    // The last event delivered: its transaction id (0 on SQLite) and sequence number.
    .addColumn('last_tx_id', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('last_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    // The process delivering to this consumer, until when (epoch ms); none when 0.
    .addColumn('holder', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('event_deliveries')
    .addColumn('consumer', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_deliveries_pk', ['consumer', 'event_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.dropTable('event_deliveries').execute();
  await db.schema.dropTable('event_cursors').execute();
  await db.schema.dropTable('events').execute();
  if (postgres) await sql`drop function events_append_only()`.execute(db);
}
