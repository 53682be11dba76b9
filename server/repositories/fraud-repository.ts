/** Anti-fraud flags (migration 0018; docs/moderation.md): one open flag per player and kind. */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, FraudFlagStatus, FraudFlagsTable } from '../db/schema.js';
import type { Cursor } from './moderation-repository.js';

export type FraudFlagRow = Selectable<FraudFlagsTable>;
export type FraudFlagListRow = FraudFlagRow & { player_name: string };

export class FraudRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Raises a flag, or counts one more sighting on the player's open flag of that kind (the
   * partial unique index decides): `count` grows, `last_seen_at` and the evidence are the latest.
   */
  async raise(flag: { playerId: string; kind: string; severity: FraudFlagsTable['severity']; evidence: string }, nowMs: number): Promise<void> {
    await this.db
      .insertInto('fraud_flags')
      .values({
        id: randomUUID(),
        player_id: flag.playerId,
        kind: flag.kind,
        severity: flag.severity,
        evidence: flag.evidence,
        count: 1,
        status: 'open',
        decided_by: null,
        decided_at: null,
        decision_reason: null,
        last_seen_at: nowMs,
        created_at: nowMs,
      })
      .onConflict((oc) =>
        oc
          .columns(['player_id', 'kind'])
          // A literal, as in the index: SQLite matches a partial index's predicate only to the same text.
          .where(sql.ref('status'), '=', sql.lit('open'))
          .doUpdateSet({ count: sql<number>`fraud_flags.count + 1`, last_seen_at: nowMs, evidence: flag.evidence, severity: flag.severity }),
      )
      .execute();
  }

  find(id: string, db: Kysely<Database> = this.db): Promise<FraudFlagRow | undefined> {
    return db.selectFrom('fraud_flags').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findWithName(id: string, db: Kysely<Database> = this.db): Promise<FraudFlagListRow | undefined> {
    return db
      .selectFrom('fraud_flags as f')
      .innerJoin('players as p', 'p.id', 'f.player_id')
      .selectAll('f')
      .select('p.first_name as player_name')
      .where('f.id', '=', id)
      .executeTakeFirst();
  }

  /** Closes an open flag with a decision; false when it was decided already (a concurrent decision won). */
  async decide(db: Kysely<Database>, id: string, decision: { status: Exclude<FraudFlagStatus, 'open'>; by: string; reason: string }, nowMs: number): Promise<boolean> {
    const result = await db
      .updateTable('fraud_flags')
      .set({ status: decision.status, decided_by: decision.by, decided_at: nowMs, decision_reason: decision.reason })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async list(query: { status: FraudFlagStatus; kind?: string; playerId?: string; before?: Cursor; limit: number }): Promise<FraudFlagListRow[]> {
    let q = this.db
      .selectFrom('fraud_flags as f')
      .innerJoin('players as p', 'p.id', 'f.player_id')
      .selectAll('f')
      .select('p.first_name as player_name')
      .where('f.status', '=', query.status);
    if (query.kind) q = q.where('f.kind', '=', query.kind);
    if (query.playerId) q = q.where('f.player_id', '=', query.playerId);
    const before = query.before;
    if (before) q = q.where((eb) => eb.or([eb('f.last_seen_at', '<', before.at), eb.and([eb('f.last_seen_at', '=', before.at), eb('f.id', '<', before.id)])]));
    return q.orderBy('f.last_seen_at', 'desc').orderBy('f.id', 'desc').limit(query.limit).execute();
  }

  /** Stars payments of the player refunded since `sinceMs`. */
  async refundsSince(playerId: string, sinceMs: number): Promise<number> {
    const row = await this.db
      .selectFrom('star_payments')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('player_id', '=', playerId)
      .where('refunded_at', '>=', sinceMs)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The players of recorded payments (for reconciliation differences). */
  async playersOfCharges(chargeIds: readonly string[]): Promise<Map<string, string>> {
    if (chargeIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('star_payments')
      .select(['charge_id', 'player_id'])
      .where('charge_id', 'in', [...chargeIds])
      .where('player_id', 'is not', null)
      .execute();
    return new Map(rows.map((r) => [r.charge_id, r.player_id!]));
  }
}
