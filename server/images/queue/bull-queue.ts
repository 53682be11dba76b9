/**
 * Bull 4 on Redis: jobs survive restarts, any number of worker processes share them, and a
 * worker that dies mid-job (its lock expires) has the job taken over by another.
 */
import Bull from 'bull';
import type { Logger } from 'pino';
import type { FailedHandler, JobHandler, JobQueue, JobSpec, QueueCounts } from './job-queue.js';

export interface BullQueueOptions {
  name: string;
  redisUrl: string;
  /** Redis key prefix (deployments or test runs sharing a Redis stay apart). */
  prefix: string;
  /** A worker must renew its lock within this; a killed worker loses the job after it. */
  lockDurationMs: number;
  logger: Logger;
}

export class BullQueue<T> implements JobQueue<T> {
  readonly kind = 'bull' as const;
  readonly queue: Bull.Queue<T>;

  constructor(private readonly options: BullQueueOptions) {
    this.queue = new Bull<T>(options.name, options.redisUrl, {
      prefix: options.prefix,
      settings: {
        lockDuration: options.lockDurationMs,
        lockRenewTime: Math.max(100, Math.floor(options.lockDurationMs / 2)),
        stalledInterval: Math.max(250, Math.floor(options.lockDurationMs / 2)),
        maxStalledCount: 2,
      },
      defaultJobOptions: { removeOnComplete: 1000, removeOnFail: 1000 },
    });
    this.queue.on('error', (err) => options.logger.warn({ err: err.message }, 'image queue error (Redis?)'));
  }

  async add(data: T, spec: JobSpec): Promise<{ id: string; added: boolean }> {
    const existing = await this.queue.getJob(spec.jobId);
    if (existing) return { id: spec.jobId, added: false };
    // Bull itself ignores a second add with the same id, so racing adds stay one job.
    const job = await this.queue.add(data, {
      jobId: spec.jobId,
      attempts: spec.attempts,
      backoff: { type: 'exponential', delay: spec.backoffMs },
      timeout: spec.timeoutMs,
    });
    return { id: String(job.id), added: true };
  }

  process(concurrency: number, handler: JobHandler<T>, onFailed?: FailedHandler<T>): void {
    void this.queue.process(concurrency, async (job) => {
      await handler({ id: String(job.id), data: job.data, attemptsMade: job.attemptsMade, attempts: job.opts.attempts ?? 1 });
    });
    if (onFailed) {
      this.queue.on('failed', (job, err) => {
        const attempts = job.opts.attempts ?? 1;
        Promise.resolve(
          onFailed({ id: String(job.id), data: job.data, attemptsMade: job.attemptsMade, attempts }, err, job.attemptsMade >= attempts),
        ).catch((e: unknown) => this.options.logger.error({ err: e }, 'image job failure handler failed'));
      });
    }
  }

  async counts(): Promise<QueueCounts> {
    const c = await this.queue.getJobCounts();
    return { waiting: c.waiting, active: c.active, delayed: c.delayed, completed: c.completed, failed: c.failed };
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
