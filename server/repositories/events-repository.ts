/**
 * The event log's storage: appending events inside the caller's transaction, and what the
 * relay needs to hand them to consumers (a claim on a consumer's cursor, the next batch after
 * it, moving it). See migration 0011 and docs/events.md.
 *
 * Claims: a consumer is delivered to by one process at a time. The process that claims its
 * cursor row holds it until `lease_until`, renewed with every batch it moves the cursor past;
 * a process that died (or stalled past its lease) is replaced by the next claimer, which
 * delivers again what the dead one had not marked (at least once). On Postgres the claim reads
 * the row `FOR UPDATE SKIP LOCKED` (claimers never wait on each other); on SQLite it is one
 * conditional update (compare and set).
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Dialect } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { UtcOffsetSchedule } from '../../shared/local-day.js';
import type { GameEvent } from '../events/event-kinds.js';
import { utcOffsetScheduleOf, type OFFSET_COLUMNS } from './players-repository.js';

export type Executor = Kysely<Database> | Transaction<Database>;

/**
 * Appends events in the caller's transaction (`executor`): they exist exactly when the change
 * they describe does. Returns their ids (an event's own `id`, or a new UUID).
 *
 * Each row also gets its player's UTC offset schedule as it stands now, read from `players`
 * by the insert itself (callers pass nothing): a consumer works out the event's local day from
 * it, not from the schedule as it stands when the event is applied.
 */
export async function appendEvents(executor: Executor, events: readonly GameEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const ofPlayer = <C extends (typeof OFFSET_COLUMNS)[number]>(playerId: string | null, column: C) =>
    playerId === null ? null : executor.selectFrom('players').select(column).where('id', '=', playerId);
  const rows = events.map((e) => ({
    id: e.id ?? randomUUID(),
    player_id: e.playerId,
    kind: e.kind,
    payload: JSON.stringify(e.payload),
    created_at: e.at,
    utc_offset_minutes: ofPlayer(e.playerId, 'utc_offset_minutes'),
    next_utc_offset_minutes: ofPlayer(e.playerId, 'next_utc_offset_minutes'),
    utc_offset_changes_at: ofPlayer(e.playerId, 'utc_offset_changes_at'),
    utc_offset_last_day: ofPlayer(e.playerId, 'utc_offset_last_day'),
    utc_offset_skipped_days: ofPlayer(e.playerId, 'utc_offset_skipped_days'),
  }));
  await executor.insertInto('events').values(rows).execute();
  return rows.map((r) => r.id);
}

/** An event as stored. */
export interface StoredEvent {
  seq: number;
  txId: number;
  id: string;
  playerId: string | null;
  kind: string;
  payload: Record<string, unknown>;
  at: number;
  /** The player's UTC offset schedule when the event was appended; null without a player (or before migration 0014). */
  schedule: UtcOffsetSchedule | null;
}

/** Where a consumer is in the log. */
export interface Cursor {
  txId: number;
  seq: number;
}

export class EventsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Claims `consumer` for `holder` until `nowMs + leaseMs` if nobody holds it (or its lease
   * ran out, or `holder` already holds it); returns its cursor, or null when another process
   * delivers to it.
   */
  async claim(consumer: string, holder: string, nowMs: number, leaseMs: number): Promise<Cursor | null> {
    await this.db
      .insertInto('event_cursors')
      .values({ consumer, last_tx_id: 0, last_seq: 0, holder: '', lease_until: 0, updated_at: nowMs })
      .onConflict((oc) => oc.column('consumer').doNothing())
      .execute();
    if (this.dialect === 'postgres') {
      return this.db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('event_cursors')
          .selectAll()
          .where('consumer', '=', consumer)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst();
        if (!row || (row.holder !== holder && Number(row.lease_until) > nowMs)) return null;
        await trx.updateTable('event_cursors').set({ holder, lease_until: nowMs + leaseMs, updated_at: nowMs }).where('consumer', '=', consumer).execute();
        return { txId: Number(row.last_tx_id), seq: Number(row.last_seq) };
      });
    }
    const row = await this.db
      .updateTable('event_cursors')
      .set({ holder, lease_until: nowMs + leaseMs, updated_at: nowMs })
      .where('consumer', '=', consumer)
      .where((eb) => eb.or([eb('holder', '=', holder), eb('lease_until', '<=', nowMs)]))
      .returning(['last_tx_id', 'last_seq'])
      .executeTakeFirst();
    return row ? { txId: Number(row.last_tx_id), seq: Number(row.last_seq) } : null;
  }

  /**
   * Up to `limit` events after `cursor`, oldest first. On Postgres only events of transactions
   * older than every transaction still running: those can no longer be joined by an event
   * that sorts before them.
   */
  async after(cursor: Cursor, limit: number): Promise<StoredEvent[]> {
    const query = this.db.selectFrom('events').selectAll().limit(limit);
    const rows =
      this.dialect === 'postgres'
        ? await query
            .where(sql<boolean>`(tx_id, seq) > (${cursor.txId}, ${cursor.seq})`)
            .where(sql<boolean>`tx_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint`)
            .orderBy('tx_id')
            .orderBy('seq')
            .execute()
        : await query.where('seq', '>', cursor.seq).orderBy('seq').execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      txId: Number(r.tx_id),
      id: r.id,
      playerId: r.player_id,
      kind: r.kind,
      payload: JSON.parse(r.payload) as Record<string, unknown>,
      at: Number(r.created_at),
      schedule:
        r.utc_offset_minutes === null
          ? null
          : utcOffsetScheduleOf({
              utc_offset_minutes: r.utc_offset_minutes,
              next_utc_offset_minutes: r.next_utc_offset_minutes,
              utc_offset_changes_at: r.utc_offset_changes_at === null ? null : Number(r.utc_offset_changes_at),
              utc_offset_last_day: r.utc_offset_last_day,
              utc_offset_skipped_days: r.utc_offset_skipped_days ?? 0,
            }),
    }));
  }

  /**
   * Whether any committed event sorts after `cursor`, visible to the relay yet or not (on
   * Postgres `after` waits for older transactions still running; this does not).
   */
  async anyAfter(cursor: Cursor): Promise<boolean> {
    const query = this.db.selectFrom('events').select('seq').limit(1);
    const row =
      this.dialect === 'postgres'
        ? await query.where(sql<boolean>`(tx_id, seq) > (${cursor.txId}, ${cursor.seq})`).executeTakeFirst()
        : await query.where('seq', '>', cursor.seq).executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Moves the consumer's cursor to `cursor` and renews the lease, if `holder` still holds it;
   * false when another process took the consumer over (its lease ran out).
   */
  async advance(consumer: string, holder: string, cursor: Cursor, nowMs: number, leaseMs: number): Promise<boolean> {
    const result = await this.db
      .updateTable('event_cursors')
      .set({ last_tx_id: cursor.txId, last_seq: cursor.seq, lease_until: nowMs + leaseMs, updated_at: nowMs })
      .where('consumer', '=', consumer)
      .where('holder', '=', holder)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Gives the consumer up (the next claimer need not wait for the lease to run out). */
  async release(consumer: string, holder: string, nowMs: number): Promise<void> {
    await this.db
      .updateTable('event_cursors')
      .set({ holder: '', lease_until: 0, updated_at: nowMs })
      .where('consumer', '=', consumer)
      .where('holder', '=', holder)
      .execute();
  }

  /**
   * Records in the consumer's own transaction that it applies `eventId`; false when it
   * already did (a redelivery): the consumer then changes nothing.
   */
  async firstDelivery(executor: Executor, consumer: string, eventId: string, nowMs: number): Promise<boolean> {
    const inserted = await executor
      .insertInto('event_deliveries')
      .values({ consumer, event_id: eventId, delivered_at: nowMs })
      .onConflict((oc) => oc.columns(['consumer', 'event_id']).doNothing())
      .returning('event_id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** The consumer's cursor as stored (tools, tests, the admin view). */
  cursor(consumer: string): Promise<(Cursor & { holder: string; leaseUntil: number }) | undefined> {
    return this.db
      .selectFrom('event_cursors')
      .select(['last_tx_id', 'last_seq', 'holder', 'lease_until'])
      .where('consumer', '=', consumer)
      .executeTakeFirst()
      .then((r) => (r ? { txId: Number(r.last_tx_id), seq: Number(r.last_seq), holder: r.holder, leaseUntil: Number(r.lease_until) } : undefined));
  }
}
