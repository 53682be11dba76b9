/**
 * The double-entry ledger. Every change of a balance is a transaction of entries that sum to
 * zero per currency, with a reason and a unique idempotency key; entries and transactions are
 * append-only (database triggers refuse updates and deletes).
 *
 * Player accounts (wallet, debt) keep their balance in step inside the same database
 * transaction with a conditional update, so a wallet never goes below zero (and a CHECK
 * constraint backs that up); each entry stores the balance right after it. System accounts
 * keep no running balance: theirs is the sum of their entries.
 *
 * Posting takes the idempotency key first (an insert that conflicts on the unique key), so a
 * replay, sequential or concurrent, waits for the first and then finds it: it changes nothing
 * and the caller rebuilds the first result from what the first one stored.
 *
 * Lock order per player, in every transaction that takes more than one of these (so that
 * concurrent ones cannot deadlock on Postgres): the progress row, then quest rows, then the
 * ledger accounts (debt, then wallet: `lockPlayer`, or `post`, which updates in id order),
 * then inventory rows.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../../shared/errors.js';
import type { Dialect } from '../db/database.js';
import type { Database, LedgerAccountKind } from '../db/schema.js';
import type { Metrics } from '../metrics.js';

type Currency = 'coins' | 'XTR';
export type Executor = Kysely<Database> | Transaction<Database>;

/** Accounts of the game itself. */
export const SYSTEM_ACCOUNTS = {
  /** Where earned coins come from (rewards, Stars packs) and refunded coins go back to. */
  issuance: 'system:issuance:coins',
  /** Where coins spent in the shop go. */
  shop: 'system:shop:coins',
  /** Stars paid by players, as Telegram reports them. */
  telegramStars: 'system:telegram:XTR',
  /** Stars revenue of the game. */
  starsRevenue: 'system:revenue:XTR',
  /** Coins granted (out) and taken (in) by admins from the admin panel. */
  admin: 'system:admin:coins',
} as const;

const SYSTEM_CURRENCY: Record<string, Currency> = {
  [SYSTEM_ACCOUNTS.issuance]: 'coins',
  [SYSTEM_ACCOUNTS.shop]: 'coins',
  [SYSTEM_ACCOUNTS.telegramStars]: 'XTR',
  [SYSTEM_ACCOUNTS.starsRevenue]: 'XTR',
  [SYSTEM_ACCOUNTS.admin]: 'coins',
};

export function walletAccount(playerId: string, currency: Currency = 'coins'): string {
  return `wallet:${playerId}:${currency}`;
}

export function debtAccount(playerId: string, currency: Currency = 'coins'): string {
  return `debt:${playerId}:${currency}`;
}

interface AccountRef {
  id: string;
  playerId: string | null;
  currency: Currency;
  kind: LedgerAccountKind;
}

/** Parses an account id made by the helpers above. */
function accountRef(accountId: string): AccountRef {
  const system = SYSTEM_CURRENCY[accountId];
  if (system) return { id: accountId, playerId: null, currency: system, kind: 'system' };
  const match = /^(wallet|debt):(.+):(coins|XTR)$/.exec(accountId);
  if (!match) throw new Error(`not a ledger account id: ${accountId}`);
  return { id: accountId, playerId: match[2] as string, currency: match[3] as Currency, kind: match[1] as LedgerAccountKind };
}

export interface Posting {
  accountId: string;
  /** Positive credits the account, negative debits it. Never zero. */
  amount: number;
}

interface PostRequest {
  idempotencyKey: string;
  reason: string;
  playerId: string | null;
  /** What the request asked for; the same key with a different hash is refused. */
  requestHash?: string | null;
  meta?: Record<string, unknown>;
  postings: readonly Posting[];
  nowMs: number;
}

interface PostedEntry {
  accountId: string;
  currency: Currency;
  amount: number;
  balanceAfter: number | null;
}

type PostResult =
  | { applied: true; transactionId: string; entries: PostedEntry[] }
  /** The key was used before: nothing changed; `transactionId` is the first transaction. */
  | { applied: false; transactionId: string; entries: PostedEntry[] };

/** Thrown inside the database transaction when a debit would take a wallet below zero. */
export class InsufficientFundsError extends AppError {
  constructor(
    readonly accountId: string,
    readonly needed: number,
  ) {
    super('INSUFFICIENT_FUNDS', undefined, { accountId, needed });
  }
}

/** Entries must name distinct accounts and sum to zero per currency. */
function checkBalanced(postings: readonly Posting[]): void {
  if (postings.length < 2) throw new Error('a ledger transaction needs at least two entries');
  const sums = new Map<Currency, number>();
  const seen = new Set<string>();
  for (const p of postings) {
    if (!Number.isSafeInteger(p.amount) || p.amount === 0) throw new Error(`entry amounts are non-zero integers (${p.amount})`);
    if (seen.has(p.accountId)) throw new Error(`account ${p.accountId} appears twice in one transaction`);
    seen.add(p.accountId);
    const { currency } = accountRef(p.accountId);
    sums.set(currency, (sums.get(currency) ?? 0) + p.amount);
  }
  for (const [currency, sum] of sums) {
    if (sum !== 0) throw new Error(`entries in ${currency} sum to ${sum}, not zero`);
  }
}

/** The counters a ledger post moves (server/metrics.ts). */
export type LedgerMetrics = Pick<Metrics, 'coinsEarned' | 'coinsSpent' | 'starsRevenue' | 'starsRefunds' | 'starsRefunded'>;

/** The ledger reason of a Stars refund (stars-service.ts posts it). */
const STARS_REFUND_REASON = 'stars_refund';

export class LedgerRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly metrics: LedgerMetrics | null = null,
  ) {}

  /**
   * Moves the economy counters for a transaction just posted (or, for writes that bypass
   * `post`, such as the shop's one-statement purchase on Postgres, just committed): coins into
   * and out of players' accounts by reason, Stars revenue and refunds. Counted as posted: a
   * caller's transaction that rolls back after its post (a SQLite purchase of an item already
   * owned) still counted; the ledger tables, not the counters, are the record.
   */
  observe(reason: string, postings: readonly Posting[]): void {
    const metrics = this.metrics;
    if (!metrics) return;
    let earned = 0;
    let spent = 0;
    for (const p of postings) {
      const ref = accountRef(p.accountId);
      if (ref.currency === 'coins' && ref.kind !== 'system') {
        if (p.amount > 0) earned += p.amount;
        else spent -= p.amount;
      } else if (p.accountId === SYSTEM_ACCOUNTS.starsRevenue) {
        if (p.amount > 0) metrics.starsRevenue.inc({ reason }, p.amount);
        else metrics.starsRefunded.inc(-p.amount);
      }
    }
    if (earned > 0) metrics.coinsEarned.inc({ reason }, earned);
    if (spent > 0) metrics.coinsSpent.inc({ reason }, spent);
    if (reason === STARS_REFUND_REASON) metrics.starsRefunds.inc();
  }

  /**
   * The postings that credit a player `amount` from `source`: what the player owes (debt from
   * a refund of something already spent) is paid back first, the rest lands in the wallet.
   * On Postgres the debt row is locked, so concurrent credits cannot repay the same debt twice.
   */
  async creditPostings(trx: Transaction<Database>, playerId: string, amount: number, source: string = SYSTEM_ACCOUNTS.issuance): Promise<Posting[]> {
    let query = trx.selectFrom('ledger_accounts').select('balance').where('id', '=', debtAccount(playerId));
    if (this.dialect === 'postgres') query = query.forUpdate();
    const debt = await query.executeTakeFirst();
    const owed = debt ? -debt.balance : 0;
    const repay = Math.min(owed, amount);
    const postings: Posting[] = [{ accountId: source, amount: -amount }];
    if (repay > 0) postings.push({ accountId: debtAccount(playerId), amount: repay });
    if (amount - repay > 0) postings.push({ accountId: walletAccount(playerId), amount: amount - repay });
    return postings;
  }

  /**
   * Posts a transaction inside `trx` (the caller's database transaction, so the ledger moves
   * with whatever else the caller writes). Throws `InsufficientFundsError` when a wallet would
   * go below zero; the caller's transaction must then roll back.
   */
  async post(trx: Transaction<Database>, request: PostRequest): Promise<PostResult> {
    checkBalanced(request.postings);
    const transactionId = randomUUID();
    const claimed = await trx
      .insertInto('ledger_transactions')
      .values({
        id: transactionId,
        idempotency_key: request.idempotencyKey,
        reason: request.reason,
        player_id: request.playerId,
        request_hash: request.requestHash ?? null,
        meta: JSON.stringify(request.meta ?? {}),
        created_at: request.nowMs,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!claimed) {
      const first = await this.findByKey(trx, request.idempotencyKey);
      if (!first) throw new Error(`idempotency key ${request.idempotencyKey} conflicted but is not visible`);
      if ((request.requestHash ?? null) !== first.requestHash) {
        throw new AppError('IDEMPOTENCY_KEY_REUSED', undefined, { idempotencyKey: request.idempotencyKey });
      }
      return { applied: false, transactionId: first.id, entries: await this.entries(trx, first.id) };
    }

    const refs = request.postings.map((p) => accountRef(p.accountId));
    await this.ensureAccounts(trx, refs, request.nowMs);
    // Lock order by account id, so two transactions touching the same accounts cannot deadlock.
    const order = request.postings.map((p, i) => ({ p, ref: refs[i] as AccountRef })).sort((a, b) => (a.p.accountId < b.p.accountId ? -1 : 1));
    const after = new Map<string, number | null>();
    for (const { p, ref } of order) {
      if (ref.kind === 'system') {
        after.set(p.accountId, null);
        continue;
      }
      const updated = await trx
        .updateTable('ledger_accounts')
        .set((eb) => ({ balance: eb('balance', '+', p.amount) }))
        .where('id', '=', p.accountId)
        .where((eb) =>
          ref.kind === 'wallet' ? eb(eb('balance', '+', p.amount), '>=', 0) : eb(eb('balance', '+', p.amount), '<=', 0),
        )
        .returning('balance')
        .executeTakeFirst();
      if (!updated) {
        if (ref.kind === 'wallet') throw new InsufficientFundsError(p.accountId, -p.amount);
        throw new Error(`entry of ${p.amount} would take debt account ${p.accountId} above zero`);
      }
      after.set(p.accountId, updated.balance);
    }
    const entries: PostedEntry[] = request.postings.map((p, i) => ({
      accountId: p.accountId,
      currency: (refs[i] as AccountRef).currency,
      amount: p.amount,
      balanceAfter: after.get(p.accountId) ?? null,
    }));
    await trx
      .insertInto('ledger_entries')
      .values(
        entries.map((e, seq) => ({
          transaction_id: transactionId,
          seq,
          account_id: e.accountId,
          currency: e.currency,
          amount: e.amount,
          balance_after: e.balanceAfter,
        })),
      )
      .execute();
    this.observe(request.reason, request.postings);
    return { applied: true, transactionId, entries };
  }

  /**
   * Creates the player's wallet and debt accounts if needed and locks both (debt, then
   * wallet) on Postgres, for transactions that go on to touch the inventory or read a
   * balance before posting.
   */
  async lockPlayer(trx: Transaction<Database>, playerId: string, nowMs: number): Promise<void> {
    const ids = [debtAccount(playerId), walletAccount(playerId)].sort();
    await this.ensureAccounts(trx, ids.map(accountRef), nowMs);
    if (this.dialect === 'postgres') {
      await trx.selectFrom('ledger_accounts').select('id').where('id', 'in', ids).orderBy('id').forUpdate().execute();
    }
  }

  private async ensureAccounts(trx: Transaction<Database>, refs: readonly AccountRef[], nowMs: number): Promise<void> {
    await trx
      .insertInto('ledger_accounts')
      .values(
        refs.map((r) => ({ id: r.id, player_id: r.playerId, currency: r.currency, kind: r.kind, balance: 0, created_at: nowMs })),
      )
      // No conflict target: two transactions creating the same account at once may collide
      // on the primary key or on the (player, currency, kind) index first; neither is an error.
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async findByKey(db: Executor, idempotencyKey: string): Promise<{ id: string; requestHash: string | null; createdAt: number } | undefined> {
    const row = await db
      .selectFrom('ledger_transactions')
      .select(['id', 'request_hash', 'created_at'])
      .where('idempotency_key', '=', idempotencyKey)
      .executeTakeFirst();
    return row && { id: row.id, requestHash: row.request_hash, createdAt: row.created_at };
  }

  async entries(db: Executor, transactionId: string): Promise<PostedEntry[]> {
    const rows = await db
      .selectFrom('ledger_entries')
      .select(['account_id', 'currency', 'amount', 'balance_after'])
      .where('transaction_id', '=', transactionId)
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({ accountId: r.account_id, currency: r.currency as Currency, amount: r.amount, balanceAfter: r.balance_after }));
  }

  /** A player's wallet and debt balances in a currency (0 when the account does not exist yet). */
  async balances(playerId: string, currency: Currency = 'coins', db: Executor = this.db): Promise<{ wallet: number; debt: number }> {
    const rows = await db
      .selectFrom('ledger_accounts')
      .select(['kind', 'balance'])
      .where('player_id', '=', playerId)
      .where('currency', '=', currency)
      .execute();
    let wallet = 0;
    let debt = 0;
    for (const r of rows) {
      if (r.kind === 'wallet') wallet = r.balance;
      else if (r.kind === 'debt') debt = -r.balance;
    }
    return { wallet, debt };
  }

  /** Sum of the positive entries into a player's wallet for the given reasons (achievements). */
  async earned(playerId: string, reasons: readonly string[], currency: Currency = 'coins'): Promise<number> {
    if (reasons.length === 0) return 0;
    const row = await this.db
      .selectFrom('ledger_entries as e')
      .innerJoin('ledger_transactions as t', 't.id', 'e.transaction_id')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('e.amount'), eb.lit(0)).as('total'))
      .where('e.account_id', '=', walletAccount(playerId, currency))
      .where('e.amount', '>', 0)
      .where('t.reason', 'in', reasons)
      .executeTakeFirstOrThrow();
    return Number(row.total);
  }
}
