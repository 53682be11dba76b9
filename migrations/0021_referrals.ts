import { sql, type Kysely } from 'kysely';

/**
 * Referral rewards (docs/ECONOMY.md, "Referrals"; ADR 0019).
 *
 * - `referrals`: who brought a new player. One row per referred player (the primary key), made
 *   when a player is created on first sight through a `ref_<inviteCode>` start parameter of
 *   another, not banned, player. `status` is `pending` until the referred player adopts their
 *   first pet; that adoption's transaction moves it once, with a conditional update, to
 *   `rewarded` (both paid), `capped` (the inviter was over the cap: only the new player paid)
 *   or `void` (the inviter was banned by then: nobody paid), with the coins paid and when.
 *   The index serves the cap (an inviter's rewarded referrals in a window) and the review.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('referrals')
    .addColumn('referred_id', 'text', (c) => c.primaryKey().references('players.id'))
    .addColumn('inviter_id', 'text', (c) => c.notNull().references('players.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'rewarded', 'capped', 'void')`))
    .addColumn('inviter_coins', 'integer', (c) => c.notNull().defaultTo(0).check(sql`inviter_coins >= 0`))
    .addColumn('referred_coins', 'integer', (c) => c.notNull().defaultTo(0).check(sql`referred_coins >= 0`))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    .addCheckConstraint('referrals_not_self', sql`referred_id <> inviter_id`)
    .addCheckConstraint('referrals_decided', sql`(status = 'pending') = (decided_at is null)`)
    .execute();
  await db.schema.createIndex('referrals_inviter_idx').on('referrals').columns(['inviter_id', 'status', 'decided_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('referrals').execute();
}
