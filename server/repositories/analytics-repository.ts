/**
 * Analytics storage (migration 0013): UI events as they arrive, the reads a UTC day's
 * aggregates are made of (the event log, players, the ledger and the UI events, each over a
 * time window [from, to) in epoch ms), the daily rows, and the pages of a day's events the
 * export writes. Readers of a whole day take the handle they are given: the job passes the
 * batch handle (its longer deadline), requests the normal one.
 */
import { sql, type Insertable, type Kysely, type RawBuilder, type Selectable } from 'kysely';
import type { Dialect } from '../db/database.js';
import type { AnalyticsDailyTable, AnalyticsUiEventsTable, Database } from '../db/schema.js';

export type UiEventRow = Insertable<AnalyticsUiEventsTable>;
export type StoredUiEvent = Selectable<AnalyticsUiEventsTable>;
export type DailyRow = Selectable<AnalyticsDailyTable>;

/** A time window, epoch ms, `from` included and `to` not. */
export interface Window {
  from: number;
  to: number;
}

/** An event of the log as the export reads it. */
export interface LogEvent {
  seq: number;
  playerId: string | null;
  kind: string;
  payload: string;
  at: number;
}

/** Where a page of a day's events ended: the next page starts after it. */
export interface PagePosition {
  at: number;
  seq: number;
}

/** Payload keys read in SQL: constants of this file only (they are written into the query). */
type PayloadKey = 'stars' | 'variant' | 'coins';

/**
 * Kinds that are something the player did: a refund (Telegram's or an admin's doing) or a
 * friendship (one of the two did it) does not make a player active.
 */
const ACTIVE_KINDS = ['care', 'adopt', 'purchase', 'payment', 'minigame'] as const;

/** The kinds that make the funnel's steps (docs/events.md, "Analytics"). */
const FUNNEL_KINDS = ['adopt', 'care', 'minigame', 'purchase', 'payment'] as const;

export class AnalyticsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** Stores a batch of UI events (one statement). */
  async insertUiEvents(rows: readonly UiEventRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.insertInto('analytics_ui_events').values(rows).execute();
  }

  /** Players with an event of their own doing in the log in `w`. */
  async activePlayerIds(w: Window): Promise<string[]> {
    const rows = await this.db
      .selectFrom('events')
      .select('player_id')
      .distinct()
      .where('created_at', '>=', w.from)
      .where('created_at', '<', w.to)
      .where('kind', 'in', ACTIVE_KINDS)
      .where('player_id', 'is not', null)
      .execute();
    return rows.map((r) => r.player_id as string);
  }

  /** Player hashes with a UI event in `w`. */
  async activeHashes(w: Window): Promise<string[]> {
    const rows = await this.db
      .selectFrom('analytics_ui_events')
      .select('player_hash')
      .distinct()
      .where('created_at', '>=', w.from)
      .where('created_at', '<', w.to)
      .execute();
    return rows.map((r) => r.player_hash);
  }

  /** Players who signed up in `w`. */
  async newPlayerIds(w: Window): Promise<string[]> {
    const rows = await this.db.selectFrom('players').select('id').where('created_at', '>=', w.from).where('created_at', '<', w.to).execute();
    return rows.map((r) => r.id);
  }

  /**
   * For the players who signed up in `cohort`: which funnel kinds each has in the log from the
   * cohort's start until `until` (one row per player and kind).
   */
  async cohortKinds(cohort: Window, until: number): Promise<Array<{ playerId: string; kind: string }>> {
    const rows = await this.db
      .selectFrom('events as e')
      .innerJoin('players as p', 'p.id', 'e.player_id')
      .select(['e.player_id', 'e.kind'])
      .distinct()
      .where('p.created_at', '>=', cohort.from)
      .where('p.created_at', '<', cohort.to)
      .where('e.created_at', '>=', cohort.from)
      .where('e.created_at', '<', until)
      .where('e.kind', 'in', FUNNEL_KINDS)
      .execute();
    return rows.map((r) => ({ playerId: r.player_id as string, kind: r.kind }));
  }

  /** Stars payments (count, paying players, Stars) and refunds (Stars) in `w`, from the log. */
  async stars(w: Window): Promise<{ payments: number; payers: number; gross: number; refunded: number }> {
    const stars = this.payloadInt('stars');
    const row = await this.db
      .selectFrom('events')
      .select([
        sql<number>`count(case when kind = 'payment' then 1 end)`.as('payments'),
        sql<number>`count(distinct case when kind = 'payment' then player_id end)`.as('payers'),
        sql<number>`coalesce(sum(case when kind = 'payment' then ${stars} end), 0)`.as('gross'),
        sql<number>`coalesce(sum(case when kind = 'refund' then ${stars} end), 0)`.as('refunded'),
      ])
      .where('created_at', '>=', w.from)
      .where('created_at', '<', w.to)
      .where('kind', 'in', ['payment', 'refund'])
      .executeTakeFirstOrThrow();
    return { payments: Number(row.payments), payers: Number(row.payers), gross: Number(row.gross), refunded: Number(row.refunded) };
  }

  /** Coin purchases in `w` per buyer and price variant: how many and their coins. */
  async purchasesByVariant(w: Window): Promise<Array<{ playerId: string; variant: string; purchases: number; coins: number }>> {
    const variant = this.payloadText('variant');
    const coins = this.payloadInt('coins');
    const rows = await this.db
      .selectFrom('events')
      .select([
        'player_id',
        variant.as('variant'),
        sql<number>`count(*)`.as('purchases'),
        sql<number>`coalesce(sum(${coins}), 0)`.as('coins'),
      ])
      .where('kind', '=', 'purchase')
      .where('player_id', 'is not', null)
      .where('created_at', '>=', w.from)
      .where('created_at', '<', w.to)
      .groupBy(['player_id', variant])
      .execute();
    return rows.map((r) => ({ playerId: r.player_id as string, variant: r.variant ?? 'unknown', purchases: Number(r.purchases), coins: Number(r.coins) }));
  }

  /** Players (hashes) who opened the shop in `w`, with their price variant. */
  async shopViewers(w: Window): Promise<Array<{ hash: string; variant: string }>> {
    const rows = await this.db
      .selectFrom('analytics_ui_events')
      .select(['player_hash', 'variant'])
      .distinct()
      .where('type', '=', 'shop_opened')
      .where('created_at', '>=', w.from)
      .where('created_at', '<', w.to)
      .execute();
    return rows.map((r) => ({ hash: r.player_hash, variant: r.variant }));
  }

  /** UI events in `w` by type. */
  async uiCounts(w: Window): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('analytics_ui_events')
      .select(['type', sql<number>`count(*)`.as('n')])
      .where('created_at', '>=', w.from)
      .where('created_at', '<', w.to)
      .groupBy('type')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]));
  }

  /**
   * Coins through the game's own accounts in `w`, by ledger reason: what left them (to
   * players: faucets) and what came into them (from players: sinks).
   */
  async coinFlows(w: Window): Promise<Array<{ reason: string; out: number; in: number }>> {
    const rows = await this.db
      .selectFrom('ledger_entries as e')
      .innerJoin('ledger_transactions as t', 't.id', 'e.transaction_id')
      .select([
        't.reason',
        sql<number>`coalesce(sum(case when e.amount < 0 then -e.amount else 0 end), 0)`.as('out'),
        sql<number>`coalesce(sum(case when e.amount > 0 then e.amount else 0 end), 0)`.as('in'),
      ])
      .where('t.created_at', '>=', w.from)
      .where('t.created_at', '<', w.to)
      .where('e.currency', '=', 'coins')
      .where('e.account_id', 'like', 'system:%')
      .groupBy('t.reason')
      .execute();
    return rows.map((r) => ({ reason: r.reason, out: Number(r.out), in: Number(r.in) }));
  }

  /** Writes a day's row, replacing the one there (a recompute). */
  async upsertDaily(row: DailyRow): Promise<void> {
    const { day: _day, ...rest } = row;
    await this.db
      .insertInto('analytics_daily')
      .values(row)
      .onConflict((oc) => oc.column('day').doUpdateSet(rest))
      .execute();
  }

  /** The stored rows of the days from `fromDay` to `toDay` (YYYY-MM-DD, both included), in order. */
  async daily(fromDay: string, toDay: string): Promise<DailyRow[]> {
    const rows = await this.db.selectFrom('analytics_daily').selectAll().where('day', '>=', fromDay).where('day', '<=', toDay).orderBy('day').execute();
    return rows.map((r) => ({ ...r, stars_gross: Number(r.stars_gross), stars_refunded: Number(r.stars_refunded), coins_earned: Number(r.coins_earned), coins_spent: Number(r.coins_spent), computed_at: Number(r.computed_at) }));
  }

  /** Whether each of `days` has a final row. */
  async finalDays(days: readonly string[]): Promise<Set<string>> {
    if (days.length === 0) return new Set();
    const rows = await this.db.selectFrom('analytics_daily').select('day').where('day', 'in', days).where('final', '=', 1).execute();
    return new Set(rows.map((r) => r.day));
  }

  /** Up to `limit` events of the log in `w` after `after`, in time order. */
  async eventsPage(w: Window, after: PagePosition | null, limit: number): Promise<LogEvent[]> {
    let query = this.db
      .selectFrom('events')
      .select(['seq', 'player_id', 'kind', 'payload', 'created_at'])
      .where('created_at', '>=', w.from)
      .where('created_at', '<', w.to);
    if (after) {
      query = query.where((eb) => eb.or([eb('created_at', '>', after.at), eb.and([eb('created_at', '=', after.at), eb('seq', '>', after.seq)])]));
    }
    const rows = await query.orderBy('created_at').orderBy('seq').limit(limit).execute();
    return rows.map((r) => ({ seq: Number(r.seq), playerId: r.player_id, kind: r.kind, payload: r.payload, at: Number(r.created_at) }));
  }

  /** Up to `limit` UI events in `w` after `after`, in time order. */
  async uiEventsPage(w: Window, after: PagePosition | null, limit: number): Promise<StoredUiEvent[]> {
    let query = this.db.selectFrom('analytics_ui_events').selectAll().where('created_at', '>=', w.from).where('created_at', '<', w.to);
    if (after) {
      query = query.where((eb) => eb.or([eb('created_at', '>', after.at), eb.and([eb('created_at', '=', after.at), eb('seq', '>', after.seq)])]));
    }
    const rows = await query.orderBy('created_at').orderBy('seq').limit(limit).execute();
    return rows.map((r) => ({ ...r, seq: Number(r.seq), created_at: Number(r.created_at) }));
  }

  /** A payload field as text. */
  private payloadText(key: PayloadKey): RawBuilder<string | null> {
    return this.dialect === 'postgres' ? sql<string | null>`(payload::jsonb ->> ${sql.lit(key)})` : sql<string | null>`json_extract(payload, ${sql.lit(`$.${key}`)})`;
  }

  /** A payload field as an integer. */
  private payloadInt(key: PayloadKey): RawBuilder<number | null> {
    return this.dialect === 'postgres' ? sql<number | null>`((payload::jsonb ->> ${sql.lit(key)})::bigint)` : sql<number | null>`cast(json_extract(payload, ${sql.lit(`$.${key}`)}) as integer)`;
  }
}
