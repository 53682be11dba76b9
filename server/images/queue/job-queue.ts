/**
 * A job queue: Bull on Redis, or an in-process queue with the same interface and semantics
 * (job ids that deduplicate, concurrency, a timeout per attempt, attempts with exponential
 * backoff, a final failure callback).
 */
export interface JobSpec {
  /** Adding a job whose id is waiting, running or recently finished does nothing. */
  jobId: string;
  attempts: number;
  /** Delay before the second attempt; doubles for each one after. */
  backoffMs: number;
  /** One attempt fails after this long. */
  timeoutMs: number;
}

export interface QueueJob<T> {
  id: string;
  data: T;
  /** Attempts made before this one. */
  attemptsMade: number;
  attempts: number;
}

export type JobHandler<T> = (job: QueueJob<T>) => Promise<void>;
/** `final` is true when no attempt is left. */
export type FailedHandler<T> = (job: QueueJob<T>, err: Error, final: boolean) => Promise<void> | void;

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
}

export interface JobQueue<T> {
  readonly kind: 'bull' | 'memory';
  add(data: T, spec: JobSpec): Promise<{ id: string; added: boolean }>;
  /** Starts processing in this process. */
  process(concurrency: number, handler: JobHandler<T>, onFailed?: FailedHandler<T>): void;
  counts(): Promise<QueueCounts>;
  /** Resolves when the queue's store (Redis) answers within `timeoutMs`; rejects with the reason. */
  ping(timeoutMs: number): Promise<void>;
  /** Stops taking jobs and waits for the running ones. */
  close(): Promise<void>;
}

/** The queue could not take a job (its Redis is down or did not answer in time). */
export class QueueUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`queue unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'QueueUnavailableError';
  }
}

export class JobTimeoutError extends Error {
  constructor(ms: number) {
    super(`job timed out after ${ms} ms`);
    this.name = 'JobTimeoutError';
  }
}

/** Exponential backoff: the delay before attempt `attemptsMade + 1`. */
export function backoffDelay(backoffMs: number, attemptsMade: number): number {
  return backoffMs * 2 ** Math.max(0, attemptsMade - 1);
}
