import assert from 'node:assert/strict';
import { backoffDelay } from '../../../server/images/queue/job-queue.js';
import { MemoryQueue } from '../../../server/images/queue/memory-queue.js';
import { waitFor } from '../../helpers/rooms.js';

const spec = (jobId: string, over: Partial<{ attempts: number; backoffMs: number; timeoutMs: number }> = {}) => ({
  jobId,
  attempts: 3,
  backoffMs: 10,
  timeoutMs: 1000,
  ...over,
});

describe('in-process job queue', () => {
  it('runs a job once per id, however often it is added', async () => {
    const queue = new MemoryQueue<{ n: number }>();
    const seen: number[] = [];
    queue.process(2, async (job) => {
      seen.push(job.data.n);
    });
    const results = await Promise.all([queue.add({ n: 1 }, spec('a')), queue.add({ n: 2 }, spec('a')), queue.add({ n: 3 }, spec('b'))]);
    assert.deepEqual(results.map((r) => r.added), [true, false, true]);
    await waitFor(() => seen.length === 2, 'both jobs');
    assert.equal((await queue.add({ n: 4 }, spec('a'))).added, false, 'a finished id is remembered');
    await queue.close();
    assert.deepEqual(seen.sort(), [1, 3]);
  });

  it('keeps to its concurrency', async () => {
    const queue = new MemoryQueue<number>();
    let running = 0;
    let peak = 0;
    queue.process(2, async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 20));
      running--;
    });
    for (let i = 0; i < 8; i++) await queue.add(i, spec(`j${i}`));
    await waitFor(async () => (await queue.counts()).completed === 8, 'all jobs');
    assert.equal(peak, 2);
    await queue.close();
  });

  it('retries with exponential backoff and reports the final failure once', async () => {
    const queue = new MemoryQueue<string>();
    const attemptsAt: number[] = [];
    const failures: boolean[] = [];
    queue.process(
      1,
      async () => {
        attemptsAt.push(Date.now());
        throw new Error('boom');
      },
      (_job, _err, final) => {
        failures.push(final);
      },
    );
    await queue.add('x', spec('x', { attempts: 3, backoffMs: 40 }));
    await waitFor(() => failures.length === 3, 'three attempts', 5000);
    assert.deepEqual(failures, [false, false, true]);
    assert.equal(attemptsAt.length, 3);
    // The waits between attempts double (as Bull's exponential backoff does).
    assert.deepEqual([1, 2, 3].map((made) => backoffDelay(40, made)), [40, 80, 160]);
    assert.deepEqual({ ...(await queue.counts()), completed: 0 }, { waiting: 0, active: 0, delayed: 0, completed: 0, failed: 1 });
    await queue.close();
  });

  it('fails an attempt that takes longer than its timeout', async () => {
    const queue = new MemoryQueue<string>();
    const errors: string[] = [];
    queue.process(
      1,
      () => new Promise<void>(() => undefined),
      (_job, err) => {
        errors.push(err.name);
      },
    );
    await queue.add('slow', spec('slow', { attempts: 1, timeoutMs: 30 }));
    await waitFor(() => errors.length === 1, 'the timeout');
    assert.deepEqual(errors, ['JobTimeoutError']);
    await queue.close();
  });
});
