/**
 * Referrals (migration 0021; docs/ECONOMY.md, "Referrals"): who brought a new player, and how
 * their first adoption decided the reward. One row per referred player.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Dialect } from '../db/database.js';
import type { Database, ReferralStatus, ReferralsTable } from '../db/schema.js';

export type ReferralRow = Selectable<ReferralsTable>;
type Executor = Kysely<Database> | Transaction<Database>;

export class ReferralsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** Records that `inviterId` brought `referredId` (pending); false when the referred player has a referral already. */
  async record(inviterId: string, referredId: string, nowMs: number): Promise<boolean> {
    const inserted = await this.db
      .insertInto('referrals')
      .values({ referred_id: referredId, inviter_id: inviterId, status: 'pending', created_at: nowMs, decided_at: null })
      .onConflict((oc) => oc.column('referred_id').doNothing())
      .returning('referred_id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** The referred player's referral if it still waits for its first adoption. */
  pending(trx: Transaction<Database>, referredId: string): Promise<ReferralRow | undefined> {
    return trx.selectFrom('referrals').selectAll().where('referred_id', '=', referredId).where('status', '=', 'pending').executeTakeFirst();
  }

  /**
   * The inviter's name and ban, read for the decision; on Postgres the inviter's row is locked
   * until the transaction ends, so the adoptions of two friends they brought count against
   * the cap one after the other.
   */
  async lockInviter(trx: Transaction<Database>, inviterId: string): Promise<{ first_name: string; banned_at: number | null } | undefined> {
    let query = trx.selectFrom('players').select(['first_name', 'banned_at']).where('id', '=', inviterId);
    if (this.dialect === 'postgres') query = query.forUpdate();
    return query.executeTakeFirst();
  }

  /** Referrals of the inviter paid to the inviter since `sinceMs` (exclusive). */
  async rewardedSince(db: Executor, inviterId: string, sinceMs: number): Promise<number> {
    const row = await db
      .selectFrom('referrals')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('inviter_id', '=', inviterId)
      .where('status', '=', 'rewarded')
      .where('decided_at', '>', sinceMs)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Decides a pending referral: a conditional update, so of two transactions deciding the same
   * referral one changes it and the other sees false (and pays nothing).
   */
  async decide(
    trx: Transaction<Database>,
    referredId: string,
    decision: { status: Exclude<ReferralStatus, 'pending'>; inviterCoins: number; referredCoins: number },
    nowMs: number,
  ): Promise<boolean> {
    const result = await trx
      .updateTable('referrals')
      .set({ status: decision.status, inviter_coins: decision.inviterCoins, referred_coins: decision.referredCoins, decided_at: nowMs })
      .where('referred_id', '=', referredId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * The inviter's referrals decided (rewarded or capped) in `(fromMs, toMs]`, newest first, at
   * most `limit`, each with when the referred player last appended an event (null: never), for
   * the churn review (referred accounts that adopt and never come back).
   */
  async decidedWithLastEvent(inviterId: string, fromMs: number, toMs: number, limit: number): Promise<{ referredId: string; decidedAt: number; lastEventAt: number | null }[]> {
    const rows = await this.db
      .selectFrom('referrals as r')
      .select(['r.referred_id', 'r.decided_at'])
      .select((eb) =>
        eb
          .selectFrom('events as e')
          .select('e.created_at')
          .whereRef('e.player_id', '=', 'r.referred_id')
          .orderBy('e.seq', 'desc')
          .limit(1)
          .as('last_event_at'),
      )
      .where('r.inviter_id', '=', inviterId)
      .where('r.status', 'in', ['rewarded', 'capped'])
      .where('r.decided_at', '>', fromMs)
      .where('r.decided_at', '<=', toMs)
      .orderBy('r.decided_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      referredId: r.referred_id,
      decidedAt: Number(r.decided_at),
      lastEventAt: r.last_event_at === null || r.last_event_at === undefined ? null : Number(r.last_event_at),
    }));
  }
}
