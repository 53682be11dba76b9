/**
 * Bull 4 on Redis: jobs survive restarts, any number of worker processes share them, and a
 * worker that dies mid-job (its lock expires) has the job taken over by another.
 */
import Bull from 'bull';
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import { withDeadline } from '../../util/deadline.js';
import { pingRedis, watchRedis } from '../../util/redis-health.js';
import { SUBSCRIBER_ONLY } from '../../util/redis-options.js';
import { QueueUnavailableError, type FailedHandler, type JobHandler, type JobQueue, type JobSpec, type QueueCounts } from './job-queue.js';

interface BullQueueOptions {
  name: string;
  redisUrl: string;
  /** Redis key prefix (deployments or test runs sharing a Redis stay apart). */
  prefix: string;
  /** A worker must renew its lock within this; a killed worker loses the job after it. */
  lockDurationMs: number;
  /** Opening a connection to Redis. */
  connectTimeoutMs: number;
  /** One command of the queue's own client, and the whole of `add`. */
  commandTimeoutMs: number;
  logger: Logger;
}

/** Reconnects quickly and keeps trying (Bull's default waits up to 20 s between attempts). */
const retryStrategy = (times: number) => Math.min(times * 200, 2000);

export class BullQueue<T> implements JobQueue<T> {
  readonly kind = 'bull' as const;
  readonly queue: Bull.Queue<T>;
  /** The connections made for Bull: with `createClient` they are ours to close. */
  private readonly clients: Redis[] = [];

  constructor(private readonly options: BullQueueOptions) {
    this.queue = new Bull<T>(options.name, options.redisUrl, {
      prefix: options.prefix,
      // Bull's client adds jobs and runs the queue's scripts: every command gets a deadline, so
      // with Redis unreachable or not answering `add` fails instead of waiting for it. The
      // blocking client (waits for jobs) and the subscriber wait by design: only connecting is bounded,
      // and neither needs the handshake (ready check, client info) a subscribed connection refuses.
      createClient: (type, redisOptions?: RedisOptions) => {
        const common: RedisOptions = { ...redisOptions, connectTimeout: options.connectTimeoutMs, retryStrategy };
        const client =
          type === 'client'
            ? watchRedis(new Redis({ ...common, commandTimeout: options.commandTimeoutMs }))
            : new Redis({ ...common, maxRetriesPerRequest: null, ...SUBSCRIBER_ONLY });
        this.clients.push(client);
        return client;
      },
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

  /** Fails with `QueueUnavailableError` when Redis does not take the job within `commandTimeoutMs`. */
  async add(data: T, spec: JobSpec): Promise<{ id: string; added: boolean }> {
    const adding = (async () => {
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
    })();
    const ms = this.options.commandTimeoutMs;
    try {
      // A late outcome of an abandoned add is of no interest (its job finds no image row).
      return await withDeadline(adding, ms, () => new Error(`adding the job timed out after ${ms} ms`));
    } catch (err) {
      throw new QueueUnavailableError(err);
    }
  }

  async ping(timeoutMs: number): Promise<void> {
    // Bull's own client, made by `createClient` above (Bull makes it at construction).
    await pingRedis(this.queue.client, timeoutMs);
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
    for (const client of this.clients) client.disconnect();
  }
}
