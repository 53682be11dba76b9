/**
 * Tells the rooms that the world moved. Two things keep thousands of rooms from holding the
 * event loop (and from showing each other's delay as their own):
 * - rooms are spread over `phases`: the world ticks `phases` times per room update
 *   (`SIM_TICK_HZ`), and each sub-tick syncs only the rooms of one phase, so a room's patch
 *   leaves soon after the instant it shows instead of after every other room's;
 * - syncing runs in slices of at most `SYNC_SLICE_MS` with the event loop free in between.
 * A room still waiting from an earlier sub-tick (an overloaded process) is synced once, with
 * the newest state, never twice and never skipped.
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
/** The world never ticks faster than this to spread the rooms (sub-ticks per real second). */
const MAX_WORLD_TICK_HZ = 20;
/** At most this many phases (the world's tick costs about 35 ns per pet). */
const MAX_SYNC_PHASES = 10;

/** How many phases rooms updated `tickHz` times a second are spread over. */
export function syncPhases(tickHz: number): number {
  return Math.max(1, Math.min(MAX_SYNC_PHASES, Math.floor(MAX_WORLD_TICK_HZ / tickHz)));
}

export class SyncScheduler {
  private queue: OwnerListener[] = [];
  private index = 0;
  /** Listeners in the queue and not yet called. */
  private readonly queued = new Set<OwnerListener>();
  private scheduled = false;

  constructor(private readonly logger: Logger) {}

  /** Listeners queued and not yet called. */
  get pending(): number {
    return this.queued.size;
  }

  /** Queues `onChange` of every listener not already waiting, and drains after this turn of the event loop. */
  schedule(listeners: Iterable<OwnerListener>): void {
    for (const listener of listeners) {
      if (this.queued.has(listener)) continue;
      this.queued.add(listener);
      this.queue.push(listener);
    }
    if (!this.scheduled && this.queued.size > 0) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    }
  }

  private drain(): void {
    this.scheduled = false;
    const deadline = performance.now() + SYNC_SLICE_MS;
    while (this.index < this.queue.length) {
      const listener = this.queue[this.index++] as OwnerListener;
      this.queued.delete(listener);
      safeCall(() => listener.onChange(), this.logger);
      if (performance.now() >= deadline) break;
    }
    if (this.index < this.queue.length) {
      this.scheduled = true;
      setImmediate(() => this.drain());
    } else {
      this.queue = [];
      this.index = 0;
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
