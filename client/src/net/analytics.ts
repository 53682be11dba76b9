/**
 * UI analytics: events (shared/analytics.ts, every field an enum) wait in a queue and go to
 * `POST /api/v1/analytics/events` in batches: every few seconds, at once when a batch is full,
 * and everything left when the app is hidden (a `keepalive` fetch, which outlives the page;
 * `navigator.sendBeacon` cannot send the Authorization header). The queue is capped: past the
 * cap the oldest events go. A batch that failed for a reason that may pass (network, 429,
 * 5xx) goes back to the front of the queue and waits; one the server refused as invalid is
 * dropped, so it cannot block the rest.
 */
import { ANALYTICS_MAX_BATCH, UI_ERROR_CODES, type UiErrorCode, type UiEvent } from '../../../shared/analytics.js';
import type { Api } from './api.js';
import { errorCodeOf } from './errors.js';

/** What became of a batch: sent, to try again (after `afterMs` at the earliest), or dropped. */
export type SendOutcome = { outcome: 'sent' } | { outcome: 'retry'; afterMs?: number } | { outcome: 'drop' };

export interface AnalyticsTransport {
  send(events: readonly UiEvent[], keepalive: boolean): Promise<SendOutcome>;
}

/** Timers, injectable for tests. */
export interface AnalyticsTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface AnalyticsOptions {
  /** How often a non-empty queue is sent. */
  flushMs?: number;
  /** Events kept at most; the oldest go first. */
  maxQueue?: number;
  /** Events per request (the server takes at most ANALYTICS_MAX_BATCH). */
  maxBatch?: number;
  timers?: AnalyticsTimers;
}

export const FLUSH_MS = 5_000;
export const MAX_QUEUE = 200;

const browserTimers: AnalyticsTimers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class AnalyticsQueue {
  private readonly queue: UiEvent[] = [];
  private readonly flushMs: number;
  private readonly maxQueue: number;
  private readonly maxBatch: number;
  private readonly timers: AnalyticsTimers;
  private timer: unknown = null;
  private sending: Promise<void> | null = null;
  /** Set after a retryable failure: nothing is sent before the timer fires, `pauseMs` after it. */
  private paused = false;
  private pauseMs = 0;
  /** Events dropped: over the cap, or refused by the server. */
  dropped = 0;

  constructor(
    private readonly transport: AnalyticsTransport,
    options: AnalyticsOptions = {},
  ) {
    this.flushMs = options.flushMs ?? FLUSH_MS;
    this.maxQueue = options.maxQueue ?? MAX_QUEUE;
    this.maxBatch = Math.min(options.maxBatch ?? ANALYTICS_MAX_BATCH, ANALYTICS_MAX_BATCH);
    this.timers = options.timers ?? browserTimers;
  }

  /** Events waiting. */
  get size(): number {
    return this.queue.length;
  }

  track(event: UiEvent): void {
    this.queue.push(event);
    this.trim();
    if (this.queue.length >= this.maxBatch && !this.paused) void this.flush();
    else this.schedule(this.flushMs);
  }

  /** Sends one batch now (unless one is on its way: then that one's promise). */
  flush(): Promise<void> {
    if (this.sending) return this.sending;
    if (this.queue.length === 0) return Promise.resolve();
    this.cancelTimer();
    this.paused = false;
    const batch = this.queue.splice(0, this.maxBatch);
    this.sending = this.send(batch, false).finally(() => {
      this.sending = null;
      // A full batch waiting goes now; the rest at the next tick (or after a pause).
      if (!this.paused && this.queue.length >= this.maxBatch) void this.flush();
      else if (this.queue.length > 0) this.schedule(this.paused ? this.pauseMs : this.flushMs);
    });
    return this.sending;
  }

  /** The app is being hidden: everything waiting goes now, in requests that outlive the page. */
  flushOnHide(): void {
    this.cancelTimer();
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      // Nothing to wait for: the page may be gone before the answer. A failure puts the batch back.
      void this.send(batch, true);
    }
  }

  private async send(batch: UiEvent[], keepalive: boolean): Promise<void> {
    let result: SendOutcome;
    try {
      result = await this.transport.send(batch, keepalive);
    } catch {
      result = { outcome: 'retry' };
    }
    if (result.outcome === 'drop') this.dropped += batch.length;
    if (result.outcome !== 'retry') return;
    // Back at the front, oldest first; the cap still holds.
    this.queue.unshift(...batch);
    this.trim();
    this.paused = true;
    this.pauseMs = Math.max(this.flushMs, result.afterMs ?? 0);
    // A timer set meanwhile (by track) would come too soon: flush() reschedules after a
    // normal send; after one sent on hiding, the page may come back, so schedule here.
    this.cancelTimer();
    if (keepalive) this.schedule(this.pauseMs);
  }

  private trim(): void {
    const over = this.queue.length - this.maxQueue;
    if (over <= 0) return;
    this.queue.splice(0, over);
    this.dropped += over;
  }

  private schedule(ms: number): void {
    if (this.timer !== null) return;
    this.timer = this.timers.set(() => {
      this.timer = null;
      void this.flush();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer === null) return;
    this.timers.clear(this.timer);
    this.timer = null;
  }
}

/** Sends batches through the REST client (its auth, its error codes). */
export function apiTransport(api: Api): AnalyticsTransport {
  return {
    async send(events, keepalive) {
      // Not signed in yet: keep them.
      if (api.authToken === null) return { outcome: 'retry' };
      try {
        await api.analyticsEvents(events, keepalive);
        return { outcome: 'sent' };
      } catch (error) {
        const code = errorCodeOf(error);
        if (code === 'RATE_LIMITED') {
          const wait = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
          return { outcome: 'retry', ...(typeof wait === 'number' ? { afterMs: wait * 1000 } : {}) };
        }
        if (code === 'NETWORK' || code === 'NOT_READY' || code === 'INTERNAL' || code === 'SHUTTING_DOWN') return { outcome: 'retry' };
        return { outcome: 'drop' };
      }
    },
  };
}

/** An error toast's code as the schema takes it: a registry code, NETWORK, else UNKNOWN. */
export function uiErrorCode(code: string): UiErrorCode {
  return (UI_ERROR_CODES as readonly string[]).includes(code) ? (code as UiErrorCode) : 'UNKNOWN';
}
