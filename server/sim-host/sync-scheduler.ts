/**
 * Tells the rooms that the world moved. After a tick every subscriber's `onChange` runs in
 * slices of at most `SYNC_SLICE_MS` with the event loop free in between: syncing and
 * patching thousands of rooms in one go would hold every socket and request waiting for tens
 * of milliseconds.
 */
import type { Logger } from 'pino';
import type { LifeEvent } from '../../sim/index.js';

export interface OwnerListener {
  /** Called after every tick and command batch that touched the owner's pets. */
  onChange(): void;
  onLifeEvent?(petId: string, event: LifeEvent): void;
  /**
   * The owner's pets are no longer simulated here: another process took the owner (its lease
   * was lost, or a write was refused by a newer writer fence). They were unloaded without
   * being written; the listener should let go (forward its clients to the new process).
   */
  onLost?(): void;
}

/** Longest stretch of room syncing before the event loop gets a turn. */
const SYNC_SLICE_MS = 4;

export class SyncScheduler {
  private queue: OwnerListener[] = [];
  private index = 0;
  private scheduled = false;

  constructor(private readonly logger: Logger) {}

  /**
   * Queues `onChange` of every listener (the array is the scheduler's from now on), replacing
   * a round not yet finished, and starts draining after this turn of the event loop.
   */
  schedule(listeners: OwnerListener[]): void {
    this.queue = listeners;
    this.index = 0;
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
    const deadline = performance.now() + SYNC_SLICE_MS;
    const queue = this.queue;
    while (this.index < queue.length) {
      const listener = queue[this.index++] as OwnerListener;
      safeCall(() => listener.onChange(), this.logger);
      if (performance.now() >= deadline) break;
    }
    if (this.index < queue.length) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }
}

/** Runs a listener's callback; a listener that throws is logged and the others still run. */
export function safeCall(fn: () => void, logger: Logger): void {
  try {
    fn();
  } catch (err) {
    logger.error({ err }, 'sim listener failed');
  }
}
