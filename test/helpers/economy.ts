/** Ledger helpers for tests: credit coins the way rewards do, and check the ledger's invariants. */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../server/db/schema.js';
import type { LedgerRepository } from '../../server/repositories/ledger-repository.js';
import { ACHIEVEMENTS } from '../../shared/progression.js';
import { TEST_START_MS } from './clock.js';

/** Credits `amount` coins to a player from the issuance account (as a reward would), stamped at the test clocks' start. */
export async function grantCoins(db: Kysely<Database>, ledger: LedgerRepository, playerId: string, amount: number, key = `test-grant:${randomUUID()}`): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const posted = await ledger.post(trx, {
      idempotencyKey: key,
      reason: 'test_grant',
      playerId,
      postings: await ledger.creditPostings(trx, playerId, amount),
      nowMs: TEST_START_MS,
    });
    return posted.applied;
  });
}

/**
 * Every transaction sums to zero per currency; every tracked balance equals the sum of its
 * entries and the last entry's balance_after; no wallet is negative and no debt positive.
 */
export async function assertLedgerConsistent(db: Kysely<Database>): Promise<{ transactions: number; entries: number }> {
  const unbalanced = await db
    .selectFrom('ledger_entries')
    .select(['transaction_id', 'currency', (eb) => eb.fn.sum<number>('amount').as('total')])
    .groupBy(['transaction_id', 'currency'])
    .having((eb) => eb.fn.sum('amount'), '<>', 0)
    .execute();
  assert.deepEqual(unbalanced, [], 'every transaction sums to zero per currency');

  const sums = await db
    .selectFrom('ledger_accounts as a')
    .leftJoin('ledger_entries as e', 'e.account_id', 'a.id')
    .select(['a.id', 'a.kind', 'a.balance', (eb) => eb.fn.coalesce(eb.fn.sum<number>('e.amount'), eb.lit(0)).as('total')])
    .groupBy(['a.id', 'a.kind', 'a.balance'])
    .execute();
  for (const account of sums) {
    if (account.kind === 'system') {
      assert.equal(account.balance, 0, `system account ${account.id} keeps no running balance`);
      continue;
    }
    assert.equal(account.balance, Number(account.total), `balance of ${account.id} equals its entries`);
    if (account.kind === 'wallet') assert.ok(account.balance >= 0, `${account.id} is not negative`);
    if (account.kind === 'debt') assert.ok(account.balance <= 0, `${account.id} is not positive`);
  }

  const tracked = await db
    .selectFrom('ledger_entries as e')
    .innerJoin('ledger_accounts as a', 'a.id', 'e.account_id')
    .select(['e.account_id', 'e.transaction_id', 'e.amount', 'e.balance_after', 'a.kind'])
    .where('a.kind', '<>', 'system')
    .execute();
  for (const e of tracked) assert.notEqual(e.balance_after, null, 'entries of player accounts record the balance after');

  const counts = await db
    .selectFrom('ledger_transactions')
    .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.count<number>('idempotency_key').distinct().as('keys')])
    .executeTakeFirstOrThrow();
  assert.equal(Number(counts.n), Number(counts.keys), 'each idempotency key applied once');
  const entries = await db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { transactions: Number(counts.n), entries: Number(entries.n) };
}

/**
 * Marks every achievement as already awarded to a player (at the test clocks' start), so tests
 * about the shop or payments see exact balances (otherwise a first purchase, for example, also
 * pays its achievement).
 */
export async function preAwardAchievements(db: Kysely<Database>, playerId: string): Promise<void> {
  await db
    .insertInto('player_achievements')
    .values(ACHIEVEMENTS.map((a) => ({ player_id: playerId, achievement_id: a.id, awarded_at: TEST_START_MS })))
    .onConflict((oc) => oc.columns(['player_id', 'achievement_id']).doNothing())
    .execute();
}
