/**
 * Referral rewards (docs/ECONOMY.md, "Referrals"; ADR 0019). A player created on first sight
 * through another player's share or invite link (`ref_<inviteCode>`) is recorded as that
 * player's referral; their first adoption decides it once, in the adoption's own transaction:
 * coins for both through the ledger (idempotency keys per referred player and role), the
 * referral marked, and a `referral` event for each player, all or nothing. An inviter over the
 * cap (REFERRAL_CAP) gets nothing and a flag; the new player is paid all the same.
 */
import type { Transaction } from 'kysely';
import type { Logger } from 'pino';
import { REFERRAL_CAP, REFERRAL_REWARD } from '../../shared/balance.js';
import type { OwnerBus } from '../bus/owner-bus.js';
import type { Database } from '../db/schema.js';
import { appendEvents } from '../repositories/events-repository.js';
import type { LedgerRepository } from '../repositories/ledger-repository.js';
import type { ReferralsRepository } from '../repositories/referrals-repository.js';

const DAY_MS = 86_400_000;

/** The ledger reason of referral coins. */
export const REFERRAL_REASON = 'referral_reward';

/** The ledger idempotency key of one side of a referral's reward. */
export const referralKey = (referredId: string, role: 'inviter' | 'referred'): string => `referral:${referredId}:${role}`;

/** What a first adoption decided (null from `decideInAdoption` when there was nothing to decide). */
export interface ReferralOutcome {
  referredId: string;
  inviterId: string;
  status: 'rewarded' | 'capped' | 'void';
  inviterCoins: number;
  referredCoins: number;
  inviterName: string;
  referredName: string;
  /** The inviter's referrals paid to them in the cap's window before this one. */
  rewardedInWindow: number;
}

/** What the anti-fraud review hears of referrals (fire-and-forget; must not throw). */
export interface ReferralSignals {
  /** A referral was recorded (the address of the new player's first requests is heard separately). */
  recorded(inviterId: string, referredId: string): void;
  /** A referral was decided (capped ones raise a flag; each one reviews the inviter's churn). */
  decided(outcome: ReferralOutcome): void;
}

export interface ReferralServiceDeps {
  repo: ReferralsRepository;
  ledger: LedgerRepository;
  bus: OwnerBus;
  logger: Logger;
  now: () => number;
}

export class ReferralService {
  /** Told of recorded and decided referrals (the anti-fraud review). */
  signals: ReferralSignals | null = null;

  constructor(private readonly deps: ReferralServiceDeps) {}

  /**
   * Records that `inviterId` brought the new player `referredId` (called once, when the player
   * is created). Idempotent: a player has at most one referral.
   */
  async record(inviterId: string, referredId: string): Promise<void> {
    if (inviterId === referredId) return;
    const recorded = await this.deps.repo.record(inviterId, referredId, this.deps.now());
    if (!recorded) return;
    this.deps.logger.info({ inviterId, referredId }, 'referral recorded');
    this.tell((s) => s.recorded(inviterId, referredId));
  }

  /**
   * Inside the transaction of `referredId`'s adoption (after the pet is stored, before the
   * starter pack: ledger accounts before inventory rows): decides their pending referral, if
   * any, once. Null when there is none pending (no referral, or decided before: a second pet,
   * a retried or concurrent adoption).
   *
   * Lock order on Postgres: the adopting player's row (the adoption), the inviter's row (here;
   * an inviter was created before whoever they referred, so these never wait in a circle), then
   * the ledger accounts.
   */
  async decideInAdoption(trx: Transaction<Database>, referredId: string, nowMs: number): Promise<ReferralOutcome | null> {
    const { repo, ledger } = this.deps;
    const referral = await repo.pending(trx, referredId);
    if (!referral) return null;
    const inviterId = referral.inviter_id;
    const inviter = await repo.lockInviter(trx, inviterId);
    const referred = await trx.selectFrom('players').select('first_name').where('id', '=', referredId).executeTakeFirst();
    const since = nowMs - REFERRAL_CAP.windowDays * DAY_MS;
    const rewardedInWindow = inviter ? await repo.rewardedSince(trx, inviterId, since) : 0;
    const status: ReferralOutcome['status'] =
      !inviter || inviter.banned_at !== null ? 'void' : rewardedInWindow >= REFERRAL_CAP.rewards ? 'capped' : 'rewarded';
    const inviterCoins = status === 'rewarded' ? REFERRAL_REWARD.inviterCoins : 0;
    const referredCoins = status === 'void' ? 0 : REFERRAL_REWARD.referredCoins;
    if (!(await repo.decide(trx, referredId, { status, inviterCoins, referredCoins }, nowMs))) return null;

    const pay = async (playerId: string, role: 'inviter' | 'referred', coins: number): Promise<void> => {
      if (coins <= 0) return;
      const posted = await ledger.post(trx, {
        idempotencyKey: referralKey(referredId, role),
        reason: REFERRAL_REASON,
        playerId,
        meta: { referredId, inviterId, role },
        postings: await ledger.creditPostings(trx, playerId, coins),
        nowMs,
      });
      // The referral row was pending, so no key of it can have been used: a used one means the
      // ledger and the referrals disagree, and the whole adoption rolls back rather than guess.
      if (!posted.applied) throw new Error(`referral reward ${referralKey(referredId, role)} was paid before its referral was decided`);
    };
    await pay(referredId, 'referred', referredCoins);
    await pay(inviterId, 'inviter', inviterCoins);
    if (status !== 'void') {
      await appendEvents(trx, [
        { kind: 'referral', playerId: referredId, at: nowMs, payload: { referredId, inviterId, role: 'referred', status, coins: referredCoins } },
        { kind: 'referral', playerId: inviterId, at: nowMs, payload: { referredId, inviterId, role: 'inviter', status, coins: inviterCoins } },
      ]);
    }
    return {
      referredId,
      inviterId,
      status,
      inviterCoins,
      referredCoins,
      inviterName: inviter?.first_name ?? '',
      referredName: referred?.first_name ?? '',
      rewardedInWindow,
    };
  }

  /**
   * After the adoption committed: both players' open homes read their coins again, the inviter
   * gets a `referral` progress notice (a toast), and the review hears of it.
   */
  announce(outcome: ReferralOutcome): void {
    const { bus, logger } = this.deps;
    if (outcome.referredCoins > 0) bus.publish(outcome.referredId, { kind: 'holdings' });
    if (outcome.inviterCoins > 0) {
      bus.publish(outcome.inviterId, { kind: 'holdings' });
      bus.publish(outcome.inviterId, { kind: 'progress', notices: [{ kind: 'referral', friendName: outcome.referredName, rewardCoins: outcome.inviterCoins }] });
    }
    logger.info(
      { referredId: outcome.referredId, inviterId: outcome.inviterId, status: outcome.status, inviterCoins: outcome.inviterCoins, referredCoins: outcome.referredCoins },
      'referral decided',
    );
    this.tell((s) => s.decided(outcome));
  }

  private tell(signal: (s: ReferralSignals) => void): void {
    if (!this.signals) return;
    try {
      signal(this.signals);
    } catch (err) {
      this.deps.logger.warn({ err }, 'referral signal failed');
    }
  }
}
