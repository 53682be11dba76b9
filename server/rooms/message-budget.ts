/**
 * Per-client message budgets for rooms: token buckets checked before a message is decoded,
 * so a client flooding a room costs little more than reading its frames, and is cut off when
 * it keeps at it.
 */
import type { MessageRate } from '../../shared/protocol.js';

/** `rate.ratePerSecond` tokens a second, at most `rate.burst` saved up; starts full. */
export class TokenBucket {
  private tokens: number;
  private updatedAtMs: number;

  constructor(
    private readonly rate: MessageRate,
    nowMs: number,
  ) {
    this.tokens = rate.burst;
    this.updatedAtMs = nowMs;
  }

  /** Takes a token if there is one. */
  take(nowMs: number): boolean {
    const elapsedMs = nowMs - this.updatedAtMs;
    if (elapsedMs > 0) {
      this.tokens = Math.min(this.rate.burst, this.tokens + (elapsedMs / 1000) * this.rate.ratePerSecond);
      this.updatedAtMs = nowMs;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

export interface BudgetRules {
  overall: MessageRate;
  perType: Readonly<Record<string, MessageRate>>;
  /** At most one notice (an "error" RATE_LIMITED) per this many milliseconds. */
  noticeIntervalMs: number;
  /** Over budget with no break of a second for this long: cut the client off. */
  cutOffAfterMs: number;
}

/**
 * What to do with one message: let it through, drop it quietly, drop it and tell the client
 * (`notice`), or drop it and disconnect the client (`cut_off`).
 */
export type BudgetVerdict = 'pass' | 'drop' | 'notice' | 'cut_off';

/** A drop this long after the previous one starts a new over-budget stretch. */
const STRETCH_GAP_MS = 1000;

/** One client's budget in one room. */
export class MessageBudget {
  private readonly overall: TokenBucket;
  private readonly perType = new Map<string, TokenBucket>();
  private overSinceMs = -1;
  private lastDropMs = -Infinity;
  private lastNoticeMs = -Infinity;
  /** Messages dropped so far. */
  dropped = 0;

  constructor(
    private readonly rules: BudgetRules,
    nowMs: number,
  ) {
    this.overall = new TokenBucket(rules.overall, nowMs);
  }

  /** Charges one message of `type` (null: a protocol message without one). */
  check(type: string | null, nowMs: number): BudgetVerdict {
    if (this.overall.take(nowMs) && this.takeType(type, nowMs)) return 'pass';
    this.dropped += 1;
    if (nowMs - this.lastDropMs > STRETCH_GAP_MS) this.overSinceMs = nowMs;
    this.lastDropMs = nowMs;
    if (nowMs - this.overSinceMs >= this.rules.cutOffAfterMs) return 'cut_off';
    if (nowMs - this.lastNoticeMs >= this.rules.noticeIntervalMs) {
      this.lastNoticeMs = nowMs;
      return 'notice';
    }
    return 'drop';
  }

  private takeType(type: string | null, nowMs: number): boolean {
    if (type === null) return true;
    let bucket = this.perType.get(type);
    if (!bucket) {
      const rate = Object.hasOwn(this.rules.perType, type) ? this.rules.perType[type] : undefined;
      if (!rate) return true;
      bucket = new TokenBucket(rate, nowMs);
      this.perType.set(type, bucket);
    }
    return bucket.take(nowMs);
  }
}
