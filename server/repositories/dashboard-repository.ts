/**
 * The admin dashboard's figures of a UTC day so far: players created (players.created_at is
 * indexed, migration 0013) and, from the event log (indexed by created_at, migration 0013),
 * coin purchases, Stars payments and refunds. The log is written in the same transaction as
 * the purchase or payment, so it agrees with the `purchases` and `star_payments` tables, whose
 * only time indexes are per player.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Dialect } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { Window } from './analytics-repository.js';

export interface DayFigures {
  newPlayers: number;
  purchases: number;
  purchaseCoins: number;
  starsPayments: number;
  starsGross: number;
  starsRefunded: number;
}

export class DashboardRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async day(w: Window): Promise<DayFigures> {
    const [players, events] = await Promise.all([
      this.db
        .selectFrom('players')
        .select(sql<number>`count(*)`.as('n'))
        .where('created_at', '>=', w.from)
        .where('created_at', '<', w.to)
        .executeTakeFirstOrThrow(),
      this.db
        .selectFrom('events')
        .select([
          sql<number>`count(case when kind = 'purchase' then 1 end)`.as('purchases'),
          sql<number>`coalesce(sum(case when kind = 'purchase' then ${this.payloadInt('coins')} end), 0)`.as('purchaseCoins'),
          sql<number>`count(case when kind = 'payment' then 1 end)`.as('payments'),
          sql<number>`coalesce(sum(case when kind = 'payment' then ${this.payloadInt('stars')} end), 0)`.as('gross'),
          sql<number>`coalesce(sum(case when kind = 'refund' then ${this.payloadInt('stars')} end), 0)`.as('refunded'),
        ])
        .where('created_at', '>=', w.from)
        .where('created_at', '<', w.to)
        .where('kind', 'in', ['purchase', 'payment', 'refund'])
        .executeTakeFirstOrThrow(),
    ]);
    return {
      newPlayers: Number(players.n),
      purchases: Number(events.purchases),
      purchaseCoins: Number(events.purchaseCoins),
      starsPayments: Number(events.payments),
      starsGross: Number(events.gross),
      starsRefunded: Number(events.refunded),
    };
  }

  /** A payload field as an integer (keys are constants of this file, written into the query). */
  private payloadInt(key: 'coins' | 'stars'): RawBuilder<number | null> {
    return this.dialect === 'postgres' ? sql<number | null>`((payload::jsonb ->> ${sql.lit(key)})::bigint)` : sql<number | null>`cast(json_extract(payload, ${sql.lit(`$.${key}`)}) as integer)`;
  }
}
