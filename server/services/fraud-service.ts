/**
 * The anti-fraud review (docs/moderation.md). The game tells this service what it noticed
 * (`observe*`), never waiting for it: every observation is fire-and-forget, and a failure is
 * only logged, so flagging never breaks or slows a game path. Thresholds decide when an
 * observation raises a flag; one open flag per player and kind counts the repeats.
 * Moderators decide flags: clear, warn (a bot message), ban (admins only, BanService) or
 * exclude from the leaderboards; each decision is audited in the transaction of its change.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { FraudDecision, FraudFlagDto, FraudKind } from '../../shared/dto.js';
import { REFERRAL_CAP } from '../../shared/balance.js';
import { AppError } from '../../shared/errors.js';
import type { AdminPrincipal } from '../auth/admin-auth.js';
import type { Database, FraudFlagStatus, FraudFlagsTable } from '../db/schema.js';
import { recordAudit, type AuditActor } from '../repositories/admin-repository.js';
import type { FraudFlagListRow, FraudRepository } from '../repositories/fraud-repository.js';
import type { Cursor } from '../repositories/moderation-repository.js';
import type { ReferralsRepository } from '../repositories/referrals-repository.js';
import type { ReferralOutcome } from './referral-service.js';
import type { BanService } from './ban-service.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** When an observation raises a flag (docs/moderation.md has the table). */
export const FRAUD_THRESHOLDS = {
  /** UTC offset changes per player in a sliding window: more than `max` raise a flag. */
  utcOffsetChanges: { max: 3, windowMs: 7 * DAY_MS },
  /** Stars refunds per player in a window: this many or more raise a flag. */
  refunds: { min: 3, windowMs: 30 * DAY_MS },
  /** New accounts first seen from one address in a window: more than `max` flag each of them. */
  ipBurst: { max: 5, windowMs: HOUR_MS },
  /** Rate limits a player hit (first refusals, one per limit window) in a window: this many or more raise a flag. */
  rateLimited: { min: 3, windowMs: HOUR_MS },
  /**
   * Accounts one inviter brought whose first requests came from one address in a window: more
   * than `max` flag the inviter (`referral_address`).
   */
  referralAddress: { max: 2, windowMs: DAY_MS },
  /**
   * Referred accounts that adopt and never come back, reviewed whenever one of the inviter's
   * referrals is decided: of the inviter's referrals decided between `lookbackMs` and `quietMs`
   * ago, those whose player appended no event later than `returnMs` after the decision. At
   * least `min` of them, and at least `share` of those referrals, flag the inviter (`referral_churn`).
   */
  referralChurn: { min: 3, share: 0.75, returnMs: DAY_MS, quietMs: 3 * DAY_MS, lookbackMs: 30 * DAY_MS, rows: 100 },
} as const;

/** Evidence kept per flag (JSON characters); longer evidence is cut. */
export const EVIDENCE_MAX_CHARS = 2048;
/** Keys each in-memory window keeps at most (the oldest go first). */
const WINDOW_KEYS = 10_000;
/** Sightings one window key keeps at most. */
const WINDOW_SIGHTINGS = 64;

/** What a warning says to the player (i18n key `bot.fraudWarning`), by language. */
export type WarnPlayer = (playerId: string) => Promise<boolean>;

/** Told when a player is excluded from the leaderboards (the leaderboards rebuild their boards). */
export type ExclusionListener = (playerId: string) => void | Promise<void>;

export interface FraudServiceDeps {
  db: Kysely<Database>;
  repo: FraudRepository;
  bans: BanService;
  /** Sends the warning bot message; false when it could not (no bot, the player blocked it). */
  warn: WarnPlayer;
  /** The inviters' referrals with their players' last event (the churn review); none: no churn review. */
  referrals?: Pick<ReferralsRepository, 'decidedWithLastEvent'>;
  /** Hides an excluded player on every leaderboard, in the exclusion's transaction. */
  refreshLeaderboards?: (db: Kysely<Database>, playerId: string) => Promise<void>;
  logger: Logger;
  now: () => number;
}

/**
 * Sightings per key in a sliding window, in this process (a restart or another process
 * starts from zero: the thresholds then hold per process; docs/moderation.md).
 */
class SlidingWindows<T = number> {
  private readonly keys = new Map<string, { at: number; value: T }[]>();

  constructor(private readonly windowMs: number) {}

  /** Adds a sighting and returns the sightings still in the window (the new one last). */
  add(key: string, nowMs: number, value: T): { at: number; value: T }[] {
    const kept = (this.keys.get(key) ?? []).filter((s) => s.at > nowMs - this.windowMs);
    kept.push({ at: nowMs, value });
    if (kept.length > WINDOW_SIGHTINGS) kept.splice(0, kept.length - WINDOW_SIGHTINGS);
    this.keys.delete(key);
    this.keys.set(key, kept);
    if (this.keys.size > WINDOW_KEYS) {
      const oldest = this.keys.keys().next();
      if (!oldest.done) this.keys.delete(oldest.value);
    }
    return kept;
  }
}

/** JSON of the evidence, cut to EVIDENCE_MAX_CHARS. */
export function boundedEvidence(evidence: Record<string, unknown>): string {
  const text = JSON.stringify(evidence);
  if (text.length <= EVIDENCE_MAX_CHARS) return text;
  return JSON.stringify({ truncated: true, head: text.slice(0, EVIDENCE_MAX_CHARS - 64) });
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

const STATUS_OF: Record<FraudDecision, Exclude<FraudFlagStatus, 'open'>> = { clear: 'cleared', warn: 'warned', ban: 'banned', exclude: 'excluded' };

export class FraudService {
  private readonly offsetChanges = new SlidingWindows(FRAUD_THRESHOLDS.utcOffsetChanges.windowMs);
  private readonly newAccounts = new SlidingWindows<string>(FRAUD_THRESHOLDS.ipBurst.windowMs);
  private readonly limitHits = new SlidingWindows<string>(FRAUD_THRESHOLDS.rateLimited.windowMs);
  private readonly referredAddresses = new SlidingWindows<string>(FRAUD_THRESHOLDS.referralAddress.windowMs);
  /** The inviter of each recently recorded referral (referred player id → inviter id), bounded. */
  private readonly inviterOf = new Map<string, string>();
  /** Accounts already counted for an address (a new player's first requests all look new). */
  private readonly seenNew = new Set<string>();
  private readonly exclusionListeners: ExclusionListener[] = [];
  private pending = new Set<Promise<void>>();
  /** The last observation under way per player (they run in order). */
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly deps: FraudServiceDeps) {}

  // ---- observations (fire-and-forget) ---------------------------------------------------

  /** A minigame round ended with anomalies (too fast or impossible taps). */
  observeMinigame(playerId: string, evidence: { gameId: string; kind: string; score: number; taps: number; suspicious: number }): void {
    if (evidence.suspicious <= 0) return;
    this.raiseSafely(playerId, 'minigame_anomaly', evidence.suspicious >= 5 ? 'high' : 'medium', evidence);
  }

  /** The player asked for another UTC offset. */
  observeUtcOffsetChange(playerId: string, from: number, to: number): void {
    const now = this.deps.now();
    const changes = this.offsetChanges.add(playerId, now, to);
    const t = FRAUD_THRESHOLDS.utcOffsetChanges;
    if (changes.length <= t.max) return;
    this.raiseSafely(playerId, 'utc_offset_changes', 'medium', {
      changes: changes.length,
      windowDays: t.windowMs / DAY_MS,
      latest: { from, to },
      offsets: changes.map((c) => c.value),
    });
  }

  /** A Stars payment of the player was refunded. */
  observeRefund(playerId: string, chargeId: string): void {
    this.background(async () => {
      const t = FRAUD_THRESHOLDS.refunds;
      const refunds = await this.deps.repo.refundsSince(playerId, this.deps.now() - t.windowMs);
      if (refunds < t.min) return;
      await this.raise(playerId, 'refunds', 'high', { refunds, windowDays: t.windowMs / DAY_MS, latestChargeId: chargeId });
    }, playerId);
  }

  /** A payment matched no order of the player (or Telegram and the ledger disagree on it). */
  observePaymentMismatch(playerId: string | null, evidence: Record<string, unknown>): void {
    if (!playerId) {
      this.deps.logger.warn({ ...evidence }, 'fraud: a payment mismatch without a known player: not flagged');
      return;
    }
    this.raiseSafely(playerId, 'payment_mismatch', 'high', evidence);
  }

  /** Reconciliation's differences: each charge with a local player flags them. */
  observeReconciliation(differences: readonly { chargeId: string; problem: string; telegramAmount: number | null; localAmount: number | null }[]): void {
    if (differences.length === 0) return;
    this.background(async () => {
      const players = await this.deps.repo.playersOfCharges(differences.slice(0, 500).map((d) => d.chargeId));
      for (const d of differences) {
        const playerId = players.get(d.chargeId);
        if (playerId) await this.raise(playerId, 'payment_mismatch', 'high', { source: 'reconciliation', ...d });
      }
    }, null);
  }

  /**
   * A player was created by a request from `ip` (called for every request of a player younger
   * than a minute; each account counts once). More than the threshold in the window flags
   * every account of the burst.
   */
  observeNewPlayer(ip: string, playerId: string): void {
    const marker = `${ip}|${playerId}`;
    if (this.seenNew.has(marker)) return;
    this.seenNew.add(marker);
    if (this.seenNew.size > WINDOW_KEYS) this.seenNew.delete(this.seenNew.values().next().value!);
    this.referredFrom(ip, playerId);
    const accounts = this.newAccounts.add(ip, this.deps.now(), playerId);
    const t = FRAUD_THRESHOLDS.ipBurst;
    if (accounts.length <= t.max) return;
    const evidence = { ip, accounts: accounts.length, windowMinutes: t.windowMs / 60_000, accountIds: accounts.slice(-20).map((a) => a.value) };
    // Crossing the threshold flags the whole burst; after that each new account.
    const flagged = accounts.length === t.max + 1 ? accounts.map((a) => a.value) : [playerId];
    for (const id of flagged) this.raiseSafely(id, 'ip_burst', 'medium', evidence);
  }

  /** A player reached a request limit (called once per limit window, at its first refusal). */
  observeRateLimited(playerId: string, limit: string): void {
    const hits = this.limitHits.add(playerId, this.deps.now(), limit);
    const t = FRAUD_THRESHOLDS.rateLimited;
    if (hits.length < t.min) return;
    this.raiseSafely(playerId, 'rate_limited', 'low', { hits: hits.length, windowMinutes: t.windowMs / 60_000, limits: hits.map((h) => h.value) });
  }

  /**
   * A new player was recorded as `inviterId`'s referral (before their first request is seen
   * with its address in `observeNewPlayer`).
   */
  observeReferral(inviterId: string, referredId: string): void {
    this.inviterOf.delete(referredId);
    this.inviterOf.set(referredId, inviterId);
    if (this.inviterOf.size > WINDOW_KEYS) this.inviterOf.delete(this.inviterOf.keys().next().value!);
  }

  /**
   * A referral was decided with its player's first adoption: over the cap flags the inviter
   * (`referral_cap`), and every decision reviews the inviter's referred accounts for churn.
   */
  observeReferralDecided(outcome: ReferralOutcome): void {
    const { inviterId } = outcome;
    if (outcome.status === 'capped') {
      this.raiseSafely(inviterId, 'referral_cap', 'medium', {
        referredId: outcome.referredId,
        rewardedInWindow: outcome.rewardedInWindow,
        cap: REFERRAL_CAP.rewards,
        windowDays: REFERRAL_CAP.windowDays,
      });
    }
    const repo = this.deps.referrals;
    if (!repo || outcome.status === 'void') return;
    this.background(async () => {
      const t = FRAUD_THRESHOLDS.referralChurn;
      const now = this.deps.now();
      const decided = await repo.decidedWithLastEvent(inviterId, now - t.lookbackMs, now - t.quietMs, t.rows);
      const churned = decided.filter((r) => r.lastEventAt === null || r.lastEventAt <= r.decidedAt + t.returnMs);
      if (churned.length < t.min || churned.length < t.share * decided.length) return;
      await this.raise(inviterId, 'referral_churn', 'medium', {
        churned: churned.length,
        decided: decided.length,
        quietDays: t.quietMs / DAY_MS,
        lookbackDays: t.lookbackMs / DAY_MS,
        referredIds: churned.slice(0, 20).map((r) => r.referredId),
      });
      this.deps.logger.info({ playerId: inviterId, kind: 'referral_churn' }, 'fraud flag raised');
    }, inviterId);
  }

  /** Resolves when every observation under way is stored (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /** A referred account's first address: more of one inviter's from one address than the threshold flag the inviter. */
  private referredFrom(ip: string, playerId: string): void {
    const inviterId = this.inviterOf.get(playerId);
    if (inviterId === undefined) return;
    const accounts = this.referredAddresses.add(`${inviterId}|${ip}`, this.deps.now(), playerId);
    const t = FRAUD_THRESHOLDS.referralAddress;
    if (accounts.length <= t.max) return;
    this.raiseSafely(inviterId, 'referral_address', 'medium', {
      ip,
      accounts: accounts.length,
      windowHours: t.windowMs / HOUR_MS,
      referredIds: accounts.slice(-20).map((a) => a.value),
    });
  }

  // ---- the review -----------------------------------------------------------------------

  async list(query: { status: FraudFlagStatus; kind?: string; playerId?: string; before?: Cursor; limit: number }): Promise<{ items: FraudFlagDto[]; nextCursor: string | null }> {
    const rows = await this.deps.repo.list(query);
    const last = rows.at(-1);
    return { items: rows.map(toDto), nextCursor: rows.length === query.limit && last ? `${Number(last.last_seen_at)}:${last.id}` : null };
  }

  /** Runs `listener` whenever a player is excluded from the leaderboards. */
  onLeaderboardExclusion(listener: ExclusionListener): void {
    this.exclusionListeners.push(listener);
  }

  /**
   * Removes a player from every leaderboard: sets `players.leaderboard_excluded_at` (once) and
   * audits it, in `db` when given (the transaction of a flag decision), else in its own.
   */
  async excludeFromLeaderboards(playerId: string, actor: AuditActor, reason: string, options: { ip?: string | null; db?: Kysely<Database> } = {}): Promise<boolean> {
    const run = async (trx: Kysely<Database>): Promise<boolean> => {
      const now = this.deps.now();
      const before = await trx.selectFrom('players').select(['id', 'leaderboard_excluded_at']).where('id', '=', playerId).executeTakeFirst();
      if (!before) throw new AppError('PLAYER_NOT_FOUND');
      if (before.leaderboard_excluded_at !== null) return false;
      await trx.updateTable('players').set({ leaderboard_excluded_at: now, updated_at: now }).where('id', '=', playerId).execute();
      // The boards hide the player in the same transaction.
      await this.deps.refreshLeaderboards?.(trx, playerId);
      await recordAudit(
        trx,
        {
          actor,
          action: 'player.exclude_leaderboards',
          targetType: 'player',
          targetId: playerId,
          reason,
          before: { leaderboardExcludedAt: null },
          after: { leaderboardExcludedAt: now },
          ip: options.ip ?? null,
        },
        now,
      );
      return true;
    };
    const changed = options.db ? await run(options.db) : await this.deps.db.transaction().execute(run);
    if (changed && !options.db) this.excluded(playerId);
    return changed;
  }

  /** A decision on an open flag. */
  async decide(actor: AdminPrincipal, flagId: string, decision: FraudDecision, reason: string, ip: string | null): Promise<{ flag: FraudFlagDto; messaged: boolean }> {
    if (decision === 'ban' && actor.role !== 'admin') throw new AppError('ADMIN_ROLE_REQUIRED', 'Only an admin may ban');
    const flag = await this.deps.repo.find(flagId);
    if (!flag) throw new AppError('FLAG_NOT_FOUND');
    if (flag.status !== 'open') throw new AppError('FLAG_DECIDED');
    const status = STATUS_OF[decision];
    const close = async (trx: Kysely<Database>): Promise<void> => {
      const now = this.deps.now();
      if (!(await this.deps.repo.decide(trx, flagId, { status, by: actor.id, reason }, now))) throw new AppError('FLAG_DECIDED');
      await recordAudit(
        trx,
        {
          actor,
          action: `fraud.${decision}`,
          targetType: 'fraud_flag',
          targetId: flagId,
          reason,
          before: { status: 'open', playerId: flag.player_id, kind: flag.kind, count: flag.count },
          after: { status },
          ip,
        },
        now,
      );
    };
    let excluded = false;
    if (decision === 'ban') {
      // The ban, its audit row, the flag's decision and its audit row commit together.
      await this.deps.bans.ban(actor, flag.player_id, reason, ip, close);
    } else {
      await this.deps.db.transaction().execute(async (trx) => {
        if (decision === 'exclude') excluded = await this.excludeFromLeaderboards(flag.player_id, actor, reason, { ip, db: trx });
        await close(trx);
      });
    }
    if (excluded) this.excluded(flag.player_id);
    let messaged = false;
    if (decision === 'warn') {
      messaged = await this.deps.warn(flag.player_id).catch((err: unknown) => {
        this.deps.logger.warn({ err, playerId: flag.player_id }, 'fraud: the warning could not be sent (it is recorded)');
        return false;
      });
    }
    this.deps.logger.info({ flagId, playerId: flag.player_id, kind: flag.kind, decision, admin: actor.name, messaged }, 'fraud flag decided');
    const after = await this.deps.repo.findWithName(flagId);
    return { flag: toDto(after!), messaged };
  }

  // ---- internals ------------------------------------------------------------------------

  private excluded(playerId: string): void {
    for (const listener of this.exclusionListeners) {
      Promise.resolve()
        .then(() => listener(playerId))
        .catch((err: unknown) => this.deps.logger.error({ err, playerId }, 'a leaderboard exclusion listener failed'));
    }
  }

  private raise(playerId: string, kind: FraudKind, severity: FraudFlagsTable['severity'], evidence: Record<string, unknown>): Promise<void> {
    return this.deps.repo.raise({ playerId, kind, severity, evidence: boundedEvidence(evidence) }, this.deps.now());
  }

  private raiseSafely(playerId: string, kind: FraudKind, severity: FraudFlagsTable['severity'], evidence: Record<string, unknown>): void {
    this.background(async () => {
      await this.raise(playerId, kind, severity, evidence);
      this.deps.logger.info({ playerId, kind }, 'fraud flag raised');
    }, playerId);
  }

  /**
   * Runs `work` off the caller's path. One player's observations run one after another, in the
   * order they were seen: the flag's count and latest evidence are then the last sighting's
   * (concurrent upserts of one flag would land in any order).
   */
  private background(work: () => Promise<void>, playerId: string | null): void {
    const after = playerId === null ? Promise.resolve() : (this.tails.get(playerId) ?? Promise.resolve());
    const running: Promise<void> = after
      .then(work)
      .catch((err: unknown) => this.deps.logger.warn({ err, playerId }, 'fraud: could not record an observation'))
      .finally(() => {
        this.pending.delete(running);
        if (playerId !== null && this.tails.get(playerId) === running) this.tails.delete(playerId);
      });
    this.pending.add(running);
    if (playerId !== null) this.tails.set(playerId, running);
  }
}

function toDto(row: FraudFlagListRow): FraudFlagDto {
  let evidence: unknown;
  try {
    evidence = JSON.parse(row.evidence);
  } catch {
    evidence = row.evidence;
  }
  return {
    id: row.id,
    playerId: row.player_id,
    playerName: row.player_name,
    kind: row.kind as FraudKind,
    severity: row.severity,
    evidence,
    count: Number(row.count),
    status: row.status,
    decidedBy: row.decided_by,
    decidedAt: iso(row.decided_at),
    decisionReason: row.decision_reason,
    firstSeenAt: iso(row.created_at)!,
    lastSeenAt: iso(row.last_seen_at)!,
  };
}
