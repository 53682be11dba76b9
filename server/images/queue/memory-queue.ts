/** The in-process job queue: the embedded default when no Redis is configured. */
import { withDeadline } from '../../util/deadline.js';
import {
  JobTimeoutError,
  backoffDelay,
  type FailedHandler,
  type JobHandler,
  type JobQueue,
  type JobSpec,
  type QueueCounts,
} from './job-queue.js';

interface MemoryJob<T> {
  id: string;
  data: T;
  spec: JobSpec;
  attemptsMade: number;
}

/** How many finished job ids are remembered for deduplication (Bull keeps as many). */
const FINISHED_MEMORY = 1000;

export class MemoryQueue<T> implements JobQueue<T> {
  readonly kind = 'memory' as const;
  private readonly jobs = new Map<string, MemoryJob<T>>();
  private readonly waiting: MemoryJob<T>[] = [];
  private readonly finished = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private handler: JobHandler<T> | null = null;
  private onFailed: FailedHandler<T> | undefined;
  private concurrency = 1;
  private active = 0;
  private delayed = 0;
  private completed = 0;
  private failed = 0;
  private closed = false;

  add(data: T, spec: JobSpec): Promise<{ id: string; added: boolean }> {
    if (this.closed || this.jobs.has(spec.jobId) || this.finished.has(spec.jobId)) {
      return Promise.resolve({ id: spec.jobId, added: false });
    }
    const job: MemoryJob<T> = { id: spec.jobId, data, spec, attemptsMade: 0 };
    this.jobs.set(job.id, job);
    this.waiting.push(job);
    this.pump();
    return Promise.resolve({ id: job.id, added: true });
  }

  process(concurrency: number, handler: JobHandler<T>, onFailed?: FailedHandler<T>): void {
    this.handler = handler;
    this.onFailed = onFailed;
    this.concurrency = Math.max(1, concurrency);
    this.pump();
  }

  private pump(): void {
    while (this.handler && !this.closed && this.active < this.concurrency && this.waiting.length > 0) {
      const job = this.waiting.shift() as MemoryJob<T>;
      this.active++;
      const run = this.run(job).finally(() => {
        this.active--;
        this.running.delete(run);
        this.pump();
      });
      this.running.add(run);
    }
  }

  private async run(job: MemoryJob<T>): Promise<void> {
    const handler = this.handler;
    if (!handler) return;
    try {
      await withDeadline(
        handler({ id: job.id, data: job.data, attemptsMade: job.attemptsMade, attempts: job.spec.attempts }),
        job.spec.timeoutMs,
        () => new JobTimeoutError(job.spec.timeoutMs),
      );
      this.finish(job);
      this.completed++;
    } catch (err) {
      job.attemptsMade++;
      const error = err instanceof Error ? err : new Error(String(err));
      const final = job.attemptsMade >= job.spec.attempts || this.closed;
      try {
        await this.onFailed?.({ id: job.id, data: job.data, attemptsMade: job.attemptsMade, attempts: job.spec.attempts }, error, final);
      } catch {
        // A failing failure handler must not stop the queue.
      }
      if (final) {
        this.finish(job);
        this.failed++;
        return;
      }
      this.delayed++;
      const retry = setTimeout(() => {
        this.timers.delete(retry);
        this.delayed--;
        if (this.closed) return;
        this.waiting.push(job);
        this.pump();
      }, backoffDelay(job.spec.backoffMs, job.attemptsMade));
      this.timers.add(retry);
    }
  }

  private finish(job: MemoryJob<T>): void {
    this.jobs.delete(job.id);
    this.finished.add(job.id);
    if (this.finished.size > FINISHED_MEMORY) {
      const oldest = this.finished.values().next();
      if (!oldest.done) this.finished.delete(oldest.value);
    }
  }

  counts(): Promise<QueueCounts> {
    return Promise.resolve({
      waiting: this.waiting.length,
      active: this.active,
      delayed: this.delayed,
      completed: this.completed,
      failed: this.failed,
    });
  }

  /** Always up: it lives in this process. */
  ping(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}
