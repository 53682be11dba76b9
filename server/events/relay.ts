/**
 * The relay: hands the event log to its consumers, each in log order, at least once. Every
 * process runs one; a consumer is delivered to by whichever process holds its cursor's lease
 * (events-repository.ts), so a cluster delivers each batch once while nothing fails, and again
 * (to a consumer that applies each event once) when a process dies between delivering and
 * marking. A consumer that fails keeps its cursor where it was and is tried again after a
 * backoff; the others go on.
 */
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import type { Cursor, EventsRepository, StoredEvent } from '../repositories/events-repository.js';

export interface EventConsumer {
  /** Unique and stable: its cursor is stored under it. */
  name: string;
  /**
   * Applies a batch, oldest first. It may be called again with events it already applied
   * (after a crash): it must apply each event once (`EventsRepository.firstDelivery`).
   */
  handle(events: readonly StoredEvent[]): Promise<void>;
}

export interface EventRelayOptions {
  /** This process (the cursor lease holder). */
  holder: string;
  /** How often each consumer looks for new events when not woken (ms). */
  pollMs: number;
  /** Events per batch. */
  batchSize: number;
  /** How long a claim lasts without a batch moving the cursor (ms). */
  leaseMs: number;
  /** Wait after a consumer failed, before its batch is tried again (ms). */
  retryMs: number;
}

export const DEFAULT_RELAY_OPTIONS: Omit<EventRelayOptions, 'holder'> = { pollMs: 250, batchSize: 200, leaseMs: 15_000, retryMs: 2_000 };

interface Running {
  consumer: EventConsumer;
  timer: NodeJS.Timeout | null;
  run: Promise<void> | null;
  /** Woken while a run was under way: run again at once. */
  again: boolean;
  /** No run before this (performance.now()): backing off after a failure. */
  notBefore: number;
}

export class EventRelay {
  private readonly running = new Map<string, Running>();
  private stopped = true;

  constructor(
    private readonly deps: { events: EventsRepository; logger: Logger; metrics: Metrics; now: () => number },
    private readonly options: EventRelayOptions,
  ) {}

  /** Adds a consumer (before or after start). */
  add(consumer: EventConsumer): void {
    if (this.running.has(consumer.name)) throw new Error(`event consumer ${consumer.name} added twice`);
    const entry: Running = { consumer, timer: null, run: null, again: false, notBefore: 0 };
    this.running.set(consumer.name, entry);
    if (!this.stopped) this.schedule(entry, 0);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    for (const entry of this.running.values()) this.schedule(entry, 0);
  }

  /** Something was appended: consumers look now instead of at their next poll. */
  wake(): void {
    if (this.stopped) return;
    for (const entry of this.running.values()) {
      if (entry.run) entry.again = true;
      else if (performance.now() >= entry.notBefore) this.schedule(entry, 0);
    }
  }

  /**
   * Delivers until every consumer has been handed every event committed so far (tests, tools);
   * false if one failed, or if it is not caught up within `deadlineMs` (on Postgres a
   * transaction still running holds back the events committed after it began).
   */
  async drain(deadlineMs = 10_000): Promise<boolean> {
    const until = performance.now() + deadlineMs;
    let ok = true;
    for (const entry of this.running.values()) {
      for (;;) {
        while (entry.run) await entry.run;
        // Marked as the consumer's run: the poll timer does not start another one meanwhile.
        const run = this.deliver(entry.consumer);
        entry.run = run.then(() => undefined);
        const delivered = await run;
        entry.run = null;
        if (!delivered) {
          ok = false;
          break;
        }
        const cursor = await this.deps.events.cursor(entry.consumer.name);
        if (!cursor || !(await this.deps.events.anyAfter(cursor))) break;
        if (performance.now() >= until) {
          ok = false;
          break;
        }
        await new Promise<void>((resolve) => setTimeout(resolve, 10));
      }
    }
    return ok;
  }

  /** Stops polling, waits for runs under way and gives the cursors up. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const entry of this.running.values()) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.timer = null;
    }
    await Promise.all([...this.running.values()].flatMap((entry) => (entry.run ? [entry.run] : [])));
    const nowMs = this.deps.now();
    await Promise.all(
      [...this.running.keys()].map((name) =>
        this.deps.events.release(name, this.options.holder, nowMs).catch((err: unknown) => this.deps.logger.warn({ err, consumer: name }, 'could not give the event cursor up')),
      ),
    );
  }

  private schedule(entry: Running, delayMs: number): void {
    if (this.stopped) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      entry.timer = null;
      // A drain is delivering to this consumer: look again at the next poll.
      if (entry.run) {
        this.schedule(entry, this.options.pollMs);
        return;
      }
      entry.run = this.deliver(entry.consumer).then((ok) => {
        entry.run = null;
        if (!ok) entry.notBefore = performance.now() + this.options.retryMs;
        const again = entry.again && ok;
        entry.again = false;
        this.schedule(entry, again ? 0 : ok ? this.options.pollMs : this.options.retryMs);
      });
    }, delayMs);
    entry.timer.unref();
  }

  /** Claims the consumer and hands it batches until it is caught up; false if something failed. */
  private async deliver(consumer: EventConsumer): Promise<boolean> {
    const { events, metrics, logger, now } = this.deps;
    const { holder, leaseMs, batchSize } = this.options;
    try {
      // Reads first: an idle consumer, or one another process delivers to, costs no write.
      const stored = await events.cursor(consumer.name);
      let read: { from: Cursor; batch: StoredEvent[] } | null = null;
      if (stored) {
        if (stored.holder !== '' && stored.holder !== holder && stored.leaseUntil > now()) return true;
        read = { from: stored, batch: await events.after(stored, batchSize) };
        if (read.batch.length === 0) {
          metrics.eventRelayLag.set({ consumer: consumer.name }, 0);
          return true;
        }
      }
      let cursor: Cursor | null = await events.claim(consumer.name, holder, now(), leaseMs);
      if (!cursor) return true; // Another process delivers to it.
      for (;;) {
        // The batch read before the claim, while the claim found the cursor where it was read.
        const batch = read && read.from.txId === cursor.txId && read.from.seq === cursor.seq ? read.batch : await events.after(cursor, batchSize);
        read = null;
        const oldest = batch[0];
        metrics.eventRelayLag.set({ consumer: consumer.name }, oldest ? Math.max(0, (now() - oldest.at) / 1000) : 0);
        if (!oldest) return true;
        const started = performance.now();
        await consumer.handle(batch);
        metrics.eventBatchDuration.observe({ consumer: consumer.name }, (performance.now() - started) / 1000);
        const last = batch[batch.length - 1] as StoredEvent;
        cursor = { txId: last.txId, seq: last.seq };
        if (!(await events.advance(consumer.name, holder, cursor, now(), leaseMs))) {
          // Our lease ran out and another process took the consumer: it delivers from its cursor.
          logger.warn({ consumer: consumer.name }, 'event cursor taken over while delivering');
          return true;
        }
        metrics.eventsRelayed.inc({ consumer: consumer.name }, batch.length);
        if (batch.length < batchSize) {
          metrics.eventRelayLag.set({ consumer: consumer.name }, 0);
          return true;
        }
      }
    } catch (err) {
      metrics.eventConsumerFailures.inc({ consumer: consumer.name });
      logger.error({ err, consumer: consumer.name }, 'event consumer failed: its batch is tried again');
      return false;
    }
  }
}
